"""Issue 26, items 5 and 6, in a real browser (fixtures and the axe check of every page load
from test_browser.py): what a tester found on a first run of the demo."""

from __future__ import annotations

from pathlib import Path

from engine.protocol.loader import answer_trigger
from tests.browser.test_browser import SERVED, browser, log_in, page, server, sync_api

__all__ = ["browser", "page", "server"]  # the fixtures of test_browser.py these tests use

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"


def test_login_in_english_leads_to_the_dutch_login_page(page: object, server: str) -> None:
    expect = sync_api.expect
    page.goto(server + "/login")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()  # type: ignore[attr-defined]
    assert page.url == server + "/inloggen"  # type: ignore[attr-defined]


def test_a_refused_new_case_keeps_the_pupil_and_the_date_and_says_it_once(page: object, server: str) -> None:
    expect = sync_api.expect
    log_in(page, server, "juf.anna")
    page.get_by_role("link", name="Nieuwe zaak openen").click()  # type: ignore[attr-defined]
    page.get_by_label("Protocol").select_option("gedrag-de-linde")  # type: ignore[attr-defined]
    page.get_by_label("Pseudoniem van de leerling").fill("Leerling-Grutto")  # type: ignore[attr-defined]
    page.get_by_label("Datum van het voorval").fill("31-02-2026")  # type: ignore[attr-defined]  # no such day
    page.get_by_role("button", name="Zaak openen").click()  # type: ignore[attr-defined]
    alert = page.get_by_role("alert")  # type: ignore[attr-defined]
    expect(alert).to_have_text(
        "Datum van het voorval: '31-02-2026' is geen datum; schrijf dag-maand-jaar, bijvoorbeeld 23-11-2026"
    )
    expect(page.get_by_label("Pseudoniem van de leerling")).to_have_value("Leerling-Grutto")  # type: ignore[attr-defined]
    expect(page.get_by_label("Datum van het voorval")).to_have_value("31-02-2026")  # type: ignore[attr-defined]
    expect(page.get_by_label("Protocol")).to_have_value("gedrag-de-linde")  # type: ignore[attr-defined]
    page.get_by_label("Datum van het voorval").fill("")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Zaak openen").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Leerling-Grutto")).to_be_visible()  # type: ignore[attr-defined]


def test_a_teacher_at_de_linde_is_offered_the_schools_variant_and_not_its_base(page: object, server: str) -> None:
    log_in(page, server, "juf.anna")
    page.get_by_role("link", name="Nieuwe zaak openen").click()  # type: ignore[attr-defined]
    options = page.get_by_label("Protocol").locator("option").all_inner_texts()  # type: ignore[attr-defined]
    assert "Stappenplan grensoverschrijdend gedrag (De Linde)" in options, options
    assert "Stappenplan grensoverschrijdend gedrag" not in options, options


def _case_at_help(server: str) -> str:
    """A meldcode case of De Linde in the step "Hulp bieden of organiseren", on this module's server."""
    app = SERVED[server]
    smit = app.engine.users.principal("mevr.smit")
    assert smit is not None
    engine = app.engine
    case_id = engine.cases.open(
        smit, "meldcode-hgkm", school="de-linde", subject="Leerling-Tureluur", role="aandachtsfunctionaris", group="5a"
    ).id
    for trigger, inputs in (
        ("consulteren", {"motivering": "signalen"}),
        ("gesprek_voeren", {}),
        ("wegen", {"motivering": "gewogen"}),
        ("afwegen", {}),
        (answer_trigger("afweging_1", "ja"), {"motivering": "vermoeden"}),
        (answer_trigger("afweging_2", "nee"), {"motivering": "geen acute onveiligheid"}),
        (answer_trigger("afweging_3", "ja"), {"motivering": "de school kan helpen"}),
        (answer_trigger("afweging_4", "ja"), {"motivering": "de ouders aanvaarden de hulp"}),
    ):
        engine.cases.fire(smit, case_id, trigger, role="aandachtsfunctionaris", inputs=inputs)
    return case_id


def test_in_hulp_bieden_the_form_for_help_and_evaluation_date_is_the_open_one(page: object, server: str) -> None:
    expect = sync_api.expect
    case_id = _case_at_help(server)
    log_in(page, server, "mevr.smit")
    page.goto(f"{server}/zaken/{case_id}?rol=aandachtsfunctionaris")  # type: ignore[attr-defined]
    expect(page.locator("#huidige-stap")).to_have_text("Hulp bieden of organiseren")  # type: ignore[attr-defined]
    opened = page.locator("details.action[open]")  # type: ignore[attr-defined]
    expect(opened).to_have_count(1)
    expect(opened).to_have_attribute("id", "actie-hulp_afspreken")
    expect(opened.get_by_label("Afgesproken datum om de resultaten van de hulp te beoordelen")).to_be_visible()
    # its term of zero days, waiting for that date, is said as the day itself
    row = page.get_by_role("row").filter(has_text="Resultaten van de hulp beoordelen")  # type: ignore[attr-defined]
    expect(row).to_contain_text("op de dag van afgesproken datum om de resultaten van de hulp te beoordelen")
    expect(row).not_to_contain_text("0 dagen")


