"""Text laid out on an A4 page by trede itself (fpdf2 draws it): paragraphs, headings, tables.

fpdf2's ``write_html``, ``multi_cell`` and HTML tables break lines character by character and
copy the graphics state per fragment (about 0.7 ms per table cell, most of a report's or a
dossier's time). Here a text is measured once, word by word, with the font's own character
widths (adapters/pdf_fonts.py), broken between words, and drawn as plain text lines: the same
page in about a tenth of the time. The reports (adapters/report_pdf.py) and the dossier
(adapters/dossier_pdf.py) are laid out with these pieces.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from adapters.pdf_fonts import FAMILY, char_widths, glyph_map

PAGE_WIDTH_MM = 210.0
MARGIN_MM = 20.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM
FONT = FAMILY
SIZE_PT = 10.0
LINE_MM = 5.0  # the height of a line of 10 pt text in a table cell
PAD_MM = 1.2  # inside a cell, left and right; the top and bottom get half a line's leading
CELL_ROOM_MM = 2 * PAD_MM + 0.6  # a cell's padding and borders
MM_PER_PT = 25.4 / 72


def text_width_mm(text: str, size: float = SIZE_PT, *, bold: bool = False) -> float:
    """How wide ``text`` is on one line in the PDFs' font, in mm."""
    return _units(str(text), bold) * size / 1000 * MM_PER_PT


@lru_cache(maxsize=8192)
def _units(text: str, bold: bool) -> float:
    """The width of ``text`` in thousandths of the font size (words recur: cached)."""
    widths = char_widths(bold)
    return sum(widths[ord(c)] for c in text)


@lru_cache(maxsize=2)
def _glyphs(bold: bool) -> frozenset[int]:
    """The code points the font (the style) has a glyph for."""
    return frozenset(glyph_map(bold))


def printable(text: str, *, bold: bool = False) -> str:
    """``text`` as the font can draw it. A character it has no glyph for (an emoji, a name
    in Chinese script: DejaVu Sans covers Latin, Greek and Cyrillic) would be left out
    without a trace; it is written as its code point instead ("[U+1F44D]"): nothing a
    dossier or report holds is lost unseen."""
    if text.isascii():
        return text
    known = _glyphs(bold)
    return "".join(c if c.isspace() or ord(c) in known else f"[U+{ord(c):04X}]" for c in text)


def wrap(text: str, width_mm: float, *, bold: bool = False, size: float = SIZE_PT, first_mm: float | None = None) -> list[str]:
    """``text`` in lines of at most ``width_mm`` (the first line: ``first_mm``, when it
    follows something on the same line), broken between words; a line break in the text
    starts a new line. A word wider than a whole line (a long file name, a hash, a pasted
    link) is broken where the line is full: no text runs off the page. A character the
    font lacks is written as its code point (``printable``)."""
    text = printable(str(text), bold=bold)
    lines: list[str] = []
    space = text_width_mm(" ", size, bold=bold)
    room = width_mm if first_mm is None else first_mm
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            width = text_width_mm(word, size, bold=bold)
            if line and used + space + width > room:
                lines.append(line)
                line, used, room = "", 0.0, width_mm
            if not line and room < width and width <= width_mm and not lines and first_mm is not None:
                lines.append("")  # the word fits on a line of its own, not after the lead
                room = width_mm
            if not line and width > room:
                *full, word = _pieces(word, room, width_mm, bold, size)
                lines.extend(full)
                room = width_mm if full else room
                width = text_width_mm(word, size, bold=bold)
            line, used = (f"{line} {word}", used + space + width) if line else (word, width)
        lines.append(line)
        room = width_mm
    return lines or [""]


def _pieces(word: str, first_mm: float, width_mm: float, bold: bool, size: float) -> list[str]:
    """A word too wide for a line, cut into pieces that each fill a line (the first ``first_mm``)."""
    widths, scale = char_widths(bold), size / 1000 * MM_PER_PT
    pieces, piece, used, room = [], "", 0.0, first_mm
    for c in word:
        width = widths[ord(c)] * scale
        if piece and used + width > room:
            pieces.append(piece)
            piece, used, room = "", 0.0, width_mm
        piece, used = piece + c, used + width
    pieces.append(piece)
    return pieces


QUOTE_MM = 4.0  # what a person wrote stands this far in, beside a rule (see ``paragraph``)


