"""Report pages: tables, server-side charts, CSV downloads."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from adapters.letter_renderer import html_to_pdf
from api.reports import bar_chart, may_report, reports
from api.web.render import TEMPLATES, page
from api.web.security import Forbidden, NotAllowed, Visitor, trede_of, visitor

router = APIRouter(prefix="/rapportages")
Me = Annotated[Visitor, Depends(visitor)]


@router.get("", response_class=HTMLResponse)
def overview(request: Request, me: Me) -> Response:
    if not may_report(me.principal):
        raise Forbidden("Rapportages zijn er voor de directie, de zorg en het bestuur.")
    tables = reports(trede_of(request).engine, me.principal)
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
    if not may_report(me.principal):
        raise Forbidden()
    engine = trede_of(request).engine
    html = TEMPLATES.get_template("reports_pdf.html").render(tables=reports(engine, me.principal))
    headers = {"Content-Disposition": 'attachment; filename="rapportage.pdf"'}
    return Response(html_to_pdf(html, "Rapportage", engine.clock.now()), media_type="application/pdf", headers=headers)


@router.get("/{index}.csv")
def download(request: Request, me: Me, index: int) -> Response:
    if not may_report(me.principal):
        raise Forbidden()
    tables = reports(trede_of(request).engine, me.principal)
    if not 0 <= index < len(tables):
        raise NotAllowed()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(tables[index].columns)
    writer.writerows(tables[index].rows)
    headers = {"Content-Disposition": f'attachment; filename="rapportage-{index + 1}.csv"'}
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
