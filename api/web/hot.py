"""The REST API's two busiest addresses, answered in front of FastAPI: ``GET
/api/v1/cases/{case_id}`` and ``POST /api/v1/cases/{case_id}/fire``.

On the benchmark machine (issue 30) FastAPI's layers and its middleware stack were about a
third of the event loop's time for these requests, and the event loop, not the engine, bounded
how many a process answers. This layer is what uvicorn serves (``api.web.served_app``); it
answers only the plain request: a bearer token this process remembers
(``Tokens.remembered``), a case id and role of valid length, an address without NUL, no body on
a read, and for a fire a JSON body within the body limit that ``api.web.edge`` lets through and
that validates as the route's own ``Fire`` model. Anything else (a session cookie, a token not
yet looked up, another query parameter, a body that does not validate) goes on to FastAPI,
which answers it as it always did: its errors, in its words. What is answered here is what that
route answers: the same use case with the same principal (every access check, the access log
and masking happen there), the same JSON, an engine error as the same problem+json
(``error``), the same security headers (``edge.security_headers``) and the same metrics.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import parse_qsl

import orjson
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.edge import BODY_LIMIT, body_refusal, security_headers, url_refused
from api.web.metrics import Metrics
from api.web.responses import JSON_OPTIONS, durable
from api.web.rest import Fire
from engine.access import Principal
from engine.errors import TredeError
from engine.usecases import Engine
from engine.usecases.cases import Firing

CASE = re.compile(r"/api/v1/cases/([^/]+)")
FIRE = re.compile(r"/api/v1/cases/([^/]+)/fire")
CASE_ROUTE, FIRE_ROUTE = "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/fire"
LONGEST_ID, LONGEST_ROLE = 64, 100  # as the routes declare them (rest.CaseId, the role query)
JSON_TYPE = (b"content-type", b"application/json")


class HotRoutes:
    """Pure ASGI, in front of the FastAPI application ``onward`` (see the module's doc)."""

    def __init__(self, onward: ASGIApp, *, engine: Engine, metrics: Metrics, error: Callable[[TredeError], Response]) -> None:
        self.onward = onward
        self.engine = engine
        self.metrics = metrics
        self.error = error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith("/api/v1/cases/") and not scope.get("root_path"):
            method = scope["method"]
            if method == "GET" and (found := CASE.fullmatch(path)) and await self._case(scope, found[1], send):
                return
            if method == "POST" and (found := FIRE.fullmatch(path)):
                onward = await self._fire(scope, found[1], receive, send)
                if onward is None:
                    return
                receive = onward
        await self.onward(scope, receive, send)

    async def _case(self, scope: Scope, case_id: str, send: Send) -> bool:
        principal = self._principal(scope, case_id)
        plain, role = _role(scope.get("query_string", b""))
        if principal is None or not plain or _has_body(scope) or url_refused(scope):
            return False
        started = time.perf_counter()
        status = 500
        try:
            try:
                pending = self.engine.reads.case_pending(principal, case_id, role=role, what="api")
                status = await _json(scope, send, (await durable(pending)).to_dict())
            except TredeError as exc:
                status = await self._refused(scope, send, exc)
        finally:
            self.metrics.observe(CASE_ROUTE, "GET", status, time.perf_counter() - started)
        return True

    async def _fire(self, scope: Scope, case_id: str, receive: Receive, send: Send) -> Receive | None:
        """None when answered; else the ``receive`` for the FastAPI route (the body replayed)."""
        started = time.perf_counter()
        principal = self._principal(scope, case_id)
        declared = _header(scope, b"content-length")
        if principal is None or not _json_body(scope) or url_refused(scope):
            return receive  # not plain: FastAPI reads the body (nothing was read here)
        if declared and (not declared.isdigit() or int(declared) > BODY_LIMIT):
            return receive  # edge.BodyLimit refuses it
        gathered, more, message = bytearray(), True, None  # extended in place: linear in the parts
        while more and len(gathered) <= BODY_LIMIT:
            message = await receive()
            if message["type"] != "http.request":
                break
            gathered += message.get("body", b"")
            more = bool(message.get("more_body", False))
        body = bytes(gathered)
        replay = _replaying(body, receive, more, message if message and message["type"] != "http.request" else None)
        if more or len(body) > BODY_LIMIT or body_refusal(_header(scope, b"content-type").encode("latin-1"), body) is not None:
            return replay
        try:
            given = Fire.model_validate(orjson.loads(body))  # as FastAPI validates the parsed body
        except (orjson.JSONDecodeError, ValidationError):
            return replay
        firing = Firing(given.trigger, given.role, dict(given.inputs), given.effective, given.expected_seq)
        status = 500
        try:
            try:
                pending = self.engine.cases.fire_and_show_pending(principal, case_id, firing, what="api")
                status = await _json(scope, send, (await durable(pending)).to_dict())
            except TredeError as exc:
                status = await self._refused(scope, send, exc)
        finally:
            self.metrics.observe(FIRE_ROUTE, "POST", status, time.perf_counter() - started)
        return None

    async def _refused(self, scope: Scope, send: Send, exc: TredeError) -> int:
        """The engine's refusal, as the FastAPI route answers it, with the security headers."""
        response = self.error(exc)

        async def framed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *security_headers(scope)]}
            await send(message)

        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, nothing, framed)
        return response.status_code

    def _principal(self, scope: Scope, case_id: str) -> Principal | None:
        """The principal of a bearer token this process remembers, as ``security.visitor``
        finds it; None for anything else (and for a case id longer than the route takes)."""
        if len(case_id) > LONGEST_ID:
            return None
        auth = _header(scope, b"authorization")
        if not auth.lower().startswith("bearer "):
            return None
        return self.engine.tokens.remembered(auth[7:].strip())



async def _json(scope: Scope, send: Send, content: object) -> int:
    """A 200 with ``content`` as JSON, as ``responses.json_answer`` and ``edge.SecurityHeaders``
    together answer it, serialised once and sent as two messages."""
    body = orjson.dumps(content, default=jsonable_encoder, option=JSON_OPTIONS)
    headers = [(b"content-length", str(len(body)).encode()), JSON_TYPE, *security_headers(scope)]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
    return 200


def _has_body(scope: Scope) -> bool:
    return any(key.lower() in (b"content-length", b"transfer-encoding") for key, _ in scope.get("headers") or ())


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return str(value.decode("latin-1"))  # the first, as Starlette's Headers.get
    return ""


def _json_body(scope: Scope) -> bool:
    return _header(scope, b"content-type").split(";", 1)[0].strip().lower() == "application/json"


def _role(query: bytes) -> tuple[bool, str | None]:
    """Whether the query is plain (none, or one valid ``role``: else the FastAPI route reads
    it), and the role it names."""
    if not query:
        return True, None
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if len(pairs) != 1 or pairs[0][0] != "role" or len(pairs[0][1]) > LONGEST_ROLE:
        return False, None
    return True, pairs[0][1]


def _replaying(body: bytes, receive: Receive, more: bool, last: Message | None) -> Receive:
    """A ``receive`` that gives the body read so far (``more``: the client sends more), then
    the message that ended the reading (``last``: a disconnect), then goes on with the
    client's own."""
    queued: list[Message] = [{"type": "http.request", "body": body, "more_body": more or last is not None}]
    if last is not None:
        queued.append(last)

    async def replay() -> Message:
        return queued.pop(0) if queued else await receive()

    return replay
