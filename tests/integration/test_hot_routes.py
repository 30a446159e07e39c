"""The hot REST addresses (api/web/hot.py) answer as the FastAPI routes do: the same status,
headers and JSON, the same Dutch errors, an access-log row for every read; and whatever is
not a plain request goes on to the FastAPI route with its body intact."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.responses import Response
from fastapi.testclient import TestClient
from prometheus_client import generate_latest
from sqlalchemy import text
from starlette.types import Receive, Scope, Send

from api.bootstrap import App
from api.web import _api_problem, create_app, served_app
from api.web.edge import BODY_LIMIT
from api.web.hot import HotRoutes
from api.web.metrics import Metrics
from tests.integration.helpers import drive, open_gedrag, token_for

HEADERS = (
    "content-type", "content-length", "cache-control", "x-content-type-options", "content-security-policy",
    "referrer-policy", "x-frame-options", "strict-transport-security",
)


@pytest.fixture
def both(app: App) -> Iterator[tuple[TestClient, TestClient]]:
    """The application with the hot routes, and without them, on one engine and database."""
    with (
        TestClient(served_app(app), base_url="https://testserver") as hot,
        TestClient(create_app(app), base_url="https://testserver") as plain,
    ):
        yield hot, plain


def _answer(response: Any) -> tuple[int, dict[str, str], Any]:
    return response.status_code, {h: response.headers.get(h) for h in HEADERS}, response.json()


def _logged(app: App) -> int:
    with app.db.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM access_log WHERE what = 'api'")).scalar_one())


def test_reads_and_refusals_are_answered_alike_and_every_read_is_logged(app: App, both: tuple[TestClient, TestClient]) -> None:
    hot, plain = both
    case_id = open_gedrag(drive(app))
    elsewhere = open_gedrag(drive(app), "het-anker", "3b")
    auth = token_for(app, "juf.anna")
    assert hot.get("/api/v1/cases", headers=auth).status_code == 200  # the token looked up, and remembered
    served = hot.app
    assert isinstance(served, HotRoutes)
    onward, went_on = served.onward, []

    async def counted(scope: Scope, receive: Receive, send: Send) -> None:
        went_on.append(scope.get("path"))
        await onward(scope, receive, send)

    served.onward = counted
    paths = [
        f"/api/v1/cases/{case_id}",
        f"/api/v1/cases/{case_id}?role=leerkracht",
        f"/api/v1/cases/{case_id}?role=directeur",  # a role not held: ignored when reading
        f"/api/v1/cases/{case_id}?role=" + "r" * 101,  # too long: FastAPI's 422
        f"/api/v1/cases/{case_id}?role=leerkracht&role=directeur",
        "/api/v1/cases/bestaat-niet",
        "/api/v1/cases/" + "x" * 65,
        f"/api/v1/cases/{elsewhere}",  # not hers to see: not found
        f"/api/v1/cases/{case_id}?role=%00",  # a NUL: edge.BodyLimit's refusal
    ]
    answered_here = []
    for path in paths:
        before = _logged(app)
        went_on.clear()
        answered = _answer(hot.get(path, headers=auth))
        answered_here.append(not went_on)
        assert _logged(app) == before + (answered[0] == 200), path
        assert answered == _answer(plain.get(path, headers=auth)), path
        assert _logged(app) == before + 2 * (answered[0] == 200), path
    statuses = [_answer(plain.get(p, headers=auth))[0] for p in paths]
    assert statuses == [200, 200, 200, 422, 200, 404, 422, 404, 422]
    # the plain requests were answered in front of FastAPI; the rest went on to its route
    assert answered_here == [True, True, True, False, False, True, False, True, False]
    figures = generate_latest(served.metrics.registry).decode()  # one registry: the hot routes and FastAPI's middleware
    assert 'trede_requests_total{method="GET",route="/api/v1/cases/{case_id}",status="200"} 4.0' in figures
    assert 'trede_requests_total{method="GET",route="/api/v1/cases/{case_id}",status="404"} 2.0' in figures


def test_fires_are_refused_alike_and_a_fire_answers_the_case_as_then_shown(app: App, both: tuple[TestClient, TestClient]) -> None:
    hot, plain = both
    case_id = open_gedrag(drive(app))
    auth = token_for(app, "juf.anna")
    assert hot.get("/api/v1/cases", headers=auth).status_code == 200
    fire = f"/api/v1/cases/{case_id}/fire"
    refused: list[tuple[str, dict[str, Any]]] = [
        (fire, {"json": {"trigger": "samen_oplossen"}}),  # not from this step: 409 naming what is allowed
        (fire, {"json": {"trigger": "hulp_vragen", "expected_seq": 7}}),  # stale
        (fire, {"json": {"trigger": "hulp_vragen", "role": "directeur"}}),  # a role she does not hold: 403
        (fire, {"json": {"trigger": "t" * 201}}),  # FastAPI's validation, in Dutch
        (fire, {"json": {"trigger": "hulp_vragen", "inputs": {"a": 1}}}),
        (fire, {"json": ["hulp_vragen"]}),
        (fire, {"content": b"{niet json", "headers": {"Content-Type": "application/json"}}),
        (fire, {"content": b'{"trigger": "hulp_vragen"}', "headers": {"Content-Type": "text/plain"}}),
        ("/api/v1/cases/bestaat-niet/fire", {"json": {"trigger": "hulp_vragen"}}),
        (fire, {"content": b'{"trigger": "hulp\\u0000"}', "headers": {"Content-Type": "application/json"}}),  # NUL
        (fire, {"content": b'{"trigger": "\xff"}', "headers": {"Content-Type": "application/json"}}),  # not UTF-8
        (fire, {"content": b'{"trigger": "' + b"a" * BODY_LIMIT + b'"}', "headers": {"Content-Type": "application/json"}}),
    ]
    statuses = []
    for path, request in refused:
        headers = {**auth, **request.pop("headers", {})}
        answered = _answer(hot.post(path, headers=headers, **request))
        assert answered == _answer(plain.post(path, headers=headers, **request)), (path, request)
        statuses.append(answered[0])
    assert statuses == [409, 409, 403, 422, 422, 422, 422, 422, 404, 422, 400, 413]
    assert len(drive(app).events(case_id)) == 1  # nothing was recorded
    for client in (hot, plain):
        action = {"trigger": "hulp_vragen"} if client is hot else {"trigger": "samen_oplossen", "inputs": {"motivering": "x"}}
        fired = client.post(fire, headers=auth, json=action)
        assert fired.status_code == 200
        assert fired.json() == plain.get(f"/api/v1/cases/{case_id}", headers=auth).json()
    assert [e.trigger for e in drive(app).events(case_id)][1:] == ["hulp_vragen", "samen_oplossen"]


def test_what_is_not_plain_goes_on_to_the_fastapi_route_with_its_body(app: App, web: TestClient) -> None:
    case_id = open_gedrag(drive(app))
    auth = token_for(app, "juf.anna")
    assert web.get("/api/v1/cases", headers=auth).status_code == 200  # remembered
    unknown = {"Authorization": "Bearer trd_onbekend"}
    went_on: list[tuple[str, bytes]] = []

    async def route(scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        went_on.append((scope["path"], message.get("body", b"")))
        await Response(b"verder", status_code=299)(scope, receive, send)

    hot = HotRoutes(route, engine=app.engine, metrics=Metrics(app.engine), error=_api_problem)
    stand_in = TestClient(hot, base_url="https://testserver")
    body = b'{"trigger": "hulp_vragen"}'
    json_body = {**auth, "Content-Type": "application/json"}
    onward = [
        ("GET", f"/api/v1/cases/{case_id}", unknown, b""),
        ("GET", f"/api/v1/cases/{case_id}?q=1", auth, b""),
        ("GET", f"/api/v1/cases/{case_id}/events", auth, b""),
        ("POST", f"/api/v1/cases/{case_id}/fire", {**json_body, **unknown}, body),
        ("POST", f"/api/v1/cases/{case_id}/fire", {**auth, "Content-Type": "text/plain"}, body),
        ("POST", f"/api/v1/cases/{case_id}/fire", json_body, b'{"trigger": 5}'),
        ("PUT", f"/api/v1/cases/{case_id}/fire", json_body, body),
        ("GET", f"/api/v1/cases/{case_id}?role=%00", auth, b""),  # a NUL in the address
        ("GET", f"/api/v1/cases/{case_id}", auth, b"x"),  # a read with a body
        ("POST", f"/api/v1/cases/{case_id}/fire", json_body, b'{"trigger": "hulp\\u0000"}'),  # a NUL escaped
        ("POST", f"/api/v1/cases/{case_id}/fire", json_body, b'{"trigger": "\xff"}'),  # not UTF-8
        ("POST", f"/api/v1/cases/{case_id}/fire", json_body, b'{"trigger": "' + b"a" * BODY_LIMIT + b'"}'),  # too large
    ]
    for method, path, headers, content in onward:
        went_on.clear()
        answered = stand_in.request(method, path, headers=headers, content=content)
        assert answered.status_code == 299 and went_on == [(path.split("?")[0], content)], (method, path)
    went_on.clear()
    assert stand_in.get(f"/api/v1/cases/{case_id}", headers=auth).status_code == 200
    assert stand_in.post(f"/api/v1/cases/{case_id}/fire", headers=json_body, content=body).status_code == 200
    assert went_on == []  # answered by the hot routes themselves
