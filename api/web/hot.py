"""The REST API's two busiest addresses, answered without FastAPI's routing, request parsing
and dependency solving: ``GET /api/v1/cases/{case_id}`` and ``POST
/api/v1/cases/{case_id}/fire``.

On the benchmark machine (issue 30) FastAPI's layers were about a third of the event loop's
time for these requests, and the event loop, not the engine, bounded how many a process
answers. Only the plain request is answered here: a bearer token this process remembers
(``Tokens.remembered``), a case id and role of valid length, and for a fire a JSON object that
validates as the route's own ``Fire`` model. Anything else (a session cookie, a token not yet
looked up, another query parameter, a body that does not validate) goes on to the FastAPI
route, which answers it as it always did: its errors, in its words. What is answered here is
what that route answers: the same use case with the same principal (every access check, the
access log and masking happen there), the same JSON, and an engine error as the same
problem+json (``error``). The route's template is set on the scope, so metrics label it alike.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl

import orjson
from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web import rest
from api.web.responses import durable, json_answer
from api.web.rest import Fire
from engine.access import Principal
from engine.errors import TredeError
from engine.usecases import Engine
from engine.usecases.cases import Firing

CASE = re.compile(r"/api/v1/cases/([^/]+)")
FIRE = re.compile(r"/api/v1/cases/([^/]+)/fire")
CASE_ROUTE, FIRE_ROUTE = "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/fire"
LONGEST_ID, LONGEST_ROLE = 64, 100  # as the routes declare them (rest.CaseId, the role query)
# A read waits on the database only while it reads (its access-log commit is awaited on the
# event loop), so a few threads keep up; fewer threads hand the GIL around less.
READ_THREADS = 8


class HotRoutes:
    """Pure ASGI, just inside the application's own middlewares (see the module's doc)."""

    def __init__(self, app: ASGIApp, web: FastAPI, error: Callable[[TredeError], Response]) -> None:
        self.app = app
        self.web = web
        self.error = error
        self.routes: dict[str, APIRoute] = {}
        self.readers = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="trede-read")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith("/api/v1/cases/") and not scope.get("root_path"):
            method = scope["method"]
            if method == "GET" and (found := CASE.fullmatch(path)) and await self._case(scope, found[1], receive, send):
                return
            if method == "POST" and (found := FIRE.fullmatch(path)):
                onward = await self._fire(scope, found[1], receive, send)
                if onward is None:
                    return
                receive = onward
        await self.app(scope, receive, send)

    async def _case(self, scope: Scope, case_id: str, receive: Receive, send: Send) -> bool:
        principal = self._principal(scope, case_id)
        plain, role = _role(scope.get("query_string", b""))
        if principal is None or not plain:
            return False
        engine = self._engine()
        self._route(scope, CASE_ROUTE)
        read = functools.partial(engine.reads.case_pending, principal, case_id, role=role, what="api")
        try:
            pending = await asyncio.get_running_loop().run_in_executor(self.readers, read)
            response = json_answer((await durable(pending)).to_dict())
        except TredeError as exc:
            response = self.error(exc)
        await response(scope, receive, send)
        return True

    async def _fire(self, scope: Scope, case_id: str, receive: Receive, send: Send) -> Receive | None:
        """None when answered; else the ``receive`` for the FastAPI route (the body replayed)."""
        body, more, message = b"", True, None
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            more = bool(message.get("more_body", False))
        replay = _replaying(body, receive, message if more else None)  # a client gone mid-body: told after it
        principal = self._principal(scope, case_id)
        if more or principal is None or not _json(scope):
            return replay
        try:
            given = Fire.model_validate(orjson.loads(body))  # as FastAPI validates the parsed body
        except (orjson.JSONDecodeError, ValidationError):
            return replay
        engine = self._engine()
        self._route(scope, FIRE_ROUTE)
        firing = Firing(given.trigger, given.role, dict(given.inputs), given.effective, given.expected_seq)
        try:
            pending = engine.cases.fire_and_show_pending(principal, case_id, firing, what="api")
            response = json_answer((await durable(pending)).to_dict())
        except TredeError as exc:
            response = self.error(exc)
        await response(scope, replay, send)
        return None

    def _principal(self, scope: Scope, case_id: str) -> Principal | None:
        """The principal of a bearer token this process remembers, as ``security.visitor``
        finds it; None for anything else (and for a case id longer than the route takes)."""
        if len(case_id) > LONGEST_ID:
            return None
        auth = _header(scope, b"authorization")
        if not auth.lower().startswith("bearer "):
            return None
        return self._engine().tokens.remembered(auth[7:].strip())

    def _engine(self) -> Engine:
        engine: Engine = self.web.state.trede.engine
        return engine

    def _route(self, scope: Scope, template: str) -> None:
        """The FastAPI route this request would have matched: metrics label it by its template."""
        if not self.routes:
            self.routes = {r.path: r for r in rest.router.routes if isinstance(r, APIRoute)}
        scope["route"] = self.routes[template]


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return str(value.decode("latin-1"))  # the first, as Starlette's Headers.get
    return ""


def _json(scope: Scope) -> bool:
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


def _replaying(body: bytes, receive: Receive, last: Message | None) -> Receive:
    """A ``receive`` that gives the body read so far, then the message that ended the reading
    (``last``: a disconnect), then goes on with the client's own."""
    queued: list[Message] = [{"type": "http.request", "body": body, "more_body": last is not None}]
    if last is not None:
        queued.append(last)

    async def replay() -> Message:
        return queued.pop(0) if queued else await receive()

    return replay
