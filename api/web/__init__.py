"""The web application: Dutch pages for people and a REST API for integrations."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response

from api.bootstrap import App
from api.web import agenda, audit_pages, pages, privacy_pages, protocol_pages, report_pages, rest
from api.web.render import page
from api.web.security import LoginRequired
from engine.errors import InputError, TredeError


def create_app(trede: App) -> FastAPI:
    web = FastAPI(
        title="trede",
        description="Protocollen voor sociale veiligheid: zaken, termijnen en audittrail.",
        docs_url="/api/v1/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    web.state.trede = trede
    web.state.accounts = trede.accounts

    @web.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if request.url.path.startswith("/api/"):
            return problem(401, "login_required", "Log in of gebruik een geldig API-token.")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/inloggen?next={quote(target)}", status_code=303)

    @web.exception_handler(TredeError)
    async def _error(request: Request, exc: TredeError) -> Response:
        if request.url.path.startswith("/api/"):
            return problem(exc.http_status, exc.code, exc.message, **exc.fields)
        return page(request, "error.html", {"error": exc}, title="Fout", status_code=exc.http_status)

    @web.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        field = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path"))
        detail = f"{field}: {first.get('msg', 'ongeldige invoer')}" if field else "ongeldige invoer"
        if request.url.path.startswith("/api/"):
            return problem(422, "invalid_input", detail, field=field)
        return page(
            request,
            "error.html",
            {"error": InputError(field or "invoer", str(first.get("msg", "")))},
            title="Fout",
            status_code=422,
        )

    web.include_router(pages.router)
    web.include_router(audit_pages.router)
    web.include_router(protocol_pages.router)
    web.include_router(rest.router)
    web.include_router(agenda.router)
    web.include_router(privacy_pages.router)
    web.include_router(report_pages.router)
    return web


def problem(status: int, code: str, detail: str, **fields: object) -> JSONResponse:
    """RFC 9457 problem details, carrying the engine error's own fields."""
    body = {"type": f"https://trede.nl/fouten/{code}", "title": code, "status": status, "detail": detail, **fields}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")
