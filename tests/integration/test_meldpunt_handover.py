"""The meldpunt's hand-over on SQLite and PostgreSQL (issue 26): the linked case lands in
the pupil's group from the register, under the school's own variant of the stappenplan,
opened in the role the hand-over was taken in, and its handlers can move it; the
conversation with the reporter goes on, with notices both ways, until the school closes it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.bootstrap import App
from api.web import create_app
from api.web.meldpunt_pages import MemoryLimits
from engine.access import OPERATOR
from engine.clock import FixedClock
from engine.errors import CaseNotFound, ReportClosed
from engine.protocol.loader import load_protocol_file, load_protocol_text
from engine.pupils import Roster, RosterPupil
from engine.terms import AMSTERDAM
from engine.usecases.meldpunt import PublicReport
from tests.integration.helpers import login
from tests.integration.test_schema import _down_and_up

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
HAND_OVER = {"betrokken_leerling": "Fleur H.", "motivering": "pesten houdt aan in de pauze"}


def principal(app: App, username: str):  # type: ignore[no-untyped-def]
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def with_register_and_variant(app: App) -> None:
    """De Linde's pupil register (invented pupils) and its own variant of the stappenplan."""
    engine = app.engine
    pupils = (RosterPupil("2001", "Fleur", "Hoekstra", "5a", 2), RosterPupil("2002", "Daan", "Mulder", "6a", 3))
    engine.pupils.import_roster(OPERATOR, "de-linde", Roster("2026-2027", ("5a", "6a"), pupils))
    variant = load_protocol_file(EXAMPLES / "gedrag-de-linde.yaml", engine.services.stored_base)
    engine.protocols.load(OPERATOR, variant, scope="de-linde")


def reported(app: App, school: str = "de-linde") -> tuple[str, str]:
    inputs = {"beschrijving": "Ze pakken steeds mijn tas af op het plein.", "soort_gedrag": "pesten", "plaats": "plein"}
    receipt = app.engine.meldpunt.report(PublicReport(school, inputs))
    return receipt.code, receipt.case_id


def handed_over(app: App, case_id: str, by: str = "mevr.smit", **extra: str) -> str:
    """The hand-over; the id of the case it opened."""
    who = principal(app, by)
    app.engine.cases.fire(who, case_id, "overdragen", inputs={**HAND_OVER, **extra})
    return str(app.engine.reads.events(who, case_id)[-1].data["opened_case"]["id"])


def test_the_handed_over_case_is_in_the_pupils_group_under_the_schools_own_variant(app: App) -> None:
    with_register_and_variant(app)
    _, report = reported(app)
    linked_id = handed_over(app, report)
    ib = principal(app, "mevr.smit")
    linked = app.engine.reads.case(ib, linked_id).case
    assert (linked.protocol_id, linked.group, linked.subject) == ("gedrag-de-linde", "5a", "Fleur H.")
    assert app.engine.reads.events(ib, report)[-1].data["opened_case"]["protocol"] == "gedrag-de-linde"
    opened = app.engine.reads.events(ib, linked_id)[0]
    assert (opened.role, opened.actor) == ("intern_begeleider", "mevr.smit")  # the role the hand-over was taken in
    teacher = app.engine.reads.case(principal(app, "juf.anna"), linked_id)  # the 5a teacher finds it
    assert teacher.case.id == linked_id and "hulp_vragen" in [a.trigger for a in teacher.actions]
    assert app.engine.reads.verify(ib, linked_id).ok and app.engine.reads.verify(ib, report).ok


def test_a_pupil_in_another_group_stays_out_of_sight_of_the_5a_teacher(app: App) -> None:
    with_register_and_variant(app)
    _, report = reported(app)
    linked_id = handed_over(app, report, betrokken_leerling="Daan M.")
    assert app.engine.reads.case(principal(app, "mevr.smit"), linked_id).case.group == "6a"
    with pytest.raises(CaseNotFound):
        app.engine.reads.case(principal(app, "juf.anna"), linked_id)


