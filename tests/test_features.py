"""Step definitions for the Dutch features in tests/features (run on SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import itertools
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import Engine, text

from adapters.protocol_files import ProtocolFiles
from engine.access import OPERATOR, PROTOCOL_OWNER, Membership, Principal
from engine.case import Case, Deadline
from engine.clock import FixedClock
from engine.errors import CaseNotFound, ProtocolError, TredeError
from engine.evaluation import EvaluationTable, parse_school_year
from engine.events import ERASED, EventType
from engine.incidents import Incident
from engine.letters import StoredLetter
from engine.ports import SchoolRecord
from engine.protocol.diff import diff_protocols
from engine.protocol.loader import load_protocol_file, load_protocol_text
from engine.rebase import Rebase
from engine.terms import AMSTERDAM
from engine.usecases.evaluation import Evaluation
from engine.usecases.reports import Table
from tests.conftest import PROEF
from tests.support import Driver as Trede
from tests.support import person

scenarios(".")

BUNDLED = Path(__file__).parent.parent / "protocols"
EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"


@dataclass
class World:
    trede: Trede
    clock: FixedClock
    db: Engine
    case_id: str | None = None
    linked_id: str | None = None
    error: TredeError | None = None
    outcomes: list[str] = field(default_factory=list)
    letter: StoredLetter | None = None
    incident: Incident | None = None  # the last incident recorded (issue 28)
    evaluation: Evaluation | None = None  # the last yearly evaluation made (issue 28)
    checked: TredeError | None = None
    reports: dict[str, str] = field(default_factory=dict)  # pseudonym -> case id
    receipt: str | None = None  # the meldpunt code of the last report
    variant: str | None = None  # the text of a school variant a scenario writes (issue 27)

    def case(self) -> Case:
        assert self.case_id is not None
        return self.trede.show(self.case_id).case

    def deadline(self, timer_id: str) -> Deadline:
        found = [d for d in self.case().deadlines.values() if d.id == timer_id]
        assert found, f"geen termijn {timer_id}"
        return max(found, key=lambda d: int(d.key.split("@")[1]))

    def attempt(self, action: object) -> None:
        self.error = None
        try:
            action()  # type: ignore[operator]
        except TredeError as exc:
            self.error = exc

    def no_error(self) -> None:
        if self.error is not None and self.error is self.checked:
            return
        assert self.error is None, f"onverwachte fout: {self.error.code}: {self.error.message}"


@pytest.fixture(autouse=True)
def _every_backend(db_url: str) -> str:
    """Makes each scenario run once per backend (pytest-bdd requests fixtures late)."""
    return db_url


@pytest.fixture
def world(trede: Trede, clock: FixedClock, db: Engine) -> World:
    return World(trede, clock, db)


def _day(value: str) -> datetime:
    return datetime.combine(date.fromisoformat(value), time(10, 0), tzinfo=AMSTERDAM)


def _inputs(raw: str) -> dict[str, str]:
    pairs = [p for p in raw.split(";") if p.strip()]
    return dict(p.split("=", 1) for p in pairs)


# --- Gegeven ----------------------------------------------------------------


@given("het proefprotocol is geladen")
def protocol_loaded(world: World) -> None:
    assert [p.stored.id for p in world.trede.engine.protocols.latest()] == ["proef-escalatie"]  # loaded by the fixture


@given(parsers.parse("het is {day}"))
@when(parsers.parse("het is {day}"))
def it_is(world: World, day: str) -> None:
    world.clock.set(_day(day))


@given(parsers.parse('een zaak voor leerling "{subject}" op school "{school}" per {day}'))
def a_case_on(world: World, subject: str, school: str, day: str) -> None:
    world.case_id = world.trede.open_case(
        "proef-escalatie",
        school=school,
        subject=subject,
        actor="juf.anna",
        role="leerkracht",
        effective=date.fromisoformat(day),
    ).id


@given(parsers.parse('een zaak voor leerling "{subject}" op school "{school}"'))
def a_case(world: World, subject: str, school: str) -> None:
    world.case_id = world.trede.open_case(
        "proef-escalatie", school=school, subject=subject, actor="juf.anna", role="leerkracht"
    ).id


@given(parsers.parse('een zaak in stap "{step}"'))
def a_case_in_step(world: World, step: str) -> None:
    assert step == "maatregel"
    a_case(world, "Leerling-M8", "de-linde")
    assert world.case_id
    world.trede.fire(world.case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "ernstig"})
    world.trede.fire(
        world.case_id,
        "direct_maatregel",
        actor="dhr.bos",
        role="directeur",
        inputs={"motivering": "vechten", "akkoord_directeur": "ja"},
    )


@given(parsers.parse('het protocol "{protocol_id}" is geladen'))
def bundled_protocol(world: World, protocol_id: str) -> None:
    world.trede.load_protocol(load_protocol_file(BUNDLED / f"{protocol_id}.yaml"))


@given(parsers.parse('het schoolprotocol "{protocol_id}" is geladen'))
def school_protocol(world: World, protocol_id: str) -> None:
    """A school's own protocol from docs/examples (written from the protocol owner's guide)."""
    world.trede.load_protocol(load_protocol_file(EXAMPLES / f"{protocol_id}.yaml", ProtocolFiles([BUNDLED])))


@given(parsers.parse('het schoolprotocol "{protocol_id}" is geladen voor school "{school}"'))
def school_protocol_for(world: World, protocol_id: str, school: str) -> None:
    protocol = load_protocol_file(EXAMPLES / f"{protocol_id}.yaml", ProtocolFiles([BUNDLED]))
    world.trede.engine.protocols.load(OPERATOR, protocol, scope=school)


@when(
    parsers.parse(
        'de "{role}" "{actor}" een zaak opent volgens "{protocol_id}" voor leerling "{subject}" op school "{school}"'
    )
)
def opens_a_case(world: World, role: str, actor: str, protocol_id: str, subject: str, school: str) -> None:
    def attempt() -> None:
        world.case_id = world.trede.open_case(protocol_id, school=school, subject=subject, actor=actor, role=role).id

    world.attempt(attempt)


@given(parsers.parse('een zaak volgens "{protocol_id}" voor leerling "{subject}" op school "{school}"'))
def a_case_of(world: World, protocol_id: str, subject: str, school: str) -> None:
    roles = list(world.trede.engine.protocols.get(protocol_id).protocol.spec.roles)
    role = next(r for r in ("leerkracht", "melder", *roles) if r in roles)  # who would report it
    world.case_id = world.trede.open_case(
        protocol_id, school=school, subject=subject, actor="juf.anna", role=role, inputs=_opening(world, protocol_id)
    ).id


def _opening(world: World, protocol_id: str, channel: str = "vertrouwenspersoon", concerns: str = "niemand") -> dict[str, str]:
    """A report whose protocol limits who sees it opens with its channel and whom it
    concerns; by default via the vertrouwenspersoon, about nobody's role."""
    rule = world.trede.engine.protocols.get(protocol_id).protocol.spec.need_to_know
    if rule is None:
        return {}
    return {**({rule.channel: channel} if rule.channel else {}), **({rule.concerns: concerns} if rule.concerns else {})}


MELDCODE_TO_AFWEGING = [
    ("consulteren", {"motivering": "signalen besproken"}),
    ("gesprek_voeren", {}),
    ("wegen", {"motivering": "zorgen gewogen"}),
    ("afwegen", {}),
]


@given("de zaak staat bij afweging 1")
def at_first_question(world: World) -> None:
    assert world.case_id
    for trigger, inputs in MELDCODE_TO_AFWEGING:
        world.trede.fire(world.case_id, trigger, actor="mevr.smit", role="aandachtsfunctionaris", inputs=inputs)


@given(parsers.parse('de zaak staat in stap "hulp" met evaluatie op {day}'))
def in_help(world: World, day: str) -> None:
    at_first_question(world)
    assert world.case_id
    for answer in ("afweging_1:ja", "afweging_2:nee", "afweging_3:ja", "afweging_4:ja"):
        world.trede.fire(
            world.case_id, answer, actor="mevr.smit", role="aandachtsfunctionaris", inputs={"motivering": "m"}
        )
    world.trede.fire(
        world.case_id,
        "hulp_afspreken",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        inputs={"hulpafspraken": "begeleiding", "evaluatiedatum": day},
    )


@given(parsers.parse("de melding is vastgelegd op {day}"))
def whistleblower_recorded(world: World, day: str) -> None:
    assert world.case_id
    world.trede.fire(
        world.case_id,
        "vastleggen",
        actor="mevr.vp",
        role="vertrouwenspersoon",
        inputs={"ontvangen_op": day, "afschrift_verstrekt": "ja"},
    )


def _vo_consultation(world: World) -> dict[str, str]:
    """In VO the removal decision follows a consultation with the inspectie."""
    vo = world.case().facts.get("school_sector") == "vo"
    return {"inspectie_geraadpleegd": "vervolg van het onderwijs besproken"} if vo else {}


@given(parsers.parse('de zaak staat in stap "andere_school_zoeken" na een besluit op {day}'))
def removal_decided(world: World, day: str) -> None:
    assert world.case_id
    today = world.clock.now().astimezone(AMSTERDAM).date().isoformat()
    suspension = {"schorsing_eerste_dag": today, "schorsing_duur": "1 dag"}
    steps = [
        ("schorsen", "directeur", {"motivering": "geweld", "goedkeuring_bevoegd_gezag": "ja", **suspension}),
        ("schorsing_beeindigen", "directeur", {}),
        ("verwijdering_voorbereiden", "directeur", {"motivering": "herhaald geweld"}),
        (
            "voornemen_meedelen",
            "directeur",
            {"groepsleraar_gehoord": "ja", "onderwijskundig_rapport": "ja", "motivering": "voornemen"},
        ),
    ]
    for trigger, role, inputs in steps:
        world.trede.fire(world.case_id, trigger, actor=f"demo.{role}", role=role, inputs=inputs)
    world.clock.set(_day(day))
    world.trede.fire(
        world.case_id,
        "verwijderen",
        actor="mevr.raad",
        role="bevoegd_gezag",
        inputs={"ouders_gehoord": "ja", "motivering": "veiligheid niet te waarborgen", **_vo_consultation(world)},
    )
    # the decision is sent the same day: the bezwaartermijn runs from then (Awb 6:8)
    sent = {
        "geadresseerde_naam": "Fam. Jansen",
        "geadresseerde_adres": "Dorpsstraat 1\n1234 AB Ergens",
        "ondertekenaar": "K. Raad",
        "functie_ondertekenaar": "bestuurder",
        "verwijderingsbesluit_verzonden_op": day,
        "wijze_van_verzending": "aangetekend",
    }
    world.letter = world.trede.letter(
        world.case_id, "besluit_verwijdering", actor="mevr.raad", role="bevoegd_gezag", inputs=sent
    )


@given("een gewone database zonder sandbox")
def not_a_sandbox(world: World) -> None:
    with world.db.begin() as conn:
        conn.execute(text("UPDATE trede_meta SET value = '0' WHERE key = 'sandbox'"))


# --- Als ------------------------------------------------------------------------