TWO_PROBLEMS = (
    "id: gedrag-twee-fouten\nversion: 1\nextends: {id: grensoverschrijdend-gedrag, version: 5}\n"
    "remedies:\n  bezwaar_verwijdering:\n    term:\n      after: 4 weken\n"
    "steps:\n  time_out:\n    timers:\n      - id: einde_time_out\n        after: 5 schooldagn\n"
)


def test_an_upload_with_two_problems_shows_both(page: object, server: str, tmp_path: Path) -> None:
    expect = sync_api.expect
    broken = tmp_path / "twee-fouten.yaml"
    broken.write_text(TWO_PROBLEMS, encoding="utf-8")
    log_in(page, server, "mevr.protocol")
    page.get_by_role("link", name="Protocollen").click()  # type: ignore[attr-defined]
    page.get_by_label("Protocolbestand (YAML)").set_input_files(str(broken))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Controleren en voorstellen").click()  # type: ignore[attr-defined]
    problems = page.locator("#fouten li")  # type: ignore[attr-defined]
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("twee-fouten.yaml:7:14: 4 weken is korter dan de wettelijke ondergrens")
    expect(problems.nth(1)).to_contain_text("twee-fouten.yaml:12:16: onbekende eenheid 'schooldagn'")
    expect(page.get_by_role("alert")).to_contain_text("De variant is niet geladen (2 problemen)")  # type: ignore[attr-defined]


def test_an_uploaded_variant_is_proposed_and_a_second_person_approves_it(page: object, server: str, tmp_path: Path) -> None:
    expect = sync_api.expect
    variant = tmp_path / "gedrag-het-anker.yaml"
    text = (EXAMPLES / "gedrag-de-linde.yaml").read_text(encoding="utf-8")
    text = text.replace("id: gedrag-de-linde", "id: gedrag-het-anker", 1).replace("(De Linde)", "(Het Anker)", 1)
    variant.write_text(text, encoding="utf-8")
    log_in(page, server, "mevr.protocol")
    page.get_by_role("link", name="Protocollen").click()  # type: ignore[attr-defined]
    page.get_by_label("Protocolbestand (YAML)").set_input_files(str(variant))  # type: ignore[attr-defined]
    page.get_by_label("Geldt voor").select_option("het-anker")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Controleren en voorstellen").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("status")).to_have_text(  # type: ignore[attr-defined]
        "Voorstel ingediend; wacht op goedkeuring door een tweede persoon."
    )
    proposal = page.url  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    expect(page.get_by_role("status")).to_have_count(0)  # type: ignore[attr-defined]  # said once
    page.get_by_role("button", name="Uitloggen").click()  # type: ignore[attr-defined]
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()  # type: ignore[attr-defined]
    log_in(page, server, "mevr.raad")
    page.goto(proposal)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Goedkeuren").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("status")).to_have_text(  # type: ignore[attr-defined]
        "Goedgekeurd en gepubliceerd: gedrag-het-anker versie 1 geldt nu voor nieuwe zaken."
    )


def test_the_print_view_shows_the_record_without_notices_role_or_links(page: object, server: str) -> None:
    expect = sync_api.expect
    log_in(page, server, "juf.anna")
    page.get_by_role("link", name="Leerling-Vos").first.click()  # type: ignore[attr-defined]
    form = page.locator("#actie-incident_vastleggen")  # type: ignore[attr-defined]
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.get_by_label("Soort gedrag").select_option("pesten")
    form.get_by_label("Waar het gebeurde").select_option("klas")
    form.get_by_role("button").click()
    notice = page.get_by_role("status").filter(has_text="Vastgelegd.")  # type: ignore[attr-defined]
    expect(notice).to_be_visible()
    role = page.get_by_text("U handelt als")  # type: ignore[attr-defined]
    expect(role).to_be_visible()
    assert page.locator("main a").count() >= 3  # type: ignore[attr-defined]  # on screen: back, audit, the pupil's cases
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    expect(notice).to_be_hidden()
    expect(role).to_be_hidden()
    shown_links = page.locator("main a").evaluate_all(  # type: ignore[attr-defined]
        "links => links.filter(a => a.getClientRects().length > 0).map(a => a.textContent.trim())"
    )
    assert shown_links == [], shown_links
    expect(page.locator("#huidige-stap")).to_be_visible()  # type: ignore[attr-defined]  # the record itself stays
    expect(page.get_by_role("row").filter(has_text="Incident vastleggen (soort en plaats)").first).to_be_visible()  # type: ignore[attr-defined]
