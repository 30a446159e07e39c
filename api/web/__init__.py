"""The web application: Dutch pages for people and a REST API for integrations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.bootstrap import App
from api.web import (
    agenda,
    aliases,
    audit_pages,
    case_pages,
    editor_pages,
    evaluation_pages,
    forms,
    incident_pages,
    login_pages,
    meldpunt_pages,
    metrics,
    note_pages,
    oidc_pages,
    privacy_pages,
    proposal_pages,
    protocol_pages,
    pupil_pages,
    report_pages,
    rest,
    school_pages,
    settings_pages,
    snel_pages,
    token_pages,
    triage_pages,
)
from api.web.hot import HotRoutes
from api.web.render import page
from api.web.security import LoginRequired, visitor
from engine.attachments import MAX_AUDIO_BYTES, MAX_BYTES
from engine.errors import InputError, TredeError

ROUTERS: tuple[APIRouter, ...] = tuple(
    m.router
    for m in (
        rest,  # first: integrations call it most, and routes are matched in this order
        login_pages,
        case_pages,
        incident_pages,
        oidc_pages,
        note_pages,
    triage_pages,
        audit_pages,
        proposal_pages,  # before protocol_pages: /protocollen/voorstellen is no protocol's id
        protocol_pages,
        editor_pages,  # /protocollen/<id>/bewerken, /protocollen/editor/...
        agenda,
        privacy_pages,
        report_pages,
        evaluation_pages,
        token_pages,
        school_pages,
        settings_pages,
        pupil_pages,
        meldpunt_pages,
        snel_pages,  # /snel/: the quick record app and its service worker
        metrics,
        aliases,  # /login, /logout: on to the Dutch pages
    )
)
BODY_LIMIT = 2_000_000  # bytes; a protocol upload is at most 1 MB (protocol_pages.UPLOAD_LIMIT)
# An attachment is a file of at most engine.attachments.MAX_BYTES, with a few form fields.
UPLOAD_LIMIT = MAX_BYTES + 200_000
UPLOAD_PATHS = re.compile(r"^/(zaken/[^/]+/bijlagen|api/v1/cases/[^/]+/attachments|leerlingen/import|scholen/[^/]+/logo)$")
# The public meldpunt's report form may carry a voice message (engine.attachments.MAX_AUDIO_BYTES).
VOICE_LIMIT = MAX_AUDIO_BYTES + 200_000
VOICE_PATHS = re.compile(r"^/melden/(?!volgen$)[^/]+$")
DOCS = "/api/v1/docs"
# what snel vastleggen's script and service worker fetch: without a session a 401, not the login
# page (following that redirect would replace the login form's CSRF cookie on this device)
SCRIPT_PATHS = frozenset({"/snel/gegevens", "/snel/incidenten"})

# Sent with every response: HTML, JSON, CSV, PDF and ICS alike.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; worker-src 'self'; manifest-src 'self'",
}
# The API documentation page starts Swagger UI (served from this site) with an inline script.
DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " \
    "img-src 'self' data:; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"


def create_app(trede: App, *, hot_routes: bool = True) -> FastAPI:
    """The application; ``hot_routes``: the busiest REST addresses answered without FastAPI's
    layers (api/web/hot.py; off only to compare the two in tests)."""
    web = FastAPIOffline(
        title="trede",
        description="Protocollen voor sociale veiligheid: zaken, termijnen en audittrail.",
        docs_url=DOCS,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        static_url="/api/v1/docs-static",
    )
    web.state.trede = trede
    web.state.metrics = metrics.Metrics(trede.engine)
    web.state.meldpunt_limits = meldpunt_pages.MemoryLimits(trede.engine.clock)  # on the application's clock
    web.state.health = rest.HealthProbe(trede.engine)


    @web.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if _answers_json(request):
            return problem(401, "login_required", "Log in of gebruik een geldig API-token.")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/inloggen?next={quote(target)}", status_code=303)

    @web.exception_handler(TredeError)
    async def _error(request: Request, exc: TredeError) -> Response:
        if _answers_json(request):  # snel vastleggen's script reads why a record was refused
            return _api_problem(exc)
        return page(request, "error.html", {"error": exc, "message": forms.said(exc)}, title="Fout", status_code=exc.http_status)

    @web.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path", "form"))
        detail = f"{field}: {_dutch(first)}" if field else "ongeldige invoer"
        if _answers_json(request):
            return problem(422, "invalid_input", detail, field=field)
        error = InputError(field or "invoer", _dutch(first))
        return page(request, "error.html", {"error": error, "message": forms.said(error)}, title="Fout", status_code=422)

    @web.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        """What the framework itself refuses (an unknown address, a form with too many
        fields or too large a part), in the same Dutch words as the engine's errors."""
        message = HTTP_WORDS.get(exc.status_code, "Dit verzoek kon niet worden verwerkt.")
        code = "http_error"
        if exc.status_code == 400 and not _is_form(request):
            message, code = NOT_UTF8_JSON, "invalid_json"  # FastAPI could not read the body as JSON
        # RFC 9110 §15.5.6: a 405 names the methods the address does take
        headers = {"Allow": ", ".join(allowed_methods(request))} if exc.status_code == 405 else {}
        response: Response
        if request.url.path.startswith("/api/"):
            response = problem(exc.status_code, code, message)
        else:
            error = TredeError(message)
            response = page(
                request, "error.html", {"error": error, "status": exc.status_code}, title="Fout", status_code=exc.status_code
            )
        response.headers.update(headers)
        return response

    for router in ROUTERS:
        web.include_router(router)
    _document_pages(web)
    if hot_routes:  # innermost of ours: it sees what BodyLimit let through
        web.add_middleware(HotRoutes, web=web, error=_api_problem)
    web.add_middleware(BodyLimit)
    # pure ASGI (no BaseHTTPMiddleware): headers and metrics cost next to nothing per request
    web.add_middleware(metrics.MetricsMiddleware, metrics=web.state.metrics)
    web.add_middleware(SecurityHeaders)
    return web


