"""Notes and attachments on the case page: add one, open one. The engine decides who may,
checks the file and records it; a refused attempt shows the case again with the text typed."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.case_pages import Failed, case_response
from api.web.forms import FORM_LABELS, form_moment, said
from api.web.render import page
from api.web.security import NotAllowed, Visitor, check_csrf, engine_of, flash, visitor
from engine.attachments import EXTENSIONS, MAX_BYTES
from engine.errors import CaseNotFound, TredeError
from engine.terms import local_date
from engine.usecases.notes import ATTACHMENT_MOMENT, NOTE_MOMENT

router = APIRouter()
Me = Annotated[Visitor, Depends(visitor)]
Long = Annotated[str, Form(max_length=100_000)]  # the engine refuses what is too long, by the field's label
Short = Annotated[str, Form(max_length=100)]


@router.post("/zaken/{case_id}/notities")
def add_note(
    request: Request,
    me: Me,
    case_id: str,
    notitie: Long = "",
    datum: Short = "",
    tijd: Short = "",
    rol: Short = "",
    csrf: Short = "",
) -> Response:
    check_csrf(me, csrf)
    typed = {"notitie": notitie, "datum": datum, "tijd": tijd}
    engine = engine_of(request)
    try:
        happened = form_moment(datum, tijd, "effective", NOTE_MOMENT, local_date(engine.clock.now()))
        engine.notes.add_note(me.principal, case_id, notitie, role=rol or None, effective=happened)
    except TredeError as exc:
        return _refused(request, me, case_id, rol, "notitie", exc, typed)
    flash(request, "Notitie toegevoegd.", kind="notice")
    return RedirectResponse(_case(case_id, rol) + "#notities", status_code=303)


@router.post("/zaken/{case_id}/bijlagen")
async def add_attachment(
    request: Request,
    me: Me,
    case_id: str,
    bestand: Annotated[UploadFile | None, File()] = None,
    omschrijving: Long = "",
    datum: Short = "",
    tijd: Short = "",
    rol: Short = "",
    csrf: Short = "",
) -> Response:
    check_csrf(me, csrf)
    typed = {"omschrijving": omschrijving, "datum": datum, "tijd": tijd}
    content = await bestand.read(MAX_BYTES + 1) if bestand is not None else b""
    name = (bestand.filename or "") if bestand is not None else ""
    engine = engine_of(request)
    try:
        engine.notes.attach(
            me.principal,
            case_id,
            name=name,
            content=content,
            description=omschrijving,
            role=rol or None,
            effective=form_moment(datum, tijd, "effective", ATTACHMENT_MOMENT, local_date(engine.clock.now())),
        )
    except TredeError as exc:
        return _refused(request, me, case_id, rol, "bijlage", exc, typed)
    flash(request, "Bijlage toegevoegd.", kind="notice")
    return RedirectResponse(_case(case_id, rol) + "#notities", status_code=303)


@router.get("/zaken/{case_id}/bijlagen/{seq}")
def download(request: Request, me: Me, case_id: str, seq: int) -> Response:
    try:
        found = engine_of(request).notes.attachment(me.principal, case_id, seq)
    except CaseNotFound:
        raise NotAllowed() from None
    name = found.download_name
    headers = {
        # always downloaded, never shown inside this site; the name as the person gave it
        "Content-Disposition": f"attachment; filename=\"bijlage-{seq}{EXTENSIONS[found.media_type]}\"; filename*=UTF-8''{quote(name)}",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "X-Trede-SHA256": found.sha256,
    }
    return Response(found.content, media_type=found.media_type, headers=headers)


def _case(case_id: str, role: str) -> str:
    return f"/zaken/{quote(case_id)}" + (f"?rol={quote(role)}" if role else "")


def _refused(
    request: Request, me: Visitor, case_id: str, role: str, form: str, exc: TredeError, typed: dict[str, str]
) -> Response:
    """The case again, with the form open and what was typed still in it; the fact moment
    named as this form calls it."""
    if exc.http_status == 404:
        raise exc
    labels = {**FORM_LABELS, "effective": NOTE_MOMENT if form == "notitie" else ATTACHMENT_MOMENT}
    failed = Failed(form, said(exc, labels), str(exc.fields.get("field", "")), typed)
    return case_response(request, me, case_id, role or None, failed=failed, status_code=exc.http_status)


@router.post("/zaken/{case_id}/meldercode", response_class=HTMLResponse)
def hand_out_code(request: Request, me: Me, case_id: str, rol: Short = "", csrf: Short = "") -> Response:
    """A receipt code for the melder of an oral report, shown once."""
    check_csrf(me, csrf)
    try:
        receipt = engine_of(request).meldpunt.hand_out_code(me.principal, case_id, rol or None)
    except TredeError as exc:
        if exc.http_status == 404:
            raise
        flash(request, said(exc, FORM_LABELS))
        return RedirectResponse(_case(case_id, rol), status_code=303)
    context = {"receipt": receipt, "case_id": case_id}
    return page(request, "meldpunt_code.html", context, visitor=me, title="Code voor de melder")
