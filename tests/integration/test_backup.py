"""Backups restore to a database whose every case still verifies."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.calendar_nl import DutchCalendar
from adapters.clock import SystemClock
from adapters.sql.database import backup_sqlite, make_engine
from adapters.sql.uow import SqlUnitOfWorkFactory
from engine.access import OPERATOR
from engine.clock import FixedClock
from engine.protocol.model import Protocol
from engine.usecases import Engine
from tests.conftest import PG_ADMIN_URL, fresh_database, make_trede
from tests.support import Driver as Trede


def verified_cases(url: str) -> list[tuple[str, bool]]:
    engine = Engine.create(uow=SqlUnitOfWorkFactory(make_engine(url)), clock=SystemClock(), calendar=DutchCalendar())
    return [(v.case_id, v.ok) for v in engine.reads.verify_all(OPERATOR)]


def with_cases(trede: Trede) -> list[str]:
    ids = []
    for n in range(3):
        case = trede.open_case("proef-escalatie", school="s", subject=f"Leerling-{n}", actor="a", role="leerkracht")
        trede.fire(case.id, "melden", actor="a", role="leerkracht", inputs={"ernst": "ernstig"})
        ids.append(case.id)
    return ids


def test_sqlite_online_backup_restores(tmp_path: Path, clock: FixedClock, proef: Protocol) -> None:
    db_url = f"sqlite:///{tmp_path / 'trede.db'}"
    trede = make_trede(make_engine(db_url), clock)
    trede.load_protocol(proef)
    ids = with_cases(trede)
    copy = tmp_path / "kopie.db"
    backup_sqlite(make_engine(db_url), copy)
    restored = verified_cases(f"sqlite:///{copy}")
    assert sorted(restored) == sorted((i, True) for i in ids)


@pytest.mark.postgres
def test_pg_dump_and_restore(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FixedClock, proef: Protocol
) -> None:
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is needed for this test")
    db_url = fresh_database("postgresql", tmp_path, request)
    trede = make_trede(make_engine(db_url), clock)
    trede.load_protocol(proef)
    ids = with_cases(trede)
    source = make_url(db_url)
    target = source.set(database=f"{source.database}_restore")
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}"'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    libpq = source.set(drivername="postgresql").render_as_string(hide_password=False)
    dump = subprocess.run(["pg_dump", "--format=custom", "--dbname", libpq], check=True, capture_output=True).stdout
    restore_url = target.set(drivername="postgresql").render_as_string(hide_password=False)
    subprocess.run(["pg_restore", "--no-owner", "--dbname", restore_url], input=dump, check=True, capture_output=True)
    restored = verified_cases(target.render_as_string(hide_password=False))
    assert sorted(restored) == sorted((i, True) for i in ids)
