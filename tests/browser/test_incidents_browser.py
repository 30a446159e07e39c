"""Incidents in a real browser (issue 28): a leerkracht records an incident on a phone, fixing
one error at its field; the directeur finds it in the list of unlinked incidents and links it
to a case from the case page; a serious incident shows its reporting duty and leads to its
report case. axe-core checks every page of both tabs."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_browser import (  # noqa: F401
    ON_BOTH_BACKENDS,
    SERVED,
    AxeWatch,
    browser,
    log_in,
    page,
    server,
)

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = ON_BOTH_BACKENDS


def pupil_of_5a(server: str) -> str:  # noqa: F811
    app = SERVED[server]
    anna = app.engine.users.principal("juf.anna")
    assert anna is not None
    return next(p.name for p in app.engine.pupils.choices(anna, "de-linde") if p.group == "5a")


def test_an_incident_recorded_on_a_phone_is_linked_by_the_directeur_and_a_serious_one_shows_its_duty(
    browser: object,  # noqa: F811
    page: object,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    expect = sync_api.expect
    pupil = pupil_of_5a(server)
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    phone = phone_context.new_page()
    phone.set_default_timeout(30_000)
    watch = AxeWatch(server)
    phone.on("load", watch)
    try:
        # the leerkracht records an incident on her phone
        log_in(phone, server, "juf.anna")
        phone.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Incidenten").click()
        phone.get_by_role("link", name="Incident vastleggen").click()
        expect(phone.get_by_role("heading", name="Incident vastleggen")).to_be_visible()
        today = phone.get_by_label("Wanneer gebeurd").input_value()
        phone.get_by_label("Soort incident").select_option(label="Pesten")
        phone.get_by_label("Plaats").select_option(label="Klas")
        phone.get_by_label("Ernst").select_option(label="Licht")
        phone.get_by_label("Wanneer gebeurd").fill("31-02-2026")
        phone.get_by_label("Betrokkene 1: pseudoniem").fill(pupil)
        phone.get_by_label("Betrokkene 1: rol").select_option(label="slachtoffer")
        phone.get_by_label("Betrokkene 2: pseudoniem").fill("Medewerker-A")
        phone.get_by_label("Betrokkene 2: rol").select_option(label="medewerker")
        phone.get_by_role("button", name="Incident vastleggen").click()
        # the error is at the field, by its label, and what was typed is kept
        expect(phone.get_by_role("alert")).to_contain_text("Wanneer gebeurd: '31-02-2026' is geen datum")
        date_field = phone.get_by_label("Wanneer gebeurd")
        expect(date_field).to_have_attribute("aria-invalid", "true")
        expect(phone.get_by_label("Betrokkene 1: pseudoniem")).to_have_value(pupil)
        expect(phone.get_by_label("Betrokkene 2: rol")).to_have_value("medewerker")
        expect(phone.get_by_label("Soort incident")).to_have_value("pesten")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        date_field.fill(today)
        phone.get_by_role("button", name="Incident vastleggen").click()
        expect(phone.get_by_role("status")).to_have_text("Het incident is vastgelegd.")
        expect(phone.locator("#betrokkenen")).to_contain_text(f"{pupil}: slachtoffer")
        expect(phone.locator("#betrokkenen")).to_contain_text("Medewerker-A: medewerker")
        incident_id = phone.url.rsplit("/", 1)[1]
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        watch(phone)
    finally:
        phone_context.close()
    assert watch.checked and watch.found == {}, watch.found

    # the directeur sees it among the school's unlinked incidents
    log_in(page, server, "dhr.bos")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Incidenten").click()  # type: ignore[attr-defined]
    page.get_by_label("Gekoppeld aan een zaak").select_option(label="niet gekoppeld")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Tonen").click()  # type: ignore[attr-defined]
    expect(page.locator(f'#incidenten a[href="/incidenten/{incident_id}"]')).to_be_visible()  # type: ignore[attr-defined]

    # and links it to a case from the case page
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Leerling-Vos").first.click()  # type: ignore[attr-defined]
    case_url = page.url  # type: ignore[attr-defined]
    page.locator("#incident-koppelen summary").click()  # type: ignore[attr-defined]
    page.get_by_label("Incident van deze school (nog niet gekoppeld)").select_option(incident_id)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Incident koppelen").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("status")).to_have_text("Het incident is aan deze zaak gekoppeld.")  # type: ignore[attr-defined]
    expect(page.locator(f'#zaak-incidenten a[href="/incidenten/{incident_id}"]')).to_contain_text("Pesten")  # type: ignore[attr-defined]
    page.locator(f'#zaak-incidenten a[href="/incidenten/{incident_id}"]').click()  # type: ignore[attr-defined]
    expect(page.locator("#zaken a")).to_have_attribute("href", re.compile(re.escape(case_url.removeprefix(server))))  # type: ignore[attr-defined]

    # a serious incident shows its reporting duty and leads to its report case
    page.goto(server + "/incidenten/nieuw")  # type: ignore[attr-defined]
    page.get_by_label("Soort incident").select_option("fysiek_geweld_letsel")  # type: ignore[attr-defined]
    page.get_by_label("Plaats").select_option(label="Plein")  # type: ignore[attr-defined]
    page.get_by_label("Ernst").select_option(label="Ernstig")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Incident vastleggen").click()  # type: ignore[attr-defined]
    duty = page.locator("#meldplicht + .card")  # type: ignore[attr-defined]
    expect(duty).to_contain_text("melden aan inspectie binnen 5 werkdagen")
    serious_id = page.url.rsplit("/", 1)[1]  # type: ignore[attr-defined]
    duty.get_by_role("link", name="Meldzaak bekijken").click()
    expect(page.locator("#huidige-stap")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator(f'#zaak-incidenten a[href="/incidenten/{serious_id}"]')).to_contain_text("Fysiek geweld met letsel")  # type: ignore[attr-defined]
    expect(page.locator("#zaak-incidenten")).to_contain_text("deze zaak is de melding ervan")  # type: ignore[attr-defined]
