"""Attack 27: insiders against publication with four eyes (proposals, the editor, rebase,
the legal floors). Each test shows a hole that was open, closed in the engine's use case."""

from __future__ import annotations

import pytest

from engine.access import OPERATOR, Membership, Principal
from engine.errors import PermissionDenied, ProtocolError
from engine.protocol.loader import load_protocol_file
from tests.integration.proposal_support import PROEF_TEXT, stored_account, titled
from tests.support import Driver

STATUTORY_TIMER = """      - id: bezwaartermijn
        label: Einde bezwaartermijn
        after: 6 weken
        rule: atw
        basis: "Awb 6:7, 6:8; Atw"
        on_expiry: {fire: bezwaartermijn_verstreken}
"""



@pytest.fixture
def people(trede: Driver) -> dict[str, Principal]:
    return {
        "anna": stored_account(trede, "anna", Membership("protocol_eigenaar", "de-linde")),
        "bert": stored_account(trede, "bert", Membership("protocol_eigenaar", "de-linde")),
        "olga": stored_account(trede, "olga", Membership("protocol_eigenaar")),
    }


# --- 1. a school's own version of a board protocol replaces it there: the floors hold --------


def test_a_school_version_of_a_board_protocol_may_not_drop_a_statutory_term(
    trede: Driver, people: dict[str, Principal]
) -> None:
    """The same removal as a variant's ``remove: timers: [bezwaartermijn]`` (refused by the
    legal floors), written as the board protocol's own id for one school: at that school it
    replaces the board's version (the newer of the two is offered)."""
    assert STATUTORY_TIMER in PROEF_TEXT
    text = PROEF_TEXT.replace(STATUTORY_TIMER, "").replace(
        "title: Proefprotocol escalatie\n", "title: Proefprotocol escalatie (De Linde)\n", 1
    )
    with pytest.raises(ProtocolError) as refused:
        trede.engine.proposals.propose(people["anna"], text, "proef.yaml", scope="de-linde")
    assert "vervangt daar" in refused.value.message
    assert any("termijn 'bezwaartermijn' is wettelijk verplicht (Awb 6:7)" in p.message for p in refused.value.problems)
    assert trede.engine.proposals.list(people["bert"]) == []
    # keeping what the law requires, the school may have its own version
    kept = titled("Proefprotocol escalatie (De Linde)")
    proposal = trede.engine.proposals.propose(people["anna"], kept, "proef.yaml", scope="de-linde")
    assert trede.engine.proposals.approve(people["bert"], proposal.id).status == "gepubliceerd"


# --- 2. a variant that keeps a statutory term but never plans it ------------------------------

NARROWED = """
id: proef-de-linde
version: 1
extends: {id: proef-escalatie, version: 1}
title: Proefprotocol escalatie (De Linde)
source: "trede testprotocol"
steps:
  bezwaar:
    timers:
      - id: bezwaartermijn
        when: {fact: ernst, equals: ernstig}
"""


def test_a_variant_may_not_narrow_when_a_statutory_term_applies(trede: Driver, people: dict[str, Principal]) -> None:
    """Removing the bezwaartermijn is refused; keeping it but planning it only for a serious
    incident takes the pupil's term away in every other case, as its removal would."""
    with pytest.raises(ProtocolError) as refused:
        trede.engine.proposals.propose(people["anna"], NARROWED, "proef-de-linde.yaml", scope="de-linde")
    assert any(
        "termijn 'bezwaartermijn' is wettelijk verplicht (Awb 6:7)" in p.message and "(when)" in p.message
        for p in refused.value.problems
    ), refused.value.problems
    assert trede.engine.proposals.list(people["bert"]) == []


# --- 3. the approver sees the change against what runs at the proposal's school --------------


