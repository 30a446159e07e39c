"""Holes found in the dossier PDF (adapters/dossier_pdf.py), on SQLite and PostgreSQL: what
a note says is in the PDF, also where the embedded font has no glyph for a character."""

from __future__ import annotations

from api.bootstrap import App
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
