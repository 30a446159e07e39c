"""Lines as the PDFs lay them out (adapters/pdf_layout.py): broken between words, and a word
wider than a line (a hash in a narrow cell, a pasted link) broken where the line is full,
so that no text runs off the page; nothing is lost or added."""

from __future__ import annotations

import pytest

from adapters.pdf_layout import TEXT_WIDTH_MM, text_width_mm, wrap

HASH = "9692727d49841b031600fd200b75cae9162d0c7cf790d8fb4a5a3bdf8cccd6d6"
LINK = "https://voorbeeld.nl/" + "verslag-" * 60


def _fits(lines: list[str], width_mm: float, *, bold: bool = False, size: float = 10.0) -> bool:
    return all(text_width_mm(line, size, bold=bold) <= width_mm + 1e-9 for line in lines)


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize(("text", "width_mm"), [(LINK, TEXT_WIDTH_MM), (HASH, 30.0), (f"hash {HASH} en {LINK} klaar", 60.0)])
def test_a_word_wider_than_the_line_is_broken_inside_the_line(text: str, width_mm: float, bold: bool) -> None:
    lines = wrap(text, width_mm, bold=bold)
    assert len(lines) > 1 and _fits(lines, width_mm, bold=bold)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # every character, in order
    assert all(lines)  # no empty line in between


def test_words_that_fit_are_never_broken_and_lines_are_kept() -> None:
    text = "Gesprek met de ouders van Şahin Yıldız op 02-03-2026 gevoerd.\nTweede regel.\n\nNa een lege regel."
    lines = wrap(text, 40.0)
    assert _fits(lines, 40.0)
    assert {w for line in lines for w in line.split()} == set(text.split())
    assert "" in lines and lines[-1] == "Na een lege regel."  # the empty line stays


def test_after_a_lead_the_first_line_is_shorter() -> None:
    lead_mm = text_width_mm("Controle: ", bold=True)
    text = "NIET IN ORDE: " + "gebeurtenis 12 is veranderd na het vastleggen; " * 5
    lines = wrap(text, TEXT_WIDTH_MM, first_mm=TEXT_WIDTH_MM - lead_mm)
    assert _fits(lines[:1], TEXT_WIDTH_MM - lead_mm) and _fits(lines[1:], TEXT_WIDTH_MM)
    assert text_width_mm(lines[1]) > TEXT_WIDTH_MM - lead_mm - 10  # the next lines use the whole width
    # a word that fits a whole line but not after the lead starts on the next line, unbroken
    word = "x" * int((TEXT_WIDTH_MM - lead_mm / 2) / text_width_mm("x"))
    assert wrap(word, TEXT_WIDTH_MM, first_mm=TEXT_WIDTH_MM - lead_mm) == ["", word]
