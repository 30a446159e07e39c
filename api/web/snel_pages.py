"""Snel vastleggen (issue 29 item 3): an installable web app for staff that records an
incident in three taps and works offline (docs/snel-vastleggen.md).

The shell (page, script, style, manifest, service worker) carries no personal data and is
cached by the service worker; the user's pupils (pseudonyms) and the categories come from
``/snel/gegevens`` while online. A record is sent to ``POST /snel/incidenten`` with the
client's idempotency key; the engine records it once per key (``Incidents.record_once``).
Pages authenticate by session and the X-CSRF-Token header; integrations by bearer token.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from api.web.render import TEMPLATES
from api.web.security import Visitor, check_csrf, engine_of, visitor
from engine.errors import TredeError
from engine.incidents import QUICK_PARTS, Incident

router = APIRouter(prefix="/snel")
Me = Annotated[Visitor, Depends(visitor)]
STATIC = Path(__file__).parents[1] / "static" / "snel"
FILES = {
    "snel.js": "text/javascript",
    "snel.css": "text/css",
    "wissen.js": "text/javascript",
    "icoon.svg": "image/svg+xml",
}


class QuickRecord(BaseModel):
    key: str = Field(max_length=36, description="UUID the device generated at the tap (idempotency key)")
    school: str = Field(max_length=100)
    pupil: str = Field(max_length=100, description="The pupil's pseudonym, as /snel/gegevens lists it")
    part: str = Field(max_length=30)
    kind: str = Field(max_length=100)
    place: str = Field(max_length=100)
    seriousness: str = Field(max_length=100)
    happened: datetime = Field(description="The moment of the tap on the device, with its time zone")


@router.get("/", response_class=HTMLResponse)
def shell(request: Request, me: Me) -> Response:
    """The app's page: no names, no token (those come from /snel/gegevens), so the cached
    copy holds nothing personal."""
    return TEMPLATES.TemplateResponse(request, "snel.html", {})


@router.get("/manifest.webmanifest")
def manifest() -> JSONResponse:
    return JSONResponse(
        {
            "name": "trede snel vastleggen",
            "short_name": "Snel vastleggen",
            "lang": "nl",
            "start_url": "/snel/",
            "scope": "/snel/",
            "display": "standalone",
            "background_color": "#f6f7f9",
            "theme_color": "#0b5cab",
            "icons": [{"src": "/snel/icoon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
        },
        media_type="application/manifest+json",
    )


@router.get("/sw.js")
def service_worker() -> FileResponse:
    return FileResponse(STATIC / "sw.js", media_type="text/javascript", headers={"Service-Worker-Allowed": "/snel/"})


@router.get("/gegevens")
def data(request: Request, me: Me) -> dict[str, Any]:
    """What the app needs offline: the pupils of the user's groups (pseudonyms), the
    categories' codes and labels, and the session's CSRF token."""
    engine = engine_of(request)
    principal = me.principal
    schools = principal.schools()
    if schools is None:
        schools = set(engine.users.names(people=False).schools)
    pupils = []
    for school in sorted(schools):
        try:
            found = engine.pupils.choices(principal, school)
        except TredeError:
            continue
        pupils += [{"school": school, "name": p.name, "group": p.group or ""} for p in found]
    categories = engine.incidents.categories()

    def section(name: str) -> list[dict[str, Any]]:
        return [{"key": k, "label": c.label, "serious": c.serious is not None} for k, c in getattr(categories, name).items()]

    return {
        "user": principal.username,
        "csrf": me.csrf_token,
        "fetched_at": engine.services.clock.now().isoformat(),
        "pupils": sorted(pupils, key=lambda p: (p["group"], p["name"])),
        "kinds": section("kinds"),
        "places": section("places"),
        "seriousness": section("seriousness"),
        "parts": list(QUICK_PARTS),
    }


@router.post("/incidenten")
def record(request: Request, me: Me, body: QuickRecord) -> JSONResponse:
    """Record once per key: 201 the first time, 200 with the same incident after that."""
    check_csrf(me, request.headers.get("x-csrf-token"))
    incident, new = engine_of(request).incidents.record_once(
        me.principal,
        key=body.key,
        school=body.school,
        kind=body.kind,
        place=body.place,
        seriousness=body.seriousness,
        happened=body.happened,
        involved=[(body.pupil, body.part)],
    )
    return JSONResponse(_shown(incident, body.key, new), status_code=201 if new else 200)


def _shown(i: Incident, key: str, new: bool) -> dict[str, Any]:
    return {
        "id": i.id,
        "key": key,
        "new": new,
        "happened_at": i.happened_at.isoformat(),
        "recorded_at": i.recorded_at.isoformat(),
    }


@router.get("/{name}")  # last: the fixed paths above come first
def static_file(name: str) -> Response:
    if name not in FILES:
        return JSONResponse({"detail": "Niet gevonden."}, status_code=404)
    return FileResponse(STATIC / name, media_type=FILES[name])
