"""Timer workers as separate processes on PostgreSQL: every timer fires exactly once, also
when a worker is killed in the middle of a batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.clock import SystemClock
from adapters.sql.database import make_engine
from engine.protocol.loader import load_protocol_file
from tests.conftest import HERE, fresh_database
from tests.support import Driver as Engine
from tests.support import make_driver

ROOT = HERE.parent
pytestmark = pytest.mark.postgres


def prepared(url: str, cases: int) -> Engine:
    engine = make_driver(make_engine(url), SystemClock(), sandbox=False)
    engine.load_protocol(load_protocol_file(HERE / "protocols" / "timer-only.yaml"))
    three_days_ago = date.today() - timedelta(days=3)
    for i in range(cases):
        engine.open_case(
            "timer-only", school="s", subject=f"L{i}", actor="t", role="behandelaar", effective=three_days_ago
        )
    return engine


def worker(url: str, batch: int = 100) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--db", url, "worker", "--once", "--batch", str(batch), "--interval", "0.2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TREDE_LOG_LEVEL": "WARNING"},
    )


def fired_counts(url: str) -> tuple[int, int, int]:
    with make_engine(url).connect() as conn:
        fired = conn.execute(text("SELECT count(*) FROM events WHERE type = 'timer_fired'")).scalar() or 0
        twice = (
            conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT case_id FROM events WHERE type = 'timer_fired' GROUP BY case_id HAVING count(*) > 1) t"
                )
            ).scalar()
            or 0
        )
        waiting = conn.execute(text("SELECT count(*) FROM cases WHERE step = 'wacht'")).scalar() or 0
    return int(fired), int(twice), int(waiting)


def test_three_workers_fire_ten_thousand_timers_exactly_once(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = fresh_database("postgresql", tmp_path, request)
    engine = prepared(url, 10_000)
    workers = [worker(url) for _ in range(3)]
    for w in workers:
        assert w.wait(timeout=600) == 0, w.stderr.read() if w.stderr else ""
    assert fired_counts(url) == (10_000, 0, 0)
    assert all(v.ok for v in engine.verify_all())


def test_a_killed_worker_leaves_nothing_unfired_or_fired_twice(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = fresh_database("postgresql", tmp_path, request)
    engine = prepared(url, 3_000)
    victim, survivor = worker(url, batch=300), worker(url, batch=100)
    deadline = time.monotonic() + 120
    while fired_counts(url)[0] < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)  # in the middle of whatever batch it holds
    victim.wait(timeout=30)
    assert survivor.wait(timeout=600) == 0
    if fired_counts(url)[2]:  # the survivor may have finished before the victim's claim was released
        assert worker(url).wait(timeout=600) == 0
    assert fired_counts(url) == (3_000, 0, 0)
    assert all(v.ok for v in engine.verify_all())
