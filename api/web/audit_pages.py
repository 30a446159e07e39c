"""Pages for auditors: replay a case step by step, verify its chain, export its dossier, and
verify the whole trail against a signed checkpoint the auditor keeps."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from adapters.letter_renderer import html_to_pdf
from adapters.signing import Ed25519Checker
from api.web.render import TEMPLATES, page
from api.web.security import Visitor, check_csrf, engine_of, visitor
from engine.checkpoints import Checkpoint
from engine.errors import InputError

router = APIRouter(prefix="/audit")
Me = Annotated[Visitor, Depends(visitor)]


@router.get("/zaken/{case_id}", response_class=HTMLResponse)
def replay(request: Request, me: Me, case_id: str) -> Response:
    audit = engine_of(request).reads.replay(me.principal, case_id)
    context = {"view": audit.view, "subject": audit.view.subject(), "steps": audit.steps, "result": None}
    return page(request, "audit.html", context, visitor=me, title=f"Audit zaak {case_id}")


@router.post("/zaken/{case_id}/controle", response_class=HTMLResponse)
def verify(request: Request, me: Me, case_id: str, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(me, csrf)
    audit = engine_of(request).reads.replay(me.principal, case_id, verify=True)
    context = {"view": audit.view, "subject": audit.view.subject(), "steps": audit.steps, "result": audit.verification}
    return page(request, "audit.html", context, visitor=me, title=f"Audit zaak {case_id}")


@router.get("/zaken/{case_id}/dossier.json")
def dossier_json(request: Request, me: Me, case_id: str) -> Response:
    dossier = engine_of(request).reads.dossier(me.principal, case_id)
    headers = {"Content-Disposition": f'attachment; filename="dossier-{dossier.view.case.id}.json"'}
    body = json.dumps(dossier.to_dict(), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json", headers=headers)


@router.get("/zaken/{case_id}/dossier.pdf")
def dossier_pdf(request: Request, me: Me, case_id: str) -> Response:
    engine = engine_of(request)
    dossier = engine.reads.dossier(me.principal, case_id)
    view = dossier.view
    html = TEMPLATES.get_template("dossier.html").render(
        view=view, subject=view.subject(), steps=dossier.steps, result=dossier.verification
    )
    pdf = html_to_pdf(html, f"Dossier zaak {view.case.id}", engine.clock.now())
    headers = {"Content-Disposition": f'attachment; filename="dossier-{view.case.id}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


CHECKPOINT_LIMIT = 50_000_000  # a checkpoint of 100,000 cases is about 9 MB


@router.get("/controlepunt", response_class=HTMLResponse)
def checkpoint_form(request: Request, me: Me) -> Response:
    engine_of(request).checkpoints.verify_store(me.principal)  # board-wide auditors only
    return page(request, "checkpoint.html", {"report": None}, visitor=me, title="Controlepunt")


@router.post("/controlepunt", response_class=HTMLResponse)
async def checkpoint_verify(
    request: Request,
    me: Me,
    controlepunt: Annotated[UploadFile, File()],
    sleutel: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """The auditor brings the checkpoint file and the public key they keep; trede says
    whether everything the checkpoint covered is still there, unchanged, in order."""
    check_csrf(me, csrf)
    raw = await controlepunt.read(CHECKPOINT_LIMIT + 1)
    if len(raw) > CHECKPOINT_LIMIT:
        raise InputError("controlepunt", "het bestand is te groot voor een controlepunt")
    checker = Ed25519Checker.from_pem(await sleutel.read(10_000), "sleutel")
    try:
        loaded = Checkpoint.from_file(json.loads(raw))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError("controlepunt", f"het bestand is geen leesbaar controlepunt ({exc})") from None
    report = engine_of(request).checkpoints.verify(me.principal, loaded, checker)
    context = {"report": report, "statement": loaded.statement}
    return page(request, "checkpoint.html", context, visitor=me, title="Controlepunt")
