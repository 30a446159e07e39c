"""Refusals say why in the user's terms and whom to ask (issue 26, item 3): each reason kind
through the engine, on the in-memory unit of work. Never a role id, never "niemand"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.access import Membership, Principal
from engine.clock import FixedClock
from engine.errors import PermissionDenied, Refusal
from engine.protocol.loader import load_protocol_file, load_protocol_text
from engine.pupils import Pupil
from tests.conftest import MINIMAL, PROEF, START
from tests.memory import MemoryStore, memory_engine
from tests.support import Driver

BUNDLED = Path(__file__).parents[2] / "protocols"
GEDRAG = load_protocol_file(BUNDLED / "grensoverschrijdend-gedrag.yaml")
MELDCODE = load_protocol_file(BUNDLED / "meldcode-hgkm.yaml")
# an action that only its timer takes: no role may
TIMER_ONLY = load_protocol_text(MINIMAL.replace("id: mini", "id: alleen-timer").replace("roles: [leerkracht]", "roles: []"), "alleen-timer.yaml")

ANNA = Principal("juf.anna", "Anna Veldhuis", (Membership("leerkracht", "de-linde", frozenset({"5a"})),))
IB = Principal("mevr.smit", "Els Smit", (Membership("intern_begeleider", "de-linde"),))
PRIVACY = Principal("dhr.privacy", "Ahmed Yilmaz", (Membership("privacyfunctionaris", "de-linde"),))
AUDITOR = Principal("dhr.audit", "Tom Visser", (Membership("auditor", "de-linde"),))
DIRECTEUR_ANKER = Principal("mevr.dekker", "Ria Dekker", (Membership("directeur", "het-anker"),))
ROLE_IDS = re.compile(r"\b[a-z]+_[a-z_]+\b")  # intern_begeleider, bevoegd_gezag: an id, never a label


@pytest.fixture
def trede() -> Driver:
    driver = Driver(memory_engine(FixedClock(START), store=MemoryStore(sandbox=True)))
    for protocol in (load_protocol_file(PROEF), GEDRAG, MELDCODE, TIMER_ONLY):
        driver.load_protocol(protocol)
    with driver.uow(write=True) as uow:  # the school's administration: Leerling-Uil is in 6b
        uow.pupils.save_many([Pupil("de-linde", "k-uil", "Leerling-Uil", "6b")])
        uow.commit()
    return driver


def readable(refusal: PermissionDenied) -> str:
    """The one rendering every edge shows; checked for what a school must never read."""
    message = refusal.message
    assert "niemand" not in message.lower() and "'-'" not in message
    assert not ROLE_IDS.search(message), message
    for label in (*refusal.fields["roles"], *refusal.fields["allowed_roles"]):
        assert "_" not in label, label  # labels, not ids
    return message


@pytest.mark.parametrize(
    ("protocol", "others"),
    [(GEDRAG, "de intern begeleider, de directeur, het bevoegd gezag"), (MELDCODE, "de aandachtsfunctionaris HGKM, de directie")],
    ids=["gedrag", "meldcode"],
)
def test_a_teacher_of_another_group_hears_that_and_whom_to_ask(trede: Driver, protocol: object, others: str) -> None:
    """The pupil is in 6b (the administration says so, whatever group the form sent)."""
    assert protocol is GEDRAG or protocol is MELDCODE
    with pytest.raises(PermissionDenied) as refused:
        trede.engine.cases.open(ANNA, protocol.id, school="de-linde", subject="Leerling-Uil", group="5a")
    fields = refused.value.fields
    assert fields["reason"] == Refusal.NOT_YOUR_GROUP
    assert (fields["groups"], fields["group_known"], fields["roles"]) == (["5a"], True, ["Leerkracht"])
    assert "6b" not in str(refused.value.to_dict())  # the register's group: only the pupils of their own groups are theirs to read
    assert fields["action"] == f"een zaak openen volgens ‘{protocol.spec.title}’"
    assert fields["allowed_roles"] == [r.label for r in protocol.spec.roles.values()]
    assert readable(refused.value) == (
        f"Deze leerling zit niet in uw groep (5a). Vraag {others} of de leerkracht van deze leerling om de zaak te openen."
    )
    assert trede.engine.reads.overview(IB).cases == []  # nothing was opened


def test_another_school_is_named_as_such(trede: Driver) -> None:
    with pytest.raises(PermissionDenied) as opening:
        trede.engine.cases.open(ANNA, GEDRAG.id, school="het-anker", subject="Leerling-Das", group="6b")
    assert opening.value.fields["reason"] == Refusal.NOT_YOUR_SCHOOL
    assert readable(opening.value).startswith("U werkt niet op School het-anker als leerkracht, intern begeleider")
    assert "van School het-anker mag een zaak openen volgens" in opening.value.message
    with pytest.raises(PermissionDenied) as importing:
        trede.engine.pupils.import_roster(DIRECTEUR_ANKER, "de-linde", object())  # type: ignore[arg-type]
    assert importing.value.fields["reason"] == Refusal.NOT_YOUR_SCHOOL
    assert readable(importing.value) == (
        "U werkt niet op School de-linde als directeur, en alleen de directeur van School de-linde mag de leerlingen "
        "van de school inlezen. Vraag de directeur van School de-linde om dit te doen."
    )


def test_another_role_is_told_which_role_may_and_what_theirs_is(trede: Driver) -> None:
    case_id = trede.open_case("proef-escalatie", school="de-linde", subject="Leerling-K3", actor="juf.anna", role="leerkracht").id
    with pytest.raises(PermissionDenied) as acting:
        trede.fire(case_id, "direct_maatregel", actor="juf.anna", role="leerkracht", inputs={"motivering": "x"})
    assert acting.value.fields["reason"] == Refusal.NOT_YOUR_ROLE
    assert readable(acting.value) == (
        "Alleen de directeur mag de actie ‘Direct een maatregel (ernstig incident)’ uitvoeren; u werkt hier als "
        "leerkracht. Vraag de directeur om dit te doen."
    )
    with pytest.raises(PermissionDenied) as noting:  # an auditor reads the case but holds no role in it
        trede.engine.notes.add_note(AUDITOR, case_id, "Ik was erbij.")
    assert noting.value.fields["reason"] == Refusal.NOT_YOUR_ROLE
    assert readable(noting.value) == (
        "Alleen de leerkracht, de intern begeleider of de directeur mag een notitie of bijlage toevoegen; u werkt "
        "hier als auditor. Vraag een van hen om dit te doen."
    )
    with pytest.raises(PermissionDenied) as opening:
        trede.engine.cases.open(PRIVACY, GEDRAG.id, school="de-linde", subject="Leerling-Uil")
    assert opening.value.fields["reason"] == Refusal.NOT_YOUR_ROLE
    assert "u werkt hier als privacyfunctionaris" in readable(opening.value)
    assert len(trede.events(case_id)) == 1  # no refusal recorded anything


def test_an_action_no_role_may_take_says_so_plainly(trede: Driver) -> None:
    case_id = trede.open_case("alleen-timer", school="de-linde", subject="Leerling-K4", actor="juf.anna", role="leerkracht").id
    with pytest.raises(PermissionDenied) as refused:
        trede.fire(case_id, "klaar", actor="juf.anna", role="leerkracht")
    assert refused.value.fields["reason"] == Refusal.NOBODY_HERE
    assert refused.value.fields["allowed_roles"] == []
    assert readable(refused.value) == (
        "Geen enkele rol mag de actie ‘Klaar’ uitvoeren. Dat doet trede zelf wanneer de termijn ‘Wachten’ verstrijkt."
    )


def test_a_role_asked_for_that_is_not_held_is_named_by_its_label(trede: Driver) -> None:
    case_id = trede.open_case("proef-escalatie", school="de-linde", subject="Leerling-K5", actor="juf.anna", role="leerkracht").id
    with pytest.raises(PermissionDenied) as refused:
        trede.engine.cases.fire(IB, case_id, "melden", role="directeur", inputs={"ernst": "licht"})
    assert readable(refused.value) == (
        "Alleen de directeur mag in deze zaak handelen als directeur; u werkt hier als intern begeleider. "
        "Vraag de directeur om dit te doen."
    )


def test_every_kind_renders_the_same_for_every_edge() -> None:
    """The message is built from the fields alone: what the page, REST and the command line show."""
    made = PermissionDenied(
        "een zaak openen", reason=Refusal.NOT_YOUR_GROUP, roles=["Leerkracht"], allowed_roles=["Leerkracht", "Directeur"],
        ask=["de directeur"], deed="de zaak te openen", groups=["5a", "5b"], group_known=False,
    )
    assert made.message == (
        "Bij deze leerling is geen groep bekend, en u werkt voor uw groepen (5a, 5b). Vraag de directeur om de zaak te openen."
    )
    assert made.to_dict()["message"] == made.message and made.to_dict()["reason"] == "not_your_group"
    with pytest.raises(ValueError):
        PermissionDenied("iets", reason="omdat")
