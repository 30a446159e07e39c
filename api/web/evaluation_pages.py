"""The yearly safety evaluation: a page and its PDF (/evaluatie?school=…&schooljaar=2025-2026)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.evaluation import (
    INTRODUCTION,
    MONITOR_COLUMNS,
    MONITOR_EXPLANATION,
    SUPPRESSION_NOTE,
    chart,
    evaluation_pdf,
    monitor_rows,
    title_of,
)
from api.web.render import page
from api.web.security import Visitor, engine_of, visitor
from engine.evaluation import parse_school_year, school_year_of
from engine.terms import local_date
from engine.usecases.evaluation import Evaluation

router = APIRouter(prefix="/evaluatie")
Me = Annotated[Visitor, Depends(visitor)]
Text = Annotated[str | None, Query(max_length=100)]


def _make(request: Request, me: Visitor, school: str | None, bestuur: str | None, schooljaar: str | None) -> Evaluation:
    engine = engine_of(request)
    year = parse_school_year(schooljaar) if schooljaar else school_year_of(local_date(engine.clock.now()))
    if not school and not bestuur:
        own = me.principal.schools()
        if own is not None and len(own) == 1:
            school = next(iter(own))
        else:
            bestuur = _board_of(request)
    return engine.evaluations.make(me.principal, year, school=school or None, board=None if school else bestuur)


def _board_of(request: Request) -> str | None:
    """The board, when the installation has one (the usual case); else the reader names it."""
    boards = {s.board for s in engine_of(request).schools.list()}
    return next(iter(boards)) if len(boards) == 1 else None


@router.get("", response_class=HTMLResponse)
def evaluation_page(request: Request, me: Me, school: Text = None, bestuur: Text = None,
                    schooljaar: Text = None) -> Response:
    evaluation = _make(request, me, school, bestuur, schooljaar)
    query = f"schooljaar={evaluation.school_year}" + (f"&school={school}" if school else "") + (
        f"&bestuur={bestuur}" if bestuur else "")
    context = {
        "e": evaluation,
        "charts": [chart(t) for t in evaluation.tables],
        "introduction": INTRODUCTION,
        "suppression": SUPPRESSION_NOTE,
        "monitor_columns": MONITOR_COLUMNS,
        "monitor_rows": monitor_rows(evaluation),
        "monitor_explanation": MONITOR_EXPLANATION,
        "query": query,
    }
    return page(request, "evaluation.html", context, visitor=me, title=title_of(evaluation))


@router.get("/evaluatie.pdf")
def evaluation_download(request: Request, me: Me, school: Text = None, bestuur: Text = None,
                        schooljaar: Text = None) -> Response:
    evaluation = _make(request, me, school, bestuur, schooljaar)
    headers = {"Content-Disposition": f'attachment; filename="jaarevaluatie-{evaluation.school_year}.pdf"'}
    return Response(evaluation_pdf(evaluation), media_type="application/pdf", headers=headers)