def test_the_diff_of_a_school_proposal_is_against_what_runs_there_not_another_schools_version(
    trede: Driver, people: dict[str, Principal]
) -> None:
    """Het Anker has its own version (its owners' business, not shown to De Linde's); a
    proposal for De Linde is compared with what runs at De Linde (the board's version 1):
    compared with Het Anker's, the approver read another school's text and the wrong change."""
    secret = PROEF_TEXT.replace(STATUTORY_TIMER, STATUTORY_TIMER.replace("6 weken", "8 weken")).replace(
        "title: Proefprotocol escalatie\n", "title: Geheime titel van Het Anker\n", 1
    )
    trede.engine.protocols.load(OPERATOR, trede.engine.protocols.parse(secret, "anker.yaml"), scope="het-anker")
    text = titled("Proefprotocol escalatie (De Linde)")
    proposal = trede.engine.proposals.propose(people["anna"], text, "proef.yaml", scope="de-linde")
    compared, changes = trede.engine.proposals.diff(people["bert"], proposal.id)
    shown = "\n".join(str(c) for c in changes)
    assert compared == "proef-escalatie versie 1"
    assert "Het Anker" not in shown and "8 weken" not in shown
    assert shown == "~ protocol proef-escalatie: title: Proefprotocol escalatie → Proefprotocol escalatie (De Linde)"


# --- 4. a variant for one school builds on the board's versions or its own, not another's ----

ON_ANKER = """
id: proef-de-linde
version: 1
extends: {id: proef-escalatie, version: 2}
title: Proefprotocol escalatie (De Linde)
source: "trede testprotocol"
"""


def test_a_variant_may_not_extend_another_schools_own_version(trede: Driver, people: dict[str, Principal]) -> None:
    """Version 2 of proef-escalatie is Het Anker's own: De Linde's owner may not read it, and
    a variant of it for De Linde would run (and be shown to its approver) on Het Anker's text."""
    secret = titled("Geheime titel van Het Anker")
    trede.engine.protocols.load(OPERATOR, trede.engine.protocols.parse(secret, "anker.yaml"), scope="het-anker")
    with pytest.raises(ProtocolError) as refused:
        trede.engine.proposals.propose(people["anna"], ON_ANKER, "proef-de-linde.yaml", scope="de-linde")
    assert "basisprotocol proef-escalatie versie 2 is niet gevonden" in refused.value.message
    # the editor neither starts from it nor shows it when typed
    with pytest.raises(PermissionDenied):
        trede.engine.editor.start(people["anna"], "de-linde", "proef-escalatie", 2)
    checked = trede.engine.editor.check_text(people["anna"], "de-linde", ON_ANKER)
    assert checked.protocol is None and checked.diff is None
    assert "Geheime titel" not in checked.diagram
    # the board's version stays the base to build on
    on_board = ON_ANKER.replace("version: 2}", "version: 1}")
    assert trede.engine.editor.check_text(people["anna"], "de-linde", on_board).valid
    assert trede.engine.proposals.propose(people["anna"], on_board, "proef-de-linde.yaml", scope="de-linde").open


# --- 5. a variant may not widen who sees a melder's protected identity ------------------------

WBK = "klokkenluiders-wbk-2023"
WIDENED = f"""
id: klokkenluiders-de-linde
version: 1
extends: {{id: {WBK}, version: 4}}
title: Klokkenluidersregeling (De Linde)
source: "trede testprotocol"
roles:
  directeur: {{label: Directeur}}
"""


@pytest.mark.parametrize(
    "change",
    [
        "identity:\n  visible_to: [behandelaar, vertrouwenspersoon, toezichthouder, directeur]\n",
        "identity:\n  consent: null\n",  # shown without the melder's consent
    ],
)
def test_a_variant_may_not_widen_who_sees_a_protected_identity(
    trede: Driver, people: dict[str, Principal], change: str
) -> None:
    """The Wbk protocol shows the melder's identity only to the behandelaar, the
    vertrouwenspersoon and the toezichthouder, and only with consent (Richtlijn 2019/1937
    art. 16): a school variant that adds the directeur, or drops the consent, discloses it."""
    from adapters.protocol_files import BUNDLED

    trede.engine.protocols.load(OPERATOR, load_protocol_file(BUNDLED / f"{WBK}.yaml"))
    with pytest.raises(ProtocolError) as refused:
        trede.engine.proposals.propose(people["anna"], WIDENED + change, "wbk-de-linde.yaml", scope="de-linde")
    assert any("identiteit" in p.message and "een schoolvariant" in p.message.lower() for p in refused.value.problems), (
        refused.value.problems
    )
    # a role of its own that does not see the identity is the school's choice
    assert trede.engine.proposals.propose(people["anna"], WIDENED, "wbk-de-linde.yaml", scope="de-linde").open
