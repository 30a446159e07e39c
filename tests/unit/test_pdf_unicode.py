"""Letters and reports carry names exactly as the school writes them, whatever the alphabet:
the PDFs embed a Unicode font (adapters/pdf_fonts.py), and stay byte for byte the same for the
same input (a letter's sha256 is stored and compared)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from adapters.letter_renderer import html_to_pdf
from adapters.report_pdf import PdfTable, tables_to_pdf, text_width_mm

NAMES = ["Şahin", "Yıldız", "Łukasz", "Nguyễn", "Ærøskøbing", "Ђорђе"]
MOMENT = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
LETTER = (
    "<html><head><title>Brief</title></head><body>"
    "<h1>Schorsing van Ayşe Yıldız</h1>"
    "<p>Aan <b>Łukasz Şahin</b>, ouder van Nguyễn Văn An.</p>"
    "<p>Met vriendelijke groet, Ærøskøbing – “Ђорђе” … € 5</p>"
    "</body></html>"
)


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_letter_prints_every_name_exactly() -> None:
    text = text_of(html_to_pdf(LETTER, "Schorsing van Ayşe Yıldız", MOMENT))
    for name in ["Ayşe Yıldız", "Łukasz Şahin", "Nguyễn Văn An", "Ærøskøbing", "“Ђорђе”", "€ 5"]:
        assert name in text, (name, text)
    assert "?" not in text


def test_the_same_letter_gives_the_same_bytes() -> None:
    assert html_to_pdf(LETTER, "Brief", MOMENT) == html_to_pdf(LETTER, "Brief", MOMENT)


def test_a_report_prints_every_name_exactly_and_the_same_each_time() -> None:
    table = PdfTable("Leerlingen", ["Naam", "Groep"], [[name, "7b"] for name in NAMES])
    pdf = tables_to_pdf("Overzicht Şahin", ["Opgesteld door Łukasz"], [table], MOMENT)
    text = text_of(pdf)
    for name in [*NAMES, "Overzicht Şahin", "Opgesteld door Łukasz"]:
        assert name in text, (name, text)
    assert pdf == tables_to_pdf("Overzicht Şahin", ["Opgesteld door Łukasz"], [table], MOMENT)


@pytest.mark.parametrize(("letter", "like"), [("Ş", "S"), ("ı", "i"), ("ễ", "e")])
def test_a_letter_outside_latin_1_is_measured_as_itself_not_as_a_question_mark(letter: str, like: str) -> None:
    # measured as "?" (as wide as neither), a column of such names would be laid out wrong
    assert text_width_mm(letter) == text_width_mm(like) != text_width_mm("?")
    assert text_width_mm(letter, bold=True) > text_width_mm(letter)


def test_the_font_kept_across_pdfs_gives_the_bytes_fpdf2_gives_when_it_parses_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import adapters.pdf_fonts as fonts

    table = PdfTable("Namen", ["naam", "n"], [[name, str(i)] for i, name in enumerate(NAMES * 20)])
    kept = (html_to_pdf(LETTER, "brief", MOMENT), tables_to_pdf("Overzicht", NAMES, [table], MOMENT))
    again = (html_to_pdf(LETTER, "brief", MOMENT), tables_to_pdf("Overzicht", NAMES, [table], MOMENT))

    def parse_each_time(pdf: object) -> None:
        for style, file in fonts._FILES.items():
            pdf.add_font(fonts.FAMILY, style, file)  # type: ignore[attr-defined]

    monkeypatch.setattr(fonts, "use_unicode_font", parse_each_time)
    monkeypatch.setattr("adapters.letter_renderer.use_unicode_font", parse_each_time)
    monkeypatch.setattr("adapters.report_pdf.use_unicode_font", parse_each_time)
    parsed = (html_to_pdf(LETTER, "brief", MOMENT), tables_to_pdf("Overzicht", NAMES, [table], MOMENT))
    assert kept == again == parsed
