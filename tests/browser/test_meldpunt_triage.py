"""Triage of a meldpunt report in a real browser (issue 29): a pupil reports under a
category of the board's triage data, the report is routed by it (the vertrouwenspersoon
it went to is told on the start page), the coordinator corrects the category, answers with
an edited standard answer that the pupil reads on the follow page, and splits the report
into two linked cases; once the report is closed the pupil answers the satisfaction
question. axe-core checks the pages (the ``page`` fixture's watch and explicit checks)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.access import OPERATOR
from tests.browser.test_browser import (  # noqa: F401
    ON_BOTH_BACKENDS,
    SERVED,
    WEB,
    accessibility_problems,
    browser,
    log_in,
    page,
    server,
)

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = ON_BOTH_BACKENDS
DATA = Path(__file__).resolve().parents[2] / "protocols" / "categorieen" / "meldpunt.yaml"


@pytest.fixture
def triaged(server: str) -> Iterator[None]:  # noqa: F811
    """This module's server: its own meldpunt limits, and the demo board's triage data."""
    from api.web.meldpunt_pages import MemoryLimits

    WEB[server].state.meldpunt_limits = MemoryLimits()  # type: ignore[attr-defined]
    SERVED[server].engine.triage.load(OPERATOR, DATA.read_text(encoding="utf-8"), "meldpunt.yaml")
    yield


def follow(phone: object, server: str, code: str) -> None:  # noqa: F811
    phone.goto(server + "/melden/volgen")  # type: ignore[attr-defined]
    phone.get_by_label("Je code").fill(code)  # type: ignore[attr-defined]
    phone.get_by_role("button", name="Bekijken").click()  # type: ignore[attr-defined]


def test_a_report_is_routed_by_its_category_answered_with_a_standard_answer_and_split(
    browser: object,  # noqa: F811
    page: object,  # noqa: F811
    server: str,  # noqa: F811
    triaged: None,
) -> None:
    expect = sync_api.expect
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    vp_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")  # type: ignore[attr-defined]
    phone, vp = phone_context.new_page(), vp_context.new_page()
    try:
        # a pupil reports, choosing a category in words a child understands
        phone.goto(server + "/melden/de-linde")
        phone.get_by_label("Waar gaat je melding over?").select_option(
            label="Iemand raakt je aan of laat je dingen zien die je niet wilt"
        )
        phone.get_by_label("Vertel wat er is gebeurd").fill("Twee jongens uit groep 8 doen steeds vervelend bij de wc.")
        assert accessibility_problems(phone) == []
        phone.get_by_role("button", name="Melding versturen").click()
        code = phone.locator("#ontvangstcode").inner_text()

        # routed by its category: the vertrouwenspersoon is told on the start page
        log_in(vp, server, "mevr.vp")
        expect(vp.locator("#meldingen")).to_contain_text("Melding naar u doorgestuurd")
        assert accessibility_problems(vp) == []

        # the coordinator corrects the category
        log_in(page, server, "mevr.smit")
        page.get_by_role("link", name=re.compile("^Melding ")).first.click()  # type: ignore[attr-defined]
        page.locator("#triage-link").click()  # type: ignore[attr-defined]
        expect(page.locator("#behandelaars")).to_contain_text("vertrouwenspersoon")  # type: ignore[attr-defined]
        page.get_by_label("Categorie corrigeren").select_option("pesten")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Categorie corrigeren").click()  # type: ignore[attr-defined]
        expect(page.locator("#categorie-nu")).to_have_text("Iemand pest mij of een ander")  # type: ignore[attr-defined]
        expect(page.locator("#behandelaars")).to_have_text("intern begeleider")  # type: ignore[attr-defined]
        assert accessibility_problems(page) == []

        # ... and answers with a standard answer, edited before sending
        page.get_by_label("Standaardantwoord").select_option(label="Uitnodiging voor een gesprek")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Overnemen").click()  # type: ignore[attr-defined]
        answer = page.get_by_label(re.compile("^Bericht aan de melder"))  # type: ignore[attr-defined]
        expect(answer).to_contain_text("Basisschool De Linde")
        answer.fill(answer.input_value() + " Morgen om 10 uur kan het ook.")
        page.get_by_role("button", name="Bericht versturen").click()  # type: ignore[attr-defined]
        expect(page.get_by_role("status")).to_contain_text("Bericht aan de melder verstuurd")  # type: ignore[attr-defined]

        # ... and splits it into two cases
        for n, (pupil, what) in enumerate([("Jesse B.", "Jesse doet vervelend bij de wc."), ("Milan V.", "Milan filmt het.")], 1):
            page.get_by_label("Leerling (zoals de leerlingenlijst die kent)").nth(n - 1).fill(pupil)  # type: ignore[attr-defined]
            page.get_by_label("Wat er speelt").nth(n - 1).fill(what)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Splitsen").click()  # type: ignore[attr-defined]
        expect(page.get_by_role("status")).to_contain_text("Melding gesplitst in 2 zaken")  # type: ignore[attr-defined]
        page.get_by_role("link", name="Terug naar de melding").click()  # type: ignore[attr-defined]
        expect(page.locator("#gekoppelde-zaken a")).to_have_count(2)  # type: ignore[attr-defined]
        expect(page.locator("main")).to_contain_text("Gesplitst in 2 zaken")  # type: ignore[attr-defined]

        # the pupil reads the answer
        follow(phone, server, code)
        expect(phone.locator("#berichten")).to_contain_text("Morgen om 10 uur kan het ook.")
        expect(phone.locator("#berichten")).to_contain_text("We willen graag met je praten")

        # the coordinator closes the report; the pupil answers the satisfaction question once
        close = page.locator("#actie-afsluiten")  # type: ignore[attr-defined]
        if close.get_attribute("open") is None:
            close.locator("summary").click()
        close.get_by_label("Motivering").fill("Gesplitst in twee zaken; de gesprekken lopen.")
        close.get_by_role("button").click()
        expect(page.locator("#huidige-stap")).to_have_text("Afgesloten")  # type: ignore[attr-defined]
        follow(phone, server, code)
        phone.get_by_label(re.compile("Tevreden$")).first.check()
        phone.get_by_label("Wil je nog iets zeggen?").fill("Fijn dat het snel ging.")
        assert accessibility_problems(phone) == []
        phone.get_by_role("button", name="Antwoord versturen").click()
        expect(phone.locator("#tevredenheid-bedankt")).to_contain_text("4 van 5")
        expect(phone.locator("#tevredenheid")).to_have_count(0)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert accessibility_problems(phone) == []
    finally:
        phone_context.close()
        vp_context.close()
