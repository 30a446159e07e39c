"""The dossier PDF (adapters/dossier_pdf.py), on SQLite and PostgreSQL: for a case with many
events it says everything the engine's Dossier holds for its reader, masked as that reader
sees it, on pages whose text stays inside the margins."""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient
from pypdf import PdfReader

from adapters.pdf_layout import MARGIN_MM, MM_PER_PT, PAGE_WIDTH_MM, text_width_mm
from api.bootstrap import App
from api.demo import BOARD
from api.web import create_app
from engine.access import Membership
from engine.views import event_label, timeline
from tests.integration.helpers import login

REGELING = "klokkenluidersregeling-2016"
PSEUDONYM = "Melder-Vlinder"
MELDER_NAME = "Zoë Quist"
LONG_WORD = "https://voorbeeld.nl/" + "verslag-" * 60  # wider than a line: broken, not cut off
NOTES = 70


def _case(app: App) -> str:
    """A whistleblower report with many events: the vertrouwenspersoon's notes, one with
    lines of its own and one with a word wider than the page."""
    engine = app.engine
    engine.users.add("zq.melder", MELDER_NAME, BOARD, "wachtwoord-van-de-melder", [Membership("melder", "de-linde")])
    melder, vp = engine.users.principal("zq.melder"), engine.users.principal("mevr.vp")
    assert melder is not None and vp is not None
    opening = {"kanaal": "vertrouwenspersoon", "betreft": "niemand"}
    case = engine.cases.open(melder, REGELING, school="de-linde", subject=PSEUDONYM, role="melder", inputs=opening)
    today = engine.clock.now().date().isoformat()
    engine.cases.fire(vp, case.id, "vastleggen", role="vertrouwenspersoon", inputs={"ontvangen_op": today, "afschrift_verstrekt": "ja"})
    for n in range(NOTES):
        engine.notes.add_note(vp, case.id, f"Gesprek nummer {n} met de melder gevoerd.")
    engine.notes.add_note(vp, case.id, f"Eerste regel.\nTweede regel.\n{LONG_WORD}")
    return case.id


def _pdf(app: App, username: str, path: str) -> bytes:
    client = TestClient(create_app(app), base_url="https://testserver")
    assert login(client, username) == "/"
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    if path.endswith(".zip"):
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        [name] = [n for n in archive.namelist() if n.startswith("dossier-") and n.endswith(".pdf")]
        return archive.read(name)
    assert response.headers["content-type"] == "application/pdf"
    return response.content


def _text(pdf: bytes) -> tuple[str, int]:
    """The PDF's text, its lines joined by single spaces; and its number of pages."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages), len(pages)


def test_the_dossier_pdf_says_every_event_masked_as_its_reader_sees_it(app: App) -> None:
    case_id = _case(app)
    raad = app.engine.users.principal("mevr.raad")  # bevoegd gezag: handles the report, may not know the melder
    assert raad is not None
    dossier = app.engine.reads.dossier(raad, case_id)
    assert dossier.view.subject() == "(afgeschermd)" and len(dossier.events) > NOTES
    for path in (f"/audit/zaken/{case_id}/dossier.pdf", f"/audit/zaken/{case_id}/dossier.zip"):
        text, pages = _text(_pdf(app, "mevr.raad", path))
        assert f"Dossier zaak {case_id}" in text
        assert "(afgeschermd) - " in text and PSEUDONYM not in text and MELDER_NAME not in text and "zq.melder" not in text
        assert f"Controle: in orde ({len(dossier.events)} gebeurtenissen)" in text
        protocol = dossier.view.protocol
        for e in dossier.events:
            assert f"#{e.seq} {event_label(protocol, e)}" in text, e.seq
            assert f"hash {e.hash}" in text, e.seq
            if e.data.get("note") and LONG_WORD not in e.data["note"]:
                assert e.data["note"] in text, e.seq
        # the timeline: each event's row, in the order things happened
        rows = [f"{e.seq} {event_label(protocol, e)}" for e in timeline(dossier.events)]
        assert all(row in text for row in rows)
        assert "Eerste regel. Tweede regel." in text and LONG_WORD in "".join(text.split())
        assert pages > 3 and f"pagina 1 van {pages}" in text and f"pagina {pages} van {pages}" in text
    # who may know the melder reads the pseudonym
    text, _ = _text(_pdf(app, "mevr.vp", f"/audit/zaken/{case_id}/dossier.pdf"))
    assert f" - {PSEUDONYM} - " in text and "(afgeschermd)" not in text


def test_no_text_of_the_dossier_runs_off_the_page(app: App) -> None:
    """Every piece of text drawn starts inside the left margin and, measured in the PDF's
    own font, ends inside the right one: a long word is broken, not cut off at the edge."""
    case_id = _case(app)
    pdf = _pdf(app, "mevr.vp", f"/audit/zaken/{case_id}/dossier.pdf")
    right_pt = (PAGE_WIDTH_MM - MARGIN_MM) / MM_PER_PT + 0.5
    drawn: list[tuple[str, float, float, bool]] = []

    def seen(text: str, cm: list[float], tm: list[float], font: dict[str, object] | None, size: float) -> None:
        if text.strip():
            bold = "Bold" in str((font or {}).get("/BaseFont"))
            drawn.append((text, tm[4] + cm[4], size * tm[0], bold))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=seen)
    assert any(LONG_WORD[:30] in t for t, _, _, _ in drawn)
    for text, x, size, bold in drawn:
        end = x + text_width_mm(text.strip(), size, bold=bold) / MM_PER_PT  # pypdf adds a space between pieces
        assert x >= MARGIN_MM / MM_PER_PT - 0.5 and end <= right_pt, (text, x, end)


def test_a_melder_reads_that_there_are_internal_notes_not_what_they_say(app: App) -> None:
    """The dossier says "Interne notitie van de behandelaar" where the engine's Dossier holds
    no more of a note (it was set in italics, a style the embedded font lacks: the PDF failed)."""
    case_id = _case(app)
    vp = app.engine.users.principal("mevr.vp")
    assert vp is not None
    app.engine.notes.add_note(vp, case_id, "Interne inschatting: ernstig.")
    app.engine.notes.attach(vp, case_id, name="inschatting.txt", content=b"Intern stuk")
    client = TestClient(create_app(app), base_url="https://testserver")
    assert login(client, "zq.melder", "wachtwoord-van-de-melder") == "/"
    response = client.get(f"/audit/zaken/{case_id}/dossier.pdf")
    assert response.status_code == 200
    text, _ = _text(response.content)
    assert "Interne notitie van de behandelaar" in text and "Interne bijlage van de behandelaar" in text
    assert "Interne inschatting" not in text and "inschatting.txt" not in text
    assert f" - {PSEUDONYM} - " in text  # the melder knows who they are
