"""Holes found attacking the hot REST addresses in front of FastAPI (api/web/hot.py) and the
edge rules they share with it (api/web/edge.py), issue 31."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.bootstrap import App
from api.web.edge import NUL_REFUSED
from tests.integration.helpers import drive, open_gedrag, token_for


def test_a_nul_escaped_in_json_is_refused_at_the_edge_whatever_the_content_type_spelling(app: App, web: TestClient) -> None:
    """A media type is case-insensitive (RFC 9110 §8.3.1) and FastAPI reads the first
    Content-Type: ``Application/JSON`` and a second, other Content-Type got a ``\\u0000``
    past the edge (the hot route answered it; BodyLimit let it on), on to the engine."""
    case_id = open_gedrag(drive(app))
    auth = token_for(app, "juf.anna")
    assert web.get("/api/v1/cases", headers=auth).status_code == 200  # remembered: the hot route answers
    body = b'{"trigger": "hulp\\u0000"}'
    kinds = [
        [("Content-Type", "Application/JSON")],
        [("Content-Type", "application/json; charset=UTF-8"), ("Content-Type", "text/plain")],
        [("Content-Type", "APPLICATION/JSON"), ("Content-Type", "application/json")],
    ]
    for kind in kinds:
        for path in (f"/api/v1/cases/{case_id}/fire", f"/api/v1/cases/{case_id}/notes"):
            answered = web.post(path, headers=[*auth.items(), *kind], content=body)
            assert (answered.status_code, answered.json()["detail"]) == (422, NUL_REFUSED), (kind, path)
            assert answered.headers["cache-control"] == "no-store"
    assert len(drive(app).events(case_id)) == 1
