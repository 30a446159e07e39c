"""Pages for the privacy officer (and the auditor): who opened which case, when."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from adapters.letter_renderer import html_to_pdf
from api.privacy import subject_export
from api.web.pages import form_date
from api.web.render import TEMPLATES, page
from api.web.security import Forbidden, Visitor, accounts_of, check_csrf, trede_of, visitor
from engine.errors import InputError, TredeError

router = APIRouter(prefix="/privacy")
Me = Annotated[Visitor, Depends(visitor)]


@router.get("/toegang", response_class=HTMLResponse)
def access_log(request: Request, me: Me, zaak: str = "") -> Response:
    if not me.principal.reads_access_log():
        raise Forbidden("Alleen de privacyfunctionaris en de auditor zien wie welke zaak opende.")
    entries = accounts_of(request).access_log(me.principal.access_log_schools(), zaak.strip() or None)
    return page(request, "access_log.html", {"entries": entries, "zaak": zaak}, visitor=me, title="Toegangslog")


def _officer(me: Visitor) -> None:
    if not me.principal.reads_access_log() or (me.principal.is_auditor() and len(me.principal.roles()) == 1):
        raise Forbidden("Alleen de privacyfunctionaris handelt inzageverzoeken af.")


@router.get("/inzage", response_class=HTMLResponse)
def inzage(request: Request, me: Me, leerling: str = "") -> Response:
    _officer(me)
    export = (
        subject_export(trede_of(request).engine, accounts_of(request), me.principal, leerling.strip())
        if leerling.strip()
        else None
    )
    return page(request, "inzage.html", {"export": export, "leerling": leerling}, visitor=me, title="Inzageverzoek")


@router.get("/inzage.json")
def inzage_json(request: Request, me: Me, leerling: str) -> Response:
    _officer(me)
    export = subject_export(trede_of(request).engine, accounts_of(request), me.principal, leerling.strip())
    headers = {"Content-Disposition": 'attachment; filename="inzage.json"'}
    return Response(json.dumps(export, ensure_ascii=False, indent=2), media_type="application/json", headers=headers)


@router.get("/inzage.pdf")
def inzage_pdf(request: Request, me: Me, leerling: str) -> Response:
    _officer(me)
    engine = trede_of(request).engine
    export = subject_export(engine, accounts_of(request), me.principal, leerling.strip())
    html = TEMPLATES.get_template("inzage_pdf.html").render(export=export)
    headers = {"Content-Disposition": 'attachment; filename="inzage.pdf"'}
    return Response(html_to_pdf(html, "Inzage", engine.clock.now()), media_type="application/pdf", headers=headers)


def _departure_schools(request: Request, me: Visitor) -> list[str]:
    return [s.id for s in accounts_of(request).schools() if me.principal.records_departures(s.id)]


@router.get("/vertrek", response_class=HTMLResponse)
def departure_form(request: Request, me: Me, fout: str | None = None, gedaan: str | None = None) -> Response:
    schools = _departure_schools(request, me)
    if not schools:
        raise Forbidden("Alleen de directeur of de privacyfunctionaris legt vast dat een leerling vertrekt.")
    context = {"schools": schools, "error": fout, "done": gedaan}
    return page(request, "departure.html", context, visitor=me, title="Leerling vertrokken")


@router.post("/vertrek")
def departure(
    request: Request,
    me: Me,
    school: Annotated[str, Form()],
    leerling: Annotated[str, Form()] = "",
    datum: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(me, csrf)
    if school not in _departure_schools(request, me):
        raise Forbidden("Alleen de directeur of de privacyfunctionaris van deze school legt een vertrek vast.")
    try:
        if not leerling.strip():
            raise InputError("leerling", "vul het pseudoniem van de leerling in")
        left_on = form_date(datum, "datum")
        if left_on is None:
            raise InputError("datum", "vul de dag van vertrek in")
        trede_of(request).engine.record_departure(school, leerling.strip(), left_on, actor=me.principal.username)
    except TredeError as exc:
        return RedirectResponse(f"/privacy/vertrek?fout={quote(exc.message)}", status_code=303)
    return RedirectResponse(f"/privacy/vertrek?gedaan={left_on.isoformat()}", status_code=303)
