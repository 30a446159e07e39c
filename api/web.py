"""A first, read-only web view of cases (Dutch). The full web application with accounts,
roles and forms is built on top of this; until then it listens on loopback only."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from api.bootstrap import App
from engine.case import DeadlineStatus
from engine.errors import TredeError
from engine.service import CaseView
from engine.terms import AMSTERDAM

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["local"] = lambda moment: moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def create_app(trede: App) -> FastAPI:
    engine = trede.engine
    web = FastAPI(title="trede", docs_url=None, redoc_url=None)

    @web.exception_handler(TredeError)
    async def _error(request: Request, exc: TredeError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=exc.http_status, media_type="application/problem+json")

    @web.get("/api/v1/health")
    def health() -> dict[str, Any]:
        with engine.uow() as uow:
            protocols = len(uow.protocols.list())
        return {"status": "ok", "protocols": protocols}

    @web.get("/", response_class=HTMLResponse)
    def cases(request: Request) -> HTMLResponse:
        with engine.uow() as uow:
            loaded = [uow.cases.get(case_id) for case_id in uow.cases.ids()]
        rows = []
        for case in loaded:
            protocol = engine.protocol(case.protocol_hash)
            active = sorted(
                (d for d in case.active_deadlines() if d.due_at),
                key=lambda d: d.due_at or datetime.max,
            )
            rows.append(
                {
                    "id": case.id,
                    "subject": CaseView(case, protocol, []).subject(),
                    "school": case.school,
                    "protocol": protocol.spec.title,
                    "step": protocol.step(case.step).label,
                    "closed": case.closed,
                    "next": active[0] if active else None,
                }
            )
        return TEMPLATES.TemplateResponse(request, "cases.html", {"rows": rows})

    @web.get("/zaken/{case_id}", response_class=HTMLResponse)
    def case(request: Request, case_id: str) -> HTMLResponse:
        view = engine.show(case_id)
        events = engine.events(case_id)
        deadlines = sorted(
            view.case.deadlines.values(),
            key=lambda d: (d.status not in DeadlineStatus.ACTIVE, d.due_date or "9999"),
        )
        context = {
            "subject": view.subject(),
            "case": view.case,
            "protocol": view.protocol,
            "step": view.protocol.step(view.case.step),
            "deadlines": deadlines,
            "actions": view.actions,
            "events": events,
        }
        return TEMPLATES.TemplateResponse(request, "case.html", context)

    return web
