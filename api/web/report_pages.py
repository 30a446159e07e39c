"""Report pages: tables, server-side charts, CSV downloads."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.reports import bar_chart, may_report, reports
from api.web.render import page
from api.web.security import Forbidden, NotAllowed, Visitor, trede_of, visitor

router = APIRouter(prefix="/rapportages")
Me = Annotated[Visitor, Depends(visitor)]


@router.get("", response_class=HTMLResponse)
def overview(request: Request, me: Me) -> Response:
    if not may_report(me.principal):
        raise Forbidden("Rapportages zijn er voor de directie, de zorg en het bestuur.")
    tables = reports(trede_of(request).engine, me.principal)
    charts = [bar_chart(tables[0], 2, [0, 1]), bar_chart(tables[1], 2, [0]), "", "", bar_chart(tables[4], 2, [0, 1])]
    return page(request, "reports.html", {"tables": tables, "charts": charts}, visitor=me, title="Rapportages")


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
