"""Pages for auditors: replay a case step by step, verify its chain, export its dossier."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from adapters.letter_renderer import html_to_pdf
from api.web.pages import visible_case
from api.web.render import TEMPLATES, page
from api.web.security import Visitor, check_csrf, trede_of, visitor

router = APIRouter(prefix="/audit")
Me = Annotated[Visitor, Depends(visitor)]


@router.get("/zaken/{case_id}", response_class=HTMLResponse)
def replay(request: Request, me: Me, case_id: str) -> Response:
    view = visible_case(request, me, case_id)
    steps = trede_of(request).engine.replay(case_id)
    context = {"view": view, "subject": view.subject(), "steps": steps, "result": None}
    return page(request, "audit.html", context, visitor=me, title=f"Audit zaak {case_id}")


@router.post("/zaken/{case_id}/controle", response_class=HTMLResponse)
def verify(request: Request, me: Me, case_id: str, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(me, csrf)
    view = visible_case(request, me, case_id)
    engine = trede_of(request).engine
    context = {
        "view": view,
        "subject": view.subject(),
        "steps": engine.replay(case_id),
        "result": engine.verify(case_id),
    }
    return page(request, "audit.html", context, visitor=me, title=f"Audit zaak {case_id}")


@router.get("/zaken/{case_id}/dossier.json")
def dossier_json(request: Request, me: Me, case_id: str) -> Response:
    view = visible_case(request, me, case_id)
    engine = trede_of(request).engine
    body = {
        "case": view.to_dict(),
        "protocol": {"id": view.protocol.id, "hash": view.protocol.content_hash, "text": view.protocol.text},
        "events": [e.to_dict() for e in engine.events(case_id)],
        "verification": engine.verify(case_id).to_dict(),
    }
    headers = {"Content-Disposition": f'attachment; filename="dossier-{case_id}.json"'}
    return Response(json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json", headers=headers)


@router.get("/zaken/{case_id}/dossier.pdf")
def dossier_pdf(request: Request, me: Me, case_id: str) -> Response:
    view = visible_case(request, me, case_id)
    engine = trede_of(request).engine
    html = TEMPLATES.get_template("dossier.html").render(
        view=view, subject=view.subject(), steps=engine.replay(case_id), result=engine.verify(case_id)
    )
    pdf = html_to_pdf(html, f"Dossier zaak {case_id}", engine.clock.now())
    headers = {"Content-Disposition": f'attachment; filename="dossier-{case_id}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)