ACTOR = r'de "(?P<role>[^"]+)" "(?P<actor>[^"]+)" actie "(?P<trigger>[^"]+)" uitvoert'


@when(parsers.re(ACTOR + r' met "(?P<raw>[^"]*)" op gebeurtenis (?P<seq>\d+)$'), converters={"seq": int})
def fire_expecting(world: World, role: str, actor: str, trigger: str, raw: str, seq: int) -> None:
    assert world.case_id
    case_id = world.case_id
    world.attempt(
        lambda: world.trede.fire(case_id, trigger, actor=actor, role=role, inputs=_inputs(raw), expected_seq=seq)
    )


@when(parsers.re(ACTOR + r' met "(?P<raw>[^"]*)" per (?P<day>[\d-]+)$'))
def fire_on(world: World, role: str, actor: str, trigger: str, raw: str, day: str) -> None:
    assert world.case_id
    case_id = world.case_id
    world.attempt(
        lambda: world.trede.fire(
            case_id, trigger, actor=actor, role=role, inputs=_inputs(raw), effective=date.fromisoformat(day)
        )
    )


@when(parsers.re(ACTOR + r' met "(?P<raw>[^"]*)"$'))
def fire_with(world: World, role: str, actor: str, trigger: str, raw: str) -> None:
    assert world.case_id
    case_id = world.case_id
    world.attempt(lambda: world.trede.fire(case_id, trigger, actor=actor, role=role, inputs=_inputs(raw)))


@when(parsers.re(ACTOR + "$"))
def fire(world: World, role: str, actor: str, trigger: str) -> None:
    fire_with(world, role, actor, trigger, "")


@given(parsers.re(r'school "(?P<school>[^"]+)" is een (?P<kind>openbare|bijzondere) (?P<sector>po|vo|so)-school'))
def school_kind(world: World, school: str, kind: str, sector: str) -> None:
    denominatie = {"openbare": "openbaar", "bijzondere": "bijzonder"}[kind]
    world.trede.engine.schools.save(
        OPERATOR,
        SchoolRecord(
            school,
            f"{'Scholengemeenschap' if sector == 'vo' else 'Basisschool'} {school.replace('-', ' ').title()}",
            "stichting-test",
            "midden",
            denominatie,
            sector,
            "Schoolstraat 1, 1234 AB Dorp",
            "Stichting Proef",
            "Postbus 1, 1234 AA Dorp",
        )
    )


@when(parsers.parse('de "{role}" "{actor}" brief "{name}" maakt met "{raw}"'))
def make_letter_with(world: World, role: str, actor: str, name: str, raw: str) -> None:
    assert world.case_id
    case_id = world.case_id

    def make() -> None:
        world.letter = world.trede.letter(case_id, name, actor=actor, role=role, inputs=_inputs(raw))

    world.attempt(make)


@when(parsers.parse('de "{role}" "{actor}" brief "{name}" maakt'))
def make_letter(world: World, role: str, actor: str, name: str) -> None:
    assert world.case_id
    case_id = world.case_id

    def make() -> None:
        world.letter = world.trede.letter(case_id, name, actor=actor, role=role)

    world.attempt(make)


@when("iemand met toegang tot de database de brief wijzigt")
def tamper_letter(world: World) -> None:
    with world.db.begin() as conn:
        if world.db.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE letters DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER letters_no_update"))
        conn.execute(
            text("UPDATE letters SET html = replace(html, 'slaan', 'duwen') WHERE case_id = :c"), {"c": world.case_id}
        )


# --- notities en bijlagen -----------------------------------------------------------


@when(parsers.parse('de "{role}" "{actor}" de notitie "{note}" toevoegt per {day}'))
def add_note_on(world: World, role: str, actor: str, note: str, day: str) -> None:
    assert world.case_id
    case_id = world.case_id
    notes = world.trede.engine.notes
    world.attempt(lambda: notes.add_note(person(actor, role), case_id, note, effective=date.fromisoformat(day)))


@when(parsers.parse('de "{role}" "{actor}" de notitie "{note}" toevoegt'))
def add_note(world: World, role: str, actor: str, note: str) -> None:
    assert world.case_id
    case_id = world.case_id
    world.attempt(lambda: world.trede.engine.notes.add_note(person(actor, role), case_id, note))


@when(parsers.parse('de "{role}" "{actor}" het bestand "{name}" met inhoud "{content}" toevoegt'))
def add_file(world: World, role: str, actor: str, name: str, content: str) -> None:
    assert world.case_id
    case_id = world.case_id
    notes = world.trede.engine.notes
    world.attempt(lambda: notes.attach(person(actor, role), case_id, name=name, content=content.encode()))


@when(parsers.parse('de "{role}" "{actor}" een programma met de naam "{name}" toevoegt'))
def add_program(world: World, role: str, actor: str, name: str) -> None:
    assert world.case_id
    case_id = world.case_id
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"  # the start of a Windows executable
    notes = world.trede.engine.notes
    world.attempt(lambda: notes.attach(person(actor, role), case_id, name=name, content=program))


@when("iemand met toegang tot de database de bijlage vervangt")
def tamper_file(world: World) -> None:
    world.no_error()
    with world.db.begin() as conn:
        if world.db.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE attachments DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER attachments_no_update"))
        conn.execute(text("UPDATE attachments SET content = :x WHERE case_id = :c"), {"x": b"Iets anders.", "c": world.case_id})


@when(parsers.parse('de "{role}" "{actor}" de zaak anonimiseert'))
def anonymise(world: World, role: str, actor: str) -> None:
    world.no_error()
    assert world.case_id
    world.trede.anonymise(world.case_id, actor=actor, role=role, reason="bewaartermijn voorbij")


@then("is de bijlage gewist en staat haar SHA-256 nog in de audittrail")
def file_erased(world: World) -> None:
    assert world.case_id
    [added] = [e for e in world.trede.events(world.case_id) if e.type == "attachment_added"]
    with world.db.connect() as conn:
        content, digest = conn.execute(
            text("SELECT content, sha256 FROM attachments WHERE case_id = :c"), {"c": world.case_id}
        ).one()
    assert bytes(content) == b"" and added.data["sha256"] == digest and len(digest) == 64


# --- meldpunt ------------------------------------------------------------------------


@given(parsers.parse('een melding via het meldpunt van "{school}" met "{raw}"'))
def a_public_report(world: World, school: str, raw: str) -> None:
    from engine.usecases.meldpunt import PublicReport

    receipt = world.trede.engine.meldpunt.report(PublicReport(school, _inputs(raw)))
    world.case_id, world.receipt = receipt.case_id, receipt.code


@then(parsers.parse('toont de code van de melder de stand "{status}" en niets meer van "{text_}"'))
def reporter_sees_only_status(world: World, status: str, text_: str) -> None:
    assert world.receipt
    view = world.trede.engine.meldpunt.follow(world.receipt)
    assert view.status == status and not view.can_write
    assert text_ not in str(view)


@when("de bewaartermijnen worden toegepast")
def retention(world: World) -> None:
    world.trede.apply_retention()


@given(parsers.parse('de school "{school}" legt vast dat leerling "{subject}" vertrekt op {day}'))
@when(parsers.parse('de school "{school}" legt vast dat leerling "{subject}" vertrekt op {day}'))
def pupil_leaves(world: World, school: str, subject: str, day: str) -> None:
    world.trede.record_departure(school, subject, date.fromisoformat(day), actor="mevr.jansen")


@when(parsers.parse("de tijd verstrijkt tot {day}"))
def time_passes(world: World, day: str) -> None:
    world.no_error()  # an earlier step that failed must not be hidden by the next one
    until = datetime.combine(date.fromisoformat(day), time.min, tzinfo=AMSTERDAM)
    world.attempt(lambda: world.trede.run_timers(until=until))


@when(parsers.parse("iemand met toegang tot de database gebeurtenis {seq:d} {how}"))
def tamper(world: World, seq: int, how: str) -> None:
    statements = {
        "wijzigt": ["UPDATE events SET actor = 'iemand anders' WHERE case_id = :c AND seq = :s"],
        "verwijdert": ["DELETE FROM events WHERE case_id = :c AND seq = :s"],
        "verplaatst": [
            "UPDATE events SET seq = 99 WHERE case_id = :c AND seq = :s",
            "UPDATE events SET seq = :s WHERE case_id = :c AND seq = :s + 1",
            "UPDATE events SET seq = :s + 1 WHERE case_id = :c AND seq = 99",
        ],
    }[how]
    with world.db.begin() as conn:
        if world.db.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER events_no_update"))
            conn.execute(text("DROP TRIGGER events_no_delete"))
        for statement in statements:
            conn.execute(text(statement), {"c": world.case_id, "s": seq})


# --- Dan --------------------------------------------------------------------


@then(parsers.parse('staat de zaak in stap "{step}"'))
def in_step(world: World, step: str) -> None:
    world.no_error()
    assert world.case().step == step


@then(parsers.parse('staat de zaak nog in stap "{step}" met {count:d} gebeurtenis'))
@then(parsers.parse('staat de zaak nog in stap "{step}" met {count:d} gebeurtenissen'))
def still_in_step(world: World, step: str, count: int) -> None:
    assert world.case_id
    case = world.case()
    assert (case.step, case.seq) == (step, count)
    assert len(world.trede.events(world.case_id)) == count
    assert world.trede.verify(world.case_id).ok


@then(parsers.parse('ziet de "{role}" als betrokkene "{subject}"'))
def sees_subject(world: World, role: str, subject: str) -> None:
    world.no_error()
    assert world.case_id
    assert world.trede.show(world.case_id, role).subject() == subject


@then(parsers.parse('staat in de brief "{text_}"'))
def letter_says(world: World, text_: str) -> None:
    world.no_error()
    assert world.letter is not None
    assert text_ in " ".join(world.letter.html.split()), world.letter.html


@then("is de brief ook een PDF")
def letter_is_pdf(world: World) -> None:
    assert world.letter is not None and world.letter.pdf.startswith(b"%PDF")


@then("is de zaak geanonimiseerd")
def anonymised(world: World) -> None:
    assert world.case().subject == ERASED


@then("is de zaak niet geanonimiseerd")
def not_anonymised(world: World) -> None:
    world.no_error()
    assert world.case().subject != ERASED


@then(parsers.parse('staat "{name}" nergens meer in de zaak of haar gebeurtenissen'))
def nowhere(world: World, name: str) -> None:
    assert world.case_id
    assert name not in str(world.case().to_dict())
    assert all(name not in str(e.to_dict()) for e in world.trede.events(world.case_id))
    with world.db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.ref, p.value, p.salt, e.type FROM personal_data p JOIN events e "
                "ON e.case_id = p.case_id AND e.seq = p.seq WHERE p.case_id = :c"
            ),
            {"c": world.case_id},
        ).all()
    erased = [r for r in rows if r.type != "case_anonymised"]
    assert erased and all(r.value is None and r.salt == "" for r in erased)
    # only who anonymised stays named (the privacy officer, or the retention round)
    assert [r.ref for r in rows if r.type == "case_anonymised"] == ["actor"]


@then("is de brief gewist")
def letter_erased(world: World) -> None:
    assert world.case_id
    with world.trede.uow() as uow:
        letter = uow.letters.get(world.case_id, "schorsing")
    assert letter.html == "" and letter.pdf == b""


