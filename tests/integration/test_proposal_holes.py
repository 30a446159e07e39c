"""The insider holes in publication with four eyes (issue 27), closed in the engine's use case
(``engine.usecases.proposals``), so that the page, the command line and any other edge get
the same answers. On SQLite and PostgreSQL.

1. A proposal is published only on the version it was proposed on (its base, recorded in its
   chained first step): a newer version published meanwhile makes it lapse (vervallen) at
   approval and at publication; at publication its text is loaded again (the legal floors as
   trede knows them then), its scenarios run again and its approver is checked again.
2. The effective date lies at most a year ahead; an approved proposal can be withdrawn
   (ingetrokken) with a reason until it takes effect.
3. Four eyes compares persons: an approver whose account shares a linked provider identity
   or an e-mail address with the proposer's (now, or as recorded when proposing) is refused.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from adapters.calendar_nl import DecreeDays, DutchCalendar
from adapters.sql.sandbox import SqliteSandboxes
from api.web.render import notice_page
from engine.access import OPERATOR, Membership, Principal
from engine.checkpoints import proposal_chain
from engine.errors import InputError, PermissionDenied, ProposalLapsed
from engine.protocol import floors
from engine.protocol.loader import load_protocol_text
from tests.integration.proposal_support import PROEF_TEXT, TEXT, stored_account, titled
from tests.support import Driver

ISSUER = "https://login.example"
NEWER = "Er is intussen een nieuwere versie gepubliceerd; stel de wijziging opnieuw voor op basis van versie 2."





@pytest.fixture
def people(trede: Driver) -> dict[str, Principal]:
    return {
        "anna": stored_account(trede, "anna", Membership("protocol_eigenaar")),
        "bert": stored_account(trede, "bert", Membership("protocol_eigenaar")),
        "carla": stored_account(trede, "carla", Membership("bevoegd_gezag")),
        "dirk": stored_account(trede, "dirk", Membership("leerkracht")),
    }


def _versions(trede: Driver) -> list[int]:
    return [p.version for p in trede.engine.protocols.versions("proef-escalatie")]


def _titles(trede: Driver) -> list[str]:
    return [p.title for p in trede.engine.protocols.versions("proef-escalatie")]


def _load(trede: Driver, title: str) -> None:
    """The board loads a new version directly (the administrator's load, not a proposal)."""
    trede.engine.protocols.load(OPERATOR, load_protocol_text(titled(title), "proef.yaml"))


def _on(trede: Driver, day: date) -> None:
    clock = trede.engine.services.clock
    getattr(clock, "base", clock).set(datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC))  # 07:00 here


def _told(trede: Driver, who: Principal) -> list[str]:
    return [n.heading for n in trede.engine.reads.notifications(who)]


LATER = date(2026, 3, 9)  # a week after the fixture's today (2026-03-02)


# --- 1. the base, the scenarios, the floors and the approver, again at publication ---------


def test_the_proposal_records_its_base_in_its_chained_step(trede: Driver, people: dict[str, Principal]) -> None:
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    first = proposal.steps[0]
    assert proposal.base_version == first.base_version == 1
    assert first.hash == proposal_chain(first.prev_hash, first)
    assert proposal_chain(first.prev_hash, replace(first, base_version=2)) != first.hash  # an edit is seen


def test_approving_after_a_newer_version_was_loaded_is_refused_and_the_proposal_lapses(
    trede: Driver, people: dict[str, Principal]
) -> None:
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    _load(trede, "Proefprotocol escalatie (bestuur)")
    with pytest.raises(ProposalLapsed) as lapsed:
        trede.engine.proposals.approve(people["bert"], proposal.id)
    assert lapsed.value.message == f"Dit voorstel is vervallen en wordt niet gepubliceerd. {NEWER}"
    assert lapsed.value.fields["current_version"] == 2
    after = trede.engine.proposals.get(people["anna"], proposal.id)
    assert (after.status, after.reason) == ("vervallen", NEWER)
    assert [(s.kind, s.actor) for s in after.steps] == [("voorgesteld", "anna"), ("vervallen", "trede")]
    assert _versions(trede) == [1, 2] and _titles(trede)[-1] == "Proefprotocol escalatie (bestuur)"
    assert "Een protocolvoorstel is vervallen" in _told(trede, people["anna"])
    with pytest.raises(InputError, match="al beslist: het is vervallen"):
        trede.engine.proposals.approve(people["carla"], proposal.id)
    assert trede.engine.proposals.outdated(after) is None  # ended: nothing to warn of


