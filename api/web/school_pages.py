"""The school register for the board: denominatie, sector and addresses per school."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.forms import said
from api.web.render import page
from api.web.security import Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.errors import TredeError
from engine.ports import SchoolRecord
from engine.refusals import refused

router = APIRouter(prefix="/scholen")
Me = Annotated[Visitor, Depends(visitor)]
Text = Annotated[str, Form(max_length=300)]
SCHOOL_LABELS = {
    "id": "School-id",
    "name": "Naam",
    "board": "Bestuur",
    "region": "Regio",
    "denominatie": "Denominatie",
    "sector": "Sector",
    "address": "Adres van de school",
    "board_name": "Naam van het bevoegd gezag",
    "board_address": "Adres van het bevoegd gezag",
}


def _board(me: Visitor) -> None:
    if "bevoegd_gezag" not in {m.role for m in me.principal.memberships if m.school is None}:
        raise refused(me.principal, "het scholenregister bijhouden", ["bevoegd_gezag"], board_wide=True)


@router.get("", response_class=HTMLResponse)
def schools(request: Request, me: Me) -> Response:
    _board(me)
    message = take_flash(request)
    context = {"schools": engine_of(request).schools.list(), "message": message}
    return page(request, "schools.html", context, visitor=me, title="Scholenregister")


@router.post("")
def save(
    request: Request,
    me: Me,
    id: Annotated[str, Form(max_length=60)],
    name: Text,
    board: Annotated[str, Form(max_length=100)],
    region: Annotated[str, Form(max_length=10)] = "midden",
    denominatie: Annotated[str, Form(max_length=20)] = "",
    sector: Annotated[str, Form(max_length=5)] = "",
    address: Text = "",
    board_name: Text = "",
    board_address: Text = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    _board(me)
    record = SchoolRecord(
        id.strip(),
        name.strip(),
        board.strip(),
        region,
        denominatie or None,
        sector or None,
        address.strip() or None,
        board_name.strip() or None,
        board_address.strip() or None,
    )
    try:
        engine_of(request).schools.save(me.principal, record)
    except TredeError as exc:
        flash(request, said(exc, SCHOOL_LABELS), str(exc.fields.get("field", "")))
        return RedirectResponse("/scholen", status_code=303)
    flash(request, f"{record.name} is vastgelegd.", kind="notice")
    return RedirectResponse("/scholen", status_code=303)