def test_the_newest_variant_of_the_school_itself_is_chosen_and_another_school_gets_its_own(app: App, clock: FixedClock) -> None:
    with_register_and_variant(app)
    engine = app.engine
    text = (EXAMPLES / "gedrag-de-linde.yaml").read_text(encoding="utf-8")
    clock.set(clock.now() + timedelta(hours=1))  # loaded after De Linde's first variant: the newest
    for variant, school in (("gedrag-de-linde-2026", "de-linde"), ("gedrag-het-anker", "het-anker")):
        loaded = load_protocol_text(text.replace("id: gedrag-de-linde", f"id: {variant}", 1), f"{variant}.yaml", engine.services.stored_base)
        engine.protocols.load(OPERATOR, loaded, scope=school)
    _, report = reported(app)
    linde = engine.reads.case(principal(app, "mevr.smit"), handed_over(app, report)).case
    assert linde.protocol_id == "gedrag-de-linde-2026"
    _, anker_report = reported(app, "het-anker")
    director = principal(app, "mevr.dekker")
    anker = handed_over(app, anker_report, by="mevr.dekker", betrokken_leerling="Leerling-Zwaluw")
    assert engine.reads.case(director, anker).case.protocol_id == "gedrag-het-anker"  # that school's own, not De Linde's
    assert engine.reads.events(director, anker)[0].role == "directeur"


def test_without_a_variant_of_its_own_the_school_gets_the_boards_protocol(app: App) -> None:
    _, report = reported(app, "het-anker")
    anker = handed_over(app, report, by="mevr.dekker", betrokken_leerling="Leerling-Zwaluw")
    case = app.engine.reads.case(principal(app, "mevr.dekker"), anker).case
    assert (case.protocol_id, case.group) == ("grensoverschrijdend-gedrag", None)  # no register: no group


def test_the_intern_begeleider_can_move_the_handed_over_case_from_step_1(app: App) -> None:
    with_register_and_variant(app)
    _, report = reported(app)
    linked_id = handed_over(app, report)
    ib = principal(app, "mevr.smit")
    actions = [a.trigger for a in app.engine.reads.case(ib, linked_id).actions]
    assert "hulp_vragen" in actions  # the report is the call for help of stap 2
    moved = app.engine.cases.fire(ib, linked_id, "hulp_vragen")
    assert moved.step == "ik_vraag_hulp"
    teacher = principal(app, "juf.anna")
    app.engine.cases.fire(teacher, linked_id, "samen_oplossen", inputs={"motivering": "gesprek met Fleur en de anderen"})
    assert app.engine.reads.case(ib, linked_id).case.step == "samen_oplossing"


def test_after_the_hand_over_the_conversation_goes_on_with_notices_both_ways(app: App) -> None:
    with_register_and_variant(app)
    code, report = reported(app)
    engine, ib = app.engine, principal(app, "mevr.smit")
    handed_over(app, report, bericht_aan_melder="We pakken dit samen met je juf aan.")
    view = engine.meldpunt.follow(code)
    assert (view.status, view.closed, view.can_write) == ("Overgedragen aan het stappenplan", False, True)
    assert "stappenplan" in view.explanation and view.contact == ("Intern begeleider / anti-pestcoördinator",)
    assert "Smit" not in str(view)  # a role, not a name
    assert not [n for n in engine.reads.notifications(ib) if n.is_message]
    engine.meldpunt.write(code, "", "Vandaag ging het weer mis bij de fietsenstalling.")
    told = [n for n in engine.reads.notifications(ib) if n.is_message]
    assert [(n.heading, n.deadline, n.notice.case_id) for n in told] == [("Bericht van de melder", "nieuw bericht", report)]
    assert not [n for n in engine.reads.notifications(principal(app, "dhr.bos")) if n.is_message]  # not an answerer
    assert not engine.reads.notifications(principal(app, "juf.anna"))  # the stappenplan's teacher never sees the report
    engine.cases.fire(ib, report, "bericht_sturen", inputs={"bericht_aan_melder": "Dank je, ik geef het door."})
    assert engine.meldpunt.follow(code).messages[-1].text == "Dank je, ik geef het door."
    assert engine.reads.verify(ib, report).ok


