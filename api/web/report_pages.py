"""Report pages: tables, server-side charts, CSV downloads."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from adapters.report_pdf import PdfTable, tables_to_pdf
from api.reports import bar_chart
from api.web.render import page
from api.web.security import NotAllowed, Visitor, engine_of, visitor

router = APIRouter(prefix="/rapportages")
Me = Annotated[Visitor, Depends(visitor)]


@router.get("", response_class=HTMLResponse)
def overview(request: Request, me: Me) -> Response:
    tables = engine_of(request).reports.tables(me.principal)
    charts = [
        bar_chart(tables[0], 2, [0, 1]),
        bar_chart(tables[1], 2, [0]),
        "",
        "",
        bar_chart(tables[4], 1, [0]),
        bar_chart(tables[5], 2, [0, 1]),
    ]
    return page(request, "reports.html", {"tables": tables, "charts": charts}, visitor=me, title="Rapportages")


@router.get("/rapportage.pdf")
def download_pdf(request: Request, me: Me) -> Response:
    """Every table as a PDF. Its columns are as wide as their longest word, so that no date,
    number or name is broken; a table too wide for that (Bijlage 10) prints one record per row."""
    engine = engine_of(request)
    tables = engine.reports.tables(me.principal)
    notes = ["Bestuursoverzicht: aantallen onder de 5 staan als <5."] if tables and tables[0].suppressed else []
    pdf = tables_to_pdf(
        "Rapportage sociale veiligheid", notes, [PdfTable(t.title, t.columns, t.rows) for t in tables], engine.clock.now()
    )
    headers = {"Content-Disposition": 'attachment; filename="rapportage.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


@router.get("/{index}.csv")
def download(request: Request, me: Me, index: Annotated[int, Path(ge=0, le=100)]) -> Response:
    tables = engine_of(request).reports.tables(me.principal)
    if not 0 <= index < len(tables):
        raise NotAllowed()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([csv_cell(c) for c in tables[index].columns])
    writer.writerows([[csv_cell(c) for c in row] for row in tables[index].rows])
    headers = {"Content-Disposition": f'attachment; filename="rapportage-{index + 1}.csv"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): text that
    starts with = + - @ (or a tab or carriage return) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
