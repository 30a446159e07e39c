"""The meldpunt's hand-over in a real browser (issue 26): a pupil reports on a phone, the
intern begeleider hands the report over to De Linde's own stappenplan for a pupil of group
5a, the 5a teacher finds the case, the intern begeleider moves it, and the pupil sees that
it was handed over, goes on writing, and is told when the school closes the conversation.
axe-core checks every page of the logged-in tabs (the ``page`` fixture) and the phone's."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

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


@pytest.fixture
def own_limits(server: str) -> Iterator[None]:  # noqa: F811
    """This module's server gets the meldpunt's in-memory limits to itself (every test
    reports from 127.0.0.1, and the default limits are shared by the whole process)."""
    from api.web.meldpunt_pages import MemoryLimits

    WEB[server].state.meldpunt_limits = MemoryLimits()  # type: ignore[attr-defined]
    yield


def pupil_of_5a(server: str) -> str:  # noqa: F811
    """A pupil of group 5a at De Linde as the register (the demo's EDEXML import) names them."""
    app = SERVED[server]
    ib = app.engine.users.principal("mevr.smit")
    assert ib is not None
    return next(p.name for p in app.engine.pupils.choices(ib, "de-linde") if p.group == "5a")


def open_action(tab: object, trigger: str) -> object:
    form = tab.locator(f"#actie-{trigger}")  # type: ignore[attr-defined]
    if form.get_attribute("open") is None:  # the first action is already open
        form.locator("summary").click()
    return form


def follow(phone: object, server: str, code: str) -> None:  # noqa: F811
    phone.goto(server + "/melden/volgen")  # type: ignore[attr-defined]
    phone.get_by_label("Je code").fill(code)  # type: ignore[attr-defined]
    phone.get_by_role("button", name="Bekijken").click()  # type: ignore[attr-defined]


def test_a_handed_over_report_reaches_the_5a_teacher_and_the_conversation_goes_on_until_it_is_closed(
    browser: object,  # noqa: F811
    page: object,  # noqa: F811
    server: str,  # noqa: F811
    own_limits: None,
) -> None:
    expect = sync_api.expect
    pupil = pupil_of_5a(server)
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    teacher_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")  # type: ignore[attr-defined]
    phone, teacher = phone_context.new_page(), teacher_context.new_page()
    try:
        # a pupil reports on a phone
        phone.goto(server + "/melden/de-linde")
        phone.get_by_label("Wat gebeurde er?").select_option("pesten")
        phone.get_by_label("Waar gebeurde het?").select_option("plein")
        phone.get_by_label("Vertel wat er is gebeurd").fill("Ze pakken steeds mijn tas af bij het klimrek.")
        phone.get_by_role("button", name="Melding versturen").click()
        code = phone.locator("#ontvangstcode").inner_text()

        # the coordinator hands it over to the school's stappenplan, for a pupil of 5a
        log_in(page, server, "mevr.smit")
        page.get_by_role("link", name=re.compile("^Melding ")).first.click()  # type: ignore[attr-defined]
        hand_over = open_action(page, "overdragen")
        hand_over.get_by_label("Pseudoniem van de leerling om wie het gaat").fill(pupil)  # type: ignore[attr-defined]
        hand_over.get_by_label("Motivering").fill("Pesten houdt aan bij het klimrek")  # type: ignore[attr-defined]
        hand_over.get_by_label("Bericht aan de melder").fill("We pakken dit op met je juf.")  # type: ignore[attr-defined]
        hand_over.get_by_role("button").click()  # type: ignore[attr-defined]
        expect(page.locator("#huidige-stap")).to_have_text("Overgedragen aan het stappenplan")  # type: ignore[attr-defined]
        report_path = page.url.split("?")[0]  # type: ignore[attr-defined]

        # the 5a teacher finds the case, under De Linde's own stappenplan, in group 5a
        log_in(teacher, server, "juf.anna")
        teacher.get_by_role("link", name=pupil).first.click()
        expect(teacher.locator("main")).to_contain_text("Stappenplan grensoverschrijdend gedrag (De Linde)")
        expect(teacher.locator("main")).to_contain_text("groep 5a")
        expect(teacher.locator("#huidige-stap")).to_have_text("Stap 1: Ik kan het zelf")
        assert accessibility_problems(teacher) == []

        # the intern begeleider can move it: the report was the pupil's call for help
        page.locator("#gekoppelde-zaken a").first.click()  # type: ignore[attr-defined]
        expect(page.get_by_role("heading", name=pupil)).to_be_visible()  # type: ignore[attr-defined]
        open_action(page, "hulp_vragen").get_by_role("button").click()  # type: ignore[attr-defined]
        expect(page.locator("#huidige-stap")).to_have_text("Stap 2: Ik vraag hulp")  # type: ignore[attr-defined]

        # the pupil sees the truth and can still write; the coordinator is told in the app
        follow(phone, server, code)
        expect(phone.locator("#meldingstatus")).to_have_text("Overgedragen aan het stappenplan")
        expect(phone.locator("#aanspreekpunt")).to_contain_text("intern begeleider")
        expect(phone.locator("#berichten")).to_contain_text("We pakken dit op met je juf.")
        phone.get_by_label("Een bericht aan de school").fill("Vandaag ging het weer mis.")
        phone.get_by_role("button", name="Bericht versturen").click()
        expect(phone.locator("#berichten")).to_contain_text("Vandaag ging het weer mis.")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert accessibility_problems(phone) == []
        page.goto(server + "/")  # type: ignore[attr-defined]
        expect(page.locator("#meldingen")).to_contain_text("Bericht van de melder")  # type: ignore[attr-defined]
        page.locator("#meldingen").get_by_role("link", name="nieuw bericht").first.click()  # type: ignore[attr-defined]
        assert page.url == report_path  # type: ignore[attr-defined]
        answer = open_action(page, "bericht_sturen")
        answer.get_by_label("Bericht aan de melder").fill("Dank je, ik geef het door aan je juf.")  # type: ignore[attr-defined]
        answer.get_by_role("button").click()  # type: ignore[attr-defined]

        # the coordinator closes the conversation: the pupil is told and can no longer write
        closing = open_action(page, "gesprek_afsluiten")
        closing.get_by_label("Motivering").fill("Het stappenplan loopt; de juf praat met de leerlingen")  # type: ignore[attr-defined]
        closing.get_by_role("button").click()  # type: ignore[attr-defined]
        expect(page.locator("#huidige-stap")).to_have_text("Overgedragen aan het stappenplan, gesprek afgesloten")  # type: ignore[attr-defined]
        follow(phone, server, code)
        expect(phone.locator("#meldingstatus")).to_contain_text("gesprek afgesloten")
        expect(phone.locator("#berichten")).to_contain_text("Dank je, ik geef het door aan je juf.")
        expect(phone.locator("#niet-meer-schrijven")).to_contain_text("geen berichten meer")
        expect(phone.get_by_label("Een bericht aan de school")).to_have_count(0)
        assert accessibility_problems(phone) == []
    finally:
        phone_context.close()
        teacher_context.close()
