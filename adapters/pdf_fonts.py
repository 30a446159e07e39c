"""The Unicode font of trede's PDFs: DejaVu Sans, embedded (a subset) in every letter and report.

The PDF core fonts know Latin-1 only, so "Şahin", "Yıldız", "Łukasz" or "Nguyễn" printed as
question marks in a legal letter. DejaVu Sans (free licence, adapters/fonts/LICENSE-DejaVu.txt)
covers Latin, Greek, Cyrillic and Vietnamese. fpdf2 embeds only the glyphs a PDF uses, in a
fixed order, so the same letter gives the same bytes (its sha256 is stored and compared).

Parsing the two fonts (fpdf2's add_font: the character map, every glyph's width and id) took
about 0.25 s of every PDF. A server process parses each style once (``_parsed``) and gives
each PDF its own font object made from it (``use_unicode_font``): what fpdf2 only reads is
shared (character map, glyph ids, descriptor), what a PDF changes is its own (the subset of
glyphs it uses, the widths map, which fills in unknown characters, and the fontTools font,
which the subsetter cuts down in place, opened lazily from the file's bytes kept in memory).
The bytes of a PDF are the same as with add_font (tests/unit/test_pdf_unicode.py).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

FONTS = Path(__file__).parent / "fonts"
FAMILY = "dejavu"
_FILES = {"": FONTS / "DejaVuSans.ttf", "B": FONTS / "DejaVuSans-Bold.ttf"}


@lru_cache(maxsize=2)
def _parsed(style: str) -> tuple[Any, bytes]:
    """The style's font as fpdf2 parses it (never put into a PDF itself), and the file's bytes."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font(FAMILY, style, _FILES[style])
    return pdf.fonts[FAMILY + style], _FILES[style].read_bytes()


def use_unicode_font(pdf: Any) -> None:
    """Register the regular and bold styles with ``pdf`` (an fpdf2 FPDF), as add_font would."""
    from fontTools import ttLib  # type: ignore[import-untyped]
    from fpdf.fonts import SubsetMap

    for style in _FILES:
        parsed, data = _parsed(style)
        font = copy.copy(parsed)  # shares what fpdf2 only reads
        font.i = len(pdf.fonts) + 1
        font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
        font.cw = parsed.cw.copy()  # a defaultdict: a lookup of an unknown character adds it
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        font.subset = SubsetMap(font)
        pdf.fonts[FAMILY + style] = font


@lru_cache(maxsize=2)
def char_widths(bold: bool) -> Mapping[int, float]:
    """Each character's width in thousandths of the font size (unknown ones: the font's default)."""
    widths = _parsed("B" if bold else "")[0].cw.copy()
    return cast(Mapping[int, float], widths)  # a TTF font's widths are keyed by code point


def glyph_map(bold: bool) -> Mapping[int, Any]:
    """The code points the style has a glyph for (the font's character map)."""
    return cast(Mapping[int, Any], _parsed("B" if bold else "")[0].cmap)
