"""The proposal pages after the four-eyes holes were closed (issue 27): a lapsed proposal says
why, an approved one can be withdrawn with a reason, and a form the page does not offer
(an approval by the proposer's second account, an effective date too far ahead, a
withdrawal by a teacher) is refused by the engine when posted directly."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.bootstrap import App
from api.demo import DEMO_PASSWORD
from engine.access import OPERATOR, Membership
from engine.protocol.loader import load_protocol_text
from tests.conftest import PROEF
from tests.integration.helpers import csrf_of, login

PROEF_TEXT = PROEF.read_text(encoding="utf-8")
TEXT = PROEF_TEXT.replace("title: Proefprotocol escalatie\n", "title: Proefprotocol escalatie (herzien)\n", 1)


def _proposed(app: App) -> str:
    owner = app.engine.users.principal("mevr.protocol")
    assert owner is not None
    return app.engine.proposals.propose(owner, TEXT, "proef.yaml").id


def _post(web: TestClient, proposal_id: str, action: str, **fields: str) -> int:
    page = f"/protocollen/voorstellen/{proposal_id}"
    done = web.post(f"{page}/{action}", data={"csrf": csrf_of(web), **fields}, follow_redirects=False)
    return done.status_code


def _as(web: TestClient, username: str) -> None:
    web.cookies.clear()
    login(web, username)


def test_an_approved_proposal_is_withdrawn_on_its_page(app: App, web: TestClient) -> None:
    proposal_id = _proposed(app)
    page = f"/protocollen/voorstellen/{proposal_id}"
    _as(web, "mevr.raad")
    assert 'max="2027-03-03"' in web.get(page).text  # the date field says how far ahead
    assert _post(web, proposal_id, "goedkeuren", ingangsdatum="2026-03-09") == 303
    _as(web, "juf.anna")  # a teacher posts the form the page never shows her
    assert _post(web, proposal_id, "intrekken", reden="weg ermee") == 403
    _as(web, "mevr.protocol")
    before = web.get(page).text
    assert 'id="intrekken"' in before and "Intrekken kan tot de ingangsdatum" in before
    assert _post(web, proposal_id, "intrekken", reden="") == 422  # a reason is required
    assert _post(web, proposal_id, "intrekken", reden="Eerst de MR horen") == 303
    after = web.get(page).text
    assert "Ingetrokken: het voorstel voor proef-escalatie wordt niet gepubliceerd." in after
    assert "ingetrokken door mevr.protocol" in after and "Reden van intrekken" in after
    assert "Eerst de MR horen" in after and 'id="intrekken"' not in after
    assert [p.version for p in app.engine.protocols.versions("proef-escalatie")] == [1]


def test_approving_a_proposal_overtaken_by_a_newer_version_shows_it_lapsed(app: App, web: TestClient) -> None:
    proposal_id = _proposed(app)
    page = f"/protocollen/voorstellen/{proposal_id}"
    newer = PROEF_TEXT.replace("title: Proefprotocol escalatie\n", "title: Proefprotocol escalatie (bestuur)\n", 1)
    app.engine.protocols.load(OPERATOR, load_protocol_text(newer, "proef.yaml"))
    _as(web, "mevr.raad")
    warned = web.get(page).text
    assert 'id="verouderd"' in warned and "nieuwere versie gepubliceerd (versie 2)" in warned
    assert _post(web, proposal_id, "goedkeuren", ingangsdatum="2026-03-02") == 303
    shown = web.get(page).text
    assert "Dit voorstel is vervallen en wordt niet gepubliceerd." in shown  # the flash
    assert "Reden van vervallen" in shown
    assert (
        "Er is intussen een nieuwere versie gepubliceerd; stel de wijziging opnieuw voor op basis van versie 2." in shown
    )
    assert 'id="goedkeuren"' not in shown and 'id="verouderd"' not in shown
    assert [p.title for p in app.engine.protocols.versions("proef-escalatie")][-1] == "Proefprotocol escalatie (bestuur)"


def test_forms_the_page_does_not_offer_are_refused_when_posted(app: App, web: TestClient) -> None:
    proposal_id = _proposed(app)
    page = f"/protocollen/voorstellen/{proposal_id}"
    # the proposer's second account, with the same e-mail address
    app.engine.users.set_email("mevr.protocol", "i.kok@stichting.example")
    app.engine.users.add("ineke.thuis", "Ineke", "stichting-demo", DEMO_PASSWORD, [Membership("protocol_eigenaar")], email="I.Kok@stichting.example")
    _as(web, "ineke.thuis")
    assert 'id="goedkeuren"' not in web.get(page).text
    assert _post(web, proposal_id, "goedkeuren", ingangsdatum="2026-03-02") == 403
    assert _post(web, proposal_id, "afwijzen", reden="zelf") == 403
    # a second person, with a day more than a year ahead
    _as(web, "mevr.raad")
    assert _post(web, proposal_id, "goedkeuren", ingangsdatum="2027-03-04") == 422
    owner = app.engine.users.principal("mevr.protocol")
    assert owner is not None and app.engine.proposals.get(owner, proposal_id).status == "voorgesteld"
    assert "wacht op beoordeling" in web.get(page).text
