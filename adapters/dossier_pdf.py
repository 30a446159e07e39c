"""A case's dossier as an A4 PDF, for the Inspectie or a court: laid out here (fpdf2 draws it).

The dossier says what the engine's ``Dossier`` holds, as this viewer may see it (redacted and
masked by the engine; nothing is read here): the case and its subject, the result of the
hash chain's verification, the events in the order things happened, and then every event in
the order of recording with its step, actor, moments, inputs, note, message or file, and its
hash. Every page names the case, when the dossier was made, and its page number of the total.
What people wrote (notes, messages, values typed, a file's name and description) stands
indented beside a rule, on lines of its own; trede's own lines (headings, moments, hashes)
start at the margin, so that a copy of them in a note cannot pass for the record.

It was fpdf2's ``write_html`` of a template: for a 300-event case 1,200 paragraphs and a
300-row table, broken into lines character by character, about 2 s. Laid out with the
measured lines of adapters/pdf_layout.py, the same content takes about a tenth of that.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.pdf_fonts import use_unicode_font
from adapters.pdf_layout import (
    CELL_ROOM_MM,
    FONT,
    MARGIN_MM,
    PAGE_WIDTH_MM,
    SIZE_PT,
    TEXT_WIDTH_MM,
    column_widths,
    heading,
    paragraph,
    table,
    text_width_mm,
)
from engine.attachments import KINDS, size_shown
from engine.events import Event, EventType
from engine.views import (
    Dossier,
    Names,
    deadline_moves,
    event_label,
    input_shown,
    moment_shown,
    role_label,
    step_label,
    timeline,
)

TIMELINE_COLUMNS = ("Gebeurd of geldt vanaf", "Vastgelegd", "#", "Gebeurtenis")
FOOTER_PT = 8.0
FOOTER_FROM_BOTTOM_MM = 12.0
PAGE_HEIGHT_MM = 297.0


def dossier_to_pdf(dossier: Dossier, names: Names, moment: datetime) -> bytes:
    """The dossier as the viewer may see it; ``names``: schools and people by name;
    ``moment``: when it is made (on every page, and the PDF's creation date)."""
    from fpdf import FPDF  # on first use: it costs a server process a fifth of a second at start

    view = dossier.view
    protocol, case = view.protocol, view.case
    title = f"Dossier zaak {case.id}"
    pdf = FPDF(format="A4")
    pdf.set_creation_date(moment)
    pdf.set_title(title)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    use_unicode_font(pdf)  # names as the school writes them: "Şahin", "Łukasz", "Nguyễn"
    pdf.set_auto_page_break(True, MARGIN_MM)
    pdf.alias_nb_pages("")  # off: the total is written on each page at the end: no alias in a note is replaced
    pdf.add_page()
    paragraph(pdf, title, 16, bold=True, line_mm=8)
    pdf.ln(1)
    paragraph(pdf, f"{protocol.spec.title} (versie {case.protocol_version}) - {view.subject()} - {names.school(case.school)}")
    pdf.ln(2)
    result = dossier.verification
    paragraph(pdf, f"in orde ({result.events} gebeurtenissen)" if result.ok else f"NIET IN ORDE: {result.problem}", lead="Controle:")

    heading(pdf, "Verloop in de volgorde waarin het gebeurde", 14, line_mm=7)
    paragraph(pdf, "Een notitie of bijlage staat op het moment van het gesprek of het stuk (Nederlandse tijd).")
    pdf.ln(1)
    rows = [
        [moment_shown(e.effective_at), moment_shown(e.recorded_at), str(e.seq), _one_line(event_label(protocol, e))]
        for e in timeline(dossier.events)
    ]
    table(pdf, _timeline_widths(rows), list(TIMELINE_COLUMNS), rows)

    heading(pdf, "Audittrail in de volgorde van vastleggen", 14, line_mm=7, before_mm=6)
    inputs = protocol.inputs()
    for step in dossier.steps:
        e = step.event
        heading(pdf, f"#{e.seq} {_one_line(event_label(protocol, e))}", 11, line_mm=5.5, keep_mm=25, before_mm=3)
        for move in deadline_moves(protocol, e):
            paragraph(pdf, move)
        before = step_label(protocol, step.before["step"]) if step.before else "-"
        paragraph(
            pdf,
            f"{before} naar {step_label(protocol, step.after['step'])}; door {names.person(e.actor)}"
            f" ({role_label(protocol, e.role)}); vastgelegd {moment_shown(e.recorded_at)};"
            f" geldt vanaf {moment_shown(e.effective_at)} (Nederlandse tijd)",
        )
        if e.inputs:
            pdf.ln(1)
            for key, value in sorted(e.inputs.items(), key=lambda kv: kv[0].lower()):  # as Jinja's dictsort
                spec = inputs.get(key)
                paragraph(pdf, f"{spec.label if spec is not None else key}: {input_shown(spec, value)}", quoted=True)
        said = _contents(e)
        if said:
            pdf.ln(1)
            for text, quoted in said:
                paragraph(pdf, text, quoted=quoted)
        pdf.ln(1)
        paragraph(pdf, f"hash {e.hash}")

    _footers(pdf, f"{title} - gemaakt op {moment_shown(moment)} (Nederlandse tijd)")
    return bytes(pdf.output())


def _contents(e: Event) -> list[tuple[str, bool]]:
    """What a note, a message of the melder or an attachment says, in paragraphs, each with
    whether a person wrote it (printed ``quoted``); of an internal note or attachment only
    that there is one (the engine's Dossier holds no more of it)."""
    data = e.data
    if data.get("internal"):
        return [(f"Interne {'notitie' if e.type == EventType.NOTE else 'bijlage'} van de behandelaar", False)]
    if e.type == EventType.NOTE:
        return [(str(data.get("note", "")), True)]
    if e.type == EventType.REPORTER_MESSAGE:
        return [("Bericht van de melder:", False), (str(data.get("message", "")), True)]
    if e.type == EventType.ATTACHMENT:
        media = str(data.get("media_type", ""))
        name = _one_line(str(data.get("file_name", "")))
        described = [(str(data["description"]), True)] if data.get("description") else []
        return [
            (f"Bestand: {name} ({KINDS.get(media, media)}, {size_shown(int(data.get('size', 0)))})", True),
            *described,
            (f"SHA-256 van het bestand: {data.get('sha256', '')}", False),
        ]
    return []


def _one_line(text: str) -> str:
    """A label (an event's, a file's name) on one line: a line break stored in it (a file
    name from before they were refused) does not start a line that looks like the record's."""
    return " ".join(text.split())


def _timeline_widths(rows: list[list[str]]) -> list[float]:
    """The columns as wide as their longest word; when an event's label holds a word too long
    for that (a file's name), the moments and the number keep their width and the label
    takes the rest (its long word is broken)."""
    widths = column_widths(TIMELINE_COLUMNS, rows)
    if widths is not None:
        return widths
    fixed = [
        max(text_width_mm("00-00-0000 00:00"), text_width_mm("Vastgelegd", bold=True)) + CELL_ROOM_MM,
        max(text_width_mm("00-00-0000 00:00"), text_width_mm("Vastgelegd", bold=True)) + CELL_ROOM_MM,
        max((text_width_mm(r[2]) for r in rows), default=0.0) + text_width_mm("#", bold=True) + CELL_ROOM_MM,
    ]
    return [*fixed, TEXT_WIDTH_MM - sum(fixed)]


def _footers(pdf: Any, text: str) -> None:
    """On each page, under the text: what this is and when it was made, and 'pagina n van m'
    (the total is known only now: each page is visited again)."""
    total, last = pdf.pages_count, pdf.page
    y = PAGE_HEIGHT_MM - FOOTER_FROM_BOTTOM_MM
    pdf.set_font(FONT, "", FOOTER_PT)
    for number in range(1, total + 1):
        pdf.page = number
        pdf.current_font_is_set_on_page = False  # the font is set again on the page visited
        pdf.text(MARGIN_MM, y, text)
        numbered = f"pagina {number} van {total}"
        pdf.text(PAGE_WIDTH_MM - MARGIN_MM - text_width_mm(numbered, FOOTER_PT), y, numbered)
    pdf.page = last
    pdf.set_font(FONT, "", SIZE_PT)