def test_an_approved_proposal_lapses_when_another_on_its_base_was_published_first(
    trede: Driver, people: dict[str, Principal]
) -> None:
    first = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    second = trede.engine.proposals.propose(people["anna"], titled("Proefprotocol escalatie (tweede)"), "proef.yaml")
    assert trede.engine.proposals.approve(people["bert"], first.id, effective_on=LATER).status == "goedgekeurd"
    published = trede.engine.proposals.approve(people["carla"], second.id)  # from today
    assert (published.status, published.version) == ("gepubliceerd", 2)
    assert trede.engine.proposals.outdated(trede.engine.proposals.get(people["anna"], first.id)) == 2
    _on(trede, LATER)
    assert trede.engine.proposals.publish_due() == []
    after = trede.engine.proposals.get(people["anna"], first.id)
    assert (after.status, after.reason) == ("vervallen", NEWER)
    assert _versions(trede) == [1, 2] and _titles(trede)[-1] == "Proefprotocol escalatie (tweede)"  # not overwritten
    assert "Een protocolvoorstel is vervallen" in _told(trede, people["bert"])  # the approver hears too


def test_of_two_approved_on_one_base_and_due_together_only_the_first_approved_is_published(
    trede: Driver, people: dict[str, Principal]
) -> None:
    first = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    second = trede.engine.proposals.propose(people["anna"], titled("Proefprotocol escalatie (tweede)"), "proef.yaml")
    trede.engine.proposals.approve(people["carla"], second.id, effective_on=LATER)
    trede.engine.proposals.approve(people["bert"], first.id, effective_on=LATER)
    _on(trede, LATER)
    assert [p.version for p in trede.engine.proposals.publish_due()] == [2]
    assert trede.engine.proposals.get(people["anna"], second.id).status == "gepubliceerd"
    assert trede.engine.proposals.get(people["anna"], first.id).status == "vervallen"


SCENARIO = """
proefscenarios:
  - naam: Onderzoek in vijf werkdagen
    gegeven: zaak geopend op 2026-03-02 door leerkracht voor leerling L1 in groep 5
    als:
      - leerkracht doet melden met ernst="licht" op 2026-03-02 om 10:00
    dan:
      - termijn onderzoek_termijn eindigt op 2026-03-09
"""


def test_the_scenarios_run_again_at_publication_and_a_failure_stops_it(
    trede: Driver, people: dict[str, Principal]
) -> None:
    trede.engine.services.sandboxes = SqliteSandboxes()
    proposal = trede.engine.proposals.propose(people["anna"], TEXT + SCENARIO, "proef.yaml")
    assert trede.engine.proposals.approve(people["bert"], proposal.id, effective_on=LATER).status == "goedgekeurd"
    # after the approval a Royal Decree makes 4 March a feestdag: five werkdagen end a day later
    decree = DecreeDays.load()
    trede.engine.services.calendar = DutchCalendar(decree=DecreeDays("na-goedkeuring", decree.days | {date(2026, 3, 4)}))
    _on(trede, LATER)
    assert trede.engine.proposals.publish_due() == []
    after = trede.engine.proposals.get(people["anna"], proposal.id)
    assert after.status == "vervallen" and _versions(trede) == [1]
    assert "proefscenario 'Onderzoek in vijf werkdagen' mislukt" in after.reason
    assert after.reason.startswith("Bij de publicatie is het protocol opnieuw gecontroleerd")
    assert "Een protocolvoorstel is vervallen" in _told(trede, people["anna"])