@then("is de zaak afgesloten")
def closed(world: World) -> None:
    assert world.case().closed


@then(parsers.parse('heeft de termijn "{timer_id}" einddatum "{due}" en status "{status}"'))
def deadline_is(world: World, timer_id: str, due: str, status: str) -> None:
    world.no_error()
    d = world.deadline(timer_id)
    assert (d.due_date, d.status) == (due, status)


@then(parsers.parse('heeft de termijn "{timer_id}" status "{status}"'))
def deadline_status(world: World, timer_id: str, status: str) -> None:
    world.no_error()
    assert world.deadline(timer_id).status == status


@then(parsers.parse('heeft de termijn "{timer_id}" kalendereinde "{calendar_end}" en einddatum "{due}"'))
def deadline_extended(world: World, timer_id: str, calendar_end: str, due: str) -> None:
    world.no_error()
    d = world.deadline(timer_id)
    assert d.due_date == due and d.rule == "atw"
    assert d.extensions, "geen verlenging vastgelegd"
    assert calendar_end in d.extensions[0]


@then(parsers.parse('noemt de termijn "{timer_id}" de verlenging "{basis}"'))
def deadline_names(world: World, timer_id: str, basis: str) -> None:
    assert any(basis in e for e in world.deadline(timer_id).extensions)


@then(parsers.parse('mag de "{role}" nu "{triggers}"'))
def may_now(world: World, role: str, triggers: str) -> None:
    world.no_error()
    assert world.case_id
    actions = [a.trigger for a in world.trede.show(world.case_id, role).actions]
    assert actions == [t.strip() for t in triggers.split(",")]


@then(parsers.parse('is de laatste gebeurtenis "{kind}" door "{actor}"'))
def last_event(world: World, kind: str, actor: str) -> None:
    assert world.case_id
    event = world.trede.events(world.case_id)[-1]
    assert (event.type, event.actor) == (kind, actor)


@then(parsers.parse('wordt de actie geweigerd met "{code}"'))
def refused(world: World, code: str) -> None:
    assert world.error is not None, "de actie werd niet geweigerd"
    assert world.error.code == code, world.error.message
    world.checked = world.error  # seen; later steps may go on


@then(parsers.parse('noemt de fout "{detail}"'))
def error_names(world: World, detail: str) -> None:
    assert world.error is not None
    assert detail in str(world.error.fields) or detail in world.error.message, world.error.to_dict()


@then("klopt de controle van de hashketen")
def chain_ok(world: World) -> None:
    assert world.case_id
    assert world.trede.verify(world.case_id).ok


@then("geeft afspelen van alle gebeurtenissen precies de opgeslagen zaak")
def replay_equals(world: World) -> None:
    world.no_error()
    assert world.case_id
    steps = world.trede.replay(world.case_id)
    assert len(steps) == world.case().seq >= 4
    assert steps[-1].after == world.case().to_dict()


@then("toont elke afgespeelde stap de toestand ervoor en erna")
def replay_before_after(world: World) -> None:
    assert world.case_id
    steps = world.trede.replay(world.case_id)
    for previous, current in itertools.pairwise(steps):
        assert current.before == previous.after
        assert current.after["seq"] == current.event.seq


@then(parsers.parse("meldt de controle gebeurtenis {seq:d} als eerste fout"))
def verify_names(world: World, seq: int) -> None:
    assert world.case_id
    result = world.trede.verify(world.case_id)
    assert not result.ok and result.first_bad_seq == seq, result


# --- vertrouwelijkheid ---------------------------------------------------------------


@given(parsers.parse('melder "{username}" meldt op school "{school}" als "{pseudonym}"'))
def a_melder_reports(world: World, username: str, school: str, pseudonym: str) -> None:
    protocol = "klokkenluidersregeling-2016"
    melder = person(username, "melder", school=school)
    world.reports[pseudonym] = world.trede.engine.cases.open(
        melder, protocol, school=school, subject=pseudonym, role="melder", inputs=_opening(world, protocol)
    ).id
    world.case_id = world.case_id or world.reports[pseudonym]


def _melder(world: World, username: str) -> Principal:
    school = world.trede.engine.reads.case(world.trede.everyone(), next(iter(world.reports.values()))).case.school
    return person(username, "melder", school=school)


@then(parsers.parse('ziet melder "{username}" alleen de melding van "{pseudonym}"'))
def melder_sees_own(world: World, username: str, pseudonym: str) -> None:
    views = world.trede.engine.reads.cases(_melder(world, username))
    assert [v.subject() for v in views] == [pseudonym]


@then(parsers.parse('kan melder "{username}" de melding van "{pseudonym}" niet openen'))
def melder_cannot_open(world: World, username: str, pseudonym: str) -> None:
    with pytest.raises(CaseNotFound):
        world.trede.engine.reads.case(_melder(world, username), world.reports[pseudonym])


@when(parsers.parse('melder "{username}" instemt met bekendmaking in de melding van "{pseudonym}"'))
def melder_consents(world: World, username: str, pseudonym: str) -> None:
    case_id = world.reports[pseudonym]
    world.attempt(
        lambda: world.trede.engine.cases.fire(
            _melder(world, username), case_id, "identiteit_vrijgeven", inputs={"identiteit_delen": "ja"}
        )
    )


@then(parsers.parse('noemt de rapportage van de "{role}" van "{school}" alleen "{title}"'))
def school_report_names_only(world: World, role: str, school: str, title: str) -> None:
    tables = world.trede.engine.reports.tables(person(f"test.{role}", role, school=school))
    assert {row[0] for row in tables[0].rows} == {title}
    assert all(title_ in (title, "Meldcode huiselijk geweld en kindermishandeling") for title_ in _titles(tables))


@then(parsers.parse('noemt de rapportage van het bestuur ook "{title}"'))
def board_report_names(world: World, title: str) -> None:
    tables = world.trede.engine.reports.tables(person("test.bestuur", "bevoegd_gezag"))
    assert title in {row[0] for row in tables[0].rows}


def _titles(tables: list[Table]) -> set[str]:
    return {str(row[0]) for t in tables if t.columns[:1] == ["protocol"] for row in t.rows}


# --- juridisch: brieven als PDF, termijnen die er niet zijn ------------------------------


