"""Publication with four eyes (issue 27, item 3): propose, refuse self-approval, approve by a
second person from an effective date (the injected clock decides), reject with a reason;
every step in the append-only proposals log. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from adapters.sql.sandbox import SqliteSandboxes
from engine.access import Principal
from engine.clock import FixedClock
from engine.errors import InputError, PermissionDenied, ProtocolError
from tests.conftest import PROEF
from tests.support import Driver, person

TEXT = PROEF.read_text(encoding="utf-8").replace("title: Proefprotocol escalatie", "title: Proefprotocol escalatie (herzien)")
ANNA = person("anna", "protocol_eigenaar")  # proposes
BERT = person("bert", "protocol_eigenaar")  # a second protocol owner of the board
BOARD = person("carla", "bevoegd_gezag")
TEACHER = person("dirk", "leerkracht")


def account(trede: Driver, who: Principal, email: str | None = None) -> Principal:
    """``who`` as a stored account (a publication later than the approval looks the approver up)."""
    trede.engine.users.add(who.username, who.display_name, "stichting-demo", "geheim-wachtwoord-1", who.memberships, email=email)
    return who


def versions(trede: Driver) -> list[int]:
    return [p.version for p in trede.engine.protocols.versions("proef-escalatie")]


def test_a_proposal_is_stored_but_not_active(trede: Driver) -> None:
    proposal = trede.engine.proposals.propose(ANNA, TEXT, "proef.yaml")
    assert proposal.status == "voorgesteld" and proposal.proposed_by == "anna"
    assert versions(trede) == [1]
    compared, changes = trede.engine.proposals.diff(BERT, proposal.id)
    assert compared == "proef-escalatie versie 1"
    assert [str(c) for c in changes] == ["~ protocol proef-escalatie: title: Proefprotocol escalatie → Proefprotocol escalatie (herzien)"]


def test_the_proposer_cannot_approve_their_own_proposal(trede: Driver) -> None:
    proposal = trede.engine.proposals.propose(ANNA, TEXT, "proef.yaml")
    with pytest.raises(PermissionDenied) as refused:
        trede.engine.proposals.approve(ANNA, proposal.id)
    assert "zelf gedaan" in str(refused.value) and "vier ogen" in str(refused.value)
    assert trede.engine.proposals.get(ANNA, proposal.id).status == "voorgesteld"
    assert versions(trede) == [1]


def test_a_teacher_may_not_approve_nor_propose(trede: Driver) -> None:
    proposal = trede.engine.proposals.propose(ANNA, TEXT, "proef.yaml")
    with pytest.raises(PermissionDenied):
        trede.engine.proposals.approve(TEACHER, proposal.id)
    with pytest.raises(PermissionDenied):
        trede.engine.proposals.propose(TEACHER, TEXT, "proef.yaml")


def test_a_second_owner_approves_and_it_is_published_with_every_step_in_the_log(trede: Driver) -> None:
    proposal = trede.engine.proposals.propose(ANNA, TEXT, "proef.yaml")
    approved = trede.engine.proposals.approve(BERT, proposal.id)
    assert approved.status == "gepubliceerd" and approved.version == 2 and approved.decided_by == "bert"
    assert versions(trede) == [1, 2]
    steps = [(s.kind, s.actor, s.role) for s in approved.steps]
    assert steps == [
        ("voorgesteld", "anna", "protocol_eigenaar"),
        ("goedgekeurd", "bert", "protocol_eigenaar"),
        ("gepubliceerd", "trede", "trede"),
    ]
    assert approved.steps[1].effective_on == date(2026, 3, 2)  # today, by the injected clock


def test_the_bevoegd_gezag_may_approve(trede: Driver) -> None:
    proposal = trede.engine.proposals.propose(ANNA, TEXT, "proef.yaml")
    assert trede.engine.proposals.approve(BOARD, proposal.id).steps[1].role == "bevoegd_gezag"


def test_the_effective_date_is_respected(trede: Driver) -> None:
    clock = trede.engine.services.clock
    assert isinstance(getattr(clock, "base", clock), FixedClock)
    proposal = trede.engine.proposals.propose(ANNA, TEXT, "proef.yaml")
    approved = trede.engine.proposals.approve(account(trede, BERT), proposal.id, effective_on=date(2026, 3, 9))
    assert approved.status == "goedgekeurd" and approved.effective_on == date(2026, 3, 9)
    assert trede.engine.proposals.publish_due() == [] and versions(trede) == [1]
    case = trede.open_case("proef-escalatie", school="de-linde", subject="L1", actor="dirk", role="leerkracht")
    assert case.protocol_version == 1
    getattr(clock, "base", clock).set(datetime(2026, 3, 9, 6, 0, tzinfo=UTC))  # 07:00 in Amsterdam
    published = trede.engine.proposals.publish_due()
    assert [p.version for p in published] == [2] and versions(trede) == [1, 2]
    new = trede.open_case("proef-escalatie", school="de-linde", subject="L2", actor="dirk", role="leerkracht")
    assert new.protocol_version == 2
    assert trede.show(case.id).case.protocol_version == 1  # a running case stays on its version


def test_an_effective_date_in_the_past_is_refused(trede: Driver) -> None:
    proposal = trede.engine.proposals.propose(ANNA, TEXT, "proef.yaml")
    with pytest.raises(InputError, match="verleden"):
        trede.engine.proposals.approve(BERT, proposal.id, effective_on=date(2026, 3, 1))


def test_a_rejection_needs_a_reason_and_ends_the_proposal(trede: Driver) -> None:
    proposal = trede.engine.proposals.propose(ANNA, TEXT, "proef.yaml")
    with pytest.raises(InputError):
        trede.engine.proposals.reject(BERT, proposal.id, reason=" ")
    rejected = trede.engine.proposals.reject(BERT, proposal.id, reason="De termijn klopt niet met de wet")
    assert rejected.status == "afgewezen" and rejected.reason == "De termijn klopt niet met de wet"
    with pytest.raises(InputError, match="al beslist"):
        trede.engine.proposals.approve(BOARD, proposal.id)
    assert versions(trede) == [1]


def test_a_proposal_whose_scenario_fails_is_refused(trede: Driver) -> None:
    trede.engine.services.sandboxes = SqliteSandboxes()
    failing = TEXT + (
        "\nproefscenarios:\n"
        "  - naam: Begint bij de melding\n"
        "    gegeven: zaak geopend op 2026-03-02 door leerkracht\n"
        "    dan:\n"
        "      - zaak staat in stap onderzoek\n"
    )
    with pytest.raises(ProtocolError) as error:
        trede.engine.proposals.propose(ANNA, failing, "proef.yaml")
    assert "proefscenario 'Begint bij de melding' mislukt" in str(error.value)
    assert "de zaak staat in stap melding" in str(error.value)
    assert trede.engine.proposals.list(BERT) == []
    passing = failing.replace("zaak staat in stap onderzoek", "zaak staat in stap melding")
    assert trede.engine.proposals.propose(ANNA, passing, "proef.yaml").status == "voorgesteld"
