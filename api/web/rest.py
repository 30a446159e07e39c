"""The REST API under /api/v1: the same engine, access rules and errors as the pages.

Authenticate with a bearer token (``Authorization: Bearer trd_...``) or a session cookie.
Errors are ``application/problem+json`` carrying the engine error's fields.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import orjson
from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.web.responses import durable, json_answer
from api.web.security import Visitor, engine_of, visitor
from engine.attachments import MAX_BYTES
from engine.errors import TredeError
from engine.usecases import Engine
from engine.usecases.cases import Firing
from engine.usecases.incidents import IncidentFilter
from engine.views import API_MAX_PAGE, API_PAGE

Me = Annotated[Visitor, Depends(visitor)]
CaseId = Annotated[str, Field(max_length=64)]


class ProblemDetail(BaseModel):
    """RFC 9457 problem details; engine errors add their own fields (allowed, field, ...)."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str


def _problem(description: str) -> dict[str, Any]:
    return {"model": ProblemDetail, "description": description, "content": {"application/problem+json": {}}}


PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: _problem("Niet ingelogd of geen geldig API-token"),
    403: _problem("Uw rol mag dit niet"),
    404: _problem("Bestaat niet, of u mag het niet zien"),
    409: _problem("Kan nu niet (stap, volgorde of gelijktijdige wijziging)"),
    422: _problem("Ongeldige invoer; 'field' noemt het veld"),
}
router = APIRouter(prefix="/api/v1", responses=PROBLEMS)


class OpenCase(BaseModel):
    protocol: str = Field(max_length=100, description="Protocol id; the latest version is used")
    school: str = Field(max_length=100)
    subject: str = Field(max_length=100, description="Pseudonym of the pupil or reporter")
    group: str | None = Field(default=None, max_length=50)
    role: str | None = Field(default=None, max_length=100, description="Role to open in; default: the first that may")
    effective: date | None = None
    inputs: dict[str, str] = Field(
        default_factory=dict,
        max_length=10,
        description="What the opening records: for a report whose protocol limits who sees it, the channel and whom it concerns",
    )


class Fire(BaseModel):
    trigger: str = Field(max_length=200)
    role: str | None = Field(default=None, max_length=100)
    inputs: dict[str, str] = Field(default_factory=dict, max_length=50)
    effective: date | datetime | None = None
    expected_seq: int | None = Field(
        default=None, ge=1, le=1_000_000_000, description="Refuse with 409 when the case moved on"
    )


class AddNote(BaseModel):
    text: str = Field(max_length=100_000, description="The note; the engine allows 20,000 characters")
    role: str | None = Field(default=None, max_length=100)
    effective: date | datetime | None = Field(
        default=None,
        description="When the conversation or event happened: a day, or a moment with its time zone; not before "
        "the case opened, not in the future, and it may lie before what was recorded since (default: now)",
    )


class Involvement(BaseModel):
    pseudonym: str = Field(max_length=100, description="A pseudonym, never a name")
    part: str = Field(max_length=30, description="slachtoffer, dader, getuige or medewerker")


class RecordIncident(BaseModel):
    school: str = Field(max_length=100)
    kind: str = Field(max_length=100, description="A key of the loaded incident categories' kinds")
    place: str = Field(max_length=100, description="A key of the categories' places")
    seriousness: str = Field(max_length=100, description="A key of the categories' seriousness levels")
    happened: date | datetime = Field(description="When it happened: a day, or a moment with its time zone")
    involved: list[Involvement] = Field(default_factory=list, max_length=50)
    role: str | None = Field(default=None, max_length=100)


class LinkIncident(BaseModel):
    case: str = Field(max_length=64, description="A case of the incident's school that you may see")
    role: str | None = Field(default=None, max_length=100)


HEALTH_FRESH = 1.0  # seconds: a server process asks the database at most this often for /health


