"""Letters as HTML (Jinja2) and PDF (fpdf2, pure Python: no system libraries needed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape

from engine.errors import StorageError
from engine.letters import RenderedLetter, dutch_date

TEMPLATES = Path(__file__).parent / "letter_templates"
# The competent authorities for an external whistleblower report (Wbk art. 2c), as versioned data.
WBK_AUTHORITIES = Path(__file__).parent / "data" / "wbk_bevoegde_autoriteiten.yaml"
# The PDF core fonts cover Latin-1 (Dutch accents included); typographic marks are mapped.
_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "€": "EUR"})


class JinjaLetters:
    """Implements engine.letters.LetterRenderer."""

    def __init__(self, templates: Path = TEMPLATES, authorities: Path = WBK_AUTHORITIES) -> None:
        self.env = Environment(
            loader=FileSystemLoader(templates),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,  # a field the case lacks is an error, not a blank
        )
        self.env.filters["datum"] = dutch_date
        self.env.globals["wbk_autoriteiten"] = wbk_authorities(authorities)

    def render(self, template: str, context: dict[str, Any], moment: datetime) -> RenderedLetter:
        try:
            html = self.env.get_template(f"{template}.html").render(**context)
        except TemplateNotFound:
            raise StorageError(f"Briefsjabloon '{template}' bestaat niet.", template=template) from None
        return RenderedLetter(html=html, pdf=self._pdf(html, context, moment))

    @staticmethod
    def _pdf(html: str, context: dict[str, Any], moment: datetime) -> bytes:
        return html_to_pdf(html, str(context.get("letter", "")), moment)


def wbk_authorities(path: Path = WBK_AUTHORITIES) -> dict[str, Any]:
    """The Wbk's competent authorities with the list's version and source; refused when the
    file lacks any of them (a letter never names an incomplete list)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StorageError(f"De lijst van bevoegde autoriteiten ({path.name}) is niet te lezen: {exc}") from None
    authorities = data.get("authorities") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or not all(isinstance(data.get(k), str) and data.get(k) for k in ("version", "as_of", "source"))
        or not isinstance(authorities, list)
        or not authorities
        or not all(isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"] for a in authorities)
    ):
        raise StorageError(f"De lijst van bevoegde autoriteiten ({path.name}) mist version, as_of, source of authorities.")
    return {"version": data["version"], "as_of": data["as_of"], "source": data["source"], "authorities": authorities}


# The page html_to_pdf makes: A4 (210 mm) with margins of 20 mm, Helvetica at 10 pt.
TEXT_WIDTH_MM = 170.0
FONT_SIZE_PT = 10.0
_CELL_ROOM_MM = 3.0  # a table cell's margins and borders
_MM_PER_PT = 25.4 / 72


def text_width_mm(text: str, size: float = FONT_SIZE_PT, *, bold: bool = False) -> float:
    """How wide ``text`` is on one line in the PDF's core font (Helvetica), in mm."""
    from fpdf.fonts import CORE_FONTS_CHARWIDTHS

    widths = CORE_FONTS_CHARWIDTHS["helveticaB" if bold else "helvetica"]
    shown = text.translate(_TYPOGRAPHY).encode("latin-1", "replace").decode("latin-1")
    return sum(widths.get(c, 556) for c in shown) * size / 1000 * _MM_PER_PT


def column_widths(
    columns: list[str], rows: list[list[Any]], width_mm: float = TEXT_WIDTH_MM, size: float = FONT_SIZE_PT
) -> list[float] | None:
    """Percentages of the text width for a table's columns in which no word is broken: each
    column gets at least its longest word (a date, a number, a name), and what is left goes
    to the columns whose text is longer than that. None when the longest words alone do not
    fit: such a table is better printed as one record per row."""
    least, wanted = [], []
    for index, heading in enumerate(columns):
        cells = [str(row[index]) for row in rows if index < len(row)]
        words = [(w, True) for w in heading.split()] + [(w, False) for cell in cells for w in cell.split()]
        least.append(max((text_width_mm(w, size, bold=b) for w, b in words), default=0.0) + _CELL_ROOM_MM)
        lines = [text_width_mm(heading, size, bold=True)] + [text_width_mm(c, size) for c in cells]
        wanted.append(max(lines, default=0.0) + _CELL_ROOM_MM)
    if sum(least) > width_mm:
        return None
    if sum(wanted) <= width_mm:
        widths = [w * width_mm / sum(wanted) for w in wanted]
    else:
        spare, extra = width_mm - sum(least), [w - m for w, m in zip(wanted, least, strict=True)]
        widths = [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]
    return [round(100 * w / width_mm, 2) for w in widths]


def record_widths(columns: list[str], width_mm: float = TEXT_WIDTH_MM, size: float = FONT_SIZE_PT) -> list[float]:
    """Percentages for a row printed as a record: its column names (bold) beside its values."""
    label = max((text_width_mm(c, size, bold=True) for c in columns), default=0.0) + _CELL_ROOM_MM
    share = round(min(100 * label / width_mm, 45.0), 2)
    return [share, round(100 - share, 2)]


def html_to_pdf(html: str, title: str, moment: datetime) -> bytes:
    """A simple HTML document (headings, paragraphs, tables) as an A4 PDF."""
    from fpdf import FPDF  # on first use: it costs a server process a fifth of a second at start

    pdf = FPDF(format="A4")
    pdf.set_creation_date(moment)
    pdf.set_title(title.translate(_TYPOGRAPHY))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    body = html.split("<body>", 1)[-1].split("</body>", 1)[0]
    pdf.write_html(body.translate(_TYPOGRAPHY).encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())
