"""The access policy: school, group and protocol role decide who sees a case."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.access import Membership, Principal, can_view, case_roles, opening_roles
from engine.case import Case
from engine.protocol.loader import load_protocol_file

BUNDLED = Path(__file__).parents[2] / "protocols"
GEDRAG = load_protocol_file(BUNDLED / "grensoverschrijdend-gedrag.yaml")
KLOKKEN = load_protocol_file(BUNDLED / "klokkenluidersregeling-2016.yaml")
NOW = datetime(2026, 3, 2, tzinfo=UTC)


def case(
    school: str = "de-linde",
    group: str | None = "5a",
    protocol_id: str = "grensoverschrijdend-gedrag",
    facts: dict[str, str] | None = None,
    opened_by: str = "",
) -> Case:
    return Case(
        id="z1",
        protocol_id=protocol_id,
        protocol_version=1,
        protocol_hash="h",
        school=school,
        subject="Leerling-X",
        group=group,
        step="ik_kan_het_zelf",
        closed=False,
        facts=dict(facts or {}),
        seq=1,
        last_hash="0",
        opened_at=NOW,
        updated_at=NOW,
        opened_by=opened_by,
    )


def user(*memberships: Membership) -> Principal:
    return Principal("u", "U", memberships)


LEERKRACHT_5A = user(Membership("leerkracht", "de-linde", frozenset({"5a"})))
DIRECTEUR = user(Membership("directeur", "de-linde"))
BESTUUR = user(Membership("bevoegd_gezag"))
AUDITOR = user(Membership("auditor"))
VERTROUWENSPERSOON = user(Membership("vertrouwenspersoon", "de-linde"))


@pytest.mark.parametrize(
    ("who", "the_case", "visible"),
    [
        (LEERKRACHT_5A, case(group="5a"), True),
        (LEERKRACHT_5A, case(group="6b"), False),
        (LEERKRACHT_5A, case(school="het-anker"), False),
        (DIRECTEUR, case(group="6b"), True),
        (DIRECTEUR, case(school="het-anker"), False),
        (BESTUUR, case(school="het-anker"), True),
        (AUDITOR, case(school="het-anker"), True),
        (VERTROUWENSPERSOON, case(), False),
    ],
)
def test_who_sees_a_behaviour_case(who: Principal, the_case: Case, visible: bool) -> None:
    assert can_view(who, the_case, GEDRAG) is visible


def test_a_whistleblower_case_only_for_the_roles_its_protocol_names() -> None:
    melding = case(protocol_id=KLOKKEN.id, group=None, facts={"kanaal": "vertrouwenspersoon", "betreft": "niemand"})
    assert can_view(VERTROUWENSPERSOON, melding, KLOKKEN)
    assert can_view(BESTUUR, melding, KLOKKEN)
    assert not can_view(DIRECTEUR, melding, KLOKKEN)
    assert not can_view(AUDITOR, melding, KLOKKEN)


def test_the_roles_a_user_acts_in() -> None:
    both = user(Membership("leerkracht", "de-linde", frozenset({"5a"})), Membership("intern_begeleider", "de-linde"))
    assert case_roles(both, case(group="5a"), GEDRAG) == ["leerkracht", "intern_begeleider"]
    assert case_roles(both, case(group="7c"), GEDRAG) == ["intern_begeleider"]
    assert opening_roles(LEERKRACHT_5A, GEDRAG, "de-linde", "6b") == []
    assert case_roles(AUDITOR, case(), GEDRAG) == []


LEIDINGGEVENDE = user(Membership("directeur", "de-linde"), Membership("leidinggevende", "de-linde"))
TOEZICHT = user(Membership("toezichthouder"))
MELDER = Principal("melder.a", "A", (Membership("melder", "de-linde"),))


@pytest.mark.parametrize(
    ("channel", "concerns", "readers"),
    [
        ("leidinggevende", "niemand", {"leidinggevende", "bestuur", "vp"}),
        ("vertrouwenspersoon", "niemand", {"bestuur", "vp"}),
        ("toezichthouder", "niemand", {"toezicht", "vp"}),
        ("leidinggevende", "directeur", {"bestuur", "vp"}),  # every directeur is kept out, whatever else he holds
        ("vertrouwenspersoon", "bevoegd_gezag", {"toezicht", "vp"}),  # art. 3 lid 1 onder b: the toezichthouder stands in
        ("leidinggevende", "leidinggevende", {"bestuur", "vp"}),
    ],
)
def test_need_to_know_follows_the_channel_and_keeps_out_whom_the_report_concerns(
    channel: str, concerns: str, readers: set[str]
) -> None:
    melding = case(
        protocol_id=KLOKKEN.id, group=None, facts={"kanaal": channel, "betreft": concerns}, opened_by="melder.a"
    )
    everyone = {
        "leidinggevende": LEIDINGGEVENDE,
        "bestuur": BESTUUR,
        "vp": VERTROUWENSPERSOON,
        "toezicht": TOEZICHT,
        "auditor": AUDITOR,
    }
    assert {name for name, who in everyone.items() if can_view(who, melding, KLOKKEN)} == readers
    assert case_roles(MELDER, melding, KLOKKEN) == ["melder"]  # the melder always sees their own report


def test_a_report_without_a_known_channel_is_seen_by_its_melder_only() -> None:
    melding = case(protocol_id=KLOKKEN.id, group=None, opened_by="melder.a")
    assert not any(can_view(who, melding, KLOKKEN) for who in (LEIDINGGEVENDE, BESTUUR, VERTROUWENSPERSOON, TOEZICHT))
    assert can_view(MELDER, melding, KLOKKEN)


WBK = load_protocol_file(BUNDLED / "klokkenluiders-wbk-2023.yaml")
RAAD = user(Membership("bevoegd_gezag"), Membership("behandelaar"))  # the demo's bestuurder, also behandelaar
BEHANDELAAR = user(Membership("behandelaar"))


@pytest.mark.parametrize(
    ("concerns", "readers"),
    [
        ("niemand", {"raad", "behandelaar", "vp"}),  # the toezichthouder sees it only when standing in
        # the bestuurder never, even as behandelaar; nor a behandelaar, who works under the bestuur
        ("bevoegd_gezag", {"vp", "toezicht"}),
        ("behandelaar", {"vp", "toezicht"}),
        ("directeur", {"raad", "behandelaar", "vp"}),
        ("vertrouwenspersoon", {"raad", "behandelaar"}),
    ],
)
def test_need_to_know_without_a_channel_keeps_out_whom_the_wbk_report_concerns(concerns: str, readers: set[str]) -> None:
    melding = case(protocol_id=WBK.id, group=None, facts={"betreft": concerns}, opened_by="melder.a")
    everyone = {"raad": RAAD, "behandelaar": BEHANDELAAR, "vp": VERTROUWENSPERSOON, "toezicht": TOEZICHT, "auditor": AUDITOR}
    assert {name for name, who in everyone.items() if can_view(who, melding, WBK)} == readers
    assert case_roles(MELDER, melding, WBK) == ["melder"]


def test_a_wbk_report_whose_concerned_role_is_unknown_is_seen_by_its_melder_only() -> None:
    melding = case(protocol_id=WBK.id, group=None, opened_by="melder.a")
    assert not any(can_view(who, melding, WBK) for who in (RAAD, BEHANDELAAR, VERTROUWENSPERSOON, TOEZICHT))
    assert can_view(MELDER, melding, WBK)