HTTP_WORDS = {
    400: "Het formulier kon niet worden gelezen: het heeft te veel velden of een te lang onderdeel. "
    "Maak de tekst korter en probeer het opnieuw.",
    404: "Deze pagina bestaat niet.",
    405: "Deze pagina kan zo niet worden gebruikt; ga terug en gebruik de knop op de pagina.",
}


NOT_UTF8_JSON = (
    "De inhoud van het verzoek is geen geldige JSON in UTF-8 (RFC 8259). Stuur een JSON-object, "
    "gecodeerd als UTF-8, met Content-Type: application/json."
)


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "").lower()
    return kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))


def allowed_methods(request: Request) -> list[str]:
    """The methods of every route whose path matches this request's (not only the first)."""
    scope = {"type": "http", "path": request.url.path, "root_path": "", "method": request.method}
    methods: set[str] = set()
    for route in route_table(request.app):
        if route.matches(scope)[0] != Match.NONE:
            methods |= route.methods or set()
    return sorted(methods | ({"HEAD"} if "GET" in methods else set()))


LOCATION = {"Location": {"description": "Waarheen", "schema": {"type": "string"}}}
HTML = {"text/html": {"schema": {"type": "string"}}}
PAGE_RESPONSES: dict[str, dict[str, Any]] = {
    "login": {"description": "Niet ingelogd: door naar /inloggen?next=…", "headers": LOCATION},
    "403": {"description": "Uw rol mag dit niet, of het formulier is verlopen (CSRF); een Nederlandse foutpagina", "content": HTML},
    "404": {"description": "Bestaat niet, of u mag het niet zien; een Nederlandse foutpagina", "content": HTML},
    "next": {"description": "Verwerkt: door naar de volgende pagina (Post/Redirect/Get)", "headers": LOCATION},
}
# The pages that answer a form (or a login) by sending the browser on with 303.
REDIRECTS = frozenset(
    {
        ("POST", "/inloggen"), ("POST", "/inloggen/code"), ("POST", "/uitloggen"), ("POST", "/zaken/nieuw"),
        ("POST", "/zaken/{case_id}/acties/{trigger}"), ("POST", "/zaken/{case_id}/brieven/{name}/opslaan"),
        ("GET", "/inloggen/oidc/start"), ("GET", "/inloggen/oidc"), ("POST", "/zaken/{case_id}/notities"),
        ("POST", "/zaken/{case_id}/bijlagen"), ("POST", "/protocollen/variant"), ("POST", "/privacy/vertrek"),
        ("POST", "/scholen"), ("POST", "/instellingen"), ("POST", "/leerlingen/import"),
        ("POST", "/leerlingen/vertrek"), ("POST", "/leerlingen/blijft"), ("POST", "/scholen/{school_id}/logo"),
        ("POST", "/scholen/{school_id}/logo/verwijderen"),
    }
)
# Pages without a path parameter that still answer 404: a receipt code that is not known.
# (The meldpunt of a school that does not exist answers 422, naming the field school.)
NOT_FOUND = frozenset({("POST", "/melden/volgen"), ("POST", "/melden/volgen/bericht")})