def _pdf_text(world: World) -> str:
    assert world.letter is not None, "geen brief"
    reader = PdfReader(io.BytesIO(world.letter.pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@then(parsers.re(r'staat in de PDF van de brief "(?P<first>[^"]+)" of "(?P<second>[^"]+)"$'))
def pdf_says_either(world: World, first: str, second: str) -> None:
    world.no_error()
    text_ = _pdf_text(world)
    assert first in text_ or second in text_, text_


@then(parsers.re(r'staat in de PDF van de brief "(?P<expected>[^"]+)"$'))
def pdf_says(world: World, expected: str) -> None:
    world.no_error()
    text_ = _pdf_text(world)
    assert expected in text_, text_


@then(parsers.parse('staat niet in de brief "{absent}"'))
def letter_does_not_say(world: World, absent: str) -> None:
    assert world.letter is not None
    assert absent not in world.letter.html and absent not in _pdf_text(world)


@then(parsers.parse('is er geen termijn "{timer_id}"'))
def no_deadline(world: World, timer_id: str) -> None:
    world.no_error()
    assert not [d for d in world.case().deadlines.values() if d.id == timer_id]


@then(parsers.parse('heeft de termijn "{timer_id}" streefdatum "{target}" en uiterste datum "{due}"'))
def deadline_target(world: World, timer_id: str, target: str, due: str) -> None:
    world.no_error()
    deadline = world.deadline(timer_id)
    assert (deadline.target_date, deadline.due_date) == (target, due)


@then(parsers.parse("geldt de laatste gebeurtenis vanaf {day}"))
def last_event_effective(world: World, day: str) -> None:
    world.no_error()
    assert world.case_id
    event = world.trede.events(world.case_id)[-1]
    assert event.effective_at.astimezone(AMSTERDAM).date().isoformat() == day


@then(parsers.parse('is een gekoppelde zaak geopend volgens "{protocol_id}" voor leerling "{subject}"'))
def linked_case_opened(world: World, protocol_id: str, subject: str) -> None:
    world.no_error()
    assert world.case_id
    source = world.trede.events(world.case_id)[-1]
    opened = source.data["opened_case"]
    assert opened["protocol"] == protocol_id
    linked = world.trede.show(opened["id"]).case
    assert (linked.protocol_id, linked.subject, linked.school) == (protocol_id, subject, world.case().school)
    origin = world.trede.events(opened["id"])[0].data["linked_from"]
    assert (origin["case_id"], origin["seq"]) == (world.case_id, source.seq)
    world.linked_id = opened["id"]


@then("staat de koppeling op beide zaakpagina's en zijn beide audittrails in orde")
def link_on_both_pages(world: World) -> None:
    assert world.case_id and world.linked_id
    everyone = world.trede.everyone()
    here = world.trede.engine.reads.detail(everyone, world.case_id)
    there = world.trede.engine.reads.detail(everyone, world.linked_id)
    assert [(link.direction, link.case_id, link.visible) for link in here.links] == [("geopend", world.linked_id, True)]
    assert [(link.direction, link.case_id, link.visible) for link in there.links] == [
        ("geopend_vanuit", world.case_id, True)
    ]
    assert world.trede.verify(world.case_id).ok and world.trede.verify(world.linked_id).ok


@then(parsers.parse('liep de terugkerende termijn "{timer_id}" op {days}'))
def recurred_on(world: World, timer_id: str, days: str) -> None:
    """Each occurrence is its own event; the dates are the days it fell due."""
    world.no_error()
    assert world.case_id
    deadline = world.deadline(timer_id)
    fell_due = [
        datetime.fromisoformat(e.data["due_at"]).astimezone(AMSTERDAM).date() - timedelta(days=1)
        for e in world.trede.events(world.case_id)
        if e.data.get("deadline") == deadline.key
    ]
    assert [d.isoformat() for d in fell_due] == [d.strip() for d in days.replace(" en ", ", ").split(",")]


@then(parsers.parse('is de handeling vastgelegd met de waarschuwing "{warning}"'))
def recorded_with_warning(world: World, warning: str) -> None:
    world.no_error()
    assert world.case_id
    assert world.trede.events(world.case_id)[-1].data.get("warnings") == [warning]


@then(parsers.parse('waarschuwt de actie "{trigger}" voor de "{role}" niet'))
def action_does_not_warn(world: World, trigger: str, role: str) -> None:
    world.no_error()
    assert world.case_id
    [action] = [a for a in world.trede.show(world.case_id, role).actions if a.trigger == trigger]
    assert action.warnings == ()


@then(parsers.parse('waarschuwt de actie "{trigger}" voor de "{role}" met "{warning}"'))
def action_warns(world: World, trigger: str, role: str, warning: str) -> None:
    assert world.case_id
    [action] = [a for a in world.trede.show(world.case_id, role).actions if a.trigger == trigger]
    assert action.warnings == (warning,)


@then("escaleert de laatste gebeurtenis naar niemand")
def escalates_to_nobody(world: World) -> None:
    world.no_error()
    assert world.case_id
    event = world.trede.events(world.case_id)[-1]
    assert event.type == "deadline_overdue" and event.data["escalate"] == []


# --- kanaal en betrokkene: need to know in a whistleblower report ------------------------


def _holder(username: str, roles: str, school: str) -> Principal:
    """A user with these roles at this school ('bestuur': board-wide)."""
    return person(username, *[r.strip() for r in roles.split(",")], school=None if school == "bestuur" else school)


@given(parsers.parse('melder "{username}" meldt op school "{school}" als "{pseudonym}" via "{channel}" over "{concerns}"'))
@when(parsers.parse('melder "{username}" meldt op school "{school}" als "{pseudonym}" via "{channel}" over "{concerns}"'))
def a_melder_reports_through(world: World, username: str, school: str, pseudonym: str, channel: str, concerns: str) -> None:
    protocol = "klokkenluidersregeling-2016"
    opening = _opening(world, protocol, channel, concerns)
    melder = person(username, "melder", school=school)
    case = world.trede.engine.cases.open(melder, protocol, school=school, subject=pseudonym, role="melder", inputs=opening)
    world.reports[pseudonym] = world.case_id = case.id


@given(parsers.parse('een zaak volgens "{protocol_id}" voor leerling "{subject}" op school "{school}" via "{channel}"'))
def a_case_through(world: World, protocol_id: str, subject: str, school: str, channel: str) -> None:
    """A report opened (by the melder) through the given channel, about nobody's role."""
    opening = _opening(world, protocol_id, channel)
    world.case_id = world.trede.open_case(
        protocol_id, school=school, subject=subject, actor="juf.anna", role="melder", inputs=opening
    ).id


@when(parsers.parse('melder "{username}" op school "{school}" meldt als "{pseudonym}" zonder kanaal'))
def a_melder_reports_without_channel(world: World, username: str, school: str, pseudonym: str) -> None:
    melder = person(username, "melder", school=school)
    world.attempt(
        lambda: world.trede.engine.cases.open(
            melder, "klokkenluidersregeling-2016", school=school, subject=pseudonym, role="melder", inputs={"betreft": "niemand"}
        )
    )


@when(parsers.parse('"{username}" met de rollen "{roles}" op "{school}" een melding opent via "{channel}" over "{concerns}"'))
def a_handler_opens(world: World, username: str, roles: str, school: str, channel: str, concerns: str) -> None:
    protocol = "klokkenluidersregeling-2016"
    who = _holder(username, roles, school)
    world.attempt(
        lambda: world.trede.engine.cases.open(
            who, protocol, school=school, subject="Melder-Derde", role="leidinggevende", inputs=_opening(world, protocol, channel, concerns)
        )
    )


@then(parsers.parse('kan "{username}" met de rollen "{roles}" op "{school}" de melding van "{pseudonym}" openen'))
def holder_opens(world: World, username: str, roles: str, school: str, pseudonym: str) -> None:
    view = world.trede.engine.reads.case(_holder(username, roles, school), world.reports[pseudonym])
    assert view.case.id == world.reports[pseudonym]


@then(parsers.parse('kan "{username}" met de rollen "{roles}" op "{school}" de melding van "{pseudonym}" niet openen'))
def holder_cannot_open(world: World, username: str, roles: str, school: str, pseudonym: str) -> None:
    with pytest.raises(CaseNotFound):
        world.trede.engine.reads.case(_holder(username, roles, school), world.reports[pseudonym])


@then(parsers.parse('staat de melding van "{pseudonym}" in de lijst van "{username}" met de rollen "{roles}" op "{school}"'))
def listed_for(world: World, pseudonym: str, username: str, roles: str, school: str) -> None:
    views = world.trede.engine.reads.cases(_holder(username, roles, school))
    assert world.reports[pseudonym] in {v.case.id for v in views}


@then(parsers.parse('staat de melding van "{pseudonym}" niet in de lijst van "{username}" met de rollen "{roles}" op "{school}"'))
def not_listed_for(world: World, pseudonym: str, username: str, roles: str, school: str) -> None:
    who = _holder(username, roles, school)
    assert world.reports[pseudonym] not in {v.case.id for v in world.trede.engine.reads.cases(who)}
    assert all(item.case_id != world.reports[pseudonym] for item in world.trede.engine.reads.calendar_feed(who))


@when(
    parsers.parse(
        '"{username}" met de rollen "{roles}" op "{school}" in de melding van "{pseudonym}" actie "{trigger}" uitvoert met "{raw}"'
    )
)
def holder_fires(world: World, username: str, roles: str, school: str, pseudonym: str, trigger: str, raw: str) -> None:
    who, case_id = _holder(username, roles, school), world.reports[pseudonym]
    world.attempt(lambda: world.trede.engine.cases.fire(who, case_id, trigger, inputs=_inputs(raw)))


@then(parsers.parse('staat de melding van "{pseudonym}" in stap "{step}"'))
def report_in_step(world: World, pseudonym: str, step: str) -> None:
    world.no_error()
    with world.trede.uow() as uow:
        assert uow.cases.get(world.reports[pseudonym]).step == step

# --- terms follow the act (issue 23) ---


@then(parsers.parse('verplaatst de laatste gebeurtenis "{deadline_id}" van "{old}" naar "{new}"'))
def last_event_moves(world: World, deadline_id: str, old: str, new: str) -> None:
    world.no_error()
    assert world.case_id
    event = world.trede.events(world.case_id)[-1]
    moves = {
        c["key"].split("@")[0]: (c["moved"]["due_date"], c["due_date"])
        for c in event.data.get("deadlines", [])
        if "moved" in c
    }
    assert moves.get(deadline_id) == (old, new), moves


@then(parsers.parse('toont het verloop "{line}"'))
def history_shows(world: World, line: str) -> None:
    from engine.views import deadline_moves

    assert world.case_id
    protocol = world.trede.protocol(world.case().protocol_hash)
    shown = [m for e in world.trede.events(world.case_id) for m in deadline_moves(protocol, e)]
    assert line in shown, shown


@then(parsers.parse('is de laatste gebeurtenis pas na de termijn "{deadline_id}" vastgelegd'))
def recorded_after_term(world: World, deadline_id: str) -> None:
    world.no_error()
    assert world.case_id
    event = world.trede.events(world.case_id)[-1]
    late = [c for c in event.data.get("deadlines", []) if c.get("recorded_after_due")]
    assert [c["key"].split("@")[0] for c in late] == [deadline_id], event.data
    assert event.effective_at < world.deadline(deadline_id).due_at <= event.recorded_at  # type: ignore[operator]


# --- remedies and re-issued letters together (issue 23) ---


@then(parsers.parse('loopt er precies {count:d} termijn "{timer_id}"'))
def running_terms(world: World, count: int, timer_id: str) -> None:
    active = [d for d in world.case().active_deadlines() if d.id == timer_id]
    assert len(active) == count, [(d.key, d.due_date, d.status) for d in active]


# --- whistleblower letters (issue 23) ---------------------------------------------------


@given(parsers.parse('melder "{username}" meldt volgens "{protocol_id}" op school "{school}" als "{pseudonym}" over "{concerns}"'))
def a_melder_reports_under(world: World, username: str, protocol_id: str, school: str, pseudonym: str, concerns: str) -> None:
    """A report under any protocol with need_to_know (the Wbk's names no channel)."""
    melder = person(username, "melder", school=school)
    opening = _opening(world, protocol_id, concerns=concerns)
    case = world.trede.engine.cases.open(melder, protocol_id, school=school, subject=pseudonym, role="melder", inputs=opening)
    world.reports[pseudonym] = world.case_id = case.id


@when(parsers.parse('melder "{username}" volgens "{protocol_id}" op school "{school}" meldt als "{pseudonym}" zonder betrokkene'))
def a_melder_reports_without_concerns(world: World, username: str, protocol_id: str, school: str, pseudonym: str) -> None:
    melder = person(username, "melder", school=school)
    world.attempt(
        lambda: world.trede.engine.cases.open(melder, protocol_id, school=school, subject=pseudonym, role="melder")
    )


@when(parsers.parse('"{username}" met de rollen "{roles}" op "{school}" in de melding van "{pseudonym}" brief "{name}" maakt'))
def holder_makes_letter(world: World, username: str, roles: str, school: str, pseudonym: str, name: str) -> None:
    who, case_id = _holder(username, roles, school), world.reports[pseudonym]

    def make() -> None:
        world.letter = world.trede.engine.cases.letter(who, case_id, name)

    world.attempt(make)


@then(parsers.parse('zegt de zaak bij haar protocol "{text_}"'))
def case_protocol_says(world: World, text_: str) -> None:
    """The notice every case of the protocol carries: its description, as the case page shows it."""
    assert world.case_id
    view = world.trede.engine.reads.case(person("mevr.vp", "vertrouwenspersoon"), world.case_id)
    assert text_ in " ".join((view.protocol.spec.description or "").split())


# === meldpunt: the hand-over lands with the right people (issue 26, meldpunt_overdracht.feature) ===


@given(parsers.re(r'de leerlingenadministratie van "(?P<school>[^"]+)" heeft (?P<raw>.+)$'))
def pupil_register(world: World, school: str, raw: str) -> None:
    """'"Fleur Hoekstra" in groep "5a" en "Daan Mulder" in groep "6a"': one import, as a directeur does it."""
    import re

    from engine.pupils import Roster, RosterPupil

    found = re.findall(r'"([^" ]+) ([^"]+)" in groep "([^"]+)"', raw)
    assert found, raw
    pupils = tuple(RosterPupil(str(3000 + n), first, last, group, n + 2) for n, (first, last, group) in enumerate(found))
    world.trede.engine.pupils.import_roster(OPERATOR, school, Roster("2026-2027", tuple(sorted({g for *_, g in found})), pupils))


def _handed_over(world: World) -> str:
    """The id of the case the report's hand-over opened."""
    world.no_error()
    assert world.case_id
    opened = [e.data["opened_case"]["id"] for e in world.trede.events(world.case_id) if "opened_case" in e.data]
    assert len(opened) == 1, opened
    return str(opened[0])


@then(parsers.parse('staat de gekoppelde zaak in groep "{group}", geopend als "{role}"'))
def linked_in_group(world: World, group: str, role: str) -> None:
    linked_id = _handed_over(world)
    assert world.trede.show(linked_id).case.group == group
    assert world.trede.events(linked_id)[0].role == role


def _teacher_of(school: str, group: str) -> Principal:
    """A leerkracht whose role covers only this group (as the register's import links them)."""
    from engine.access import Membership

    return Principal("leerkracht.groep", "Leerkracht", (Membership("leerkracht", school, frozenset({group})),))


@then(parsers.parse('kan de leerkracht van groep "{group}" van "{school}" de gekoppelde zaak openen'))
def teacher_opens_linked(world: World, group: str, school: str) -> None:
    teacher = _teacher_of(school, group)
    linked_id = _handed_over(world)
    assert world.trede.engine.reads.case(teacher, linked_id).case.id == linked_id


@then(parsers.parse('kan de leerkracht van groep "{group}" van "{school}" de gekoppelde zaak niet openen'))
def teacher_cannot_open_linked(world: World, group: str, school: str) -> None:
    teacher = _teacher_of(school, group)
    with pytest.raises(CaseNotFound):
        world.trede.engine.reads.case(teacher, _handed_over(world))


@then(parsers.parse('mag de "{role}" in de gekoppelde zaak "{trigger}"'))
def may_in_linked(world: World, role: str, trigger: str) -> None:
    assert trigger in [a.trigger for a in world.trede.show(_handed_over(world), role).actions]


@when(parsers.parse('de melder met de code schrijft "{message}"'))
def reporter_writes(world: World, message: str) -> None:
    code = world.receipt
    assert code
    world.attempt(lambda: world.trede.engine.meldpunt.write(code, "", message))


@then(parsers.re(r'ziet de melder met de code de stand "(?P<status>[^"]+)" en kan hij (?P<can>nog|niet meer) schrijven$'))
def reporter_sees_and_writes(world: World, status: str, can: str) -> None:
    world.no_error()
    assert world.receipt
    view = world.trede.engine.meldpunt.follow(world.receipt)
    assert (view.status, view.can_write, view.closed) == (status, can == "nog", can != "nog")
    assert bool(view.cannot_write) == (can != "nog")


# === end of the meldpunt hand-over block ===


# --- issue 26 item 2: letters sendable as printed (brieven_verzendklaar.feature) ----------------


@pytest.fixture
def previewed() -> dict[str, object]:
    """The last letter preview of a scenario, and who made it."""
    return {}


def _logo_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (600, 200), (20, 80, 160)).save(out, "PNG")
    return out.getvalue()


@given(parsers.parse('school "{school}" heeft een logo'))
def school_has_logo(world: World, school: str) -> None:
    world.trede.engine.schools.save_logo(OPERATOR, school, _logo_png())


@when(parsers.parse('de "{role}" "{actor}" een voorbeeld van brief "{name}" bekijkt met "{raw}"'))
def preview_letter(world: World, previewed: dict[str, object], role: str, actor: str, name: str, raw: str) -> None:
    assert world.case_id
    case_id = world.case_id

    def show() -> None:
        previewed.update(
            preview=world.trede.engine.cases.preview_letter(person(actor, role), case_id, name, role=role, inputs=_inputs(raw)),
            role=role,
            actor=actor,
        )

    world.attempt(show)


@then(parsers.parse('staat in het voorbeeld "{text_}"'))
def preview_says(world: World, previewed: dict[str, object], text_: str) -> None:
    world.no_error()
    assert text_ in " ".join(previewed["preview"].html.split())


@when(parsers.parse('de "{role}" "{actor}" het voorbeeld opslaat'))
def store_preview(world: World, previewed: dict[str, object], role: str, actor: str) -> None:
    assert world.case_id
    case_id, shown = world.case_id, previewed["preview"]

    def store() -> None:
        world.letter = world.trede.engine.cases.letter(
            person(actor, role), case_id, shown.name, role=role, inputs=shown.values, expected_sha256=shown.confirmation
        )

    world.attempt(store)


@then("is de opgeslagen brief het voorbeeld")
def stored_is_preview(world: World, previewed: dict[str, object]) -> None:
    world.no_error()
    assert world.letter is not None and world.letter.html == previewed["preview"].html


@then("draagt de PDF van de brief het logo van de school")
def pdf_has_logo(world: World) -> None:
    world.no_error()
    assert world.letter is not None
    images = [image for page in PdfReader(io.BytesIO(world.letter.pdf)).pages for image in page.images]
    assert len(images) == 1 and images[0].image is not None and images[0].image.size == (600, 200)


@then("draagt de PDF van de brief geen afbeelding")
def pdf_has_no_image(world: World) -> None:
    world.no_error()
    assert world.letter is not None
    assert not any(page.images for page in PdfReader(io.BytesIO(world.letter.pdf)).pages)


# --- end of issue 26 item 2 -------------------------------------------------------------------


# === issue 26, items 3 and 4: refusals in the user's terms; the moment of a conversation ===
# (tests/features/weigeringen.feature, tests/features/gesprek_van_gisteren.feature)

from engine.events import Event  # noqa: E402
from engine.views import event_label, moments, timeline  # noqa: E402


def _named_teacher_of(username: str, group: str, school: str) -> Principal:
    return Principal(username, username, (Membership("leerkracht", school, frozenset({group})),))


@when(
    parsers.parse(
        'leerkracht "{username}" van groep "{group}" op school "{school}" een zaak opent volgens "{protocol_id}" '
        'voor leerling "{subject}" uit groep "{pupil_group}"'
    )
)
def teacher_opens_for_another_group(
    world: World, username: str, group: str, school: str, protocol_id: str, subject: str, pupil_group: str
) -> None:
    teacher = _named_teacher_of(username, group, school)
    world.attempt(lambda: world.trede.engine.cases.open(teacher, protocol_id, school=school, subject=subject, group=pupil_group))


@when(
    parsers.parse(
        'leerkracht "{username}" van groep "{group}" op school "{school}" een zaak opent volgens "{protocol_id}" '
        'voor leerling "{subject}" op school "{other}"'
    )
)
def teacher_opens_at_another_school(
    world: World, username: str, group: str, school: str, protocol_id: str, subject: str, other: str
) -> None:
    teacher = _named_teacher_of(username, group, school)
    world.attempt(lambda: world.trede.engine.cases.open(teacher, protocol_id, school=other, subject=subject, group=group))


@then(parsers.parse('noemt de fout niet "{absent}"'))
def error_does_not_name(world: World, absent: str) -> None:
    assert world.error is not None
    assert absent not in world.error.message, world.error.message


@when(parsers.parse('de "{role}" "{actor}" de notitie "{note}" toevoegt over een gesprek op {day} om {clock}'))
def add_note_about_a_conversation(world: World, role: str, actor: str, note: str, day: str, clock: str) -> None:
    assert world.case_id
    case_id = world.case_id
    happened = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=AMSTERDAM)
    world.attempt(lambda: world.trede.engine.notes.add_note(person(actor, role), case_id, note, effective=happened))


