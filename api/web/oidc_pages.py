"""Login through the board's identity provider (OpenID Connect): start, and the return.

The person is matched to a trede user by the provider's stable subject, or once by the
e-mail address an administrator gave them; roles and schools stay trede's own. The same
session, throttling and second factor apply as for passwords, except that the trede code is
not asked when the provider asserts a second factor (and the board trusts that)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from adapters.identity.oidc import OidcClient, Pending
from api.bootstrap import App
from api.web.login_pages import LOGIN_NOTICE
from api.web.render import page
from api.web.responses import private_cookie, safe_next
from api.web.security import SESSION_COOKIE, client_of, engine_of
from engine.errors import LoginFailed

router = APIRouter(prefix="/inloggen/oidc")
STATE_COOKIE = "trede_oidc"
Param = Annotated[str, Query(max_length=4000)]


def _client(request: Request) -> OidcClient:
    trede: App = request.app.state.trede
    if trede.oidc is None:
        raise LoginFailed("inloggen via de identiteitsaanbieder is hier niet ingesteld")
    return trede.oidc


@router.get("/start")
def start(request: Request, next: Param = "/") -> Response:
    url, pending = _client(request).begin()
    engine_of(request).identities.begin(pending.state, pending.nonce, pending.verifier, safe_next(next))
    response = RedirectResponse(url, status_code=303)
    # Lax, not Strict: the provider sends the browser back with a top-level GET from its own site
    response.set_cookie(STATE_COOKIE, pending.state, httponly=True, secure=True, samesite="lax", max_age=600, path="/inloggen/oidc")
    return response


@router.get("", response_class=HTMLResponse)
def back(request: Request, code: Param = "", state: Param = "", error: Param = "") -> Response:
    """The provider's answer: checked against the browser that started the login, then the
    person is matched to a user and a session starts."""
    engine = engine_of(request)
    login, identities = engine.login, engine.identities
    client = _client(request)
    client_address = client_of(request)
    # counted per browser address only: failed returns from elsewhere never slow anyone else down
    attempt = login.begin_attempt(f"oidc@{client_address}", client_address)
    if attempt.ticket is None:
        return _refused(request, f"Te veel mislukte pogingen. Wacht {attempt.wait_seconds} seconden en probeer het opnieuw.")
    if error:
        login.finish_attempt(attempt.ticket, False)
        return _refused(request, "U hebt het inloggen bij de identiteitsaanbieder afgebroken, of de aanbieder weigerde het.")
    kept = identities.take(state) if state and state == request.cookies.get(STATE_COOKIE) else None
    if kept is None or not code:
        login.finish_attempt(attempt.ticket, False)
        return _refused(request, "Deze inlogpoging is verlopen of hoort niet bij deze browser. Begin opnieuw.")
    nonce, verifier, next_page = kept
    try:
        identity = client.finish(code, Pending(state, nonce, verifier))
    except LoginFailed as exc:
        login.finish_attempt(attempt.ticket, False)
        return _refused(request, exc.message)
    username = identities.user_for(identity.issuer, identity.subject, identity.email, identity.email_verified)
    trede: App = request.app.state.trede
    if username is None and client.settings.create_users:
        username = identities.create(identity.issuer, identity.subject, identity.email, identity.name, trede.board)
    login.finish_attempt(attempt.ticket, username is not None)
    if username is None:
        return page(
            request,
            "login_unknown.html",
            {"provider": client.settings.name, "email": identity.email},
            title="Geen account",
            status_code=403,
        )
    done = login.identified(username, second_factor_asserted=client.settings.trust_mfa and identity.strong)
    target = f"/inloggen/code?next={quote(next_page)}" if done.needs_code else next_page
    response = RedirectResponse(target, status_code=303)
    private_cookie(response, SESSION_COOKIE, done.token or "")
    response.delete_cookie(STATE_COOKIE, path="/inloggen/oidc")
    return response


def _refused(request: Request, message: str) -> Response:
    response = page(request, "login_failed.html", {"message": message}, title="Inloggen mislukt", status_code=401)
    response.delete_cookie(STATE_COOKIE, path="/inloggen/oidc")
    response.delete_cookie(LOGIN_NOTICE, path="/")
    return response