class HealthProbe:
    """/health's answer: whether the database answers, asked at most once per HEALTH_FRESH
    seconds per process (a load balancer polling it costs the database nothing more), and
    answered in between on the event loop, without a trip to the thread pool. A failing
    database is not remembered: the next request asks again."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.body = b""
        self.asked = -HEALTH_FRESH
        self.lock = asyncio.Lock()

    async def answer(self) -> Response:
        if time.monotonic() - self.asked >= HEALTH_FRESH:
            async with self.lock:  # one request asks; those that queue behind it take its answer
                if time.monotonic() - self.asked >= HEALTH_FRESH:
                    count = await run_in_threadpool(self.engine.protocols.count)
                    self.body = orjson.dumps({"status": "ok", "protocols": count})
                    self.asked = time.monotonic()
        return Response(self.body, media_type="application/json")


@router.get("/health", response_model=dict[str, Any])
async def health(request: Request) -> Response:
    """Whether the database answers (no authentication); asked at most once a second per server process."""
    probe: HealthProbe = request.app.state.health
    return await probe.answer()


@router.get("/protocols")
def protocols(request: Request, me: Me) -> list[dict[str, Any]]:
    stored = engine_of(request).protocols.list()
    return [{"id": p.id, "version": p.version, "title": p.title, "hash": p.content_hash} for p in stored]


@router.get("/protocols/{protocol_id}")
def protocol(
    request: Request,
    me: Me,
    protocol_id: Annotated[str, Field(max_length=100)],
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> dict[str, Any]:
    found = engine_of(request).protocols.get(protocol_id, version)
    return {
        "id": found.stored.id,
        "version": found.stored.version,
        "hash": found.stored.content_hash,
        "spec": found.protocol.spec.model_dump(mode="json", by_alias=True),
    }


@router.get("/cases", response_model=list[dict[str, Any]])
def cases(
    request: Request,
    me: Me,
    limit: Annotated[int, Query(ge=1, le=API_MAX_PAGE)] = API_PAGE,
    after: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The cases you may see, in the order they were opened, ``limit`` at a time. When there
    are more, the ``Link`` header (RFC 8288) gives the address of the next page (``rel="next"``)."""
    found = engine_of(request).reads.case_page(me.principal, after=after, limit=limit, what="api")
    answer = json_answer([
        {
            "id": v.case.id,
            "protocol": v.case.protocol_id,
            "step": v.case.step,
            "school": v.case.school,
            "subject": v.subject(),
            "closed": v.case.closed,
            "seq": v.case.seq,
        }
        for v in found.cases
    ])
    if found.next_after is not None:
        answer.headers["Link"] = f'</api/v1/cases?{urlencode({"limit": limit, "after": found.next_after})}>; rel="next"'
    return answer


@router.post("/cases", status_code=201, response_model=dict[str, Any])
def open_case(request: Request, me: Me, body: OpenCase) -> Response:
    engine = engine_of(request)
    case = engine.cases.open(
        me.principal,
        body.protocol,
        school=body.school,
        subject=body.subject,
        role=body.role,
        effective=body.effective,
        group=body.group,
        inputs=body.inputs,
    )
    return json_answer(engine.reads.case(me.principal, case.id, role=body.role, what="api").to_dict(), 201)


@router.get("/cases/{case_id}", response_model=dict[str, Any])
async def show(
    request: Request, me: Me, case_id: CaseId, role: Annotated[str | None, Query(max_length=100)] = None
) -> Response:
    """Answered once the read's access-log row is durable: the read runs in the writer's
    transaction with that row (``Reads.case_pending``), its commit is awaited here."""
    pending = engine_of(request).reads.case_pending(me.principal, case_id, role=role, what="api")
    return json_answer((await durable(pending)).to_dict())


@router.post("/cases/{case_id}/fire", response_model=dict[str, Any])
async def fire(request: Request, me: Me, case_id: CaseId, body: Fire) -> Response:
    """Answered once the action's commit is durable; the fire (all its checks) runs in the
    group commit's transaction, so no thread of the pool waits for it."""
    firing = Firing(body.trigger, body.role, dict(body.inputs), body.effective, body.expected_seq)
    pending = engine_of(request).cases.fire_and_show_pending(me.principal, case_id, firing, what="api")
    return json_answer((await durable(pending)).to_dict())


@router.get("/cases/{case_id}/events", response_model=list[dict[str, Any]])
def events(request: Request, me: Me, case_id: CaseId) -> Response:
    return json_answer([e.to_dict() for e in engine_of(request).reads.events(me.principal, case_id, what="api")])


