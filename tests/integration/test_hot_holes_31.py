"""Holes found attacking the hot REST addresses in front of FastAPI (api/web/hot.py) and the
edge rules they share with it (api/web/edge.py), issue 31."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.bootstrap import App
from api.web import served_app
from api.web.edge import NOT_UTF8_JSON, NUL_REFUSED
from engine.clock import FixedClock
from engine.commits import GroupCommit
from tests.integration.helpers import drive, open_gedrag, token_for
from tests.integration.test_access_log_melder import MELDER, Scenario
from tests.support import Driver, make_engine


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


@pytest.fixture
def melder(trede: Driver, db: Engine, clock: FixedClock) -> Scenario:
    """A member of staff who is melder in two reports and leerkracht of a group (issue 22)."""
    return Scenario(trede, db, clock)


def test_a_melders_masked_read_never_shares_a_commit_with_their_named_reads(melder: Scenario) -> None:
    """A view in a reporting role goes to the melders' log in a commit after the read's
    (read_logged): but whatever this person's named reads were queued meanwhile went into
    that same commit (one transaction: on PostgreSQL one xmin for both rows), tying the
    masked row's commitment to their name. The masked row is committed apart (with other masked rows only)."""
    engine = melder.app.engine
    me = melder.who(MELDER)
    commits = engine.services.commits
    batches: list[tuple[int, int]] = []  # per commit: the melder's named rows, masked rows
    run_batch = commits._commit

    def counted(batch: Any) -> None:
        before = _rows(melder)
        run_batch(batch)
        after = _rows(melder)
        batches.append((after[0] - before[0], after[1] - before[1]))

    commits._commit = counted  # type: ignore[method-assign]
    first, second = _Holder(commits), _Holder(commits)
    first.hold()
    assert first.started.wait(10)
    masked = engine.reads.case_pending(me, melder.reports[0], what="api")  # the next batch
    second.hold()  # in that batch, keeping it open
    first.released.set()
    assert second.started.wait(10)
    named = engine.reads.case_pending(me, melder.taught, what="api")  # queued while it runs
    second.released.set()
    masked.result()
    named.result()
    for _ in range(1000):  # each batch is counted after its commit: wait for the last count
        if (sum(n for n, _ in batches), sum(m for _, m in batches)) == (1, 1):
            break
        threading.Event().wait(0.01)
    assert (sum(n for n, _ in batches), sum(m for _, m in batches)) == (1, 1), batches
    assert all(not (n and m) for n, m in batches), batches
    # masked rows still share a commit with each other: a flood of them is no commit each
    batches.clear()
    third = _Holder(commits)
    third.hold()
    assert third.started.wait(10)
    pending = [engine.reads.case_pending(me, case_id, what="api") for case_id in (*melder.reports, melder.taught)]
    third.released.set()
    for read in pending:
        read.result()
    for _ in range(1000):
        if sum(m for _, m in batches) == 2:
            break
        threading.Event().wait(0.01)
    assert [b for b in batches if b != (0, 0)] == [(1, 0), (0, 2)], batches


class _Holder:
    """A piece of work that keeps its batch open until released."""

    def __init__(self, commits: GroupCommit) -> None:
        self.commits, self.started, self.released = commits, threading.Event(), threading.Event()

    def hold(self) -> None:
        def holding(uow: object) -> None:
            self.started.set()
            self.released.wait(10)

        self.commits.submit(holding)


def _rows(scenario: Scenario) -> tuple[int, int]:
    with scenario.db.connect() as conn:
        named = conn.execute(text("SELECT count(*) FROM access_log WHERE username = :u"), {"u": MELDER}).scalar_one()
        masked = conn.execute(text("SELECT count(*) FROM reporter_access_log")).scalar_one()
    return int(named), int(masked)


def test_the_melders_log_key_in_use_is_the_one_stored(app: App) -> None:
    """The key of the melders' log is made on first use, in the transaction of the first
    masked view (``Services.reader``), and was remembered at once. When that transaction did
    not commit (a batch redone with savepoints, a failed commit), this process went on using
    a key the database never stored: its masked rows carry commitments that a restarted
    process (which makes a new key) can no longer find for the melder's own access request."""
    services = app.engine.services
    with services.uow(write=True) as uow:
        services.reader(uow, MELDER)  # made here; this transaction is rolled back
    with services.uow(write=True) as uow:
        used = services.reader(uow, MELDER)
        uow.commit()
    restarted = make_engine(app.db, services.clock).services
    with restarted.uow(write=True) as uow:
        assert restarted.reader(uow, MELDER) == used
