"""Who is asking: session cookies for people, bearer tokens for integrations, CSRF on forms."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from api.bootstrap import App
from engine.access import Principal
from engine.errors import TredeError
from engine.usecases import Engine

SESSION_COOKIE = "trede_sessie"


class LoginRequired(Exception):
    """Not logged in (or the session expired): pages redirect, the API answers 401."""


class NotAllowed(TredeError):
    """Shown as 'not found' where telling would leak that something exists."""

    code = "not_found"
    http_status = 404
    exit_code = 4

    def __init__(self) -> None:
        super().__init__("Niet gevonden.")


class Forbidden(TredeError):
    code = "forbidden"
    http_status = 403
    exit_code = 6

    def __init__(self, message: str = "Dit mag u niet met uw rol.") -> None:
        super().__init__(message)


class CsrfFailed(TredeError):
    code = "csrf_failed"
    http_status = 403
    exit_code = 6

    def __init__(self) -> None:
        super().__init__("Het formulier is verlopen of niet van deze site; laad de pagina opnieuw.")


@dataclass(frozen=True)
class Visitor:
    principal: Principal
    csrf_token: str
    via_token: bool = False


def trede_of(request: Request) -> App:
    app: App = request.app.state.trede
    return app


async def visitor(request: Request) -> Visitor:
    """The logged-in person behind this request (FastAPI dependency): one unit of work for
    the session, its user and the message it kept for this page (``take_flash``). An API
    token this process looked up less than TOKEN_CACHE_TTL ago (engine/authentication.py) is
    answered on the event loop, without a database or a trip to the thread pool."""
    engine = engine_of(request)
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        bearer = auth[7:].strip()
        principal = engine.tokens.remembered(bearer) or await run_in_threadpool(engine.tokens.principal, bearer)
        if principal is None:
            raise LoginRequired()
        return Visitor(principal, "", via_token=True)
    token = request.cookies.get(SESSION_COOKIE)
    visit = await run_in_threadpool(engine.sessions.visit, token) if token else None
    if visit is None:
        raise LoginRequired()
    request.state.flash = visit.flash
    return Visitor(visit.principal, visit.csrf_token)


def engine_of(request: Request) -> Engine:
    return trede_of(request).engine


def client_of(request: Request) -> str:
    """The client's address (behind a proxy: as uvicorn's proxy_headers set it)."""
    return request.client.host if request.client else "-"


def flash(request: Request, message: str, field: str | None = None, *, kind: str = "error") -> None:
    """A message for the next page of this session (after a redirect): never from a URL."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        engine_of(request).sessions.set_flash(token, message, field, kind)


def take_flash(request: Request) -> dict[str, str]:
    """The message the session kept for this page: taken when ``visitor`` read the session."""
    found: dict[str, str] | None = getattr(request.state, "flash", None)
    request.state.flash = None
    return found or {}


def check_csrf(visitor: Visitor, submitted: str | None) -> None:
    if visitor.via_token:
        return  # bearer tokens are not sent by browsers on their own
    if not submitted or not hmac.compare_digest(submitted, visitor.csrf_token):
        raise CsrfFailed()
