"""The proposals log an auditor can trust, and who hears of a proposal (issue 27, item 3).

Every step of a proposal is chained to the step before it: an edit made around the
database's guards (as an administrator could) is named by ``audit verify --all`` (the store
check) and by a checkpoint made before it. The people who may decide hear of a proposal in
the app; the proposer hears of the decision. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from adapters.signing import Ed25519Checker, Ed25519Signer, generate
from api.web.render import notice_page
from engine.access import OPERATOR, Membership, Principal
from engine.checkpoints import ACCESS_GENESIS, proposal_chain
from engine.errors import PermissionDenied
from tests.integration.proposal_support import TEXT, stored_account
from tests.integration.test_tamper import guards_off
from tests.support import Driver


@pytest.fixture
def people(trede: Driver) -> dict[str, Principal]:
    return {
        "anna": stored_account(trede, "anna", Membership("protocol_eigenaar")),
        "bert": stored_account(trede, "bert", Membership("protocol_eigenaar")),
        "carla": stored_account(trede, "carla", Membership("bevoegd_gezag")),
        "dirk": stored_account(trede, "dirk", Membership("leerkracht")),
        "erik": stored_account(trede, "erik", Membership("protocol_eigenaar", "het-anker")),  # another school only
    }


def _told(trede: Driver, who: Principal) -> list[tuple[str, str]]:
    return [(n.heading, notice_page(n)) for n in trede.engine.reads.notifications(who)]


def test_the_deciders_hear_of_a_proposal_and_the_proposer_of_the_decision(
    trede: Driver, people: dict[str, Principal]
) -> None:
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    link = f"/protocollen/voorstellen/{proposal.id}"
    assert _told(trede, people["bert"]) == [("Protocolvoorstel ter beoordeling", link)]
    assert _told(trede, people["carla"]) == [("Protocolvoorstel ter beoordeling", link)]
    assert _told(trede, people["anna"]) == []  # not told of their own proposal
    assert _told(trede, people["dirk"]) == []  # a teacher does not decide
    assert _told(trede, people["erik"]) == []  # an owner at one school does not decide for the board
    # the start page shows it too
    assert [n.heading for n in trede.engine.reads.overview(people["bert"]).notifications] == [
        "Protocolvoorstel ter beoordeling"
    ]
    trede.engine.proposals.approve(people["bert"], proposal.id)
    assert _told(trede, people["anna"]) == [("Uw protocolvoorstel is goedgekeurd", link)]


def test_the_proposer_hears_of_a_rejection(trede: Driver, people: dict[str, Principal]) -> None:
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    with pytest.raises(PermissionDenied):
        trede.engine.proposals.reject(people["anna"], proposal.id, reason="zelf")
    trede.engine.proposals.reject(people["carla"], proposal.id, reason="De termijn klopt niet")
    assert _told(trede, people["anna"]) == [
        ("Uw protocolvoorstel is afgewezen", f"/protocollen/voorstellen/{proposal.id}")
    ]


def _log(trede: Driver, person: Principal) -> str:
    """Two proposals: one published (three steps), one rejected (two steps)."""
    first = trede.engine.proposals.propose(person, TEXT, "proef.yaml")
    trede.engine.proposals.approve(Principal("bert", "Bert", (Membership("protocol_eigenaar"),)), first.id)
    second = trede.engine.proposals.propose(person, TEXT.replace("(herzien)", "(nogmaals)"), "proef.yaml")
    trede.engine.proposals.reject(Principal("carla", "Carla", (Membership("bevoegd_gezag"),)), second.id, reason="nee")
    return second.id


def _store_problems(trede: Driver) -> list[str]:
    return trede.engine.checkpoints.verify_store(OPERATOR).problems


ANNA = Principal("anna", "Anna", (Membership("protocol_eigenaar"),))


def test_an_untouched_proposals_log_chains(trede: Driver) -> None:
    _log(trede, ANNA)
    with trede.uow() as uow:
        entries = uow.proposals.entries()
    assert len(entries) == 5 and all(e.hash for e in entries)
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert _store_problems(trede) == []


@pytest.mark.parametrize(
    ("attack", "named"),
    [
        ("UPDATE protocol_proposals SET reason = 'ja' WHERE kind = 'afgewezen'", "regel 5 is gewijzigd"),
        ("UPDATE protocol_proposals SET actor = 'anna' WHERE kind = 'goedgekeurd'", "regel 2 is gewijzigd"),
        ("DELETE FROM protocol_proposals WHERE kind = 'goedgekeurd'", "regel 2 sluit niet aan"),
    ],
    ids=["edit-reason", "edit-approver", "delete-approval"],
)
def test_a_changed_proposals_log_is_named_by_verify_and_by_a_checkpoint(
    trede: Driver, db: Engine, attack: str, named: str
) -> None:
    _log(trede, ANNA)
    private, public = generate()
    signer, checker = Ed25519Signer.from_pem(private), Ed25519Checker.from_pem(public)
    checkpoint = trede.engine.checkpoints.make(OPERATOR, signer)
    assert trede.engine.checkpoints.verify(OPERATOR, checkpoint, checker).ok
    with guards_off(db) as conn:
        if db.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE protocol_proposals DISABLE TRIGGER USER"))
        conn.execute(text(attack))
    problems = _store_problems(trede)
    assert any("logboek van protocolvoorstellen" in p and named in p for p in problems), problems
    report = trede.engine.checkpoints.verify(OPERATOR, checkpoint, checker)
    assert not report.ok and any(named in p for p in report.problems), report.problems


def test_a_log_recomputed_after_a_deletion_still_differs_from_the_checkpoint(trede: Driver, db: Engine) -> None:
    _log(trede, ANNA)
    private, public = generate()
    signer, checker = Ed25519Signer.from_pem(private), Ed25519Checker.from_pem(public)
    checkpoint = trede.engine.checkpoints.make(OPERATOR, signer)
    with trede.uow() as uow:
        entries = uow.proposals.entries()
    kept = [e for e in entries if e.kind != "afgewezen"]
    with guards_off(db) as conn:
        if db.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE protocol_proposals DISABLE TRIGGER USER"))
        conn.execute(text("DELETE FROM protocol_proposals WHERE kind = 'afgewezen'"))
        prev = ACCESS_GENESIS  # the administrator rechains what is left
        for e in kept:
            digest = proposal_chain(prev, e)
            conn.execute(
                text("UPDATE protocol_proposals SET prev_hash = :p, hash = :h WHERE hash = :old"),
                {"p": prev, "h": digest, "old": e.hash},
            )
            prev = digest
    assert _store_problems(trede) == []  # consistent in itself: only a checkpoint can tell
    report = trede.engine.checkpoints.verify(OPERATOR, checkpoint, checker)
    assert any("logboek van protocolvoorstellen is ingekort" in p for p in report.problems), report.problems
