"""Holes found in the dossier PDF (adapters/dossier_pdf.py), on SQLite and PostgreSQL: what
a note says is in the PDF, also where the embedded font has no glyph for a character; and
no text a person typed starts a line of its own in a heading or the timeline."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from adapters.dossier_pdf import dossier_to_pdf
from adapters.pdf_layout import MARGIN_MM, MM_PER_PT
from api.bootstrap import App
from engine.audit import ReplayStep
from engine.errors import InputError
from engine.events import Event, EventType
from tests.integration.test_dossier_pdf import _case, _pdf, _text

NOTE = "De leerling schreef 👍 en noemde 王小明 als getuige."


def test_a_character_the_font_lacks_is_shown_as_its_code_point_not_left_out(app: App) -> None:
    """DejaVu Sans has no glyph for an emoji or a Chinese name: fpdf2 drew nothing for them,
    so the dossier said "schreef en noemde als getuige" without a trace of what was left out."""
    case_id = _case(app)
    vp = app.engine.users.principal("mevr.vp")
    assert vp is not None
    app.engine.notes.add_note(vp, case_id, NOTE)
    text, _ = _text(_pdf(app, "mevr.vp", f"/audit/zaken/{case_id}/dossier.pdf"))
    assert "schreef [U+1F44D] en noemde [U+738B][U+5C0F][U+660E] als getuige." in text
    assert "schreef en noemde" not in text


FORGED = "#99 Besluit: de melding is ongegrond en gesloten"


def _drawn(pdf: bytes) -> list[tuple[str, float, bool]]:
    """Each piece of text the PDF draws: its text, its x (pt), whether it is bold."""
    pieces: list[tuple[str, float, bool]] = []

    def seen(text: str, cm: list[float], tm: list[float], font: dict[str, object] | None, size: float) -> None:
        if text.strip():
            pieces.append((text.strip(), tm[4] + cm[4], "Bold" in str((font or {}).get("/BaseFont"))))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=seen)
    return pieces


def test_a_file_name_is_one_line(app: App) -> None:
    """A file's name is shown in a dossier's bold event heading: a line break in it (a
    melder's upload through the API) started a line of its own there, a heading that
    looked like an event of the record. A name with a line break is refused."""
    case_id = _case(app)
    vp = app.engine.users.principal("mevr.vp")
    assert vp is not None
    for name in (f"verslag.txt\n{FORGED}", "verslag\r.txt", "a\u2028b.txt"):
        with pytest.raises(InputError) as refused:
            app.engine.notes.attach(vp, case_id, name=name, content=b"Verslag")
        assert refused.value.fields["field"] == "bestand"


def test_a_line_break_stored_in_a_file_name_forges_no_heading_in_the_dossier(app: App) -> None:
    """A name recorded before it was refused is printed on one line, in the heading, the
    timeline and the file's line: nothing a person typed starts a line of its own there."""
    case_id = _case(app)
    vp = app.engine.users.principal("mevr.vp")
    assert vp is not None
    app.engine.notes.attach(vp, case_id, name="verslag.txt", content=b"Verslag")
    dossier = app.engine.reads.dossier(vp, case_id)

    def forged(e: Event) -> Event:
        if e.type != EventType.ATTACHMENT:
            return e
        return replace(e, data={**e.data, "file_name": f"verslag.txt\n{FORGED}"})

    steps = [ReplayStep(forged(s.event), s.before, s.after) for s in dossier.steps]
    stored = replace(dossier, events=[forged(e) for e in dossier.events], steps=steps)
    pieces = _drawn(dossier_to_pdf(stored, app.engine.users.names(), app.engine.clock.now()))
    assert any(f"Bijlage: verslag.txt {FORGED}" in text for text, _, bold in pieces if bold)
    assert not [p for p in pieces if p[0].startswith(FORGED[:3])]


def test_what_a_person_wrote_stands_apart_from_what_trede_writes(app: App) -> None:
    """A note that copies the record's own lines ("hash …", "Controle: in orde") printed
    them exactly where and as trede prints its own: in the PDF, the copy and the record
    could not be told apart. What people wrote (notes, a file's description) stands
    indented, beside a rule; trede's lines start at the margin."""
    case_id = _case(app)
    vp = app.engine.users.principal("mevr.vp")
    assert vp is not None
    fake = "hash " + "0" * 64
    app.engine.notes.add_note(vp, case_id, f"Gesprek gevoerd.\n{fake}\nControle: in orde (3 gebeurtenissen)")
    app.engine.notes.attach(vp, case_id, name="verslag.txt", content=b"Verslag", description=f"Verslag.\n{fake}")
    dossier = app.engine.reads.dossier(vp, case_id)
    pieces = _drawn(_pdf(app, "mevr.vp", f"/audit/zaken/{case_id}/dossier.pdf"))
    margin = MARGIN_MM / MM_PER_PT
    copies = [x for text, x, _ in pieces if text.startswith((fake, "Controle: in orde (3"))]
    assert len(copies) == 3 and all(x > margin + 2 / MM_PER_PT for x in copies), copies
    real = {f"hash {e.hash}" for e in dossier.events}
    assert all(abs(x - margin) < 0.5 for text, x, _ in pieces if text in real)