def _timeline_note(world: World, note: str) -> tuple[list[Event], Event]:
    assert world.case_id
    ordered = timeline(world.trede.events(world.case_id))
    return ordered, next(e for e in ordered if e.type == EventType.NOTE and e.data.get("note") == note)


@then(parsers.parse('staat in de tijdlijn de notitie "{note}" vóór "{label}"'))
def note_before_in_timeline(world: World, note: str, label: str) -> None:
    ordered, found = _timeline_note(world, note)
    protocol = world.trede.protocol(world.case().protocol_hash)
    labels = [event_label(protocol, e) for e in ordered]
    assert ordered.index(found) < labels.index(label), labels
    assert found.seq > next(e.seq for e in ordered if event_label(protocol, e) == label)  # recorded after it


@then(parsers.parse('zegt de tijdlijn bij die notitie "{text_}"'))
def timeline_says(world: World, text_: str) -> None:
    _, found = _timeline_note(world, world.trede.events(world.case_id or "")[-1].data.get("note", ""))
    assert moments(found) == text_, moments(found)


# === end of issue 26 ===


# --- issue 26: at a school with its own variant only that variant is offered ----------------


@given(parsers.parse('het schoolprotocol "{protocol_id}" is als "{new_id}" opnieuw geladen voor school "{school}"'))
def school_protocol_again_as(world: World, protocol_id: str, new_id: str, school: str) -> None:
    text = (EXAMPLES / f"{protocol_id}.yaml").read_text(encoding="utf-8").replace(f"id: {protocol_id}\n", f"id: {new_id}\n", 1)
    protocol = load_protocol_text(text, f"{new_id}.yaml", ProtocolFiles([BUNDLED]))
    world.trede.engine.protocols.load(OPERATOR, protocol, scope=school)


@then(parsers.parse('krijgt "{username}" als "{role}" op school "{school}" alleen "{offered}" aangeboden van "{base}"'))
def only_offered(world: World, username: str, role: str, school: str, offered: str, base: str) -> None:
    openable = world.trede.engine.protocols.openable(person(username, role, school=school))
    family = sorted(
        o.stored.id for o in openable if o.stored.id == base or (o.protocol.spec.extends and o.protocol.spec.extends.id == base)
    )
    assert family == [offered], family


# --- end of issue 26 ----------------------------------------------------------------------


# --- issue 27: publication with four eyes -------------------------------------------------
# The proposal's id is kept in world.reports under "voorstel" (a name, like a pseudonym).


@given(parsers.parse('de "{role}" "{username}" stelt het proefprotocol voor met de titel "{title}"'))
def propose_proef(world: World, role: str, username: str, title: str) -> None:
    text = PROEF.read_text(encoding="utf-8").replace("title: Proefprotocol escalatie\n", f"title: {title}\n", 1)
    world.reports["voorstel"] = world.trede.engine.proposals.propose(person(username, role), text, "proef.yaml").id


@given(parsers.parse('"{username}" is "{role}" voor alle scholen van het bestuur met het e-mailadres "{email}"'))
def board_account_with_email(world: World, username: str, role: str, email: str) -> None:
    world.trede.engine.users.add(username, username, "stichting-demo", "geheim-wachtwoord-27", [Membership(role)], email=email)


@given(parsers.parse('"{username}" is "{role}" voor alle scholen van het bestuur'))
def board_account(world: World, username: str, role: str) -> None:
    world.trede.engine.users.add(username, username, "stichting-demo", "geheim-wachtwoord-27", [Membership(role)])


@given(parsers.parse('"{username}" heeft het e-mailadres "{email}"'))
def has_email(world: World, username: str, email: str) -> None:
    world.trede.engine.users.set_email(username, email)


@when(parsers.parse('het bestuur een nieuwe versie van het proefprotocol laadt met de titel "{title}"'))
def board_loads_proef(world: World, title: str) -> None:
    text = PROEF.read_text(encoding="utf-8").replace("title: Proefprotocol escalatie\n", f"title: {title}\n", 1)
    world.trede.engine.protocols.load(OPERATOR, load_protocol_text(text, "proef.yaml"))


@when(parsers.parse('de "{role}" "{username}" het voorstel intrekt met de reden "{reason}"'))
def withdraw_proposal(world: World, role: str, username: str, reason: str) -> None:
    proposals = world.trede.engine.proposals
    world.attempt(lambda: proposals.withdraw(person(username, role), world.reports["voorstel"], reason=reason))


@when(parsers.parse('de "{role}" "{username}" het voorstel goedkeurt per {day}'))
def approve_from(world: World, role: str, username: str, day: str) -> None:
    proposals = world.trede.engine.proposals
    world.attempt(lambda: proposals.approve(person(username, role), world.reports["voorstel"], effective_on=date.fromisoformat(day)))


@when(parsers.parse('de "{role}" "{username}" het voorstel goedkeurt'))
def approve_today(world: World, role: str, username: str) -> None:
    proposals = world.trede.engine.proposals
    world.attempt(lambda: proposals.approve(person(username, role), world.reports["voorstel"]))


