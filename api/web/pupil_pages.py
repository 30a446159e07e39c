"""The school's pupils for the directeur: import the administration's export (EDEXML or
CSV), see what it changed, and confirm or undo the departures it proposes."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from adapters.imports import read_roster
from adapters.imports.edexml import MAX_BYTES
from api.web.forms import departure_day, said
from api.web.render import page
from api.web.security import Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.access import DEPARTURE_ROLES
from engine.errors import TredeError
from engine.refusals import refused
from engine.terms import local_date
from engine.usecases.pupils import IMPORT_ROLES, ImportReport

router = APIRouter(prefix="/leerlingen")
Me = Annotated[Visitor, Depends(visitor)]
Short = Annotated[str, Form(max_length=200)]
READ_SECONDS = 20.0


def _schools(me: Visitor, request: Request) -> list[str]:
    """The schools whose pupils this user manages (directeur, or privacy officer for departures)."""
    known = [s.id for s in engine_of(request).schools.list()]
    mine = [s for s in known if me.principal.records_departures(s) or set(IMPORT_ROLES) & me.principal.roles_for(s)]
    if not mine:
        raise refused(me.principal, "de leerlingen van een school beheren", {*IMPORT_ROLES, *DEPARTURE_ROLES})
    return mine


def _page(request: Request, me: Visitor, school: str, report: ImportReport | None = None, status: int = 200) -> Response:
    schools = _schools(me, request)
    if school not in schools:
        school = schools[0]
    engine = engine_of(request)
    message = take_flash(request)
    context = {
        "schools": schools,
        "school": school,
        "report": report,
        "may_import": bool(set(IMPORT_ROLES) & me.principal.roles_for(school)),
        "pupils": engine.pupils.choices(me.principal, school),
        "proposed": engine.pupils.proposed_departures(me.principal, school) if me.principal.records_departures(school) else [],
        "error": message.get("message") if message.get("kind") == "error" else None,
        "notice": message.get("message") if message.get("kind") == "notice" else None,
        "today": local_date(engine.clock.now()).isoformat(),
    }
    return page(request, "pupils.html", context, visitor=me, title="Leerlingen", status_code=status)


@router.get("", response_class=HTMLResponse)
def pupils(request: Request, me: Me, school: Annotated[str, Query(max_length=100)] = "") -> Response:
    return _page(request, me, school)


@router.post("/import", response_class=HTMLResponse)
async def upload(
    request: Request,
    me: Me,
    bestand: Annotated[UploadFile, File()],
    school: Short = "",
    csrf: Short = "",
) -> Response:
    check_csrf(me, csrf)
    engine = engine_of(request)
    name = (bestand.filename or "leerlingen")[-100:]
    content = await bestand.read(MAX_BYTES + 1)
    try:
        # reading is bounded in size; off the event loop and in time as well
        roster = await asyncio.wait_for(run_in_threadpool(read_roster, content, name), timeout=READ_SECONDS)
        report = engine.pupils.import_roster(me.principal, school, roster)
    except TimeoutError:
        flash(request, f"{name}: het inlezen duurde te lang; probeer een kleiner bestand.")
        return RedirectResponse(f"/leerlingen?school={school}", status_code=303)
    except TredeError as exc:
        if exc.http_status == 403:
            raise
        flash(request, said(exc))
        return RedirectResponse(f"/leerlingen?school={school}", status_code=303)
    return _page(request, me, school, report)


@router.post("/vertrek")
def confirm(request: Request, me: Me, school: Short = "", leerling: Short = "", datum: Short = "", csrf: Short = "") -> Response:
    check_csrf(me, csrf)
    try:
        left_on = departure_day(datum)
        engine_of(request).pupils.confirm_departure(me.principal, school, leerling, left_on)
    except TredeError as exc:
        if exc.http_status == 403:
            raise
        flash(request, said(exc, {"datum": "Dag van vertrek"}))
        return RedirectResponse(f"/leerlingen?school={school}", status_code=303)
    flash(request, f"Vertrek van {leerling} vastgelegd; de bewaartermijn vanaf vertrek loopt.", kind="notice")
    return RedirectResponse(f"/leerlingen?school={school}", status_code=303)


@router.post("/blijft")
def keep(request: Request, me: Me, school: Short = "", leerling: Short = "", csrf: Short = "") -> Response:
    check_csrf(me, csrf)
    engine_of(request).pupils.keep(me.principal, school, leerling)
    flash(request, f"{leerling} blijft op de lijst.", kind="notice")
    return RedirectResponse(f"/leerlingen?school={school}", status_code=303)
