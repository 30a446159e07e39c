"""Tables of names on a 390 px phone (issue 26): no name is broken in the middle of a word
("Fin n K."), and every name cell reads the name. The meldpunt's page for staff passes
axe-core too (every page a test loads is checked)."""

from __future__ import annotations

import pytest

from api.demo import DEMO_ROSTERS, demo_edexml
from engine.access import OPERATOR
from tests.browser.test_browser import ON_BOTH_BACKENDS, SERVED, AxeWatch, browser, log_in, page, server, sideways  # noqa: F401

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = ON_BOTH_BACKENDS

# Each word of the cells' text that the browser laid out over more than one line: a range
# over the word gives one rectangle per line it occupies.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""

CELL_TEXTS = "(selector) => [...document.querySelectorAll(selector)].map(c => c.innerText.replace(/\\s+/g, ' ').trim())"


def _departures_proposed(server: str) -> list[str]:  # noqa: F811
    """A later export of De Linde without its last pupils: they are proposed as departed."""
    from adapters.imports import read_edexml

    engine = SERVED[server].engine
    roster = read_edexml(demo_edexml(DEMO_ROSTERS["de-linde"], 12, first_number=1000, leave_out=4), "EDEX-later.xml")
    return list(engine.pupils.import_roster(OPERATOR, "de-linde", roster).proposed_departures)


def _phone(browser: object, server: str) -> tuple[object, AxeWatch]:  # noqa: F811
    """A tab on a 390 px phone; axe-core checks every page it loads."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    watch = AxeWatch(server)
    tab.on("load", watch)
    return tab, watch


def test_names_in_tables_are_never_broken_mid_word_on_a_390_px_phone(browser: object, server: str) -> None:  # noqa: F811
    proposed = _departures_proposed(server)
    assert proposed
    phone, watch = _phone(browser, server)
    try:
        log_in(phone, server, "dhr.bos")
        # the case list: the pupil or melder of each case
        assert phone.evaluate(BROKEN_WORDS, "main table tbody td:first-child") == []  # type: ignore[attr-defined]
        case = phone.locator("main table tbody td:first-child a").first.get_attribute("href")  # type: ignore[attr-defined]
        # the pupils, and those proposed as departed (a narrow column beside the form)
        phone.goto(server + "/leerlingen")  # type: ignore[attr-defined]
        names = phone.evaluate(CELL_TEXTS, "#voorgesteld + table tbody td:first-child")  # type: ignore[attr-defined]
        assert sorted(names) == sorted(proposed)
        assert phone.evaluate(BROKEN_WORDS, "#voorgesteld + table tbody td:first-child") == []  # type: ignore[attr-defined]
        assert phone.evaluate(BROKEN_WORDS, "main table tbody td:first-child") == []  # type: ignore[attr-defined]
        # a case's history: who did what
        phone.goto(server + case)  # type: ignore[attr-defined]
        people = phone.evaluate(CELL_TEXTS, "main > table:last-of-type tbody td:nth-child(3)")  # type: ignore[attr-defined]
        assert people and all("(" in p for p in people), people  # a name and the role it acted in
        assert phone.evaluate(BROKEN_WORDS, "main > table:last-of-type tbody td:nth-child(3)") == []  # type: ignore[attr-defined]
        phone.context.clear_cookies()  # type: ignore[attr-defined]
        # who opened which case, for the privacy officer
        log_in(phone, server, "dhr.privacy")
        phone.goto(server + "/privacy/toegang")  # type: ignore[attr-defined]
        viewers = phone.evaluate(CELL_TEXTS, "main > table:first-of-type tbody td:nth-child(2)")  # type: ignore[attr-defined]
        assert "Peter Bos (directeur De Linde)" in viewers
        assert phone.evaluate(BROKEN_WORDS, "main > table:first-of-type tbody td:nth-child(2)") == []  # type: ignore[attr-defined]
        phone.context.clear_cookies()  # type: ignore[attr-defined]
        # the meldpunt's page for staff fits the phone too
        phone.goto(server + "/melden/de-linde?voor=medewerker")  # type: ignore[attr-defined]
        assert sideways(phone) is None
        watch(phone)
        assert watch.found == {}, watch.found
    finally:
        phone.context.close()  # type: ignore[attr-defined]


def test_the_meldpunts_page_for_staff_offers_the_whistleblower_regulations(page: object, server: str) -> None:  # noqa: F811
    expect = sync_api.expect
    page.goto(server + "/melden/de-linde")  # type: ignore[attr-defined]
    expect(page.locator("#protocol")).to_have_count(0)  # type: ignore[attr-defined]  # only the meldpunt: no choice
    page.get_by_role("link", name="Melden als medewerker").click()  # type: ignore[attr-defined]
    expect(page.locator("#protocol option")).to_have_count(3)  # type: ignore[attr-defined]
    expect(page.get_by_label("Bij wie of via wie meld je?")).to_be_visible()  # type: ignore[attr-defined]