def test_the_coordinator_closes_the_conversation_and_the_reporter_is_told_they_can_no_longer_write(app: App) -> None:
    with_register_and_variant(app)
    code, report = reported(app)
    engine, ib = app.engine, principal(app, "mevr.smit")
    handed_over(app, report)
    closed = engine.cases.fire(
        ib, report, "gesprek_afsluiten", inputs={"motivering": "stappenplan loopt", "bericht_aan_melder": "We ronden het gesprek hier af."}
    )
    assert closed.step == "gesprek_afgesloten" and closed.closed
    view = engine.meldpunt.follow(code)
    assert view.closed and not view.can_write and view.contact == ()
    assert "geen berichten meer" in view.cannot_write and "Overgedragen" in view.status
    assert "bij de intern begeleider" in view.explanation  # with whom to talk now: a role
    assert view.messages[-1].text == "We ronden het gesprek hier af."
    recorded = len(engine.reads.events(ib, report))
    with pytest.raises(ReportClosed):
        engine.meldpunt.write(code, "", "Nog één ding.")
    assert len(engine.reads.events(ib, report)) == recorded  # nothing recorded


def test_the_follow_page_shows_the_contact_and_refuses_a_message_after_closing(app: App) -> None:
    with_register_and_variant(app)
    code, report = reported(app)
    handed_over(app, report)
    web_app = create_app(app)
    web_app.state.meldpunt_limits = MemoryLimits()
    with TestClient(web_app, base_url="https://testserver") as web:
        page = web.post("/melden/volgen", data={"code": code}).text
        assert "Overgedragen aan het stappenplan" in page
        assert "Je berichten gaan naar de intern begeleider / anti-pestcoördinator." in page and 'name="bericht"' in page
        app.engine.cases.fire(principal(app, "mevr.smit"), report, "gesprek_afsluiten", inputs={"motivering": "afgerond"})
        refused = web.post("/melden/volgen/bericht", data={"code": code, "bericht": "Hallo?"})
        assert refused.status_code == 409 and 'name="bericht"' not in refused.text
        assert re.search(r'role="alert">De school heeft het gesprek over deze melding afgesloten', refused.text)
        assert 'id="niet-meer-schrijven"' in refused.text and "aanspreekpunt" not in refused.text


def test_the_start_page_tells_the_coordinator_that_the_reporter_wrote(app: App, web: TestClient) -> None:
    code, report = reported(app)
    app.engine.meldpunt.write(code, "", "Ik wil nog iets vertellen.")
    assert login(web, "mevr.smit") == "/"
    start = web.get("/").text
    assert re.search(rf'Bericht van de melder: <a href="/zaken/{report}">nieuw bericht</a>, op ', start)


def test_a_melders_message_moves_nothing_and_the_school_still_records_what_came_before_it(
    app: App, db: Engine, clock: FixedClock
) -> None:
    """As a note (issue 26, item 4): the melder writing on Wednesday does not move the case's
    time, so the coordinator records on Thursday that she confirmed receipt on Tuesday."""
    with_register_and_variant(app)
    code, report = reported(app)  # Monday 02-03-2026 10:00 (the test clock)
    engine, ib = app.engine, principal(app, "mevr.smit")
    before = engine.reads.case(ib, report).case
    clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=AMSTERDAM))
    engine.meldpunt.write(code, "", "Het gebeurde vandaag weer.")
    assert engine.reads.case(ib, report).case.updated_at == before.updated_at
    clock.set(datetime(2026, 3, 5, 9, 0, tzinfo=AMSTERDAM))
    tuesday = datetime(2026, 3, 3, 11, 0, tzinfo=AMSTERDAM)
    confirmed = engine.cases.fire(
        ib, report, "ontvangst_bevestigen", inputs={"bericht_aan_melder": "Dank je, we kijken ernaar."}, effective=tuesday
    )
    assert confirmed.updated_at == tuesday
    assert engine.reads.verify(OPERATOR, report).ok
    _down_and_up(db, "0031")  # migration 0032 recomputes the time of cases with messages
    assert engine.reads.verify(OPERATOR, report).ok and engine.reads.case(ib, report).case.updated_at == tuesday
