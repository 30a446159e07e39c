"""Reports as an A4 PDF: headings, notes and tables, laid out here (fpdf2, DejaVu Sans embedded).

fpdf2's HTML tables (``write_html``) lay out every cell twice, character by character, and
copy the graphics state per fragment: about 0.7 ms per cell, most of the report PDF's time
(issue 26: 2 s under load). Here a cell's lines are measured once, with the font's own
character widths, and drawn as plain text (adapters/pdf_layout.py, shared with the dossier):
the same page in about a tenth of the time.

Columns are as wide as their longest word, so that no date, number or name is broken over
two lines; the rest of the width goes to the columns with longer text. A table too wide for
that prints one record per row: its column names beside their values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.pdf_fonts import use_unicode_font
from adapters.pdf_layout import (
    FONT,
    MARGIN_MM,
    SIZE_PT,
    TEXT_WIDTH_MM,
    column_widths,
    heading,
    paragraph,
    record_widths,
    row_height,
    text_width_mm,
    wrap,
)
from adapters.pdf_layout import table as draw_table

__all__ = ["PdfTable", "column_widths", "record_widths", "tables_to_pdf", "text_width_mm", "wrap"]


@dataclass(frozen=True)
class PdfTable:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    explanation: str = ""  # a short text under the heading
    bars: Sequence[tuple[str, str]] = ()  # a bar chart above the table: (label, value as shown)


def tables_to_pdf(title: str, notes: Sequence[str], tables: Sequence[PdfTable], moment: datetime) -> bytes:
    """A report: its title, notes, and each table under its own heading."""
    from fpdf import FPDF  # on first use: it costs a server process a fifth of a second at start

    pdf = FPDF(format="A4")
    pdf.set_creation_date(moment)
    pdf.set_title(title)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    use_unicode_font(pdf)
    pdf.set_auto_page_break(True, MARGIN_MM)
    pdf.add_page()
    paragraph(pdf, title, 16, bold=True, line_mm=8)
    for note in notes:
        pdf.ln(2)
        paragraph(pdf, note)
    for table in tables:
        heading(pdf, table.title)
        if table.explanation:
            paragraph(pdf, table.explanation)
            pdf.ln(1)
        if table.bars:
            _bars(pdf, table.bars)
        if not table.rows:
            paragraph(pdf, "Geen gegevens.")
            continue
        widths = column_widths(table.columns, table.rows)
        if widths is not None:
            draw_table(pdf, widths, [str(c) for c in table.columns], [[str(v) for v in r] for r in table.rows])
            continue
        labels = record_widths(table.columns)
        for row in table.rows:
            record = [[str(c), str(row[i]) if i < len(row) else ""] for i, c in enumerate(table.columns)]
            height = sum(row_height(labels, r, [True, False]) for r in record)
            if pdf.get_y() + height > pdf.page_break_trigger and height < pdf.page_break_trigger - MARGIN_MM:
                pdf.add_page()  # a record that fits on a page is not split over two
            draw_table(pdf, labels, None, record, bold_first=True)
            pdf.ln(3)
    return bytes(pdf.output())


def _bars(pdf: Any, bars: Sequence[tuple[str, str]]) -> None:
    """A horizontal bar chart: a label, a bar as long as its value (the longest fills the
    room), the value beside it; as the report pages' SVG charts (api/reports.py). A value
    that is not a number (a hidden count: '<5', 'x') gets no bar, only its mark."""
    label_mm, room_mm, bar_mm = 70.0, TEXT_WIDTH_MM - 70.0 - 15.0, 4.0
    top = max((int(v) for _, v in bars if v.isdigit()), default=0) or 1
    pdf.set_font(FONT, "", 8)
    for label, value in bars:
        if pdf.get_y() + bar_mm + 1.5 > pdf.page_break_trigger:
            pdf.add_page()
        y = pdf.get_y()
        text = wrap(label, label_mm - 2, size=8)[0]
        pdf.text(MARGIN_MM, y + 3.2, text)
        width = room_mm * int(value) / top if value.isdigit() else 0.0
        pdf.set_fill_color(11, 92, 171)
        if width > 0:
            pdf.rect(MARGIN_MM + label_mm, y + 0.5, width, bar_mm - 1, style="F")
        pdf.text(MARGIN_MM + label_mm + width + 1.5, y + 3.2, value)
        pdf.set_xy(MARGIN_MM, y + bar_mm + 0.5)
    pdf.set_font(FONT, "", SIZE_PT)
    pdf.ln(2)