VARIANT = """
id: proef-de-linde
version: 1
extends: {id: proef-escalatie, version: 1}
title: Proefprotocol escalatie (De Linde)
source: "trede testprotocol"
remove:
  obligations: [ouders_geinformeerd]
"""


def test_a_legal_floor_trede_knows_of_at_publication_stops_that_proposal_and_not_the_others(
    trede: Driver, people: dict[str, Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    variant = trede.engine.proposals.propose(people["anna"], VARIANT, "proef-de-linde.yaml", scope="de-linde")
    trede.engine.proposals.approve(people["bert"], variant.id, effective_on=LATER)
    other = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    trede.engine.proposals.approve(people["carla"], other.id, effective_on=LATER)
    # before the effective date trede learns that the law requires informing the parents
    known = floors.requiring_article
    monkeypatch.setattr(
        floors, "requiring_article", lambda e: "WPO art. 99" if e.get("id") == "ouders_geinformeerd" else known(e)
    )
    _on(trede, LATER)
    assert [(p.id, p.version) for p in trede.engine.proposals.publish_due()] == [("proef-escalatie", 2)]
    after = trede.engine.proposals.get(people["anna"], variant.id)
    assert after.status == "vervallen"
    assert "wettelijk verplicht (WPO art. 99)" in after.reason
    assert [p.id for p in trede.engine.protocols.list()] == ["proef-escalatie", "proef-escalatie"]


def test_an_approver_who_lost_the_role_before_the_effective_date_does_not_publish(
    trede: Driver, people: dict[str, Principal], db: Engine
) -> None:
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    trede.engine.proposals.approve(people["bert"], proposal.id, effective_on=LATER)
    with db.begin() as conn:  # the administrator takes bert's role away
        conn.execute(text("DELETE FROM memberships WHERE username = 'bert'"))
    _on(trede, LATER)
    assert trede.engine.proposals.publish_due() == []
    after = trede.engine.proposals.get(people["anna"], proposal.id)
    assert after.status == "vervallen" and _versions(trede) == [1]
    assert after.reason == (
        "De goedkeuring telt niet meer: bert mag voorstellen voor het bestuur niet meer beoordelen. "
        "Stel de wijziging opnieuw voor; een tweede persoon beoordeelt haar dan."
    )


# --- 2. the effective date, and withdrawing -------------------------------------------------


def test_an_effective_date_more_than_a_year_ahead_is_refused(trede: Driver, people: dict[str, Principal]) -> None:
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    with pytest.raises(InputError, match="ligt meer dan een jaar vooruit; kies een dag tot en met 2027-03-03"):
        trede.engine.proposals.approve(people["bert"], proposal.id, effective_on=date(2027, 3, 4))
    with pytest.raises(InputError, match="ligt meer dan een jaar vooruit"):
        trede.engine.proposals.approve(people["bert"], proposal.id, effective_on=date(2200, 1, 1))
    assert trede.engine.proposals.get(people["anna"], proposal.id).status == "voorgesteld"
    approved = trede.engine.proposals.approve(people["bert"], proposal.id, effective_on=date(2027, 3, 3))
    assert (approved.status, approved.effective_on) == ("goedgekeurd", date(2027, 3, 3))


def test_the_proposer_withdraws_an_approved_proposal_before_it_takes_effect(
    trede: Driver, people: dict[str, Principal]
) -> None:
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    trede.engine.proposals.approve(people["bert"], proposal.id, effective_on=LATER)
    with pytest.raises(InputError):
        trede.engine.proposals.withdraw(people["anna"], proposal.id, reason="  ")
    withdrawn = trede.engine.proposals.withdraw(people["anna"], proposal.id, reason="De wet verandert per 1 augustus")
    assert (withdrawn.status, withdrawn.reason) == ("ingetrokken", "De wet verandert per 1 augustus")
    assert [(s.kind, s.actor, s.role) for s in withdrawn.steps] == [
        ("voorgesteld", "anna", "protocol_eigenaar"),
        ("goedgekeurd", "bert", "protocol_eigenaar"),
        ("ingetrokken", "anna", "protocol_eigenaar"),
    ]
    assert all(s.hash == proposal_chain(s.prev_hash, s) for s in withdrawn.steps)
    assert "Een protocolvoorstel is ingetrokken" in _told(trede, people["bert"])
    _on(trede, LATER)
    assert trede.engine.proposals.publish_due() == [] and _versions(trede) == [1]
    with pytest.raises(InputError, match="kan niet meer worden ingetrokken: het is ingetrokken"):
        trede.engine.proposals.withdraw(people["carla"], proposal.id, reason="nogmaals")


def test_who_may_withdraw(trede: Driver, people: dict[str, Principal]) -> None:
    approved = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    trede.engine.proposals.approve(people["bert"], approved.id, effective_on=LATER)
    with pytest.raises(PermissionDenied):
        trede.engine.proposals.withdraw(people["dirk"], approved.id, reason="ik wil het niet")
    assert trede.engine.proposals.withdraw(people["carla"], approved.id, reason="Eerst de MR horen").status == "ingetrokken"
    open_one = trede.engine.proposals.propose(people["anna"], titled("Proefprotocol escalatie (tweede)"), "proef.yaml")
    with pytest.raises(InputError, match="trekt alleen de indiener in; wijs het af met een reden"):
        trede.engine.proposals.withdraw(people["bert"], open_one.id, reason="liever niet")
    assert not trede.engine.proposals.may_withdraw(people["bert"], open_one)
    assert trede.engine.proposals.may_withdraw(people["anna"], open_one)
    assert trede.engine.proposals.withdraw(people["anna"], open_one.id, reason="Niet meer nodig").status == "ingetrokken"
    published = trede.engine.proposals.propose(people["anna"], titled("Proefprotocol escalatie (derde)"), "proef.yaml")
    trede.engine.proposals.approve(people["bert"], published.id)
    with pytest.raises(InputError, match="het is gepubliceerd"):
        trede.engine.proposals.withdraw(people["anna"], published.id, reason="te laat")


# --- 3. four eyes: two persons, not two user names ------------------------------------------


def test_two_accounts_with_one_e_mail_address_are_one_person(trede: Driver, people: dict[str, Principal]) -> None:
    trede.engine.users.set_email("anna", "anna@school.example")
    second = stored_account(trede, "anna.thuis", Membership("protocol_eigenaar"), email="Anna@School.example ")
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    with pytest.raises(PermissionDenied, match="hetzelfde e-mailadres als dat van de indiener") as refused:
        trede.engine.proposals.approve(second, proposal.id)
    assert "vier ogen" in refused.value.message
    with pytest.raises(PermissionDenied):
        trede.engine.proposals.reject(second, proposal.id, reason="zelf afgewezen")
    assert not trede.engine.proposals.may_decide(second, proposal)
    assert trede.engine.proposals.may_decide(people["bert"], proposal)
    assert trede.engine.proposals.get(people["anna"], proposal.id).status == "voorgesteld"


def test_a_provider_identity_moved_to_another_account_after_proposing_is_still_the_proposers(
    trede: Driver, people: dict[str, Principal]
) -> None:
    trede.engine.identities.link("anna", ISSUER, "sub-anna", by="beheer")
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    first = proposal.steps[0]
    assert first.person.startswith("oidc:") and "sub-anna" not in first.person  # a digest, not the subject
    second = stored_account(trede, "anna.twee", Membership("protocol_eigenaar"))
    trede.engine.identities.link("anna.twee", ISSUER, "sub-anna", by="beheer")  # moved: anna has no link now
    with pytest.raises(PermissionDenied, match="dezelfde inlog bij de identiteitsprovider"):
        trede.engine.proposals.approve(second, proposal.id)


def test_an_address_changed_after_proposing_is_still_the_proposers(trede: Driver, people: dict[str, Principal]) -> None:
    trede.engine.users.set_email("anna", "anna@school.example")
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    trede.engine.users.set_email("anna", "a.privé@example.org")
    second = stored_account(trede, "anna.twee", Membership("protocol_eigenaar"), email="anna@school.example")
    with pytest.raises(PermissionDenied, match="hetzelfde e-mailadres"):
        trede.engine.proposals.approve(second, proposal.id)


def test_at_publication_the_approver_is_compared_as_a_person_again(trede: Driver, people: dict[str, Principal]) -> None:
    trede.engine.identities.link("anna", ISSUER, "sub-anna", by="beheer")
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    trede.engine.proposals.approve(people["bert"], proposal.id, effective_on=LATER)
    trede.engine.identities.link("bert", ISSUER, "sub-anna", by="beheer")  # bert's account turns out to be anna's
    _on(trede, LATER)
    assert trede.engine.proposals.publish_due() == []
    after = trede.engine.proposals.get(people["carla"], proposal.id)
    assert after.status == "vervallen" and "(vier ogen)" in after.reason and _versions(trede) == [1]


def test_a_notice_of_a_lapsed_proposal_links_to_it(trede: Driver, people: dict[str, Principal]) -> None:
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    _load(trede, "Proefprotocol escalatie (bestuur)")
    with pytest.raises(ProposalLapsed):
        trede.engine.proposals.approve(people["bert"], proposal.id)
    notices = trede.engine.reads.notifications(people["anna"])
    assert [(n.heading, notice_page(n)) for n in notices if n.heading.endswith("vervallen")] == [
        ("Een protocolvoorstel is vervallen", f"/protocollen/voorstellen/{proposal.id}")
    ]


# --- around it: no way past the proposal ----------------------------------------------------


def test_a_protocol_owner_cannot_load_a_version_alone(trede: Driver, people: dict[str, Principal]) -> None:
    """Loading directly is the administrator's (the command line); a protocol owner proposes."""
    protocol = load_protocol_text(TEXT, "proef.yaml")
    with pytest.raises(PermissionDenied, match="vier ogen") as refused:
        trede.engine.protocols.load(people["anna"], protocol)
    assert "Stel haar voor" in refused.value.message
    with pytest.raises(PermissionDenied):
        trede.engine.protocols.load(people["anna"], protocol, scope="de-linde")
    assert _versions(trede) == [1]


def test_a_text_stored_already_is_not_proposed(trede: Driver, people: dict[str, Principal]) -> None:
    with pytest.raises(InputError, match="al geladen als proef-escalatie versie 1; er is niets voor te stellen"):
        trede.engine.proposals.propose(people["anna"], PROEF_TEXT, "proef.yaml")


def test_a_base_published_by_proposal_tells_the_owners_of_its_variants(trede: Driver, people: dict[str, Principal]) -> None:
    variant = VARIANT.replace("remove:\n  obligations: [ouders_geinformeerd]\n", "")
    trede.engine.protocols.load(OPERATOR, trede.engine.protocols.parse(variant, "proef-de-linde.yaml"), scope="de-linde")
    owner = stored_account(trede, "linde.protocol", Membership("protocol_eigenaar", "de-linde"))
    proposal = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    trede.engine.proposals.approve(people["bert"], proposal.id)
    assert _told(trede, owner) == ["Nieuwe basisversie beschikbaar"]


def test_the_worker_reads_only_the_proposals_waiting_for_publication(trede: Driver, people: dict[str, Principal]) -> None:
    waiting = trede.engine.proposals.propose(people["anna"], TEXT, "proef.yaml")
    trede.engine.proposals.approve(people["bert"], waiting.id, effective_on=trede.engine.clock.now().date() + timedelta(days=30))
    open_one = trede.engine.proposals.propose(people["anna"], titled("Nog open"), "proef.yaml")
    rejected = trede.engine.proposals.propose(people["anna"], titled("Afgewezen"), "proef.yaml")
    trede.engine.proposals.reject(people["bert"], rejected.id, reason="Niet nodig.")
    with trede.engine.services.uow() as uow:
        found = uow.proposals.entries_where_last("goedgekeurd")
    assert [(e.proposal_id, e.kind) for e in found] == [(waiting.id, "voorgesteld"), (waiting.id, "goedgekeurd")]
    assert open_one.id not in {e.proposal_id for e in found}
