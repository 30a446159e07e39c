"""The Dutch login pages: password, the second factor (a TOTP code), logging out.

The case pages are in api/web/case_pages.py; what forms share is in api/web/forms.py.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.render import page
from api.web.responses import private_cookie, safe_next
from api.web.security import SESSION_COOKIE, Visitor, check_csrf, client_of, engine_of, visitor
from engine.inputs import is_plain
from engine.throttling import DEVICE_COOKIE_LIFETIME

router = APIRouter()
LOGIN_CSRF = "trede_login_csrf"
LOGIN_NOTICE = "trede_melding"
DEVICE_COOKIE = "trede_apparaat"  # a browser that logged in before (engine.throttling)
Me = Annotated[Visitor, Depends(visitor)]

# What the login pages may say: fixed texts chosen by a code in a cookie, so nobody can put
# their own words on this site's login page through a link.
LOGIN_MESSAGES = {
    "verlopen": "Het formulier is verlopen; probeer het opnieuw.",
    "onjuist": "Gebruikersnaam of wachtwoord klopt niet.",
    "code": "De code klopt niet of is al gebruikt.",
    "sessie": "Uw sessie is verlopen; log opnieuw in.",
    "uitgelogd": "U bent uitgelogd.",
}


def _login_message(request: Request) -> str | None:
    code = request.cookies.get(LOGIN_NOTICE, "")
    if code.startswith("wacht:") and code[6:].isdigit():
        seconds = min(int(code[6:]), 3600)
        return f"Te veel mislukte pogingen. Wacht {seconds} seconden en probeer het dan opnieuw."
    return LOGIN_MESSAGES.get(code)


# --- logging in ---------------------------------------------------------------------


@router.get("/inloggen", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    # a token this browser already holds stays valid: a second login page (another tab, or a
    # script's request sent on to this page, such as snel vastleggen's service worker still
    # fetching after its user left) must not make the form on screen "verlopen"
    held = request.cookies.get(LOGIN_CSRF, "")
    token = held if _plausible_token(held) else secrets.token_urlsafe(16)
    oidc = request.app.state.trede.oidc
    context = {
        "next": safe_next(next),
        "error": _login_message(request),
        "login_csrf": token,
        "oidc_name": oidc.settings.name if oidc else None,
        # just logged out: wipe what snel vastleggen kept on this device (docs/snel-vastleggen.md)
        "wipe": request.cookies.get(LOGIN_NOTICE, "") == "uitgelogd",
    }
    response = page(request, "login.html", context, title="Inloggen")
    private_cookie(response, LOGIN_CSRF, token, max_age=900)
    response.delete_cookie(LOGIN_NOTICE, path="/")
    return response


def _plausible_token(token: str) -> bool:
    return 16 <= len(token) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in token)


@router.post("/inloggen")
def login(
    request: Request,
    gebruikersnaam: Annotated[str, Form(max_length=100)],
    wachtwoord: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not csrf or csrf != request.cookies.get(LOGIN_CSRF):
        return _back_to_login(next, "verlopen")
    username = gebruikersnaam.strip().lower()
    if not is_plain(username, 100):
        return _back_to_login(next, "onjuist")
    done = engine_of(request).login.password(username, wachtwoord, client_of(request), request.cookies.get(DEVICE_COOKIE))
    if done.waiting:
        return _back_to_login(next, f"wacht:{done.wait_seconds}")
    if done.token is None:
        return _back_to_login(next, "onjuist")
    target = f"/inloggen/code?next={quote(safe_next(next))}" if done.needs_code else safe_next(next)
    response = RedirectResponse(target, status_code=303)
    private_cookie(response, SESSION_COOKIE, done.token)
    response.delete_cookie(LOGIN_CSRF, path="/")
    if not done.needs_code:
        _trust_device(request, response, username)
    return response


def _trust_device(request: Request, response: Response, username: str) -> None:
    """A browser that has logged in completely gets a new device cookie for this user."""
    cookie = engine_of(request).login.device_cookie(username)
    private_cookie(response, DEVICE_COOKIE, cookie, max_age=int(DEVICE_COOKIE_LIFETIME.total_seconds()))


@router.get("/inloggen/code", response_class=HTMLResponse)
def code_form(request: Request, next: str = "/") -> Response:
    response = page(request, "totp.html", {"next": safe_next(next), "error": _login_message(request)}, title="Inlogcode")
    response.delete_cookie(LOGIN_NOTICE, path="/")
    return response


@router.post("/inloggen/code")
def code(
    request: Request, code: Annotated[str, Form(max_length=20)], next: Annotated[str, Form(max_length=2000)] = "/"
) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    done = engine_of(request).login.code(token, code, client_of(request), request.cookies.get(DEVICE_COOKIE))
    if done.without_session:
        return _back_to_login(next, "sessie")
    if done.waiting:
        return _back_to_code(next, f"wacht:{done.wait_seconds}")
    if done.token is None or done.username is None:
        return _back_to_code(next, "code")
    response = RedirectResponse(safe_next(next), status_code=303)
    private_cookie(response, SESSION_COOKIE, done.token)
    _trust_device(request, response, done.username)
    return response


@router.post("/uitloggen")
def logout(request: Request, me: Me, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(me, csrf)
    engine_of(request).sessions.end(request.cookies.get(SESSION_COOKIE, ""))
    response = _back_to_login("/", "uitgelogd")
    response.delete_cookie(SESSION_COOKIE, path="/")
    # the browser wipes this site's caches and storage (snel vastleggen's queue and pupil
    # list among them); the login page's wissen.js does the same where this is not honoured
    response.headers["Clear-Site-Data"] = '"cache", "storage"'

    return response


def _back_to_login(next: str, code: str) -> Response:
    response = RedirectResponse(f"/inloggen?next={quote(safe_next(next))}", status_code=303)
    private_cookie(response, LOGIN_NOTICE, code, max_age=60)
    return response


def _back_to_code(next: str, code: str) -> Response:
    response = RedirectResponse(f"/inloggen/code?next={quote(safe_next(next))}", status_code=303)
    private_cookie(response, LOGIN_NOTICE, code, max_age=60)
    return response
