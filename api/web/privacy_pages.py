"""Pages for the privacy officer (and the auditor): who opened which case, when; access
requests; recording that a pupil left."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from adapters.letter_renderer import html_to_pdf
from api.web.forms import departure_day, said
from api.web.render import document, page
from api.web.security import Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.access import DEPARTURE_ROLES, PRIVACY_OFFICER
from engine.errors import InputError, TredeError
from engine.refusals import refused

router = APIRouter(prefix="/privacy")
Me = Annotated[Visitor, Depends(visitor)]
Pseudonym = Annotated[str, Query(max_length=100)]


@router.get("/toegang", response_class=HTMLResponse)
def access_log(request: Request, me: Me, zaak: Annotated[str, Query(max_length=64)] = "") -> Response:
    log = engine_of(request).reads.access_log(me.principal, zaak.strip() or None)
    context = {"entries": log.entries, "by_reporters": log.by_reporters, "zaak": zaak}
    return page(request, "access_log.html", context, visitor=me, title="Toegangslog")


@router.get("/inzage", response_class=HTMLResponse)
def inzage(request: Request, me: Me, leerling: Pseudonym = "") -> Response:
    engine = engine_of(request)
    if not me.principal.handles_access_requests():
        raise refused(me.principal, "een inzageverzoek afhandelen", [PRIVACY_OFFICER])
    export = engine.access_requests.export(me.principal, leerling) if leerling.strip() else None
    return page(request, "inzage.html", {"export": export, "leerling": leerling}, visitor=me, title="Inzageverzoek")


@router.get("/inzage.json")
def inzage_json(request: Request, me: Me, leerling: Pseudonym) -> Response:
    export = engine_of(request).access_requests.export(me.principal, leerling)
    headers = {"Content-Disposition": 'attachment; filename="inzage.json"'}
    return Response(json.dumps(export, ensure_ascii=False, indent=2), media_type="application/json", headers=headers)


@router.get("/inzage.pdf")
def inzage_pdf(request: Request, me: Me, leerling: Pseudonym) -> Response:
    engine = engine_of(request)
    export = engine.access_requests.export(me.principal, leerling)
    html = document(request, "inzage_pdf.html", export=export)
    headers = {"Content-Disposition": 'attachment; filename="inzage.pdf"'}
    return Response(html_to_pdf(html, "Inzage", engine.clock.now()), media_type="application/pdf", headers=headers)


Username = Annotated[str, Query(max_length=200)]


@router.get("/inzage/gebruiker", response_class=HTMLResponse)
def inzage_user(request: Request, me: Me, gebruiker: Username = "") -> Response:
    """An access request of a member of staff or a melder about themselves: their own rows."""
    if not me.principal.handles_access_requests():
        raise refused(me.principal, "een inzageverzoek afhandelen", [PRIVACY_OFFICER])
    export = engine_of(request).access_requests.export_user(me.principal, gebruiker) if gebruiker.strip() else None
    context = {"export": export, "gebruiker": gebruiker}
    return page(request, "inzage_user.html", context, visitor=me, title="Inzageverzoek gebruiker")


@router.get("/inzage/gebruiker.json")
def inzage_user_json(request: Request, me: Me, gebruiker: Username) -> Response:
    export = engine_of(request).access_requests.export_user(me.principal, gebruiker)
    headers = {"Content-Disposition": 'attachment; filename="inzage-gebruiker.json"'}
    return Response(json.dumps(export, ensure_ascii=False, indent=2), media_type="application/json", headers=headers)


@router.get("/mijn-toegang", response_class=HTMLResponse)
def own_access(request: Request, me: Me) -> Response:
    """Any user's own rows of the access log, including what they read as a melder (only
    they may see that part: nobody else can look it up)."""
    export = engine_of(request).access_requests.export_own(me.principal)
    return page(request, "inzage_own.html", {"export": export}, visitor=me, title="Mijn toegangslog")


@router.get("/mijn-toegang.json")
def own_access_json(request: Request, me: Me) -> Response:
    export = engine_of(request).access_requests.export_own(me.principal)
    headers = {"Content-Disposition": 'attachment; filename="mijn-toegangslog.json"'}
    return Response(json.dumps(export, ensure_ascii=False, indent=2), media_type="application/json", headers=headers)


def _departure_schools(request: Request, me: Visitor) -> list[str]:
    return [s.id for s in engine_of(request).schools.list() if me.principal.records_departures(s.id)]


@router.get("/vertrek", response_class=HTMLResponse)
def departure_form(request: Request, me: Me) -> Response:
    schools = _departure_schools(request, me)
    if not schools:
        raise refused(me.principal, "vastleggen dat een leerling de school verlaat", DEPARTURE_ROLES)
    message = take_flash(request)
    context = {
        "schools": schools,
        "error": message.get("message") if message.get("kind") == "error" else None,
        "done": message.get("message") if message.get("kind") == "notice" else None,
    }
    return page(request, "departure.html", context, visitor=me, title="Leerling vertrokken")


@router.post("/vertrek")
def departure(
    request: Request,
    me: Me,
    school: Annotated[str, Form(max_length=100)],
    leerling: Annotated[str, Form(max_length=1000)] = "",
    datum: Annotated[str, Form(max_length=40)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    try:
        if not leerling.strip():
            raise InputError("leerling", "vul het pseudoniem van de leerling in")
        left_on = departure_day(datum)
        engine_of(request).retention.record_departure(me.principal, school, leerling, left_on)
    except TredeError as exc:
        if exc.http_status == 403:
            raise
        flash(request, said(exc, {"datum": "Dag van vertrek", "leerling": "Pseudoniem van de leerling"}), str(exc.fields.get("field", "")))
        return RedirectResponse("/privacy/vertrek", status_code=303)
    flash(request, left_on.isoformat(), kind="notice")
    return RedirectResponse("/privacy/vertrek", status_code=303)
