"""Issue 26 item 2: a decision letter can be sent as printed. The school's logo from the
register (or none, never a placeholder), the addressee's name and postal address asked when
the letter is made, the letter dated on its sending date, every remedy with its last day and
to whom it goes, and a preview that records nothing until it is confirmed. On SQLite and
PostgreSQL (the ``app`` fixture)."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader

from api.bootstrap import App
from engine.clock import FixedClock
from engine.terms import AMSTERDAM
from tests.integration.helpers import csrf_of, drive, login, open_gedrag

# The tester made the letter on Sunday 6 December 2026 and entered a later sending date.
SUNDAY = datetime(2026, 12, 6, 10, 0, tzinfo=AMSTERDAM)
NAME = "Dhr. en mevr. Kramer"  # invented
ADDRESS = "Beukenlaan 3\r\n5678 CD Veldhoven"  # invented; typed in a textarea, so CRLF


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 200), (20, 80, 160)).save(out, "PNG")
    return out.getvalue()


def _suspended(app: App, school: str, group: str) -> str:
    """A case in step 6: schorsing from Monday 7 December 2026 for one week."""
    trede = drive(app)
    case_id = open_gedrag(trede, school, group)
    inputs = {
        "motivering": "schoppen en slaan op het plein",
        "goedkeuring_bevoegd_gezag": "ja",
        "schorsing_eerste_dag": "2026-12-07",
        "schorsing_duur": "1 week",
    }
    trede.fire(case_id, "schorsen", actor="dhr.bos", role="directeur", inputs=inputs)
    return case_id


def _form(csrf: str, sent_on: str, **changed: str) -> dict[str, str]:
    return {
        "csrf": csrf,
        "rol": "directeur",
        "geadresseerde_naam": NAME,
        "geadresseerde_adres": ADDRESS,
        "ondertekenaar": "P. Bos",
        "functie_ondertekenaar": "directeur",
        "schorsingsbesluit_verzonden_op": sent_on,
        "wijze_van_verzending": "aangetekend",
        **changed,
    }


def _digest(page: str) -> str:
    found = re.search(r'name="voorbeeld_sha256" value="([0-9a-f]{64})"', page)
    assert found, page
    return found.group(1)


def _pdf_text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return text, sum(len(page.images) for page in reader.pages)


def _made(web: TestClient, case_id: str, form: dict[str, str]) -> None:
    preview = web.post(f"/zaken/{case_id}/brieven/schorsing", data=form)
    assert preview.status_code == 200, preview.text
    stored = web.post(
        f"/zaken/{case_id}/brieven/schorsing/opslaan",
        data={**form, "voorbeeld_sha256": _digest(preview.text)},
        follow_redirects=False,
    )
    assert stored.status_code == 303, stored.text


def test_at_de_linde_the_letter_carries_the_logo_the_addressee_the_sending_date_and_the_beroep_deadline(
    app: App, web: TestClient, clock: FixedClock
) -> None:
    clock.set(SUNDAY)
    login(web, "mevr.protocol")  # the protocol owner keeps the logo on the school's page
    logo = _png()
    saved = web.post(
        "/scholen/de-linde/logo",
        data={"csrf": csrf_of(web, "/scholen")},
        files={"logo": ("logo.png", logo, "image/png")},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    shown = web.get("/scholen/de-linde/logo")
    assert shown.content == logo and shown.headers["content-type"] == "image/png"
    assert shown.headers["x-content-type-options"] == "nosniff"
    web.cookies.clear()

    case_id = _suspended(app, "de-linde", "5a")
    login(web, "dhr.bos")
    _made(web, case_id, _form(csrf_of(web, f"/zaken/{case_id}"), "2026-12-07"))
    text, images = _pdf_text(web.get(f"/zaken/{case_id}/brieven/schorsing.pdf").content)
    assert "[logo" not in text and images == 1
    assert f"{NAME} Beukenlaan 3 5678 CD Veldhoven" in text
    # made on Sunday 6 December, sent on Monday 7 December 2026: dated the day it is sent
    assert "Datum: 7 december 2026" in text and "6 december 2026" not in text
    # De Linde is bijzonder: the school's beroep at its bevoegd gezag. Sent Monday 7-12-2026,
    # the term runs from Tuesday 8 December; six weeks end on the weekday of the sending,
    # Monday 18 January 2027 (no weekend or feestdag, so the Atw moves nothing)
    assert "beroep aantekenen bij het bevoegd gezag van de school: Stichting Demo Scholen, Postbus 100, 3500 AC Utrecht" in text
    assert "Dien uw beroepschrift uiterlijk op 18 januari 2027 in" in text
    assert "(Bijlage 4, stap 6 van het veiligheidsplan)" in text
    html = web.get(f"/zaken/{case_id}/brieven/schorsing.html").text
    assert '<img src="data:image/png;base64,' in html and 'alt="Logo van Basisschool De Linde"' in html
    assert drive(app).verify(case_id).ok


def test_at_het_anker_the_bezwaar_names_its_deadline_and_the_board_and_no_logo_is_printed(
    app: App, web: TestClient, clock: FixedClock
) -> None:
    clock.set(SUNDAY)
    case_id = _suspended(app, "het-anker", "6b")
    login(web, "mevr.dekker")
    _made(web, case_id, _form(csrf_of(web, f"/zaken/{case_id}"), "08-12-2026", ondertekenaar="R. Dekker"))
    text, images = _pdf_text(web.get(f"/zaken/{case_id}/brieven/schorsing.pdf").content)
    assert images == 0 and "[logo" not in text  # Het Anker has no logo: none, never a placeholder
    assert f"{NAME} Beukenlaan 3 5678 CD Veldhoven" in text
    assert "Datum: 8 december 2026" in text  # made Sunday 6, sent Tuesday 8 December 2026
    # openbaar: bezwaar under the Awb at the board. Sent Tuesday 8-12-2026, the term runs from
    # Wednesday 9 December (Awb 6:8); six weeks end on Tuesday 19 January 2027, a werkdag
    assert "Dien uw bezwaarschrift uiterlijk op 19 januari 2027 in bij Stichting Demo Scholen, Postbus 100, 3500 AC Utrecht" in text
    assert "(Awb artikel 6:7 en 6:8)" in text
    case = drive(app).show(case_id).case
    assert [d.due_date for d in case.deadlines.values() if d.id == "bezwaartermijn_schorsing"] == ["2027-01-19"]


def test_the_preview_records_nothing_and_a_changed_case_is_not_stored_unseen(
    app: App, web: TestClient, clock: FixedClock
) -> None:
    clock.set(SUNDAY)
    trede = drive(app)
    case_id = _suspended(app, "de-linde", "5a")
    login(web, "dhr.bos")
    form = _form(csrf_of(web, f"/zaken/{case_id}"), "2026-12-07")
    preview = web.post(f"/zaken/{case_id}/brieven/schorsing", data=form)
    assert "Er is nog niets vastgelegd" in preview.text and "Versturen/Opslaan" in preview.text
    assert "Beukenlaan 3" in preview.text and "18 januari 2027" in preview.text
    assert len(trede.events(case_id)) == 2  # opened, schorsen: the preview recorded nothing
    assert web.get(f"/zaken/{case_id}/brieven/schorsing.pdf").status_code == 404
    assert "geadresseerde_naam" not in trede.show(case_id).case.facts
    with trede.uow() as uow:  # but, like every view of a case, it is in the access log
        assert "brief" in [e.what for e in uow.access_log.list(None, case_id)]
    # meanwhile someone records an incident: the letter would now carry another kenmerk
    trede.fire(case_id, "incident_vastleggen", actor="dhr.bos", role="directeur", inputs={"soort_gedrag": "fysiek_geweld", "plaats": "plein"})
    stale = web.post(f"/zaken/{case_id}/brieven/schorsing/opslaan", data={**form, "voorbeeld_sha256": _digest(preview.text)})
    assert stale.status_code == 409 and "De brief is veranderd sinds u het voorbeeld zag" in stale.text
    assert len(trede.events(case_id)) == 3 and web.get(f"/zaken/{case_id}/brieven/schorsing.pdf").status_code == 404
    assert _digest(stale.text) != _digest(preview.text)  # the new preview, to check again
    stored = web.post(
        f"/zaken/{case_id}/brieven/schorsing/opslaan",
        data={**form, "voorbeeld_sha256": _digest(stale.text)},
        follow_redirects=False,
    )
    assert stored.status_code == 303
    html = web.get(f"/zaken/{case_id}/brieven/schorsing.html").text
    assert html.split("<body>", 1)[1].split("</body>", 1)[0] in stale.text  # exactly what was shown
    # the next letter's form already holds the addressee the case recorded
    page = web.get(f"/zaken/{case_id}").text
    assert f">{NAME}</textarea>" in page


def test_a_letter_without_a_valid_address_is_refused_by_its_label_and_keeps_what_was_typed(
    app: App, web: TestClient, clock: FixedClock
) -> None:
    clock.set(SUNDAY)
    trede = drive(app)
    case_id = _suspended(app, "de-linde", "5a")
    login(web, "dhr.bos")
    csrf = csrf_of(web, f"/zaken/{case_id}")
    refused = web.post(f"/zaken/{case_id}/brieven/schorsing", data=_form(csrf, "2026-12-07", geadresseerde_adres="Beukenlaan 3"))
    assert refused.status_code == 422
    assert "Postadres van de geadresseerde (straat en huisnummer, postcode en plaats; elk op een eigen regel): straat en huisnummer, postcode en plaats" in refused.text
    assert ">Beukenlaan 3</textarea>" in refused.text and f">{NAME}</textarea>" in refused.text
    assert 'id="brief-schorsing" open' in refused.text
    missing = web.post(f"/zaken/{case_id}/brieven/schorsing", data=_form(csrf, "2026-12-07", geadresseerde_naam=""))
    assert missing.status_code == 422 and "Naam van de geadresseerde (zoals op de envelop)" in missing.text
    # storing without having seen the preview is refused too
    unseen = web.post(f"/zaken/{case_id}/brieven/schorsing/opslaan", data=_form(csrf, "2026-12-07"))
    assert unseen.status_code == 422 and "bekijk eerst het voorbeeld" in unseen.text
    assert len(trede.events(case_id)) == 2


def test_only_a_png_or_jpeg_logo_is_kept_and_only_by_those_who_keep_the_letterhead(app: App, web: TestClient) -> None:
    login(web, "juf.anna")
    assert web.get("/scholen").status_code == 403
    csrf = csrf_of(web)
    denied = web.post("/scholen/de-linde/logo", data={"csrf": csrf}, files={"logo": ("logo.png", _png(), "image/png")})
    assert denied.status_code == 403, denied.text
    web.cookies.clear()

    login(web, "mevr.protocol")
    page = web.get("/scholen").text
    assert "Logo op de brieven" in page and 'name="board_address"' not in page  # the logo, not the register
    csrf = csrf_of(web, "/scholen")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    refused = web.post("/scholen/de-linde/logo", data={"csrf": csrf}, files={"logo": ("logo.png", svg, "image/png")})
    assert refused.status_code == 200 and "Logo: alleen PNG of JPEG" in refused.text  # after the redirect
    assert web.get("/scholen/de-linde/logo").status_code == 404
    web.cookies.clear()

    login(web, "mevr.raad")  # the board keeps the register, and the logo too
    out = io.BytesIO()
    Image.new("RGB", (300, 120), (200, 30, 30)).save(out, "JPEG")
    csrf = csrf_of(web, "/scholen")
    web.post("/scholen/het-anker/logo", data={"csrf": csrf}, files={"logo": ("anker.jpg", out.getvalue(), "image/jpeg")})
    assert web.get("/scholen/het-anker/logo").headers["content-type"] == "image/jpeg"
    assert "300 x 120 pixels" in web.get("/scholen").text
    web.post("/scholen/het-anker/logo/verwijderen", data={"csrf": csrf})
    assert web.get("/scholen/het-anker/logo").status_code == 404


def test_a_value_the_preview_did_not_show_is_not_stored_with_its_confirmation(
    app: App, web: TestClient, clock: FixedClock
) -> None:
    """The confirmation covers every value the letter records, not only its text: a field
    added after the preview (here the adult pupil's consent to copy the parents, which a
    later letter would print) or an address typed differently is refused, nothing recorded."""
    clock.set(SUNDAY)
    trede = drive(app)
    case_id = _suspended(app, "de-linde", "5a")
    login(web, "dhr.bos")
    form = _form(csrf_of(web, f"/zaken/{case_id}"), "2026-12-07")
    preview = web.post(f"/zaken/{case_id}/brieven/schorsing", data=form)
    confirmation = _digest(preview.text)
    for changed in ({"afschrift_aan_ouders": "ja"}, {"geadresseerde_adres": ADDRESS.replace("\n", " \n")}):
        unseen = web.post(f"/zaken/{case_id}/brieven/schorsing/opslaan", data={**form, **changed, "voorbeeld_sha256": confirmation})
        assert unseen.status_code == 409, (changed, unseen.status_code)
        assert len(trede.events(case_id)) == 2 and "afschrift_aan_ouders" not in trede.show(case_id).case.facts
    seen = web.post(f"/zaken/{case_id}/brieven/schorsing/opslaan", data={**form, "voorbeeld_sha256": confirmation}, follow_redirects=False)
    assert seen.status_code == 303 and len(trede.events(case_id)) == 3


def test_a_letter_confirmed_a_minute_after_its_preview_is_stored(app: App, web: TestClient, clock: FixedClock) -> None:
    """Reading the preview takes time: the PDF's creation date moves with the clock, but the
    letter and what it records do not, so the confirmation still holds on the same day."""
    clock.set(SUNDAY)
    trede = drive(app)
    case_id = _suspended(app, "de-linde", "5a")
    login(web, "dhr.bos")
    form = _form(csrf_of(web, f"/zaken/{case_id}"), "2026-12-07")
    preview = web.post(f"/zaken/{case_id}/brieven/schorsing", data=form)
    clock.advance(timedelta(minutes=1))
    stored = web.post(
        f"/zaken/{case_id}/brieven/schorsing/opslaan", data={**form, "voorbeeld_sha256": _digest(preview.text)}, follow_redirects=False
    )
    assert stored.status_code == 303 and len(trede.events(case_id)) == 3


def test_a_preview_on_the_page_makes_no_pdf_and_the_stored_letter_does(
    app: App, web: TestClient, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page shows the HTML, and the confirmation covers it: a PDF would be made for nothing
    (it is the slowest part of a letter, with its embedded font)."""
    import adapters.letter_renderer as renderer

    made: list[str] = []
    real = renderer.html_to_pdf
    monkeypatch.setattr(renderer, "html_to_pdf", lambda html, *rest: made.append(html) or real(html, *rest))
    clock.set(SUNDAY)
    case_id = _suspended(app, "de-linde", "5a")
    login(web, "dhr.bos")
    form = _form(csrf_of(web, f"/zaken/{case_id}"), "2026-12-07")
    preview = web.post(f"/zaken/{case_id}/brieven/schorsing", data=form)
    assert "Versturen/Opslaan" in preview.text and made == []
    stored = web.post(f"/zaken/{case_id}/brieven/schorsing/opslaan", data={**form, "voorbeeld_sha256": _digest(preview.text)})
    assert stored.status_code in (200, 303) and len(made) == 1
    assert web.get(f"/zaken/{case_id}/brieven/schorsing.pdf").content.startswith(b"%PDF")
