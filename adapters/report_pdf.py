"""Reports as an A4 PDF: headings, notes and tables, laid out here (fpdf2, DejaVu Sans embedded).

fpdf2's HTML tables (``write_html``) lay out every cell twice, character by character, and
copy the graphics state per fragment: about 0.7 ms per cell, most of the report PDF's time
(issue 26: 2 s under load). Here a cell's lines are measured once, with the font's own
character widths, and drawn as plain text: the same page in about a tenth of the time.

Columns are as wide as their longest word, so that no date, number or name is broken over
two lines; the rest of the width goes to the columns with longer text. A table too wide for
that prints one record per row: its column names beside their values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from adapters.pdf_fonts import FAMILY, char_widths, use_unicode_font

PAGE_WIDTH_MM = 210.0
MARGIN_MM = 20.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM
FONT = FAMILY
SIZE_PT = 10.0
LINE_MM = 5.0  # the height of a line of 10 pt text in a table cell
PAD_MM = 1.2  # inside a cell, left and right; the top and bottom get half a line's leading
_CELL_ROOM_MM = 2 * PAD_MM + 0.6  # a cell's padding and borders
_MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class PdfTable:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]
    explanation: str = ""  # a short text under the heading
    bars: Sequence[tuple[str, str]] = ()  # a bar chart above the table: (label, value as shown)


def text_width_mm(text: str, size: float = SIZE_PT, *, bold: bool = False) -> float:
    """How wide ``text`` is on one line in the report's font, in mm."""
    return _units(str(text), bold) * size / 1000 * _MM_PER_PT


@lru_cache(maxsize=8192)
def _units(text: str, bold: bool) -> float:
    """The width of ``text`` in thousandths of the font size (words recur: cached)."""
    widths = char_widths(bold)
    return sum(widths[ord(c)] for c in text)


def column_widths(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], width_mm: float = TEXT_WIDTH_MM, size: float = SIZE_PT
) -> list[float] | None:
    """Each column's width in mm, none narrower than its longest word (the heading's in
    bold); what is left goes to the columns whose text is longer than that. None when the
    longest words alone do not fit: such a table is printed as one record per row."""
    least, wanted = [], []
    for index, heading in enumerate(columns):
        cells = [str(row[index]) for row in rows if index < len(row)]
        words = [(w, True) for w in heading.split()] + [(w, False) for cell in cells for w in cell.split()]
        least.append(max((text_width_mm(w, size, bold=b) for w, b in words), default=0.0) + _CELL_ROOM_MM)
        lines = [text_width_mm(heading, size, bold=True)] + [text_width_mm(c, size) for c in cells]
        wanted.append(max(lines) + _CELL_ROOM_MM)
    if sum(least) > width_mm:
        return None
    if sum(wanted) <= width_mm:
        return [w * width_mm / sum(wanted) for w in wanted]
    spare, extra = width_mm - sum(least), [w - m for w, m in zip(wanted, least, strict=True)]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def record_widths(columns: Sequence[str], width_mm: float = TEXT_WIDTH_MM, size: float = SIZE_PT) -> list[float]:
    """A row printed as a record: its column names (bold, at most 45 %) beside its values."""
    label = max((text_width_mm(c, size, bold=True) for c in columns), default=0.0) + _CELL_ROOM_MM
    label = min(label, 0.45 * width_mm)
    return [label, width_mm - label]


