"""Issue 26 item 2 in a real browser: a decision letter is made at De Linde (bijzonder, with the
logo a protocol owner uploads on the school's page) and at Het Anker (openbaar, without a
logo), previewed, confirmed, downloaded, and its PDF read back with pypdf. axe-core checks
every page these tests load (the ``page`` fixture).

The sandbox clock of this module's server is moved to Sunday 5 December 2032, 10:00 in
Amsterdam, so that every date below is written out by hand: the letters are made on that
Sunday and sent on the Monday or Tuesday after. (The clock of a sandbox only moves forward:
this test needs a rewrite of its dates once the real date passes 5 December 2032.)
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from engine.terms import AMSTERDAM
from tests.browser.test_browser import ON_BOTH_BACKENDS, SERVED, browser, log_in, page, server, sync_api  # noqa: F401

pytestmark = ON_BOTH_BACKENDS

MADE = datetime(2032, 12, 5, 10, 0, tzinfo=AMSTERDAM)  # a Sunday


@pytest.fixture(scope="module")
def sunday(server: str) -> str:  # noqa: F811
    """This module's server, its sandbox clock on Sunday 5 December 2032."""
    app = SERVED[server]
    if app.engine.clock.now() < MADE:
        app.engine.timers.advance_clock(MADE)
    return server


def _suspended(server: str, school: str, group: str, director: str) -> str:  # noqa: F811
    """A case in step 6, schorsing from Monday 6 December 2032 for one week (set up as the
    engine would, through its use cases and the director's own account)."""
    app = SERVED[server]
    me = app.engine.users.principal(director)
    assert me is not None
    case_id = app.engine.cases.open(me, "grensoverschrijdend-gedrag", school=school, subject="Leerling-Finn", group=group).id
    inputs = {
        "motivering": "schoppen en slaan op het plein",
        "goedkeuring_bevoegd_gezag": "ja",
        "schorsing_eerste_dag": "2032-12-06",
        "schorsing_duur": "1 week",
    }
    app.engine.cases.fire(me, case_id, "schorsen", role="directeur", inputs=inputs)
    return case_id


def _make_and_download(tab: object, base: str, case_id: str, signer: str, sent_on: str) -> tuple[str, int]:
    """Fill in the letter's form, look at the preview, confirm it, download the PDF; its text
    (whitespace made single) and its number of images."""
    expect = sync_api.expect
    tab.goto(f"{base}/zaken/{case_id}")  # type: ignore[attr-defined]
    letter = tab.locator("#brief-schorsing")  # type: ignore[attr-defined]
    letter.locator("summary").click()
    letter.get_by_label("Naam van de geadresseerde (zoals op de envelop)").fill("Dhr. en mevr. Kramer")
    letter.get_by_label("Postadres van de geadresseerde", exact=False).fill("Beukenlaan 3\n5678 CD Veldhoven")
    letter.get_by_label("Naam van wie de brief ondertekent").fill(signer)
    letter.get_by_label("Functie van wie de brief ondertekent").fill("directeur")
    letter.get_by_label("Datum van verzending of uitreiking van het schorsingsbesluit").fill(sent_on)
    letter.get_by_label("Hoe het besluit de ouders bereikt").select_option("aangetekend")
    letter.get_by_role("button", name="Voorbeeld bekijken").click()
    expect(tab.get_by_role("heading", name="Voorbeeld: Besluit tot schorsing")).to_be_visible()  # type: ignore[attr-defined]
    expect(tab.locator("#nog-niets-vastgelegd")).to_contain_text("Er is nog niets vastgelegd")  # type: ignore[attr-defined]
    expect(tab.locator("#brief-voorbeeld")).to_contain_text("Beukenlaan 3")  # type: ignore[attr-defined]
    tab.get_by_role("button", name="Versturen/Opslaan").click()  # type: ignore[attr-defined]
    expect(tab.get_by_role("status")).to_contain_text("Brief opgeslagen")  # type: ignore[attr-defined]
    with tab.expect_download() as download:  # type: ignore[attr-defined]
        tab.get_by_role("link", name="PDF", exact=True).click()  # type: ignore[attr-defined]
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    return text, sum(len(p.images) for p in reader.pages)


def test_at_de_linde_the_letter_is_sent_with_the_logo_the_addressee_its_date_and_the_beroep_deadline(
    page: object, sunday: str, tmp_path: Path  # noqa: F811
) -> None:
    expect = sync_api.expect
    logo = tmp_path / "logo-de-linde.png"
    Image.new("RGB", (600, 200), (20, 80, 160)).save(logo, "PNG")
    log_in(page, sunday, "mevr.protocol")  # the protocol owner keeps the logo on the school's page
    page.get_by_role("link", name="Scholen").click()  # type: ignore[attr-defined]
    school = page.locator("#school-de-linde")  # type: ignore[attr-defined]
    school.locator("summary").click()
    school.get_by_label("Logo (PNG of JPEG", exact=False).set_input_files(str(logo))
    school.get_by_role("button", name="Logo opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het logo is opgeslagen (600 x 200 pixels)")  # type: ignore[attr-defined]
    page.context.clear_cookies()  # type: ignore[attr-defined]

    case_id = _suspended(sunday, "de-linde", "5a", "dhr.bos")
    log_in(page, sunday, "dhr.bos")
    # made on Sunday 5 December 2032, sent on Monday 6 December 2032
    text, images = _make_and_download(page, sunday, case_id, "P. Bos", "6-12-2032")
    assert images == 1 and "[logo" not in text
    assert "Dhr. en mevr. Kramer Beukenlaan 3 5678 CD Veldhoven" in text
    assert "Datum: 6 december 2032" in text and "5 december 2032" not in text
    # De Linde is bijzonder: beroep at its bevoegd gezag. Sent Monday 6-12-2032, the term runs
    # from Tuesday 7 December; six weeks end on the weekday of sending, Monday 17 January 2033,
    # a werkdag (no feestdag), so the Atw moves nothing
    assert "beroep aantekenen bij het bevoegd gezag van de school: Stichting Demo Scholen, Postbus 100, 3500 AC Utrecht" in text
    assert "Dien uw beroepschrift uiterlijk op 17 januari 2033 in" in text


def test_at_het_anker_the_letter_is_sent_without_a_logo_and_names_the_bezwaar_deadline_and_the_board(
    page: object, sunday: str  # noqa: F811
) -> None:
    case_id = _suspended(sunday, "het-anker", "6b", "mevr.dekker")
    log_in(page, sunday, "mevr.dekker")
    # made on Sunday 5 December 2032, sent on Tuesday 7 December 2032
    text, images = _make_and_download(page, sunday, case_id, "R. Dekker", "7-12-2032")
    assert images == 0 and "[logo" not in text  # Het Anker has no logo: none is printed
    assert "Dhr. en mevr. Kramer Beukenlaan 3 5678 CD Veldhoven" in text
    assert "Datum: 7 december 2032" in text and "5 december 2032" not in text
    # Het Anker is openbaar: bezwaar under the Awb at the board. Sent Tuesday 7-12-2032, the
    # term runs from Wednesday 8 December (Awb 6:8); six weeks end on Tuesday 18 January 2033
    assert "Dien uw bezwaarschrift uiterlijk op 18 januari 2033 in bij Stichting Demo Scholen, Postbus 100, 3500 AC Utrecht" in text
    assert "(Awb artikel 6:7 en 6:8)" in text