def _document_pages(web: FastAPI) -> None:
    """The HTML pages in the OpenAPI document with the answers they really give besides 200:
    a page behind the login sends a visitor without a session on with 303 to /inloggen, and
    answers 403 for a role that may not (or a stale form); a page with a path parameter
    answers 404 for what does not exist or may not be seen; a form that goes on to another
    page answers 303 (REDIRECTS)."""
    generate = web.openapi

    def openapi() -> dict[str, Any]:
        if web.openapi_schema:
            return web.openapi_schema
        document = generate()
        for route in route_table(web):
            if route.path.startswith("/api/") or not route.include_in_schema:
                continue
            behind_login = _depends_on(route.dependant, visitor)
            for method in route.methods or ():
                answers = document["paths"].get(route.path, {}).get(method.lower(), {}).setdefault("responses", {})
                if behind_login and route.path in SCRIPT_PATHS:
                    answers.setdefault("401", {"description": "Niet ingelogd (problem+json)"})
                    answers.setdefault("403", PAGE_RESPONSES["403"])
                    continue
                onward = (method, route.path) in REDIRECTS
                if onward or behind_login:
                    said = [PAGE_RESPONSES[k]["description"] for k, on in (("next", onward), ("login", behind_login)) if on]
                    answers.setdefault("303", {"description": "; of ".join(said), "headers": LOCATION})
                if behind_login:
                    answers.setdefault("403", PAGE_RESPONSES["403"])
                if (route.param_convertors and route.path != "/melden/{school}") or (method, route.path) in NOT_FOUND:
                    answers.setdefault("404", PAGE_RESPONSES["404"])
        web.openapi_schema = document
        return document

    web.openapi = openapi  # type: ignore[method-assign]


def _depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    return any(d.call is call or _depends_on(d, call) for d in dependant.dependencies)


