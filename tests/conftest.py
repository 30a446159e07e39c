"""Shared fixtures: a real SQLite file and a real PostgreSQL database per test.

PostgreSQL comes from TREDE_TEST_POSTGRES_URL (default: the local server with trust
auth). When it cannot be reached the PostgreSQL tests skip, unless
TREDE_REQUIRE_POSTGRES=1 (as in .ci/run), which turns that skip into a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from adapters.sql.database import make_engine
from engine.clock import FixedClock
from engine.protocol.loader import load_protocol_file
from engine.protocol.model import Protocol
from tests.support import Driver, make_driver

HERE = Path(__file__).parent
PROEF = HERE / "protocols" / "proef.yaml"
# The smallest protocol (one timer, one action): tests that vary its text start from it.
MINIMAL = (HERE / "protocols" / "minimal.yaml").read_text(encoding="utf-8")
PG_ADMIN_URL = os.environ.get("TREDE_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/postgres")
# Each run its own database, so two runs on one server never collide; dropped at the end.
PG_TEST_DB = f"trede_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def proef() -> Protocol:
    return load_protocol_file(PROEF)


def _postgres_unavailable(reason: str) -> None:
    if os.environ.get("TREDE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here but unavailable: {reason}")
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@contextmanager
def postgres_database(name: str, *also_drop: str) -> Iterator[str]:
    """A database of its own on the test server, created empty and dropped on leaving (with
    any databases a test derived from it, named in also_drop). Skips when the server cannot
    be reached (fails under TREDE_REQUIRE_POSTGRES=1)."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        _postgres_unavailable(str(exc.orig).strip().splitlines()[0])
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            for dropped in (name, *also_drop):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_database(PG_TEST_DB, f"{PG_TEST_DB}_restore") as url:
        yield url


def fresh_database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'trede.db'}"
    url: str = request.getfixturevalue("postgres_url")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database(request.param, tmp_path, request)


@pytest.fixture
def db(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def make_trede(db: Engine, clock: FixedClock, *, sandbox: bool = True) -> Driver:
    return make_driver(db, clock, sandbox=sandbox)


@pytest.fixture
def trede(db: Engine, clock: FixedClock, proef: Protocol) -> Driver:
    engine = make_trede(db, clock)
    engine.load_protocol(proef)
    return engine
