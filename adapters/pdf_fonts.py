"""The Unicode font of trede's PDFs: DejaVu Sans, embedded (a subset) in every letter and report.

The PDF core fonts know Latin-1 only, so "Şahin", "Yıldız", "Łukasz" or "Nguyễn" printed as
question marks in a legal letter. DejaVu Sans (free licence, adapters/fonts/LICENSE-DejaVu.txt)
covers Latin, Greek, Cyrillic and Vietnamese. fpdf2 embeds only the glyphs a PDF uses, in a
fixed order, so the same letter gives the same bytes (its sha256 is stored and compared).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

FONTS = Path(__file__).parent / "fonts"
FAMILY = "dejavu"
_FILES = {"": FONTS / "DejaVuSans.ttf", "B": FONTS / "DejaVuSans-Bold.ttf"}


def use_unicode_font(pdf: Any) -> None:
    """Register the regular and bold styles with ``pdf`` (an fpdf2 FPDF)."""
    for style, file in _FILES.items():
        pdf.add_font(FAMILY, style, file)


@lru_cache(maxsize=2)
def char_widths(bold: bool) -> Mapping[int, float]:
    """Each character's width in thousandths of the font size (unknown ones: the font's default)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font(FAMILY, "B" if bold else "", _FILES["B" if bold else ""])
    font = pdf.fonts[FAMILY + ("B" if bold else "")]
    return cast(Mapping[int, float], font.cw)  # a TTF font's widths are keyed by code point
