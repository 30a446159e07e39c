"""The yearly safety evaluation as a PDF and its charts (shared by the page and the CLI)."""

from __future__ import annotations

from adapters.report_pdf import PdfTable, tables_to_pdf
from api.reports import bar_chart
from engine.evaluation import EvaluationTable
from engine.usecases.evaluation import Evaluation
from engine.usecases.reports import Table

SUPPRESSION_NOTE = (
    "Kleine aantallen (1 tot en met 4) staan als <5, zodat geen leerling herkenbaar is. Waar een totaal "
    "zo'n getal zou verraden, is ook een tweede getal verborgen (x): in elke rij en kolom met een verborgen "
    "getal zijn er minstens twee verborgen, of is het totaal ook verborgen."
)
INTRODUCTION = (
    "Deze jaarevaluatie van de sociale veiligheid telt de incidenten, zaken, klachten, meldingen van ernstige "
    "incidenten en termijnen van het schooljaar (1 augustus tot en met 31 juli), en de resultaten van de "
    "monitor sociale veiligheid als de school die heeft ingelezen. Zij is bedoeld voor de MR en de Inspectie "
    "en bevat geen namen."
)


def title_of(evaluation: Evaluation) -> str:
    return f"Jaarevaluatie sociale veiligheid {evaluation.school_year}: {evaluation.title}"


def chart(t: EvaluationTable) -> str:
    """The table's row totals as the report pages' SVG bar chart (hidden ones as their mark)."""
    if t.empty:
        return ""
    return bar_chart(Table(t.title, [t.row_heading, "aantal"], [[label, value] for label, value in t.chart()]), 1, [0])


def monitor_rows(evaluation: Evaluation) -> list[list[str]]:
    return [
        [r.school if len(evaluation.schools) > 1 else "", r.instrument, r.indicator, r.shown_score(), str(r.respondents)]
        for m in evaluation.monitor for r in m.rows
    ]


MONITOR_COLUMNS = ["school", "instrument", "vraag of indicator", "uitkomst", "respondenten"]
MONITOR_EXPLANATION = (
    "De uitkomsten van de monitor sociale veiligheid zoals de school ze heeft ingelezen (laatste versie). "
    "Een uitkomst met minder dan 5 respondenten is verborgen."
)


def evaluation_pdf(evaluation: Evaluation) -> bytes:
    tables = [
        PdfTable(t.title, t.header(), t.shown_rows(), t.explanation, t.chart() if not t.empty else ())
        for t in evaluation.tables
    ]
    monitor = monitor_rows(evaluation)
    tables.append(PdfTable(
        "Monitor sociale veiligheid", MONITOR_COLUMNS, monitor,
        MONITOR_EXPLANATION if monitor else "Voor dit schooljaar zijn geen monitorresultaten ingelezen.",
    ))
    notes = [INTRODUCTION, "Scholen: " + ", ".join(evaluation.schools), SUPPRESSION_NOTE]
    return tables_to_pdf(title_of(evaluation), notes, tables, evaluation.made_at)
