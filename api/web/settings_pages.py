"""A user's own settings: how reminders reach them by mail, and where the tokens and the
calendar feed are."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.render import page
from api.web.security import Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.errors import InputError

router = APIRouter(prefix="/instellingen")
Me = Annotated[Visitor, Depends(visitor)]
CHOICES = {"los": False, "dagelijks": True}


@router.get("", response_class=HTMLResponse)
def settings(request: Request, me: Me) -> Response:
    choice = engine_of(request).users.mail_choice(me.principal.username)
    context = {
        "daily": choice.daily,
        "has_email": choice.has_email,
        "notice": (take_flash(request) or {}).get("message"),
    }
    return page(request, "settings.html", context, visitor=me, title="Instellingen")


@router.post("")
def save(
    request: Request,
    me: Me,
    mail: Annotated[str, Form(max_length=20)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    if mail not in CHOICES:
        raise InputError("mail", "kies 'los' of 'dagelijks'")
    engine_of(request).users.set_mail_digest(me.principal.username, CHOICES[mail])
    flash(request, "Opgeslagen.", kind="notice")
    return RedirectResponse("/instellingen", status_code=303)
