"""Letters as HTML (Jinja2) and PDF (fpdf2, pure Python: no system libraries needed)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape

from adapters.pdf_fonts import FAMILY, use_unicode_font
from engine.errors import InputError, StorageError
from engine.letters import RenderedLetter, dutch_date
from engine.logos import FIELD as LOGO_FIELD
from engine.logos import LABEL as LOGO_LABEL
from engine.logos import LOGO_KINDS

TEMPLATES = Path(__file__).parent / "letter_templates"
# The competent authorities for an external whistleblower report (Wbk art. 2c), as versioned data.
WBK_AUTHORITIES = Path(__file__).parent / "data" / "wbk_bevoegde_autoriteiten.yaml"


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
        return RenderedLetter(html=html, make_pdf=lambda: self._pdf(html, context, moment))

    def check_image(self, media_type: str, content: bytes) -> None:
        """Decode the image the way a letter's PDF will (fpdf2, through Pillow)."""
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        pdf.add_page()
        try:
            pdf.image(io.BytesIO(content), w=20)
            pdf.output()
        except Exception:  # whatever the decoder says, the file cannot go into a letter
            raise InputError(LOGO_FIELD, f"{LOGO_LABEL}: het bestand is geen leesbare {LOGO_KINDS.get(media_type, 'afbeelding')}-afbeelding") from None

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


def html_to_pdf(html: str, title: str, moment: datetime) -> bytes:
    """A simple HTML document (headings, paragraphs, tables) as an A4 PDF."""
    from fpdf import FPDF  # on first use: it costs a server process a fifth of a second at start

    pdf = FPDF(format="A4")
    pdf.set_creation_date(moment)
    pdf.set_title(title)
    pdf.set_margins(20, 20, 20)
    use_unicode_font(pdf)  # names as the school writes them: "Şahin", "Łukasz", "Nguyễn"
    pdf.add_page()
    pdf.set_font(FAMILY, size=10)
    body = html.split("<body>", 1)[-1].split("</body>", 1)[0]
    pdf.write_html(body, font_family=FAMILY)
    return bytes(pdf.output())
