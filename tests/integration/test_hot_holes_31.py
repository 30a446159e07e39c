"""Holes found attacking the hot REST addresses in front of FastAPI (api/web/hot.py) and the
edge rules they share with it (api/web/edge.py), issue 31."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.bootstrap import App
from api.web import served_app
from api.web.edge import NOT_UTF8_JSON, NUL_REFUSED
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


def test_a_lone_surrogate_in_an_input_name_is_refused_not_a_server_error(app: App) -> None:
    """JSON may escape half of a UTF-16 pair (``\\ud800``); Python's parser (FastAPI's route,
    where the hot route's parser refuses it) gives a string no encoder can write. pydantic
    refuses it in a value, not in a key of ``inputs``: the engine named the unknown field in
    its error, and the problem+json answer could not be encoded (a 500 without the security
    headers). The edge refuses it as it refuses JSON that is not UTF-8: both parsers alike."""
    case_id = open_gedrag(drive(app))
    auth = token_for(app, "juf.anna")
    json_type = {**auth, "Content-Type": "application/json"}
    with TestClient(served_app(app), base_url="https://testserver", raise_server_exceptions=False) as web:
        assert web.get("/api/v1/cases", headers=auth).status_code == 200
        for path, body in [
            (f"/api/v1/cases/{case_id}/fire", b'{"trigger": "hulp_vragen", "inputs": {"a\\ud800": "x"}}'),
            (f"/api/v1/cases/{case_id}/fire", b'{"trigger": "hulp_vragen", "inputs": {"\\udfff": "x"}}'),
            (f"/api/v1/cases/{case_id}/notes", b'{"text": "\\ud83d\\ud83d\\ude00"}'),
            ("/api/v1/cases", b'{"protocol": "grensoverschrijdend-gedrag", "school": "de-linde", "subject": "L-1", '
             b'"group": "5a", "inputs": {"x\\ud83d": "y"}}'),
        ]:
            answered = web.post(path, headers=json_type, content=body)
            assert (answered.status_code, answered.json()["detail"]) == (400, NOT_UTF8_JSON), (path, answered.text)
            assert answered.headers["content-type"] == "application/problem+json"
            assert answered.headers["cache-control"] == "no-store"
        # a whole pair (an emoji) is a character like any other
        noted = web.post(f"/api/v1/cases/{case_id}/notes", headers=json_type, content=b'{"text": "goed \\ud83d\\ude00"}')
        assert noted.status_code == 201, noted.text
    assert [e.type for e in drive(app).events(case_id)][1:] == ["note_added"]  # only the note