def wrap(text: str, width_mm: float, *, bold: bool = False, size: float = SIZE_PT) -> list[str]:
    """``text`` in lines of at most ``width_mm``, broken between words only (a word wider
    than the line stands on a line of its own)."""
    lines: list[str] = []
    space = text_width_mm(" ", size, bold=bold)
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            width = text_width_mm(word, size, bold=bold)
            if line and used + space + width > width_mm:
                lines.append(line)
                line, used = "", 0.0
            line, used = (f"{line} {word}", used + space + width) if line else (word, width)
        lines.append(line)
    return lines or [""]


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
    _paragraph(pdf, title, 16, bold=True, line_mm=8)
    for note in notes:
        pdf.ln(2)
        _paragraph(pdf, note)
    for table in tables:
        _heading(pdf, table.title)
        if table.explanation:
            _paragraph(pdf, table.explanation)
            pdf.ln(1)
        if table.bars:
            _bars(pdf, table.bars)
        if not table.rows:
            _paragraph(pdf, "Geen gegevens.")
            continue
        widths = column_widths(table.columns, table.rows)
        if widths is not None:
            _table(pdf, widths, [str(c) for c in table.columns], [[str(v) for v in r] for r in table.rows])
            continue
        labels = record_widths(table.columns)
        for row in table.rows:
            record = [[str(c), str(row[i]) if i < len(row) else ""] for i, c in enumerate(table.columns)]
            height = sum(_row_height(labels, r, [True, False]) for r in record)
            if pdf.get_y() + height > pdf.page_break_trigger and height < pdf.page_break_trigger - MARGIN_MM:
                pdf.add_page()  # a record that fits on a page is not split over two
            _table(pdf, labels, None, record, bold_first=True)
            pdf.ln(3)
    return bytes(pdf.output())


def _paragraph(pdf: Any, text: str, size: float = SIZE_PT, *, bold: bool = False, line_mm: float = LINE_MM) -> None:
    """Text over the page's width, broken between words (fpdf's multi_cell does the same
    with a layout per character, many times slower)."""
    pdf.set_font(FONT, "B" if bold else "", size)
    for line in wrap(text, TEXT_WIDTH_MM, bold=bold, size=size):
        if pdf.get_y() + line_mm > pdf.page_break_trigger:
            pdf.add_page()
        pdf.text(MARGIN_MM, pdf.get_y() + line_mm * 0.75, line)
        pdf.set_xy(MARGIN_MM, pdf.get_y() + line_mm)
    pdf.set_font(FONT, "", SIZE_PT)


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


def _heading(pdf: Any, text: str) -> None:
    pdf.ln(4)
    if pdf.get_y() + 20 > pdf.page_break_trigger:  # a heading does not end a page alone
        pdf.add_page()
    _paragraph(pdf, text, 12, bold=True, line_mm=6)
    pdf.ln(1)


def _row_height(widths: list[float], cells: list[str], bold: list[bool]) -> float:
    return max(len(wrap(c, w - _CELL_ROOM_MM, bold=b)) for c, w, b in zip(cells, widths, bold, strict=True)) * LINE_MM + 1.5


def _table(
    pdf: Any, widths: list[float], header: list[str] | None, rows: list[list[str]], *, bold_first: bool = False
) -> None:
    """Rows of cells with borders; the header row in bold, again at the top of a new page."""

    style = {"now": ""}  # the font style set last: fpdf's set_font is not free

    def use(bold: bool) -> None:
        if style["now"] != ("B" if bold else ""):
            style["now"] = "B" if bold else ""
            pdf.set_font(FONT, style["now"], SIZE_PT)

    def row_of(cells: list[str], bold: list[bool]) -> None:
        lines = [wrap(c, w - _CELL_ROOM_MM, bold=b) for c, w, b in zip(cells, widths, bold, strict=True)]
        height = max(len(ls) for ls in lines) * LINE_MM + 1.5  # as _row_height
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            style["now"] = ""  # a new page starts in the regular style
            pdf.set_font(FONT, "", SIZE_PT)
            if header is not None and cells is not header:
                row_of(header, [True] * len(header))
        x, y = MARGIN_MM, pdf.get_y()
        for cell_lines, width, b in zip(lines, widths, bold, strict=True):
            pdf.rect(x, y, width, height)
            use(b)
            for n, line in enumerate(cell_lines):
                if line:
                    pdf.text(x + PAD_MM, y + 0.75 + LINE_MM * n + SIZE_PT * _MM_PER_PT * 0.95, line)
            x += width
        pdf.set_xy(MARGIN_MM, y + height)

    if header is not None:
        row_of(header, [True] * len(header))
    for row in rows:
        row_of(row, [bold_first and i == 0 for i in range(len(row))])
    use(False)
