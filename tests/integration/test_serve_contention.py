"""32 REST clients firing on 5 cases against `trede serve --processes 2` on PostgreSQL
(issue 24): before, the two server processes deadlocked (503) and lost races (409) on a
group-commit batch's lock order. Fires name no expected_seq, so every one must succeed.
Bounded: a few seconds of traffic to loopback only; the server's output is shown on failure."""

from __future__ import annotations

import collections
import os
import socket
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from adapters.sql.database import init_database, make_engine
from api.bootstrap import bootstrap
from engine.access import OPERATOR, Membership
from engine.ports import SchoolRecord
from engine.protocol.loader import load_protocol_text
from tests.conftest import fresh_database
from tests.integration.test_contention import FACTS  # the one counting protocol of the contention tests
from tests.servers import started

ROOT = Path(__file__).parents[2]
CLIENTS, CASES, SECONDS = 32, 5, 4.0


@pytest.mark.postgres
def test_two_server_processes_on_postgresql_answer_every_concurrent_fire(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = fresh_database("postgresql", tmp_path, request)
    db = make_engine(url)
    init_database(db)
    db.dispose()
    app = bootstrap(url)
    app.engine.schools.save(OPERATOR, SchoolRecord("s", "Testschool", "b", "midden"))
    app.engine.protocols.load(OPERATOR, load_protocol_text(FACTS, "feiten.yaml"))
    app.engine.users.add("b", "Behandelaar", "b", "x" * 12, [Membership("handler")])
    token = app.engine.tokens.create("b", "test")
    handler = app.engine.users.principal("b")
    assert handler is not None
    ids = [app.engine.cases.open(handler, "feiten", school="s", subject=f"L{i}", role="handler").id for i in range(CASES)]
    app.db.dispose()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "api.cli", "--db", url, "serve", "--no-worker", "--processes", "2", "--port", str(port)]
    answers: collections.Counter[int] = collections.Counter()
    with started(args, cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "TREDE_DATABASE_URL"}) as server:
        server.wait_until_ready(f"http://127.0.0.1:{port}")
        lock = threading.Lock()
        end = time.monotonic() + SECONDS

        def client(n: int) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as http:
                i = 0
                while time.monotonic() < end:
                    case_id = ids[(n + i) % CASES]
                    answer = http.post(f"/api/v1/cases/{case_id}/fire", json={"trigger": "tellen", "inputs": {"stand": str(i)}})
                    with lock:
                        answers[answer.status_code] += 1
                    i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=SECONDS + 120)
        assert not any(t.is_alive() for t in threads), "a client hung\n" + server.output()[-3000:]
        output = server.stop()
    assert answers[200] > 0 and set(answers) == {200}, f"{dict(answers)}\n{output[-3000:]}"
    # every answered fire is stored, and every chain verifies
    app = bootstrap(url)
    events = sum(len(app.engine.reads.events(handler, c)) for c in ids)
    assert events == CASES + answers[200]
    assert all(v.ok for v in app.engine.reads.verify_all(OPERATOR))
    app.db.dispose()