def paragraph(
    pdf: Any,
    text: str,
    size: float = SIZE_PT,
    *,
    bold: bool = False,
    line_mm: float = LINE_MM,
    lead: str = "",
    quoted: bool = False,
) -> None:
    """Text over the page's width, broken between words (fpdf's multi_cell does the same
    with a layout per character, many times slower). ``lead``: a few words in bold before
    the text, on its first line ("Controle: in orde"). ``quoted``: what a person wrote (a
    note, a message, a value typed), indented beside a thin rule, so that no line of it
    can pass for one trede writes at the margin (a copied "hash …" or "Controle: …")."""
    left = MARGIN_MM + (QUOTE_MM if quoted else 0.0)
    width = TEXT_WIDTH_MM - (left - MARGIN_MM)
    lead_mm = text_width_mm(f"{lead} ", size, bold=True) if lead else 0.0
    lines = wrap(text, width, bold=bold, size=size, first_mm=width - lead_mm if lead else None)
    for n, line in enumerate(lines):
        if pdf.get_y() + line_mm > pdf.page_break_trigger:
            pdf.add_page()
        top = pdf.get_y()
        baseline = top + line_mm * 0.75
        if quoted:
            pdf.line(MARGIN_MM + 1.0, top, MARGIN_MM + 1.0, top + line_mm)
        if n == 0 and lead:
            pdf.set_font(FONT, "B", size)
            pdf.text(left, baseline, lead)
        pdf.set_font(FONT, "B" if bold else "", size)
        if line:
            pdf.text(left + (lead_mm if n == 0 else 0.0), baseline, line)
        pdf.set_xy(MARGIN_MM, top + line_mm)
    pdf.set_font(FONT, "", SIZE_PT)


def heading(pdf: Any, text: str, size: float = 12, *, line_mm: float = 6, keep_mm: float = 20, before_mm: float = 4) -> None:
    """A heading in bold; it does not end a page alone (``keep_mm``: the room it wants below)."""
    pdf.ln(before_mm)
    if pdf.get_y() + keep_mm > pdf.page_break_trigger:
        pdf.add_page()
    paragraph(pdf, text, size, bold=True, line_mm=line_mm)
    pdf.ln(1)


def column_widths(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], width_mm: float = TEXT_WIDTH_MM, size: float = SIZE_PT
) -> list[float] | None:
    """Each column's width in mm, none narrower than its longest word (the heading's in
    bold); what is left goes to the columns whose text is longer than that. None when the
    longest words alone do not fit: such a table is printed as one record per row."""
    least, wanted = [], []
    for index, named in enumerate(columns):
        column = printable(named, bold=True)
        cells = [printable(str(row[index])) for row in rows if index < len(row)]
        words = [(w, True) for w in column.split()] + [(w, False) for cell in cells for w in cell.split()]
        least.append(max((text_width_mm(w, size, bold=b) for w, b in words), default=0.0) + CELL_ROOM_MM)
        lines = [text_width_mm(column, size, bold=True)] + [text_width_mm(c, size) for c in cells]
        wanted.append(max(lines) + CELL_ROOM_MM)
    if sum(least) > width_mm:
        return None
    if sum(wanted) <= width_mm:
        return [w * width_mm / sum(wanted) for w in wanted]
    spare, extra = width_mm - sum(least), [w - m for w, m in zip(wanted, least, strict=True)]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def record_widths(columns: Sequence[str], width_mm: float = TEXT_WIDTH_MM, size: float = SIZE_PT) -> list[float]:
    """A row printed as a record: its column names (bold, at most 45 %) beside its values."""
    label = max((text_width_mm(c, size, bold=True) for c in columns), default=0.0) + CELL_ROOM_MM
    label = min(label, 0.45 * width_mm)
    return [label, width_mm - label]


def row_height(widths: list[float], cells: list[str], bold: list[bool]) -> float:
    return max(len(wrap(c, w - CELL_ROOM_MM, bold=b)) for c, w, b in zip(cells, widths, bold, strict=True)) * LINE_MM + 1.5


def table(pdf: Any, widths: list[float], header: list[str] | None, rows: list[list[str]], *, bold_first: bool = False) -> None:
    """Rows of cells with borders; the header row in bold, again at the top of a new page."""

    style = {"now": ""}  # the font style set last: fpdf's set_font is not free

    def use(bold: bool) -> None:
        if style["now"] != ("B" if bold else ""):
            style["now"] = "B" if bold else ""
            pdf.set_font(FONT, style["now"], SIZE_PT)

    def row_of(cells: list[str], bold: list[bool]) -> None:
        lines = [wrap(c, w - CELL_ROOM_MM, bold=b) for c, w, b in zip(cells, widths, bold, strict=True)]
        height = max(len(ls) for ls in lines) * LINE_MM + 1.5  # as row_height
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
                    pdf.text(x + PAD_MM, y + 0.75 + LINE_MM * n + SIZE_PT * MM_PER_PT * 0.95, line)
            x += width
        pdf.set_xy(MARGIN_MM, y + height)

    if header is not None:
        row_of(header, [True] * len(header))
    for row in rows:
        row_of(row, [bold_first and i == 0 for i in range(len(row))])
    use(False)
