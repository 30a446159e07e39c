"""Pages for protocol owners: protocols and versions, diagrams, uploading a variant (which
proposes it: a second person approves it, api/web/proposal_pages.py)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from api.problems import counted, shown_problems
from api.web.proposal_pages import proposed
from api.web.render import page
from api.web.security import NotAllowed, Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.access import PROTOCOL_OWNER
from engine.errors import InputError, ProtocolError, TredeError
from engine.ports import StoredProtocol
from engine.protocol.diagram import mermaid, svg
from engine.protocol.model import Protocol
from engine.refusals import refused

router = APIRouter(prefix="/protocollen")
Me = Annotated[Visitor, Depends(visitor)]
UPLOAD_LIMIT = 1_000_000  # bytes: a large protocol is some tens of kilobytes
PARSE_SECONDS = 10.0


def _owner(me: Visitor) -> None:
    if not me.principal.owns_protocols():
        raise refused(me.principal, "protocollen beheren", [PROTOCOL_OWNER])


def _grouped(request: Request, me: Visitor) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for p in engine_of(request).protocols.managed(me.principal):
        grouped.setdefault(p.id, []).append(p)
    return grouped


def _schools(request: Request, me: Visitor) -> list[Any]:
    """The schools this owner may load a school's own protocol for."""
    manages = engine_of(request).protocols.manages
    return [s for s in engine_of(request).schools.list() if manages(me.principal, s.id)]


@router.get("", response_class=HTMLResponse)
def protocols(request: Request, me: Me) -> Response:
    _owner(me)
    context = {"grouped": _grouped(request, me), "problems": None, "schools": _schools(request, me)}
    return page(request, "protocols.html", context, visitor=me, title="Protocollen")


@router.get("/{protocol_id}", response_class=HTMLResponse)
def protocol(
    request: Request, me: Me, protocol_id: str, versie: Annotated[int | None, Query(ge=1, le=1_000_000)] = None
) -> Response:
    _owner(me)
    message = take_flash(request)
    engine = engine_of(request)
    try:
        found = engine.protocols.get(protocol_id, versie)
    except TredeError:
        raise NotAllowed() from None
    if found.stored.scope is not None and not engine.protocols.manages(me.principal, found.stored.scope):
        raise NotAllowed()  # another board's school variant
    spec = found.protocol
    context = {
        "stored": found.stored,
        "protocol": spec,
        "versions": [p for p in engine.protocols.managed(me.principal) if p.id == protocol_id],
        "diagram": mermaid(spec),
        "picture": svg(spec),
        "diff": engine.protocols.diff_with_base(spec),
        "notice": message.get("message") if message.get("kind") == "notice" else None,
        "rebase": _rebase_of(request, me, found.stored),
    }
    return page(request, "protocol.html", context, visitor=me, title=spec.spec.title)


def _rebase_of(request: Request, me: Visitor, shown: StoredProtocol) -> dict[str, Any] | None:
    """When this is the newest version of a variant whose base has a newer version: what the
    base changed, and the variant's text on it with each problem placed under its line."""
    found = [
        r
        for r in engine_of(request).protocols.rebases(me.principal, shown.id)
        if r.variant.content_hash == shown.content_hash
    ]
    if not found:
        return None
    rebase = found[0]
    at: dict[int, list[str]] = {}
    for problem in rebase.problems:
        at.setdefault(problem.line, []).append(f"kolom {problem.column}: {problem.message}")
    lines = [(n, line, at.get(n, [])) for n, line in enumerate(rebase.text.splitlines(), 1)]
    elsewhere = [str(p) for p in rebase.problems if p.file != rebase.variant.file or p.line > len(lines)]
    waiting = engine_of(request).proposals.waiting(me.principal, rebase)
    return {"r": rebase, "lines": lines, "elsewhere": elsewhere, "waiting": waiting}


@router.post("/{protocol_id}/overnemen", response_class=HTMLResponse)
def rebase(
    request: Request,
    me: Me,
    protocol_id: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
    school: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Propose the variant on the newest base version: published once a second person approves."""
    _owner(me)
    check_csrf(me, csrf)
    engine = engine_of(request)
    try:
        _, done = engine.proposals.carry_over(me.principal, protocol_id, school=school or None)
    except ProtocolError:  # the page shows the problems at their lines
        flash(request, "De variant is niet overgenomen: los eerst de problemen hieronder op.", kind="notice")
        return Response(status_code=303, headers={"Location": f"/protocollen/{protocol_id}"})
    flash(
        request,
        f"Voorgesteld: {done.variant.id} op {done.base_id} versie {done.new_version}. "
        "De variant geldt pas na goedkeuring door een tweede persoon.",
        kind="notice",
    )
    return Response(status_code=303, headers={"Location": f"/protocollen/{protocol_id}"})


@router.post("/variant", response_class=HTMLResponse)
async def upload(
    request: Request,
    me: Me,
    bestand: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=100)] = "",
    school: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    _owner(me)
    check_csrf(me, csrf)
    engine = engine_of(request)
    name = (bestand.filename or "variant.yaml")[-100:]
    raw = await bestand.read(UPLOAD_LIMIT + 1)
    if len(raw) > UPLOAD_LIMIT:
        return _upload_failed(request, me, [f"{name}:1:1: het bestand is groter dan {UPLOAD_LIMIT // 1000} kB"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _upload_failed(request, me, [f"{name}:1:1: het bestand is geen UTF-8-tekst"])
    try:
        # Off the event loop and bounded in time; the reader itself bounds size, depth and
        # refuses aliases, so memory stays in proportion to the (limited) file.
        parsed: Protocol = await asyncio.wait_for(
            run_in_threadpool(engine.protocols.parse, text, name), timeout=PARSE_SECONDS
        )
    except TimeoutError:
        return _upload_failed(request, me, [f"{name}:1:1: het controleren duurde te lang; maak het bestand eenvoudiger"])
    except ProtocolError as exc:
        return _upload_failed(request, me, shown_problems(exc.problems), counted(exc.problems))
    # a proposal, not a load (four eyes): it is published when a second person approves it
    try:
        proposal = await run_in_threadpool(
            lambda: engine.proposals.propose(me.principal, parsed.text, name, scope=school or None)
        )
    except ProtocolError as exc:  # its proefscenario's fail
        return _upload_failed(request, me, shown_problems(exc.problems), counted(exc.problems))
    except InputError as exc:  # stored already: nothing to propose
        return _upload_failed(request, me, [exc.message.removeprefix("protocol: ")])
    return proposed(request, proposal.id)


def _upload_failed(request: Request, me: Visitor, problems: list[str], found: str = "") -> Response:
    context = {"grouped": _grouped(request, me), "problems": problems, "found": found, "schools": _schools(request, me)}
    return page(request, "protocols.html", context, visitor=me, title="Protocollen", status_code=422)