def route_table(web: FastAPI) -> list[APIRoute]:
    """Every route the application serves: its own and those of the included routers."""
    own = [r for r in web.routes if isinstance(r, APIRoute)]
    return own + [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def _dutch(error: dict[str, object]) -> str:
    """pydantic's message kinds, in Dutch."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") if isinstance(error.get("ctx"), dict) else {}
    assert isinstance(ctx, dict)
    messages = {
        "missing": "ontbreekt",
        "string_too_long": f"te lang (ten hoogste {ctx.get('max_length')} tekens)",
        "too_long": f"te veel waarden (ten hoogste {ctx.get('max_length')})",
        "less_than_equal": f"te groot (ten hoogste {ctx.get('le')})",
        "greater_than_equal": f"te klein (ten minste {ctx.get('ge')})",
        "int_parsing": "geen geheel getal",
        "date_from_datetime_parsing": "geen datum (JJJJ-MM-DD)",
        "date_parsing": "geen datum (JJJJ-MM-DD)",
        "datetime_parsing": "geen tijdstip",
        "string_type": "moet tekst zijn",
        "dict_type": "moet een object zijn",
        "model_attributes_type": "moet een object zijn",
        "json_invalid": "geen geldige JSON",
    }
    return messages.get(kind, "ongeldige waarde")


class SecurityHeaders:
    """Adds the security headers to every response (HSTS over https), unless a route set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope.get("path") == DOCS
        encoded = _ENCODED_HEADERS[(docs, scope.get("scheme") == "https")]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                present = {k.lower() for k, _ in headers}
                added = [(k, v) for k, v in encoded if k not in present or (docs and k == b"content-security-policy")]
                kept = [(k, v) for k, v in headers if not (docs and k.lower() == b"content-security-policy")]
                message = {**message, "headers": kept + added}
            await send(message)

        await self.app(scope, receive, with_headers)


def _encoded_headers(docs: bool, https: bool) -> list[tuple[bytes, bytes]]:
    extra = dict(SECURITY_HEADERS)
    if docs:
        extra["Content-Security-Policy"] = DOCS_CSP
    if https:
        extra["Strict-Transport-Security"] = HSTS
    return [(k.lower().encode(), v.encode()) for k, v in extra.items()]


# encoded once: (the documentation page?, over https?) -> the headers to add
_ENCODED_HEADERS = {(d, h): _encoded_headers(d, h) for d in (False, True) for h in (False, True)}


class BodyLimit:
    """Refuses a request body over BODY_LIMIT with 413, counted as it arrives (a missing or
    false Content-Length does not get past it), and any request carrying a NUL character:
    no text a person types holds one, and PostgreSQL cannot store it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        api = str(scope.get("path", "")).startswith("/api/")
        upload = scope.get("method") == "POST" and bool(UPLOAD_PATHS.match(scope.get("path", "")))
        voice = scope.get("method") == "POST" and bool(VOICE_PATHS.match(scope.get("path", "")))
        limit = UPLOAD_LIMIT if upload else VOICE_LIMIT if voice else BODY_LIMIT
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(scope, send, limit)
            return
        url = (scope.get("raw_path") or b"") + b"?" + (scope.get("query_string") or b"")
        if any(_nul(url, b"%00")):
            await _refuse(send, 422, b"invalid_input", NUL_REFUSED, html=not api)
            return
        kind = headers.get(b"content-type", b"")
        markers = [b"\x00", b"%00" if b"urlencoded" in kind else b"\x00", b"\\u0000" if b"json" in kind else b"\x00"]
        if upload or (voice and b"multipart/form-data" in kind):  # a file holds any byte; its text fields are checked by the engine
            markers = []
        # Read the whole (bounded) body first, so that a refusal is a clear answer and not
        # a parse error half-way through the application.
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if len(body) > limit:
                await _too_large(scope, send, limit)
                return
            more = bool(message.get("more_body", False))
        if b"json" in kind and body and not _utf8_text(body):
            await _refuse(send, 400, b"invalid_json", NOT_UTF8_JSON, html=not api)
            return
        if any(m in body.lower() for m in markers):
            await _refuse(send, 422, b"invalid_input", NUL_REFUSED, html=not api)
            return
        replayed = False

        async def limited() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, limited, send)


ERROR_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Niet verwerkt — trede</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
    "<body><main><h1>Niet verwerkt</h1><p>{detail}</p>"
    "<p>Ga met de terugknop van uw browser terug naar het formulier; wat u typte staat daar meestal nog. "
    '<a href="/">Naar de startpagina</a></p>'
    "</main></body></html>"
)


def _utf8_text(body: bytes) -> bool:
    """UTF-8 without a NUL byte: a JSON text in UTF-16 or UTF-32 holds NUL bytes (RFC 8259 §8.1)."""
    if b"\x00" in body:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _nul(url: bytes, marker: bytes) -> list[bool]:
    return [b"\x00" in url, marker in url.lower()]


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    megabytes = f"{limit / 1_000_000:.0f}"
    detail = (
        f"Wat u verstuurde is te groot (ten hoogste {megabytes} MB). Maak de tekst korter of het bestand "
        "kleiner (bijvoorbeeld een scan in lagere resolutie) en probeer het opnieuw."
    )
    await _refuse(send, 413, b"too_large", detail, html=not str(scope.get("path", "")).startswith("/api/"))


NUL_REFUSED = "De invoer bevat een NUL-teken (een onzichtbaar teken dat geen tekst is); haal het weg en probeer opnieuw."


async def _refuse(send: Send, status: int, code: bytes, detail: str, *, html: bool = False) -> None:
    """An answer before the application has seen the request: problem+json for the API, a
    short Dutch page for a person (the application's own pages are not reachable here)."""
    if html:
        body = ERROR_PAGE.format(detail=escape(detail)).encode("utf-8")
        kind = b"text/html; charset=utf-8"
    else:
        body = (
            b'{"type":"https://trede.nl/fouten/' + code + b'","title":"' + code + b'","status":'
            + str(status).encode() + b',"detail":' + json.dumps(detail).encode() + b"}"
        )
        kind = b"application/problem+json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                *((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _api_problem(exc: TredeError) -> Response:
    """An engine error on an /api/ address, as the TredeError handler answers it."""
    return problem(exc.http_status, exc.code, exc.message, **exc.fields)


def _answers_json(request: Request) -> bool:
    """The API, and what snel vastleggen's script fetches, answer an error as problem+json."""
    return request.url.path.startswith("/api/") or request.url.path in SCRIPT_PATHS


def problem(status: int, code: str, detail: str, **fields: object) -> JSONResponse:
    """RFC 9457 problem details, carrying the engine error's own fields."""
    body = {"type": f"https://trede.nl/fouten/{code}", "title": code, "status": status, "detail": detail, **fields}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")
