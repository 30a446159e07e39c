"""The web application: Dutch pages for people and a REST API for integrations."""

from __future__ import annotations

from collections.abc import Callable
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
from api.web.edge import DOCS, NOT_UTF8_JSON, BodyLimit, SecurityHeaders
from api.web.hot import HotRoutes
from api.web.render import page
from api.web.security import LoginRequired, visitor
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
# what snel vastleggen's script and service worker fetch: without a session a 401, not the login
# page (following that redirect would replace the login form's CSRF cookie on this device)
SCRIPT_PATHS = frozenset({"/snel/gegevens", "/snel/incidenten"})


def served_app(trede: App) -> HotRoutes:
    """What a server serves: the busiest REST addresses answered in front of FastAPI
    (api/web/hot.py), everything else by the application ``create_app`` builds."""
    web = create_app(trede)
    return HotRoutes(web, engine=trede.engine, metrics=web.state.metrics, error=_api_problem)


def create_app(trede: App) -> FastAPI:
    """The FastAPI application: every page and every REST route."""
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
    web.add_middleware(BodyLimit)
    # pure ASGI (no BaseHTTPMiddleware): headers and metrics cost next to nothing per request;
    # api/web/hot.py applies the same three to the addresses it answers in front of these
    web.add_middleware(metrics.MetricsMiddleware, metrics=web.state.metrics)
    web.add_middleware(SecurityHeaders)
    return web


HTTP_WORDS = {
    400: "Het formulier kon niet worden gelezen: het heeft te veel velden of een te lang onderdeel. "
    "Maak de tekst korter en probeer het opnieuw.",
    404: "Deze pagina bestaat niet.",
    405: "Deze pagina kan zo niet worden gebruikt; ga terug en gebruik de knop op de pagina.",
}




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
