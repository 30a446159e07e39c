"""The protocol page of a variant whose base has a newer version (issue 27, item 4)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.access import OPERATOR
from engine.protocol.loader import load_protocol_file, load_protocol_text
from tests.integration.helpers import csrf_of, login

ROOT = Path(__file__).parent.parent.parent
BASE = (ROOT / "protocols" / "grensoverschrijdend-gedrag.yaml").read_text(encoding="utf-8")


def _load_v6(app: App, text: str) -> None:
    text = re.sub(r"^version: 5$", "version: 6", text, count=1, flags=re.M)
    app.engine.protocols.load(OPERATOR, load_protocol_text(text, "v6.yaml"))


def _variant(app: App, path: Path) -> None:
    app.engine.protocols.load(OPERATOR, load_protocol_file(path, app.engine.services.stored_base), scope="de-linde")


def test_the_page_offers_the_variant_on_the_new_base_and_the_owner_carries_it_over(app: App, web: TestClient) -> None:
    _variant(app, ROOT / "docs" / "examples" / "gedrag-de-linde.yaml")
    login(web, "mevr.protocol")
    assert "Nieuwe basisversie beschikbaar" not in web.get("/protocollen/gedrag-de-linde").text
    _load_v6(app, re.sub(r"^title: (.*)$", r"title: \1 (herzien)", BASE, count=1, flags=re.M))
    start = web.get("/")
    assert 'href="/protocollen/gedrag-de-linde"' in start.text and "Nieuwe basisversie beschikbaar" in start.text
    page = web.get("/protocollen/gedrag-de-linde")
    assert "Nieuwe basisversie beschikbaar" in page.text
    assert "~ protocol grensoverschrijdend-gedrag: title: Stappenplan grensoverschrijdend gedrag → " in page.text
    assert "Variant overnemen op versie 6" in page.text
    done = web.post(
        "/protocollen/gedrag-de-linde/overnemen",
        data={"csrf": csrf_of(web, "/protocollen/gedrag-de-linde"), "school": "de-linde"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/protocollen/gedrag-de-linde"
    # a proposal, not a load: the page links to it and offers no second button
    waiting = web.get("/protocollen/gedrag-de-linde")
    assert "De variant geldt pas na goedkeuring door een tweede persoon." in waiting.text
    owner = app.engine.users.principal("mevr.protocol")
    assert owner is not None
    (proposal,) = app.engine.proposals.list(owner)
    assert f'href="/protocollen/voorstellen/{proposal.id}"' in waiting.text
    assert "wacht op goedkeuring door een tweede persoon" in waiting.text and "Variant overnemen" not in waiting.text
    assert [p.version for p in app.engine.protocols.versions("gedrag-de-linde")] == [1]
    # a second person approves on the proposal's page
    web.cookies.clear()
    login(web, "mevr.raad")  # the bevoegd gezag
    approved = web.post(
        f"/protocollen/voorstellen/{proposal.id}/goedkeuren",
        data={"csrf": csrf_of(web, f"/protocollen/voorstellen/{proposal.id}")},
        follow_redirects=False,
    )
    assert approved.status_code == 303, approved.text
    web.cookies.clear()
    login(web, "mevr.protocol")
    after = web.get("/protocollen/gedrag-de-linde?versie=2")
    assert "Nieuwe basisversie beschikbaar" not in after.text
    assert "Verschillen met het basisprotocol grensoverschrijdend-gedrag v6" in after.text

def test_the_page_places_a_renamed_step_problem_at_its_line(app: App, web: TestClient) -> None:
    _variant(app, ROOT / "tests" / "protocols" / "gedrag-fase-twee.yaml")
    _load_v6(app, re.sub(r"\bschool_en_ouders\b", "samen_met_ouders", BASE))
    login(web, "mevr.protocol")
    page = web.get("/protocollen/gedrag-fase-twee")
    assert "De variant past niet zonder aanpassing op versie 6" in page.text
    line = re.search(r'<li id="regel-10">(.*?)</li>', page.text, re.S)
    assert line is not None and "school_en_ouders:" in line.group(1)
    assert "Regel 10, kolom 3: stap &#39;school_en_ouders&#39; staat niet meer in het basisprotocol" in line.group(1)
    assert "bedoelt u &#39;samen_met_ouders&#39;?" in line.group(1)
    assert "Variant overnemen" not in page.text
    refused = web.post(
        "/protocollen/gedrag-fase-twee/overnemen",
        data={"csrf": csrf_of(web, "/protocollen/gedrag-fase-twee")},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    assert "De variant is niet overgenomen" in web.get("/protocollen/gedrag-fase-twee").text
    assert [p.version for p in app.engine.protocols.versions("gedrag-fase-twee")] == [1]