@when(parsers.parse('de "{role}" "{username}" het voorstel afwijst met de reden "{reason}"'))
def reject_proposal(world: World, role: str, username: str, reason: str) -> None:
    proposals = world.trede.engine.proposals
    world.attempt(lambda: proposals.reject(person(username, role), world.reports["voorstel"], reason=reason))


@when("de goedgekeurde voorstellen worden gepubliceerd")
def publish_due(world: World) -> None:
    world.trede.engine.proposals.publish_due()


@then(parsers.parse("krijgen nieuwe zaken versie {version:d} van het proefprotocol"))
def new_cases_get(world: World, version: int) -> None:
    case = world.trede.open_case("proef-escalatie", school="de-linde", subject="Leerling-Vier", actor="juf.anna", role="leerkracht")
    assert case.protocol_version == version, case.protocol_version


@then(parsers.parse('vermeldt het voorstel "{steps}"'))
def proposal_steps(world: World, steps: str) -> None:
    proposal = world.trede.engine.proposals.get(person("test.beheer", "protocol_eigenaar"), world.reports["voorstel"])
    assert ", ".join(f"{s.kind} door {s.actor}" for s in proposal.steps) == steps


@then(parsers.parse('is het voorstel "{status}" met de reden "{reason}"'))
def proposal_status(world: World, status: str, reason: str) -> None:
    world.no_error()
    proposal = world.trede.engine.proposals.get(person("test.beheer", "protocol_eigenaar"), world.reports["voorstel"])
    assert (proposal.status, proposal.reason) == (status, reason)


# --- end of issue 27 (four eyes) ----------------------------------------------------------


# --- Taalgaten (issue 27): the protocol language's holes, closed -------------------------


# --- issue 27, item 4: carrying a variant onto a new base version; loading for one school ------

TEST_PROTOCOLS = Path(__file__).parent / "protocols"


@given(parsers.parse('het testprotocol "{protocol_id}" is geladen'))
def a_test_protocol(world: World, protocol_id: str) -> None:
    world.trede.load_protocol(load_protocol_file(TEST_PROTOCOLS / f"{protocol_id}.yaml", ProtocolFiles([TEST_PROTOCOLS])))


@then(parsers.parse('is het feit "{name}" niet vastgelegd en noemt de laatste gebeurtenis het gewist'))
def fact_cleared(world: World, name: str) -> None:
    world.no_error()
    assert world.case_id
    assert name not in world.case().facts
    assert world.trede.events(world.case_id)[-1].data.get("cleared") == [name]
    assert world.trede.verify(world.case_id).ok


@then(parsers.parse('telt de zaak de actie "{trigger}" {count:d} keer'))
def counted(world: World, trigger: str, count: int) -> None:
    world.no_error()
    assert world.case().counts.get(trigger, 0) == count, world.case().counts


@then(parsers.parse('staat de gekoppelde zaak in stap "{step}" en groep "{group}"'))
def linked_in_step(world: World, step: str, group: str) -> None:
    linked_id = _handed_over(world)
    linked = world.trede.show(linked_id).case
    assert (linked.step, linked.group) == (step, group)
    assert world.trede.verify(linked_id).ok


@then(parsers.parse('heeft elke dader een eigen gekoppelde zaak: {subjects}'))
def one_case_per_perpetrator(world: World, subjects: str) -> None:
    """Each linked case is about one pupil, with its own steps, terms and audit trail."""
    world.no_error()
    assert world.case_id
    opened = [e.data["opened_case"]["id"] for e in world.trede.events(world.case_id) if "opened_case" in e.data]
    linked = [world.trede.show(case_id).case for case_id in opened]
    assert [c.subject for c in linked] == [s.strip() for s in subjects.replace(" en ", ", ").split(",")]
    assert len({c.id for c in linked}) == len(linked) and len({c.group for c in linked}) == len(linked)
    assert all(world.trede.verify(c.id).ok for c in linked)


# --- issue 27: a school variant cannot leave out what the law requires -----------------------

_REMOVABLE_KINDS = {
    "de verplichting": "obligations",
    "de termijn": "timers",
    "het rechtsmiddel": "remedies",
    "de stap": "steps",
    "de actie": "transitions",
}


def _variant_head(base: str) -> str:
    version = load_protocol_file(BUNDLED / f"{base}.yaml").version
    return (
        "id: gedrag-variant\nversion: 1\n"
        f"extends: {{id: {base}, version: {version}}}\n"
        "title: Stappenplan (variant)\nsource: Schoolafspraak (voorbeeld)\n"
    )


@given(parsers.parse('een schoolvariant van "{base}" die {what} "{name}" weglaat'))
def variant_removing(world: World, base: str, what: str, name: str) -> None:
    if what == "de termijn van het rechtsmiddel":
        world.variant = _variant_head(base) + f"remedies:\n  {name}:\n    term: null\n"
        return
    world.variant = _variant_head(base) + f"remove:\n  {_REMOVABLE_KINDS[what]}:\n    - {name}\n"


