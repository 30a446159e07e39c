"""The protocol owner's editor in a real browser (issue 27, items 1–3): a school variant built
in the form, checked while typing with the problem at its field, the diagram and the diff
marking what the variant changes, tried (Proefdraaien: its scenarios and a simulated month,
a scenario's mistake told at its line in the text box), downloaded and proposed; a second
person (the bevoegd gezag) approves it, after which it is the school's protocol. By keyboard
alone too. axe-core checks every page load (the ``page`` fixture) and the states the live
check produces. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_browser import (  # noqa: F401
    ON_BOTH_BACKENDS,
    AxeWatch,
    accessibility_problems,
    browser,
    log_in,
    page,
    server,
    sideways,
)

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = ON_BOTH_BACKENDS

SCENARIO = """- naam: Wekelijks volgen
  gegeven: zaak geopend op 2026-03-02 door leerkracht
  als:
    - leerkracht doet hulp_vragen op 2026-03-02
    - leerkracht doet samen_oplossen met motivering="gesprek gevoerd" op 2026-03-03
    - leerkracht doet wekelijks_volgen met motivering="afspraken gemaakt" op 2026-03-04
  dan:
    - zaak staat in stap {step}"""


def _log_out(tab: object) -> None:
    tab.get_by_role("button", name="Uitloggen").click()  # type: ignore[attr-defined]
    sync_api.expect(tab.get_by_label("Gebruikersnaam")).to_be_visible()  # type: ignore[attr-defined]


def _open_editor(tab: object, server: str, school: str = "Openbare Basisschool Het Anker") -> None:  # noqa: F811
    expect = sync_api.expect
    log_in(tab, server, "mevr.protocol")
    tab.get_by_role("link", name="Protocollen").click()  # type: ignore[attr-defined]
    tab.get_by_role("link", name="Stappenplan grensoverschrijdend gedrag", exact=True).click()  # type: ignore[attr-defined]
    tab.get_by_role("link", name="Een schoolvariant maken").click()  # type: ignore[attr-defined]
    tab.get_by_label("Voor welke school?").select_option(label=school)  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Bewerken").click()  # type: ignore[attr-defined]
    expect(tab.get_by_role("heading", name="Schoolvariant bewerken", exact=True)).to_be_visible()  # type: ignore[attr-defined]


def _fill(tab: object, values: dict[str, str]) -> None:
    for name, value in values.items():
        control = tab.locator(f"#{name}")  # type: ignore[attr-defined]
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def test_a_protocol_owner_builds_a_variant_sees_a_live_error_at_its_field_saves_and_downloads(
    page: object, server: str, tmp_path: Path  # noqa: F811
) -> None:
    expect = sync_api.expect
    tab = page
    _open_editor(tab, server)
    expect(tab.locator("#id")).to_have_value("grensoverschrijdend-gedrag-het-anker")  # type: ignore[attr-defined]
    tab.locator("#id").fill("gedrag-het-anker")  # type: ignore[attr-defined]

    # a step with a weekly check-in (a recurring timer)
    tab.get_by_role("button", name="Stap toevoegen").click()  # type: ignore[attr-defined]
    expect(tab.locator("#steps-0-id")).to_be_focused()  # type: ignore[attr-defined]
    _fill(tab, {"steps-0-id": "wekelijks", "steps-0-label": "Wekelijkse gesprekken"})
    tab.get_by_role("button", name="Timer toevoegen aan stap").click()  # type: ignore[attr-defined]
    expect(tab.locator("#steps-0-timers-0-id")).to_be_focused()  # type: ignore[attr-defined]
    _fill(tab, {
        "steps-0-timers-0-id": "weekgesprek",
        "steps-0-timers-0-label": "Kort gesprek over de afspraken",
        "steps-0-timers-0-after": "0 dagen",
        "steps-0-timers-0-basis": "Schoolplan Het Anker",
        "steps-0-timers-0-every": "5 schooldagen",
        "steps-0-timers-0-anchor": "vrijdag",
        "steps-0-timers-0-times": "6",
        "steps-0-timers-0-escalate": "leerkracht",
    })
    # an action counted ("at most twice before") and one that opens a linked case
    tab.get_by_role("button", name="Actie toevoegen").click()  # type: ignore[attr-defined]
    _fill(tab, {
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
    _fill(tab, {
        "actions-1-trigger": "meldcode_starten",
        "actions-1-label": "Zorgen thuis: de meldcode starten",
        "actions-1-from": "wekelijks",
        "actions-1-roles": "leerkracht",
        "actions-1-requires": "motivering",
        "actions-1-opens": "meldcode-hgkm",
        "actions-1-to": "school_en_ouders",
    })

    # a mistake, checked while typing, placed at its field
    after = tab.locator("#steps-0-timers-0-after")  # type: ignore[attr-defined]
    after.fill("0 dagn")
    error = tab.locator("#steps-0-timers-0-after-fout")  # type: ignore[attr-defined]
    expect(error).to_contain_text("onbekende eenheid 'dagn'")
    expect(after).to_have_attribute("aria-invalid", "true")
    expect(after).to_have_attribute("aria-describedby", "steps-0-timers-0-after-hint steps-0-timers-0-after-fout")
    expect(tab.locator("#controle-status")).to_contain_text("1 probleem")  # type: ignore[attr-defined]
    assert accessibility_problems(tab) == []
    after.fill("0 dagen")
    expect(error).to_have_count(0)
    expect(after).not_to_have_attribute("aria-invalid", "true")
    expect(tab.locator("#controle-status")).to_have_text("In orde: de variant kan worden opgeslagen.")  # type: ignore[attr-defined]

    # the diagram marks the new step and actions; the diff lists them
    expect(tab.locator('#diagram-variant g.stap.nieuw[data-stap="wekelijks"]')).to_have_count(1)  # type: ignore[attr-defined]
    expect(tab.locator("#diagram-variant path.nieuw").first).to_be_attached()  # type: ignore[attr-defined]
    differences = tab.locator("#verschillen")  # type: ignore[attr-defined]
    expect(differences).to_contain_text("+ stap wekelijks: Wekelijkse gesprekken")
    expect(differences).to_contain_text("+ termijn weekgesprek")
    expect(differences).to_contain_text("+ actie meldcode_starten")
    assert accessibility_problems(tab) == []

    # the YAML, downloaded
    with tab.expect_download() as caught:  # type: ignore[attr-defined]
        tab.get_by_role("button", name="YAML downloaden").click()  # type: ignore[attr-defined]
    downloaded = tmp_path / "variant.yaml"
    caught.value.save_as(downloaded)
    text = downloaded.read_text(encoding="utf-8")
    assert "extends: {id: grensoverschrijdend-gedrag, version: 5}" in text
    assert "every: 5 schooldagen" in text and "anchor: vrijdag" in text
    assert "when: {count: wekelijks_volgen, at_most: 2}" in text
    assert "opens: {protocol: meldcode-hgkm}" in text

    # Proefdraaien: a scenario with a mistake in its language, told at its line in the box
    box = tab.get_by_label("Proefscenario's (naam, gegeven, als, dan)")  # type: ignore[attr-defined]
    box.fill(SCENARIO.format(step="wekelijks").replace("doet hulp_vragen op", "doet hulp_vragen rond"))
    tab.get_by_role("button", name="Proefdraaien").click()  # type: ignore[attr-defined]
    problems = tab.locator("#proefscenarios-meldingen")  # type: ignore[attr-defined]
    expect(problems).to_contain_text("proefscenarios:4:")
    expect(box).to_have_attribute("aria-invalid", "true")
    assert accessibility_problems(tab) == []
    # a scenario that fails its check, then passes; run on for a simulated month
    tab.get_by_label("Proefscenario's (naam, gegeven, als, dan)").fill(SCENARIO.format(step="samen_oplossing"))  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Proefdraaien").click()  # type: ignore[attr-defined]
    result = tab.locator("#proefresultaat")  # type: ignore[attr-defined]
    expect(result).to_contain_text("0 van 1 proefscenario's geslaagd")
    expect(result).to_contain_text("de zaak staat in stap wekelijks")
    tab.get_by_label("Proefscenario's (naam, gegeven, als, dan)").fill(SCENARIO.format(step="wekelijks"))  # type: ignore[attr-defined]
    tab.get_by_label("Laat de tijd doorlopen tot (optioneel)").fill("2026-04-03")  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Proefdraaien").click()  # type: ignore[attr-defined]
    expect(result).to_contain_text("1 van 1 proefscenario's geslaagd; de tijd liep door tot 3 april 2026")
    agenda = tab.get_by_role("table", name="Agenda van ‘Wekelijks volgen’: wie wat moest doen en wanneer")  # type: ignore[attr-defined]
    expect(agenda).to_contain_text("Kort gesprek over de afspraken")
    expect(agenda).to_contain_text("zaak geopend")
    assert accessibility_problems(tab) == []

    # saved: a proposal, not yet the school's protocol
    tab.get_by_role("button", name="Ter goedkeuring voorstellen").first.click()  # type: ignore[attr-defined]
    expect(tab.locator("#melding")).to_have_text("Voorstel ingediend; wacht op goedkeuring door een tweede persoon.")  # type: ignore[attr-defined]
    proposal_url = tab.url  # type: ignore[attr-defined]
    expect(tab.locator("#stand")).to_have_text("wacht op beoordeling")  # type: ignore[attr-defined]
    expect(tab.locator("#verschillen")).to_contain_text("+ stap wekelijks")  # type: ignore[attr-defined]
    # the proposer sees it, without an approve button; posting one anyway is refused in Dutch
    expect(tab.get_by_role("button", name="Goedkeuren")).to_have_count(0)  # type: ignore[attr-defined]
    expect(tab.locator("#eigen-voorstel")).to_contain_text("Een tweede persoon beoordeelt het")  # type: ignore[attr-defined]
    # and tries it as proposed
    tab.get_by_role("button", name="Proefdraaien").click()  # type: ignore[attr-defined]
    expect(tab.locator("#proefresultaat")).to_contain_text("1 van 1 proefscenario's geslaagd")  # type: ignore[attr-defined]
    tab.evaluate(  # type: ignore[attr-defined]
        """url => { const f = document.createElement('form'); f.method = 'post'; f.action = url + '/goedkeuren';
             const c = document.createElement('input'); c.type = 'hidden'; c.name = 'csrf'; c.value = document.querySelector('input[name=csrf]').value;
             f.appendChild(c); document.body.appendChild(f); f.submit(); }""",
        proposal_url.split("?")[0].split("#")[0],
    )
    expect(tab.locator("main")).to_contain_text("u heeft dit voorstel zelf gedaan")  # type: ignore[attr-defined]
    tab.goto(proposal_url)  # type: ignore[attr-defined]
    expect(tab.locator("#stand")).to_have_text("wacht op beoordeling")  # type: ignore[attr-defined]

    # a second person, the bevoegd gezag, hears of it, approves it from today: it is published
    _log_out(tab)
    log_in(tab, server, "mevr.raad")
    tab.locator("#meldingen").get_by_role("link", name="voorstel voor gedrag-het-anker").first.click()  # type: ignore[attr-defined]
    expect(tab.locator("#verschillen")).to_contain_text("+ stap wekelijks")  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Goedkeuren").click()  # type: ignore[attr-defined]
    expect(tab.locator("#melding")).to_contain_text("Goedgekeurd en gepubliceerd: gedrag-het-anker versie 1")  # type: ignore[attr-defined]
    expect(tab.locator("#stand")).to_contain_text("gepubliceerd: versie 1")  # type: ignore[attr-defined]

    # the proposer hears of it; the variant is the school's protocol, its scenario stored with it
    _log_out(tab)
    log_in(tab, server, "mevr.protocol")
    tab.locator("#meldingen").get_by_role("link", name="voorstel voor gedrag-het-anker").first.click()  # type: ignore[attr-defined]
    tab.get_by_role("link", name="bekijken").click()  # type: ignore[attr-defined]
    expect(tab.get_by_role("heading", name="Stappenplan grensoverschrijdend gedrag (Openbare Basisschool Het Anker)")).to_be_visible()  # type: ignore[attr-defined]
    expect(tab.locator("#verschillen")).to_contain_text("+ stap wekelijks")  # type: ignore[attr-defined]
    with tab.expect_download() as stored:  # type: ignore[attr-defined]
        tab.get_by_role("link", name="YAML downloaden").click()  # type: ignore[attr-defined]
    stored.value.save_as(tmp_path / "stored.yaml")
    kept = (tmp_path / "stored.yaml").read_text(encoding="utf-8")
    assert kept.startswith(text.rstrip("\n")) and "proefscenarios:\n  - naam: Wekelijks volgen" in kept

    # and opened again in the editor as its next version, with its scenario in the box
    tab.get_by_role("link", name="Deze variant bewerken").click()  # type: ignore[attr-defined]
    expect(tab.locator("#version")).to_have_value("2")  # type: ignore[attr-defined]
    expect(tab.locator("#steps-0-timers-0-every")).to_have_value("5 schooldagen")  # type: ignore[attr-defined]
    expect(tab.locator("#actions-0-count_max")).to_have_value("2")  # type: ignore[attr-defined]
    expect(tab.locator("#proefscenarios")).to_contain_text("naam: Wekelijks volgen")  # type: ignore[attr-defined]


def test_an_action_that_starts_an_obligation_is_set_in_the_form_with_a_live_error_at_its_field(
    page: object, server: str  # noqa: F811
) -> None:
    expect = sync_api.expect
    tab = page
    _open_editor(tab, server)
    tab.get_by_role("button", name="Actie toevoegen").click()  # type: ignore[attr-defined]
    _fill(tab, {
        "actions-0-trigger": "zorgen_melden",
        "actions-0-label": "Zorgen gemeld: de ouders worden gebeld",
        "actions-0-from": "samen_oplossing",
        "actions-0-roles": "leerkracht",
        "actions-0-requires": "motivering",
    })
    tab.get_by_role("button", name="Verplichting toevoegen aan actie").click()  # type: ignore[attr-defined]
    expect(tab.locator("#actions-0-obligations-0-id")).to_be_focused()  # type: ignore[attr-defined]
    expect(tab.locator("#actions-0-trigger")).to_have_value("zorgen_melden")  # type: ignore[attr-defined]
    _fill(tab, {
        "actions-0-obligations-0-id": "ouders_gebeld",
        "actions-0-obligations-0-label": "Ouders gebeld",
        "actions-0-obligations-0-after": "2 werkdagen",
        "actions-0-obligations-0-basis": "Schoolplan Het Anker",
        "actions-0-obligations-0-roles": "leerkracht",
    })
    start = tab.get_by_label("Vanaf", exact=True).last  # type: ignore[attr-defined]
    expect(start).to_have_id("actions-0-obligations-0-from")
    start.fill("melding_doen")  # neither a date field nor an action
    error = tab.locator("#actions-0-obligations-0-from-fout")  # type: ignore[attr-defined]
    expect(error).to_contain_text("'melding_doen' is geen invoerveld van type datum, geen actie")
    expect(start).to_have_attribute("aria-invalid", "true")
    expect(tab.locator("#controle-status")).to_contain_text("1 probleem")  # type: ignore[attr-defined]
    assert accessibility_problems(tab) == []

    start.fill("zorgen_melden")  # from the moment of the action itself, named
    expect(error).to_have_count(0)
    expect(tab.locator("#controle-status")).to_have_text("In orde: de variant kan worden opgeslagen.")  # type: ignore[attr-defined]
    expect(tab.locator("#verschillen")).to_contain_text("+ termijn ouders_gebeld: Ouders gebeld")  # type: ignore[attr-defined]
    written = tab.locator("#yaml-voorbeeld").text_content()  # type: ignore[attr-defined]
    assert "obligations:" in written and "- id: ouders_gebeld" in written
    assert "from: zorgen_melden" in written and "roles: [leerkracht]" in written
    assert accessibility_problems(tab) == []


def test_the_yaml_view_checks_the_same_way_and_goes_back_to_the_form(page: object, server: str) -> None:  # noqa: F811
    expect = sync_api.expect
    tab = page
    _open_editor(tab, server, school="Basisschool De Linde")
    tab.locator("#id").fill("gedrag-de-linde-proef")  # type: ignore[attr-defined]
    tab.get_by_role("button", name="YAML bewerken").click()  # type: ignore[attr-defined]
    text = tab.get_by_label("De variant in YAML")  # type: ignore[attr-defined]
    written = text.input_value()
    assert "id: gedrag-de-linde-proef" in written
    text.fill(written + "\nsteps:\n  time_out:\n    timers:\n      - id: einde_time_out\n        after: 5 schooldagn\n")
    expect(tab.locator("#yaml-fouten")).to_contain_text("regel")  # type: ignore[attr-defined]
    expect(tab.locator("#yaml-fouten")).to_contain_text("onbekende eenheid 'schooldagn'")  # type: ignore[attr-defined]
    assert accessibility_problems(tab) == []
    text.fill(written + "\nsteps:\n  time_out:\n    timers:\n      - id: einde_time_out\n        after: 4 schooldagen\n")
    expect(tab.locator("#controle-status")).to_have_text("In orde: de variant kan worden opgeslagen.")  # type: ignore[attr-defined]
    expect(tab.locator('#diagram-variant g.stap.gewijzigd[data-stap="time_out"]')).to_have_count(1)  # type: ignore[attr-defined]
    expect(tab.locator("#verschillen")).to_contain_text("~ termijn einde_time_out")  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Terug naar het formulier").click()  # type: ignore[attr-defined]
    expect(tab.locator("#steps-0-id")).to_have_value("time_out")  # type: ignore[attr-defined]
    expect(tab.locator("#steps-0-timers-0-after")).to_have_value("4 schooldagen")  # type: ignore[attr-defined]


def test_the_editor_by_keyboard_alone(page: object, server: str) -> None:  # noqa: F811
    expect = sync_api.expect
    tab = page
    _open_editor(tab, server)
    keyboard = tab.keyboard  # type: ignore[attr-defined]
    focused = "() => document.activeElement && (document.activeElement.id || document.activeElement.textContent.trim())"

    def tab_to(wanted: str, limit: int = 400) -> None:
        for _ in range(limit):
            keyboard.press("Tab")
            if tab.evaluate(focused) == wanted:  # type: ignore[attr-defined]
                return
        raise AssertionError(f"{wanted!r} is not reachable with Tab")

    tab_to("Stap toevoegen")
    keyboard.press("Enter")
    expect(tab.locator("#steps-0-id")).to_be_focused()  # type: ignore[attr-defined]
    keyboard.type("wekelijks")
    keyboard.press("Tab")
    expect(tab.locator("#steps-0-label")).to_be_focused()  # type: ignore[attr-defined]
    keyboard.type("Wekelijkse gesprekken")
    keyboard.press("Enter")  # the form's first button: Controleren
    expect(tab.locator("#steps-0-label")).to_have_value("Wekelijkse gesprekken")  # type: ignore[attr-defined]
    # checked by the plain submit too: a step nothing leads to, said at its name
    expect(tab.locator("#steps-0-id-fout")).to_contain_text("stap 'wekelijks' is vanaf 'ik_kan_het_zelf' niet te bereiken")  # type: ignore[attr-defined]
    expect(tab.locator("#steps-0-label-fout")).to_have_count(0)  # type: ignore[attr-defined]

    # every field of the editor is reached by Tab, and the side panel after them
    fields = tab.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('#editor input:not([type=hidden]), #editor select, #editor textarea')]
             .filter(e => e.id && !e.closest('details:not([open])')).map(e => e.id)"""
    )
    visited = set()
    tab.locator("#id").focus()  # type: ignore[attr-defined]
    for _ in range(len(fields) + 60):
        visited.add(tab.evaluate("() => document.activeElement.id"))  # type: ignore[attr-defined]
        if tab.evaluate("() => document.activeElement.tagName") == "ASIDE":  # type: ignore[attr-defined]
            break
        keyboard.press("Tab")
    assert tab.evaluate("() => document.activeElement.tagName") == "ASIDE"  # type: ignore[attr-defined]
    assert set(fields) - visited == set()


def test_the_editor_fits_a_390_px_phone(browser: object, server: str) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    phone = context.new_page()
    watch = AxeWatch(server)
    phone.on("load", watch)
    try:
        _open_editor(phone, server)
        phone.get_by_role("button", name="Stap toevoegen").click()
        sync_api.expect(phone.locator("#steps-0-id")).to_be_focused()
        assert sideways(phone) is None
        watch(phone)
        assert watch.found == {}, watch.found
    finally:
        context.close()
