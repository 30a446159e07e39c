"""The REST API under /api/v1: the same engine, access rules and errors as the pages.

Authenticate with a bearer token (``Authorization: Bearer trd_...``) or a session cookie.
Errors are ``application/problem+json`` carrying the engine error's fields.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from api.web.pages import visible_case
from api.web.security import Forbidden, Visitor, trede_of, visitor
from engine.access import case_roles, opening_roles

router = APIRouter(prefix="/api/v1")
Me = Annotated[Visitor, Depends(visitor)]


class OpenCase(BaseModel):
    protocol: str = Field(description="Protocol id; the latest version is used")
    school: str
    subject: str = Field(description="Pseudonym of the pupil or reporter")
    group: str | None = None
    role: str | None = Field(default=None, description="Role to open in; default: the first that may")
    effective: date | None = None


class Fire(BaseModel):
    trigger: str
    role: str | None = None
    inputs: dict[str, str] = Field(default_factory=dict)
    effective: date | datetime | None = None
    expected_seq: int | None = Field(default=None, description="Refuse with 409 when the case moved on")


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    """Whether the database answers (no authentication)."""
    with trede_of(request).engine.uow() as uow:
        protocols = len(uow.protocols.list())
    return {"status": "ok", "protocols": protocols}


@router.get("/protocols")
def protocols(request: Request, me: Me) -> list[dict[str, Any]]:
    with trede_of(request).engine.uow() as uow:
        stored = uow.protocols.list()
    return [{"id": p.id, "version": p.version, "title": p.title, "hash": p.content_hash} for p in stored]


@router.get("/protocols/{protocol_id}")
def protocol(request: Request, me: Me, protocol_id: str, version: int | None = None) -> dict[str, Any]:
    engine = trede_of(request).engine
    with engine.uow() as uow:
        stored = uow.protocols.get(protocol_id, version)
    spec = engine.protocol(stored.content_hash).spec
    return {
        "id": stored.id,
        "version": stored.version,
        "hash": stored.content_hash,
        "spec": spec.model_dump(mode="json", by_alias=True),
    }


@router.get("/cases")
def cases(request: Request, me: Me) -> list[dict[str, Any]]:
    return [
        {
            "id": v.case.id,
            "protocol": v.case.protocol_id,
            "step": v.case.step,
            "school": v.case.school,
            "subject": v.subject(),
            "closed": v.case.closed,
            "seq": v.case.seq,
        }
        for v in trede_of(request).engine.cases_for(me.principal)
    ]


@router.post("/cases", status_code=201)
def open_case(request: Request, me: Me, body: OpenCase) -> dict[str, Any]:
    engine = trede_of(request).engine
    with engine.uow() as uow:
        stored = uow.protocols.get(body.protocol)
    roles = opening_roles(me.principal, engine.protocol(stored.content_hash), body.school, body.group)
    role = body.role or (roles[0] if roles else None)
    if role is None or role not in roles:
        raise Forbidden("U kunt voor deze school en groep geen zaak van dit protocol openen.")
    case = engine.open_case(
        body.protocol,
        school=body.school,
        subject=body.subject,
        actor=me.principal.username,
        role=role,
        effective=body.effective,
        group=body.group,
    )
    return engine.show(case.id, role).to_dict()


@router.get("/cases/{case_id}")
def show(request: Request, me: Me, case_id: str, role: str | None = None) -> dict[str, Any]:
    return visible_case(request, me, case_id, role).to_dict()


@router.post("/cases/{case_id}/fire")
def fire(request: Request, me: Me, case_id: str, body: Fire) -> dict[str, Any]:
    view = visible_case(request, me, case_id, body.role)
    roles = case_roles(me.principal, view.case, view.protocol)
    role = body.role or view.role
    if role is None or role not in roles:
        raise Forbidden("U heeft in deze zaak geen rol waarmee u kunt handelen.")
    engine = trede_of(request).engine
    engine.fire(
        case_id,
        body.trigger,
        actor=me.principal.username,
        role=role,
        inputs=body.inputs,
        effective=body.effective,
        expected_seq=body.expected_seq,
    )
    return engine.show(case_id, role).to_dict()


@router.get("/cases/{case_id}/events")
def events(request: Request, me: Me, case_id: str) -> list[dict[str, Any]]:
    visible_case(request, me, case_id)
    return [e.to_dict() for e in trede_of(request).engine.events(case_id)]


@router.get("/cases/{case_id}/deadlines")
def deadlines(request: Request, me: Me, case_id: str) -> list[dict[str, Any]]:
    view = visible_case(request, me, case_id)
    return [d.to_dict() for d in sorted(view.case.deadlines.values(), key=lambda d: d.key)]


@router.post("/cases/{case_id}/verify")
def verify(request: Request, me: Me, case_id: str) -> dict[str, Any]:
    visible_case(request, me, case_id)
    return trede_of(request).engine.verify(case_id).to_dict()