@given(parsers.parse('een schoolvariant van "{base}" die bij "{remedy}" alleen de beslistermijn "{decision}" houdt'))
def variant_keeping_one_decision(world: World, base: str, remedy: str, decision: str) -> None:
    spec = load_protocol_file(BUNDLED / f"{base}.yaml").spec.remedies or {}
    [kept] = [d for d in spec[remedy].decision if d.id == decision]
    item = kept.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    body = "".join(f"        {k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in item.items() if k != "id")
    world.variant = _variant_head(base) + f"remedies:\n  {remedy}:\n    decision:\n      - id: {decision}\n{body}"


@given(parsers.parse('een schoolvariant van "{base}" die herinnert aan de verplichtingen "{first}" en "{second}"'))
def variant_reminding(world: World, base: str, first: str, second: str) -> None:
    index = load_protocol_file(BUNDLED / f"{base}.yaml").obligation_index
    lines = ["steps:"]
    for step in dict.fromkeys(index[name][0] for name in (first, second)):
        lines += [f"  {step}:", "    obligations:"]
        lines += [f"      - {{id: {name}, remind: [0 dagen]}}" for name in (first, second) if index[name][0] == step]
    world.variant = _variant_head(base) + "\n".join(lines) + "\n"


@when("de protocolbeheerder de schoolvariant controleert")
def variant_checked(world: World) -> None:
    assert world.variant is not None
    text = world.variant
    world.attempt(lambda: world.trede.load_protocol(load_protocol_text(text, "variant.yaml", ProtocolFiles([BUNDLED]))))


@when("de protocolbeheerder de schoolvariant vergelijkt met het basisprotocol")
def variant_compared(world: World) -> None:
    assert world.variant is not None
    variant = load_protocol_text(world.variant, "variant.yaml", ProtocolFiles([BUNDLED]))
    assert variant.spec.extends is not None
    base = load_protocol_file(BUNDLED / f"{variant.spec.extends.id}.yaml")
    world.outcomes = [str(change) for change in diff_protocols(base, variant)]


@then(parsers.parse('wordt de schoolvariant geweigerd op regel {line:d} met "{text_}"'))
def variant_refused(world: World, line: int, text_: str) -> None:
    assert isinstance(world.error, ProtocolError), world.error
    found = [p for p in world.error.problems if text_ in p.message]
    assert found, [str(p) for p in world.error.problems]
    assert [(p.file, p.line) for p in found] == [("variant.yaml", line)], [str(p) for p in found]


@then(parsers.parse('noemt de weigering van de schoolvariant "{text_}"'))
def variant_refusal_says(world: World, text_: str) -> None:
    assert isinstance(world.error, ProtocolError)
    assert any(text_ in p.message for p in world.error.problems), [str(p) for p in world.error.problems]


@then("wordt de schoolvariant aanvaard")
def variant_accepted(world: World) -> None:
    world.no_error()


@then(parsers.parse('toont de vergelijking "{line}"'))
def comparison_shows(world: World, line: str) -> None:
    assert line in world.outcomes, world.outcomes


def _base_text(protocol_id: str, version: int) -> str:
    """The bundled protocol as version ``version`` (the text otherwise unchanged)."""
    text = (BUNDLED / f"{protocol_id}.yaml").read_text(encoding="utf-8")
    return re.sub(r"^version: \d+$", f"version: {version}", text, count=1, flags=re.M)


def _load_base(world: World, text: str, version: int, school: str | None = None) -> None:
    protocol = load_protocol_text(text, f"basis-v{version}.yaml")
    stored, created = world.trede.engine.protocols.load(OPERATOR, protocol, scope=school)
    assert created and stored.version == version, (stored.version, created)


def _owner(world: World, username: str) -> Principal:
    found = world.trede.engine.users.principal(username)
    assert found is not None, username
    return found


@given(parsers.parse('"{username}" is protocolbeheerder van school "{school}"'))
def protocol_owner_of(world: World, username: str, school: str) -> None:
    world.trede.engine.users.add(
        username, username, "stichting-demo", "geheim-wachtwoord-27", [Membership(PROTOCOL_OWNER, school)]
    )


@given(parsers.parse('het testprotocol "{protocol_id}" is geladen voor school "{school}"'))
def a_test_protocol_for(world: World, protocol_id: str, school: str) -> None:
    protocol = load_protocol_file(TEST_PROTOCOLS / f"{protocol_id}.yaml", world.trede.engine.services.stored_base)
    world.trede.engine.protocols.load(OPERATOR, protocol, scope=school)


@given(parsers.parse('versie {version:d} van "{protocol_id}" is geladen alleen voor school "{school}"'))
def base_version_for_one_school(world: World, version: int, protocol_id: str, school: str) -> None:
    _load_base(world, _base_text(protocol_id, version), version, school)


@when(parsers.parse('het bestuur versie {version:d} van "{protocol_id}" laadt met een nieuwe titel'))
def board_loads_new_title(world: World, version: int, protocol_id: str) -> None:
    text = re.sub(r"^title: (.*)$", r"title: \1 (herzien)", _base_text(protocol_id, version), count=1, flags=re.M)
    _load_base(world, text, version)


@when(parsers.parse('het bestuur versie {version:d} van "{protocol_id}" laadt waarin stap "{old}" "{new}" heet'))
def board_loads_renamed_step(world: World, version: int, protocol_id: str, old: str, new: str) -> None:
    _load_base(world, re.sub(rf"\b{old}\b", new, _base_text(protocol_id, version)), version)


@when(parsers.parse('het bestuur versie {version:d} van "{protocol_id}" laadt met een eigen actie "{trigger}" van "{source}" naar "{target}"'))
def board_loads_new_action(world: World, version: int, protocol_id: str, trigger: str, source: str, target: str) -> None:
    action = (
        f"transitions:\n  - trigger: {trigger}\n    label: Nieuw in versie {version}\n"
        f"    from: {source}\n    to: {target}\n    roles: [directeur]\n"
    )
    _load_base(world, _base_text(protocol_id, version).replace("transitions:\n", action, 1), version)


@then(parsers.parse('waarschuwt de overname van "{variant}" "{message}"'))
def rebase_warns(world: World, variant: str, message: str) -> None:
    assert any(message in w for w in _rebase_of(world, variant).warnings), _rebase_of(world, variant).warnings


@when(parsers.parse('"{username}" de variant "{variant}" overneemt'))
def takes_over(world: World, username: str, variant: str) -> None:
    """Carrying a variant over proposes it (four eyes); its id is kept as "voorstel"."""

    def carry() -> None:
        proposal, _ = world.trede.engine.proposals.carry_over(_owner(world, username), variant)
        world.reports["voorstel"] = proposal.id

    world.attempt(carry)


@then(parsers.parse('ligt de variant "{variant}" op versie {version:d} ter goedkeuring voor, voorgesteld door "{username}"'))
def carried_variant_proposed(world: World, variant: str, version: int, username: str) -> None:
    world.no_error()
    proposal = world.trede.engine.proposals.get(_owner(world, username), world.reports["voorstel"])
    assert (proposal.protocol_id, proposal.status, proposal.proposed_by) == (variant, "voorgesteld", username)
    extends = world.trede.engine.proposals.protocol(_owner(world, username), proposal.id).spec.extends
    assert extends is not None and extends.version == version, extends


@then(parsers.parse('krijgt "{username}" de melding "{heading}" over "{variant}"'))
def gets_base_notice(world: World, username: str, heading: str, variant: str) -> None:
    notices = world.trede.engine.reads.notifications(_owner(world, username))
    assert [(n.heading, n.variant) for n in notices if n.variant == variant] == [(heading, variant)], notices


@then(parsers.parse('krijgt "{username}" geen melding over een nieuwe basisversie'))
def gets_no_base_notice(world: World, username: str) -> None:
    assert [n for n in world.trede.engine.reads.notifications(_owner(world, username)) if n.variant] == []


def _rebase_of(world: World, variant: str, username: str = "mw.kok") -> Rebase:
    found = world.trede.engine.protocols.rebases(_owner(world, username), variant)
    assert len(found) == 1, found
    return found[0]


@then(parsers.parse('kan "{username}" de variant "{variant}" overnemen op versie {version:d}'))
def may_take_over(world: World, username: str, variant: str, version: int) -> None:
    rebase = _rebase_of(world, variant, username)
    assert rebase.ok and rebase.new_version == version, rebase.problems
    assert rebase.protocol is not None and rebase.protocol.spec.extends is not None
    assert rebase.protocol.spec.extends.version == version


@then(parsers.parse('toont de overname van "{variant}" de wijziging "{change}"'))
def rebase_shows_change(world: World, variant: str, change: str) -> None:
    shown = [str(c) for c in _rebase_of(world, variant).changes]
    assert any(change in c for c in shown), shown


@then(parsers.parse('meldt de overname van "{variant}" op regel {line:d} "{message}"'))
def rebase_problem(world: World, variant: str, line: int, message: str) -> None:
    problems = _rebase_of(world, variant).problems
    assert any(p.line == line and message in p.message for p in problems), [str(p) for p in problems]


@then(parsers.parse('volgt "{variant}" nog versie {version:d} van het basisprotocol'))
@then(parsers.parse('volgt "{variant}" versie {version:d} van het basisprotocol'))
def variant_on_base(world: World, variant: str, version: int) -> None:
    extends = world.trede.engine.protocols.get(variant).protocol.spec.extends
    assert extends is not None and extends.version == version, extends


@then(parsers.parse('krijgt "{username}" als "{role}" op school "{school}" versie {version:d} van "{protocol_id}" aangeboden'))
def offered_version(world: World, username: str, role: str, school: str, version: int, protocol_id: str) -> None:
    openable = world.trede.engine.protocols.openable(person(username, role, school=school))
    found = [(o.stored.version, school in o.schools) for o in openable if o.stored.id == protocol_id]
    assert (version, True) in found and len([f for f in found if f[1]]) == 1, found


@then(parsers.parse('volgt de zaak versie {version:d} van "{protocol_id}"'))
def case_follows_version(world: World, version: int, protocol_id: str) -> None:
    world.no_error()
    stored = world.trede.engine.protocols.get(protocol_id, version)
    assert world.case().protocol_hash == stored.stored.content_hash


# --- end of issue 27, item 4 ----------------------------------------------------------------


# --- De klachtenregeling en de veiligheidsrollen (issue 28) -----------------------------


@given(parsers.parse('school "{school}" past de onderdelen van het wetsvoorstel Wet vrij en veilig onderwijs al toe'))
def school_applies_the_bill(world: World, school: str) -> None:
    known = next((s for s in world.trede.engine.schools.list() if s.id == school), None)
    if known is None:
        known = SchoolRecord(school, f"School {school}", "stichting-test", "midden")
        world.trede.engine.schools.save(OPERATOR, known)
    world.trede.engine.incidents.switch_bill(OPERATOR, known.board, True)  # one switch, for its board


@given(parsers.parse("de klacht ligt bij de klachtencommissie en het advies is ontvangen op {day}"))
def complaint_advised(world: World, day: str) -> None:
    """Filed on name via the interne vertrouwenspersoon, heard two weeks before the advice."""
    assert world.case_id
    advised = date.fromisoformat(day)
    world.clock.set(_day(day))
    case_id = world.case_id
    world.trede.fire(
        case_id,
        "klacht_indienen_bij_commissie",
        actor="juf.lies",
        role="interne_vertrouwenspersoon",
        inputs={"klacht_op_naam": "ja", "klacht_omschrijving": "onheuse bejegening", "klacht_ontvangen_op": (advised - timedelta(days=60)).isoformat()},
    )
    world.trede.fire(case_id, "hoorzitting_plannen", actor="mr.commissie", role="klachtencommissie", inputs={"datum_hoorzitting": (advised - timedelta(days=14)).isoformat()})
    world.trede.fire(
        case_id,
        "advies_uitbrengen",
        actor="mr.commissie",
        role="klachtencommissie",
        inputs={"partijen_gehoord": "apart gehoord", "oordeel_commissie": "gegrond", "advies_ontvangen_op": day},
    )


@then(parsers.parse('is het feit "{name}" vastgelegd op "{value}"'))
def fact_recorded(world: World, name: str, value: str) -> None:
    world.no_error()
    assert world.case().facts.get(name) == value


@then(parsers.parse('staat de gekoppelde zaak in stap "{step}" en ziet de "{role}" als betrokkene "{subject}"'))
def linked_case_step_and_subject(world: World, step: str, role: str, subject: str) -> None:
    assert world.linked_id
    view = world.trede.show(world.linked_id, role)
    assert view.case.step == step
    assert view.case.subject == subject


# --- incidents (issue 28) -----------------------------------------------------------------

INCIDENT_CATEGORIES = BUNDLED / "categorieen" / "incidenten.yaml"


@given("de incidentcategorieën zijn geladen")
def incident_categories_loaded(world: World) -> None:
    world.trede.engine.incidents.load_categories(OPERATOR, INCIDENT_CATEGORIES.read_text(encoding="utf-8"), "incidenten.yaml")


@given(parsers.parse('het bestuur "{board}" heeft de plichten uit het wetsvoorstel aangezet'))
def bill_switched_on(world: World, board: str) -> None:
    world.trede.engine.incidents.switch_bill(person("mevr.raad", "bevoegd_gezag"), board, True)


@when(
    parsers.parse(
        'de "{role}" "{username}" op school "{school}" een incident vastlegt: soort "{kind}", plaats "{place}", '
        'ernst "{seriousness}", gebeurd op "{day}", betrokkenen "{people}"'
    )
)
def incident_recorded(
    world: World, role: str, username: str, school: str, kind: str, place: str, seriousness: str, day: str, people: str
) -> None:
    involved = [tuple(p.split("=", 1)) for p in people.split(";") if p.strip()]
    world.incident = world.trede.engine.incidents.record(
        person(username, role, school=school), school=school, kind=kind, place=place, seriousness=seriousness,
        happened=date.fromisoformat(day), involved=[(a, b) for a, b in involved],
    )
    # as the board sees it: a recorder who may not open the report case is not told its id
    world.incident = world.trede.engine.incidents.get(person("mevr.raad", "bevoegd_gezag"), world.incident.id, log=False)
    if world.incident.report_case:
        world.case_id = world.incident.report_case


@then("hoort het incident bij geen enkele zaak")
def incident_unlinked(world: World) -> None:
    assert world.incident is not None and world.incident.cases == ()


@then("heeft het incident geen meldzaak")
def incident_without_report(world: World) -> None:
    assert world.incident is not None and world.incident.report_case is None


@then(parsers.parse('heeft het incident een meldzaak in stap "{step}" aan "{recipients}"'))
def incident_with_report(world: World, step: str, recipients: str) -> None:
    assert world.incident is not None and world.incident.report_case is not None
    case = world.trede.show(world.incident.report_case).case
    assert case.step == step and case.facts["melden_aan"] == recipients, (case.step, case.facts)


@then("noemt de meldzaak geen pseudoniem van een betrokkene")
def report_minimal(world: World) -> None:
    assert world.incident is not None and world.incident.report_case is not None
    facts = json.dumps(world.trede.show(world.incident.report_case).case.facts)
    assert all(p.pseudonym not in facts for p in world.incident.involved), facts


@then(parsers.parse('ziet "{username}" van school "{school}" geen incidenten van school "{other}"'))
def no_incidents_elsewhere(world: World, username: str, school: str, other: str) -> None:
    teacher = person(username, "leerkracht", school=school)
    with pytest.raises(TredeError):
        world.trede.engine.incidents.at_school(teacher, other)
    assert world.incident is not None
    with pytest.raises(TredeError):
        world.trede.engine.incidents.get(teacher, world.incident.id)


@when(parsers.parse('"{username}" het incident aan de zaak koppelt'))
def incident_linked(world: World, username: str) -> None:
    assert world.incident is not None and world.case_id is not None
    world.incident = world.trede.engine.incidents.link(
        person(username, "leerkracht", school=world.incident.school), world.incident.id, world.case_id
    )


@when(parsers.parse('"{username}" het incident aan de zaak probeert te koppelen'))
def incident_link_attempted(world: World, username: str) -> None:
    assert world.incident is not None and world.case_id is not None
    incident, case_id = world.incident, world.case_id
    world.attempt(lambda: world.trede.engine.incidents.link(person(username, "leerkracht", school=incident.school), incident.id, case_id))
    world.incident = world.trede.engine.incidents.get(person("mevr.raad", "bevoegd_gezag"), incident.id, log=False)


@when(
    parsers.parse(
        'de "{role}" "{username}" op school "{school}" een incident probeert vast te leggen dat gebeurde op "{day}"'
    )
)
def incident_record_attempted(world: World, role: str, username: str, school: str, day: str) -> None:
    def record() -> None:
        world.incident = world.trede.engine.incidents.record(
            person(username, role, school=school), school=school, kind="pesten", place="plein", seriousness="middel",
            happened=date.fromisoformat(day),
        )

    world.incident = None
    world.attempt(record)


@then(parsers.parse('is het incident vastgelegd als gebeurd op "{day}"'))
def incident_happened_on(world: World, day: str) -> None:
    world.no_error()
    assert world.incident is not None and world.incident.happened_at.astimezone(AMSTERDAM).date().isoformat() == day


@when(
    parsers.parse(
        '"{username}", leerkracht van groep "{group}" op "{school}", snel vastlegt met sleutel {key:d}: '
        'leerling "{pupil}" als "{part}", soort "{kind}", plaats "{place}"'
    )
)
def quick_recorded(world: World, username: str, group: str, school: str, key: int, pupil: str, part: str, kind: str, place: str) -> None:
    """As the phone sends it (POST /snel/incidenten): a key per record, made at the tap two
    minutes ago; sent again with the same key, the same record."""
    teacher = Principal(username, username, (Membership("leerkracht", school, frozenset({group})),))

    def send() -> None:
        world.incident, _ = world.trede.engine.incidents.record_once(
            teacher, key=str(uuid.UUID(int=key)), school=school, kind=kind, place=place, seriousness="licht",
            happened=world.clock.now() - timedelta(minutes=2), involved=[(pupil, part)],
        )

    world.attempt(send)


@then(parsers.re(r'heeft school "(?P<school>[^"]+)" (?P<count>\d+) incident(?:en)?$'), converters={"count": int})
def incidents_at_school(world: World, school: str, count: int) -> None:
    assert len(world.trede.engine.incidents.at_school(person("dhr.bos", "directeur", school=school), school)) == count


@then("hoort het incident bij de zaak")
def incident_linked_to_case(world: World) -> None:
    assert world.incident is not None and world.incident.cases == (world.case_id,)


@then("toont de zaak het incident")
def case_shows_incident(world: World) -> None:
    assert world.incident is not None and world.case_id is not None
    shown = world.trede.engine.reads.detail(world.trede.everyone(), world.case_id).incidents  # as the case page shows them
    assert [i.id for i in shown] == [world.incident.id]


@when(parsers.parse('de incidentcategorieën opnieuw worden geladen met voor "{kind}" het label "{label}"'))
def categories_reloaded(world: World, kind: str, label: str) -> None:
    text = INCIDENT_CATEGORIES.read_text(encoding="utf-8")
    old = f"  {kind}: {{label: "
    assert old in text
    start = text.index(old) + len(old)
    end = text.index(",", start)
    world.trede.engine.incidents.load_categories(OPERATOR, text[:start] + label + text[end:], "nieuw.yaml")


@then(parsers.parse('zijn de incidentcategorieën versie {version:d} met voor "{kind}" het label "{label}"'))
def categories_version(world: World, version: int, kind: str, label: str) -> None:
    latest = world.trede.engine.incidents.categories()
    assert latest.version == version and latest.kinds[kind].label == label


@then(parsers.parse("is het incident ingedeeld volgens categorieënversie {version:d}"))
def incident_categories_version(world: World, version: int) -> None:
    assert world.incident is not None and world.incident.categories_version == version


# --- the yearly safety evaluation (issue 28) -------------------------------------------------


@given(
    parsers.parse(
        'op school "{school}" zijn op "{day}" {count:d} incidenten vastgelegd: soort "{kind}", plaats "{place}", '
        'ernst "{seriousness}"'
    )
)
def incidents_recorded(world: World, school: str, day: str, count: int, kind: str, place: str, seriousness: str) -> None:
    """Recorded on that day (an incident is recorded shortly after it happened: at most
    three months later, engine.inputs.incident_moment); the clock goes back to where it was."""
    teacher = person("juf.anna", "leerkracht", school=school)
    now = world.clock.now()
    world.clock.set(_day(day))
    try:
        for _ in range(count):
            world.trede.engine.incidents.record(
                teacher, school=school, kind=kind, place=place, seriousness=seriousness, happened=date.fromisoformat(day)
            )
    finally:
        world.clock.set(now)


@when(parsers.parse('de directeur "{username}" de jaarevaluatie {year} van school "{school}" maakt'))
def evaluation_made(world: World, username: str, year: str, school: str) -> None:
    world.evaluation = world.trede.engine.evaluations.make(
        person(username, "directeur", school=school), parse_school_year(year), school=school
    )


def _evaluation_table(world: World, title: str) -> EvaluationTable:
    assert world.evaluation is not None
    return next(t for t in world.evaluation.tables if t.title == title)


@then(parsers.parse('toont de tabel "{title}" in de rij "{row}": {cells}'))
def evaluation_row(world: World, title: str, row: str, cells: str) -> None:
    shown = {r[0]: r[1:] for r in _evaluation_table(world, title).shown_rows()}
    assert shown[row] == [c.strip().strip('"') for c in cells.split(",")], shown


@then(parsers.parse('is in de tabel "{title}" het getal bij "{row}" en "{column}" verborgen omdat het {why}'))
def evaluation_hidden_why(world: World, title: str, row: str, column: str, why: str) -> None:
    reasons = {"klein is": "primair", "een klein getal zou verraden": "aanvullend"}
    assert (row, column, reasons[why]) in _evaluation_table(world, title).hidden_cells()


@then(parsers.parse('is geen verborgen getal van de tabel "{title}" uit de getoonde getallen en totalen terug te rekenen'))
def evaluation_not_recomputable(world: World, title: str) -> None:
    from engine.suppression import recomputable
    from tests.unit.test_suppression import by_subtraction

    counts = _evaluation_table(world, title).counts
    assert counts.hidden
    assert not by_subtraction(counts.extended(), set(counts.hidden))
    assert not recomputable(counts.extended(), set(counts.hidden))


@then(parsers.parse('zou het kleine getal van de tabel "{title}" terug te rekenen zijn als alleen dat verborgen was'))
def evaluation_naive_fails(world: World, title: str) -> None:
    from engine.suppression import PRIMARY, recomputable

    counts = _evaluation_table(world, title).counts
    primary = {e for e, why in counts.hidden.items() if why == PRIMARY}
    assert primary and recomputable(counts.extended(), primary) == primary


# === meldpunt: triage (issue 29, meldpunt_triage.feature) ===

TRIAGE_DATA = BUNDLED / "categorieen" / "meldpunt.yaml"


def _coordinator() -> Principal:
    return person("mevr.smit", "intern_begeleider", school="de-linde")


@given("de indeling van het meldpunt van het bestuur is geladen")
def triage_loaded(world: World) -> None:
    world.trede.engine.triage.load(OPERATOR, TRIAGE_DATA.read_text(encoding="utf-8"), "meldpunt.yaml")


@then(parsers.parse('is de melding doorgestuurd naar "{roles}"'))
def report_routed_to(world: World, roles: str) -> None:
    assert world.case_id
    routed = [e.data for e in world.trede.events(world.case_id) if e.type == EventType.TRIAGE and e.data["kind"] == "doorgestuurd"]
    assert routed and routed[-1]["handlers"] == roles.split(","), routed
    assert world.case().facts["behandelaars"] == roles


@then(parsers.re(r'kan een "(?P<role>[^"]+)" van "(?P<school>[^"]+)" de melding (?P<can>openen|niet openen)$'))
def role_opens_report(world: World, role: str, school: str, can: str) -> None:
    assert world.case_id
    someone = person(f"iemand.{role}", role, school=school)
    if can == "openen":
        assert world.trede.engine.reads.case(someone, world.case_id).case.id == world.case_id
    else:
        with pytest.raises(CaseNotFound):
            world.trede.engine.reads.case(someone, world.case_id)


@when(parsers.parse('de intern begeleider het onderwerp corrigeert naar "{category}"'))
def coordinator_corrects(world: World, category: str) -> None:
    assert world.case_id
    case_id = world.case_id
    world.attempt(lambda: world.trede.engine.triage.correct_category(_coordinator(), case_id, category))


@when(parsers.parse('de intern begeleider de melding splitst in "{raw}" volgens "{protocol_id}"'))
def coordinator_splits(world: World, raw: str, protocol_id: str) -> None:
    from engine.usecases.triage import Part

    assert world.case_id
    case_id = world.case_id
    parts = [Part(pupil, what, protocol_id) for pupil, what in _inputs(raw).items()]
    world.attempt(lambda: world.trede.engine.triage.split(_coordinator(), case_id, parts))


@then(parsers.parse('staat in de audittrail van de melding "{text_}"'))
def report_trail_says(world: World, text_: str) -> None:
    world.no_error()
    assert world.case_id
    summaries = [str(e.data.get("summary", "")) for e in world.trede.events(world.case_id) if e.type == EventType.TRIAGE]
    assert any(s.startswith(text_) for s in summaries), summaries


@then(parsers.parse('zijn gekoppelde zaken geopend volgens "{protocol_id}" voor "{raw}"'))
def split_cases_opened(world: World, protocol_id: str, raw: str) -> None:
    world.no_error()
    assert world.case_id
    [split] = [e for e in world.trede.events(world.case_id) if e.type == EventType.TRIAGE and e.data["kind"] == "gesplitst"]
    opened = [world.trede.show(c["id"]).case for c in split.data["opened_cases"]]
    assert [(c.protocol_id, c.subject) for c in opened] == [(protocol_id, p) for p in raw.split(";")]
    assert all(world.trede.events(c.id)[0].data["linked_from"]["case_id"] == world.case_id for c in opened)


# === end of the meldpunt triage block ===


# --- issue 29 items 1 and 2: oral reports under the Wbk (klokkenluiders_mondeling.feature) ----


@when(parsers.parse('de "{role}" "{actor}" een code voor de melder uitreikt'))
def hand_out_code_step(world: World, role: str, actor: str) -> None:
    assert world.case_id
    world.receipt = world.trede.engine.meldpunt.hand_out_code(person(actor, role), world.case_id, role).code


@when(parsers.parse('de melder met de code het verslag corrigeert met "{text}"'))
def reporter_corrects_step(world: World, text: str) -> None:
    assert world.receipt
    world.trede.engine.meldpunt.check_record(world.receipt, "", "verslag_corrigeren", {"correctie_verslag": text})


@when("de melder met de code het verslag goedkeurt")
def reporter_approves_step(world: World) -> None:
    assert world.receipt
    world.trede.engine.meldpunt.check_record(world.receipt, "", "verslag_goedkeuren", {"verslag_akkoord": "ja"})


@then(parsers.parse('ziet de melder met de code het verslag "{text}" met {count:d} correctie en goedgekeurd'))
def reporter_sees_record_step(world: World, text: str, count: int) -> None:
    assert world.receipt
    oral = world.trede.engine.meldpunt.follow(world.receipt).oral
    assert oral is not None and oral.text == text
    assert len(oral.corrections) == count and oral.approved_at is not None


@then("staan de correctie en de goedkeuring van de melder in de keten")
def record_in_chain_step(world: World) -> None:
    assert world.case_id
    events = world.trede.events(world.case_id)
    by_melder = [e.trigger for e in events if e.role == "melder"]
    assert by_melder[-2:] == ["verslag_corrigeren", "verslag_goedkeuren"], by_melder


@then(parsers.parse('noemt het incident de betrokkenen "{people}"'))
def incident_people(world: World, people: str) -> None:
    assert world.incident is not None
    shown = world.trede.engine.incidents.get(world.trede.everyone(), world.incident.id, log=False)
    assert ";".join(f"{i.pseudonym}={i.part}" for i in shown.involved) == people


@then("is het incidentenlog in orde")
def incident_log_in_order(world: World) -> None:
    report = world.trede.engine.checkpoints.verify_store(OPERATOR)
    assert report.ok, report.problems
