"""Pages for protocol owners: protocols and versions, diagrams, uploading a variant."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from api.web.render import page
from api.web.security import Forbidden, NotAllowed, Visitor, check_csrf, trede_of, visitor
from engine.errors import ProtocolError, TredeError
from engine.protocol.diagram import mermaid, svg
from engine.protocol.diff import diff_protocols
from engine.protocol.loader import load_protocol_text
from engine.protocol.model import Protocol

router = APIRouter(prefix="/protocollen")
Me = Annotated[Visitor, Depends(visitor)]


def _owner(me: Visitor) -> None:
    if not me.principal.owns_protocols():
        raise Forbidden("Alleen protocolbeheerders zien deze pagina's.")


@router.get("", response_class=HTMLResponse)
def protocols(request: Request, me: Me) -> Response:
    _owner(me)
    with trede_of(request).engine.uow() as uow:
        stored = uow.protocols.list()
    grouped: dict[str, list[Any]] = {}
    for p in stored:
        grouped.setdefault(p.id, []).append(p)
    return page(request, "protocols.html", {"grouped": grouped, "problems": None}, visitor=me, title="Protocollen")


@router.get("/{protocol_id}", response_class=HTMLResponse)
def protocol(request: Request, me: Me, protocol_id: str, versie: int | None = None) -> Response:
    _owner(me)
    engine = trede_of(request).engine
    try:
        with engine.uow() as uow:
            stored = uow.protocols.get(protocol_id, versie)
            versions = [p for p in uow.protocols.list() if p.id == protocol_id]
    except TredeError:
        raise NotAllowed() from None
    spec = engine.protocol(stored.content_hash)
    context = {
        "stored": stored,
        "protocol": spec,
        "versions": versions,
        "diagram": mermaid(spec),
        "picture": svg(spec),
        "diff": _diff_with_base(engine, spec),
    }
    return page(request, "protocol.html", context, visitor=me, title=spec.spec.title)


def _diff_with_base(engine: Any, protocol: Protocol) -> list[Any] | None:
    base_ref = protocol.spec.extends
    if base_ref is None:
        return None
    text, file = engine.stored_base(base_ref.id, base_ref.version)
    return diff_protocols(load_protocol_text(text, file, engine.stored_base), protocol)


@router.post("/variant", response_class=HTMLResponse)
async def upload(
    request: Request,
    me: Me,
    bestand: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    _owner(me)
    check_csrf(me, csrf)
    engine = trede_of(request).engine
    name = bestand.filename or "variant.yaml"
    raw = await bestand.read()
    try:
        text = raw.decode("utf-8")
        protocol = load_protocol_text(text, name, engine.stored_base)
    except UnicodeDecodeError:
        return _upload_failed(request, me, [f"{name}:1:1: het bestand is geen UTF-8-tekst"])
    except ProtocolError as exc:
        return _upload_failed(request, me, [str(p) for p in exc.problems])
    stored, _ = engine.load_protocol(protocol)
    return Response(status_code=303, headers={"Location": f"/protocollen/{stored.id}?versie={stored.version}"})


def _upload_failed(request: Request, me: Visitor, problems: list[str]) -> Response:
    with trede_of(request).engine.uow() as uow:
        stored = uow.protocols.list()
    grouped: dict[str, list[Any]] = {}
    for p in stored:
        grouped.setdefault(p.id, []).append(p)
    context = {"grouped": grouped, "problems": problems}
    return page(request, "protocols.html", context, visitor=me, title="Protocollen", status_code=422)
