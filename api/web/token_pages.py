"""A user's own API tokens: list them, make one (shown once), revoke one."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.web.render import page
from api.web.security import Visitor, check_csrf, engine_of, visitor
from engine.inputs import check_text

router = APIRouter(prefix="/tokens")
Me = Annotated[Visitor, Depends(visitor)]


def _page(request: Request, me: Visitor, **extra: object) -> Response:
    context = {
        "tokens": engine_of(request).tokens.list(me.principal.username),
        "now": engine_of(request).clock.now(),
        "new_token": None,
        "revoked": None,
        **extra,
    }
    return page(request, "tokens.html", context, visitor=me, title="API-tokens")


@router.get("", response_class=HTMLResponse)
def tokens(request: Request, me: Me) -> Response:
    return _page(request, me)


@router.post("/nieuw", response_class=HTMLResponse)
def new_token(
    request: Request,
    me: Me,
    label: Annotated[str, Form(max_length=100)] = "integratie",
    dagen: Annotated[int, Form(ge=1, le=365)] = 90,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    label = check_text("label", label.strip(), 100, "omschrijving") or "integratie"
    token = engine_of(request).tokens.create(me.principal.username, label, timedelta(days=dagen))
    return _page(request, me, new_token=token)


@router.post("/intrekken", response_class=HTMLResponse)
def revoke(
    request: Request,
    me: Me,
    token_id: Annotated[str, Form(max_length=64)],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    done = engine_of(request).tokens.revoke(me.principal.username, token_id)
    return _page(request, me, revoked=token_id if done else "")
