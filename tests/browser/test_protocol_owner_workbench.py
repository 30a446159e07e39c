"""The protocol owner's workbench end to end in a real browser (issue 27, acceptance): a school's
protocol owner builds a variant in the editor (a count guard, a weekly check-in, a linked case),
sees a live error at its field and fixes it, tries it over a simulated month (Proefdraaien) and
proposes it; the bevoegd gezag approves it. Then the board's protocol owner loads a new version
of the base through the upload form; the school's owner is told on the start page, sees on the
protocol page what the base changed and the variant on the new version, carries it over (which
proposes it: its scenarios run on the new version), and the bevoegd gezag approves again: the
variant follows the new base. axe-core checks every page load (the ``page`` fixture). On SQLite
and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.demo import BOARD, DEMO_PASSWORD
from engine.access import PROTOCOL_OWNER, Membership
from tests.browser.test_browser import (  # noqa: F401
    ON_BOTH_BACKENDS,
    SERVED,
    accessibility_problems,
    browser,
    log_in,
    page,
    server,
)
from tests.browser.test_protocol_editor import SCENARIO, _fill, _log_out

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = ON_BOTH_BACKENDS

BASE = Path(__file__).parents[2] / "protocols" / "grensoverschrijdend-gedrag.yaml"
OWNER = "mw.anker"  # protocol owner of Het Anker only
VARIANT = "gedrag-het-anker"


def _new_base(tmp_path: Path) -> Path:
    """Version 6 of the base: one more version, and stap 4 worded anew."""
    text = BASE.read_text(encoding="utf-8")
    text = re.sub(r"^version: 5$", "version: 6", text, count=1, flags=re.M)
    text, n = re.subn(r'label: "Stap 4: ([^"]*)"', r'label: "Stap 4: \1 (herzien)"', text, count=1)
    assert n == 1, "stap 4's label is not where this test expects it"
    path = tmp_path / "grensoverschrijdend-gedrag-v6.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _approve(tab: object, server: str, proposal_url: str, published: str) -> None:  # noqa: F811
    """The bevoegd gezag approves a proposal from today: it is published at once."""
    _log_out(tab)
    log_in(tab, server, "mevr.raad")
    tab.goto(proposal_url)  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Goedkeuren").click()  # type: ignore[attr-defined]
    sync_api.expect(tab.locator("#melding")).to_contain_text(f"Goedgekeurd en gepubliceerd: {published}")  # type: ignore[attr-defined]


def test_an_owner_builds_proposes_and_carries_a_variant_onto_a_new_base(
    page: object, server: str, tmp_path: Path  # noqa: F811
) -> None:
    expect = sync_api.expect
    tab = page
    app = SERVED[server]
    app.engine.users.add(OWNER, "Mirjam Anker (protocolbeheer Het Anker)", BOARD, DEMO_PASSWORD, [Membership(PROTOCOL_OWNER, "het-anker")])

    # --- the owner builds the variant in the editor -------------------------------------
    log_in(tab, server, OWNER)
    tab.get_by_role("link", name="Protocollen").click()  # type: ignore[attr-defined]
    tab.get_by_role("link", name="Stappenplan grensoverschrijdend gedrag", exact=True).click()  # type: ignore[attr-defined]
    tab.get_by_role("link", name="Een schoolvariant maken").click()  # type: ignore[attr-defined]
    # the owner of one school's protocols goes straight to the editor for that school
    expect(tab.get_by_role("heading", name="Schoolvariant bewerken", exact=True)).to_be_visible()  # type: ignore[attr-defined]
    expect(tab.locator("main")).to_contain_text("Voor Openbare Basisschool Het Anker")  # type: ignore[attr-defined]
    tab.locator("#id").fill(VARIANT)  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Stap toevoegen").click()  # type: ignore[attr-defined]
    _fill(tab, {"steps-0-id": "wekelijks", "steps-0-label": "Wekelijkse gesprekken"})
    tab.get_by_role("button", name="Timer toevoegen aan stap").click()  # type: ignore[attr-defined]
    _fill(tab, {  # the weekly check-in
        "steps-0-timers-0-id": "weekgesprek",
        "steps-0-timers-0-label": "Kort gesprek over de afspraken",
        "steps-0-timers-0-after": "0 dagen",
        "steps-0-timers-0-basis": "Schoolplan Het Anker",
        "steps-0-timers-0-every": "5 schooldagen",
        "steps-0-timers-0-anchor": "vrijdag",
        "steps-0-timers-0-times": "6",
        "steps-0-timers-0-escalate": "leerkracht",
    })
    tab.get_by_role("button", name="Actie toevoegen").click()  # type: ignore[attr-defined]
    _fill(tab, {  # the count guard: at most twice
        "actions-0-trigger": "wekelijks_volgen",
        "actions-0-label": "Wekelijks volgen",
        "actions-0-from": "samen_oplossing",
        "actions-0-to": "wekelijks",
        "actions-0-roles": "leerkracht",
        "actions-0-requires": "motivering",
        "actions-0-count": "wekelijks_volgen",
        "actions-0-count_max": "2",
    })
    tab.get_by_role("button", name="Actie toevoegen").click()  # type: ignore[attr-defined]
    _fill(tab, {  # the linked case
        "actions-1-trigger": "meldcode_starten",
        "actions-1-label": "Zorgen thuis: de meldcode starten",
        "actions-1-from": "wekelijks",
        "actions-1-roles": "leerkracht",
        "actions-1-requires": "motivering",
        "actions-1-opens": "meldcode-hgkm",
        "actions-1-to": "school_en_ouders",
    })
    # a live error at its field, then fixed
    count = tab.locator("#actions-0-count_max")  # type: ignore[attr-defined]
    every = tab.locator("#steps-0-timers-0-every")  # type: ignore[attr-defined]
    every.fill("5 schooldagn")
    error = tab.locator("#steps-0-timers-0-every-fout")  # type: ignore[attr-defined]
    expect(error).to_contain_text("'schooldagn'")
    expect(every).to_have_attribute("aria-invalid", "true")
    expect(tab.locator("#controle-status")).to_contain_text("1 probleem")  # type: ignore[attr-defined]
    assert accessibility_problems(tab) == []
    every.fill("5 schooldagen")
    expect(error).to_have_count(0)
    expect(tab.locator("#controle-status")).to_have_text("In orde: de variant kan worden opgeslagen.")  # type: ignore[attr-defined]
    expect(count).to_have_value("2")
    expect(tab.locator("#verschillen")).to_contain_text("+ stap wekelijks: Wekelijkse gesprekken")  # type: ignore[attr-defined]

    # Proefdraaien over a simulated month
    tab.get_by_label("Proefscenario's (naam, gegeven, als, dan)").fill(SCENARIO.format(step="wekelijks"))  # type: ignore[attr-defined]
    tab.get_by_label("Laat de tijd doorlopen tot (optioneel)").fill("2026-04-03")  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Proefdraaien").click()  # type: ignore[attr-defined]
    result = tab.locator("#proefresultaat")  # type: ignore[attr-defined]
    expect(result).to_contain_text("1 van 1 proefscenario's geslaagd; de tijd liep door tot 3 april 2026")
    expect(tab.get_by_role("table", name="Agenda van ‘Wekelijks volgen’: wie wat moest doen en wanneer")).to_contain_text(  # type: ignore[attr-defined]
        "Kort gesprek over de afspraken"
    )

    # proposed, and approved by a second person
    tab.get_by_role("button", name="Ter goedkeuring voorstellen").first.click()  # type: ignore[attr-defined]
    expect(tab.locator("#melding")).to_have_text("Voorstel ingediend; wacht op goedkeuring door een tweede persoon.")  # type: ignore[attr-defined]
    first_proposal = tab.url.split("?")[0].split("#")[0]  # type: ignore[attr-defined]
    _approve(tab, server, first_proposal, f"{VARIANT} versie 1")

    # --- the board's protocol owner loads a new base version ----------------------------
    _log_out(tab)
    log_in(tab, server, "mevr.protocol")
    tab.get_by_role("link", name="Protocollen").click()  # type: ignore[attr-defined]
    tab.get_by_label("Protocolbestand (YAML)").set_input_files(str(_new_base(tmp_path)))  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Controleren en voorstellen").click()  # type: ignore[attr-defined]
    expect(tab.locator("#melding")).to_have_text("Voorstel ingediend; wacht op goedkeuring door een tweede persoon.")  # type: ignore[attr-defined]
    _approve(tab, server, tab.url.split("?")[0].split("#")[0], "grensoverschrijdend-gedrag versie 6")  # type: ignore[attr-defined]

    # --- the school's owner is told, sees the changes and carries the variant over -------
    _log_out(tab)
    log_in(tab, server, OWNER)
    notices = tab.locator("#meldingen")  # type: ignore[attr-defined]
    expect(notices).to_contain_text("Nieuwe basisversie beschikbaar")
    notices.locator(f'a[href="/protocollen/{VARIANT}"]').click()
    section = tab.locator("#nieuwe-basisversie")  # type: ignore[attr-defined]
    expect(section).to_contain_text("Deze variant volgt grensoverschrijdend-gedrag versie 5; het bestuur heeft versie 6 geladen.")
    expect(tab.locator("#basiswijzigingen")).to_contain_text("(herzien)")  # type: ignore[attr-defined]
    expect(tab.locator("#overname-status")).to_contain_text("De variant past op de nieuwe versie")  # type: ignore[attr-defined]
    tab.get_by_text("De tekst van de variant op versie 6").click()  # type: ignore[attr-defined]
    expect(tab.locator("#overname-tekst")).to_contain_text("version: 6")  # type: ignore[attr-defined]
    expect(tab.locator("#overname-tekst")).to_contain_text("wekelijks_volgen")  # type: ignore[attr-defined]
    assert accessibility_problems(tab) == []
    tab.get_by_role("button", name="Variant overnemen op versie 6").click()  # type: ignore[attr-defined]
    # a proposal, not a load: the page links to it, and the variant still follows version 5
    expect(tab.locator("#geladen")).to_contain_text("De variant geldt pas na goedkeuring door een tweede persoon.")  # type: ignore[attr-defined]
    expect(tab.locator("#overname-status")).to_contain_text("wacht op goedkeuring door een tweede persoon")  # type: ignore[attr-defined]
    expect(tab.get_by_role("button", name="Variant overnemen op versie 6")).to_have_count(0)  # type: ignore[attr-defined]
    assert accessibility_problems(tab) == []
    tab.get_by_role("link", name="Bekijk het voorstel").click()  # type: ignore[attr-defined]
    expect(tab.locator("#stand")).to_have_text("wacht op beoordeling")  # type: ignore[attr-defined]
    expect(tab.locator("#verschillen")).to_contain_text("Stap 4: School en ouders werken samen (herzien)")  # type: ignore[attr-defined]
    expect(tab.get_by_role("button", name="Goedkeuren")).to_have_count(0)  # type: ignore[attr-defined]
    second_proposal = tab.url.split("?")[0].split("#")[0]  # type: ignore[attr-defined]
    assert second_proposal != first_proposal
    assert [p.version for p in app.engine.protocols.versions(VARIANT)] == [1]

    # --- a second person approves: the variant now follows version 6 ---------------------
    _approve(tab, server, second_proposal, f"{VARIANT} versie 2")
    _log_out(tab)
    log_in(tab, server, OWNER)
    tab.goto(f"{server}/protocollen/{VARIANT}")  # type: ignore[attr-defined]
    expect(tab.locator("main")).to_contain_text(f"{VARIANT} versie 2")  # type: ignore[attr-defined]
    expect(tab.get_by_role("heading", name="Verschillen met het basisprotocol grensoverschrijdend-gedrag v6")).to_be_visible()  # type: ignore[attr-defined]
    expect(tab.locator("#nieuwe-basisversie")).to_have_count(0)  # type: ignore[attr-defined]
    expect(tab.locator("#verschillen")).to_contain_text("+ stap wekelijks")  # type: ignore[attr-defined]