@router.get("/cases/{case_id}/deadlines", response_model=list[dict[str, Any]])
def deadlines(request: Request, me: Me, case_id: CaseId) -> Response:
    view = engine_of(request).reads.case(me.principal, case_id, what="api")
    return json_answer([d.to_dict() for d in sorted(view.case.deadlines.values(), key=lambda d: d.key)])


@router.post("/cases/{case_id}/notes", status_code=201)
def add_note(request: Request, me: Me, case_id: CaseId, body: AddNote) -> dict[str, Any]:
    """Append a note to the case's chain; answers the event that recorded it."""
    engine = engine_of(request)
    case = engine.notes.add_note(me.principal, case_id, body.text, role=body.role, effective=body.effective)
    return engine.reads.events(me.principal, case_id, what="api")[case.seq - 1].to_dict()


@router.post("/cases/{case_id}/attachments", status_code=201)
async def add_attachment(
    request: Request,
    me: Me,
    case_id: CaseId,
    file: Annotated[UploadFile, File(description="PDF, JPEG, PNG, text, .docx or .odt; at most 10 MB")],
    description: Annotated[str, Form(max_length=500)] = "",
    role: Annotated[str | None, Form(max_length=100)] = None,
    effective: Annotated[
        date | datetime | None,
        Form(description="The date of the document: a day, or a moment with its time zone (default: now)"),
    ] = None,
) -> dict[str, Any]:
    """Add a file (multipart/form-data); answers the event that records its SHA-256."""
    engine = engine_of(request)
    content = await file.read(MAX_BYTES + 1)
    case = engine.notes.attach(
        me.principal,
        case_id,
        name=file.filename or "",
        content=content,
        description=description,
        role=role,
        effective=effective,
    )
    return engine.reads.events(me.principal, case_id, what="api")[case.seq - 1].to_dict()


@router.get("/cases/{case_id}/attachments/{seq}", response_class=Response)
def attachment(request: Request, me: Me, case_id: CaseId, seq: Annotated[int, Path(ge=1, le=1_000_000_000)]) -> Response:
    """The file, with its SHA-256 in ``X-Trede-SHA256``."""
    found = engine_of(request).notes.attachment(me.principal, case_id, seq)
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.download_name)}",
        "X-Trede-SHA256": found.sha256,
    }
    return Response(found.content, media_type=found.media_type, headers=headers)


@router.post("/cases/{case_id}/verify")
def verify(request: Request, me: Me, case_id: CaseId) -> dict[str, Any]:
    return engine_of(request).reads.verify(me.principal, case_id).to_dict()


@router.post("/incidents", status_code=201)
def record_incident(request: Request, me: Me, body: RecordIncident) -> dict[str, Any]:
    """Record an incident apart from any case; a serious one opens its reporting case."""
    incident = engine_of(request).incidents.record(
        me.principal,
        school=body.school,
        kind=body.kind,
        place=body.place,
        seriousness=body.seriousness,
        happened=body.happened,
        involved=[(p.pseudonym, p.part) for p in body.involved],
        role=body.role,
    )
    return incident.as_dict()


@router.get("/incidents")
def incidents(
    request: Request,
    me: Me,
    school: Annotated[str, Query(max_length=100)],
    kind: Annotated[str | None, Query(max_length=100)] = None,
    seriousness: Annotated[str | None, Query(max_length=100)] = None,
    since: date | None = None,
    until: date | None = None,
    linked: bool | None = None,
) -> list[dict[str, Any]]:
    """A school's incidents, newest first, as the filters select them."""
    filters = IncidentFilter(kind=kind, seriousness=seriousness, since=since, until=until, linked=linked)
    return [i.as_dict() for i in engine_of(request).incidents.at_school(me.principal, school, filters)]


@router.get("/incidents/{incident_id}")
def incident(request: Request, me: Me, incident_id: CaseId) -> dict[str, Any]:
    return engine_of(request).incidents.get(me.principal, incident_id).as_dict()


@router.post("/incidents/{incident_id}/links")
def link_incident(request: Request, me: Me, incident_id: CaseId, body: LinkIncident) -> dict[str, Any]:
    """Link the incident to a case of the same school; linking again changes nothing."""
    return engine_of(request).incidents.link(me.principal, incident_id, body.case, body.role).as_dict()


__all__ = ["PROBLEMS", "TredeError", "router"]
