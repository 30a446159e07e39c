"""The migrations build exactly the schema the code declares, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from adapters.sql.database import alembic_config, init_database, is_initialised, make_engine
from adapters.sql.tables import SQLModel
from engine.clock import FixedClock
from engine.protocol.loader import load_protocol_file
from tests.conftest import PROEF, START, make_trede
from tests.support import Driver


def test_migrations_match_the_models(db: Engine) -> None:
    assert not is_initialised(db)
    assert init_database(db) is True
    with db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_init_is_idempotent_and_keeps_the_sandbox_flag(db: Engine) -> None:
    assert init_database(db, sandbox=True) is True
    assert init_database(db, sandbox=False) is False
    with db.connect() as conn:
        assert conn.execute(text("SELECT value FROM trede_meta WHERE key = 'sandbox'")).scalar() == "1"


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path: Path) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'trede.db'}")
    init_database(db)
    with db.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def _opened_and_reported(db: Engine, group: str | None = None) -> tuple[Driver, str]:
    trede = make_trede(db, FixedClock(START))
    trede.load_protocol(load_protocol_file(PROEF))
    case_id = trede.open_case(
        "proef-escalatie", school="de-linde", subject="Leerling-M1", actor="juf.anna", role="leerkracht", group=group
    ).id
    trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
    return trede, case_id


def _down_and_up(db: Engine, revision: str) -> None:
    with db.begin() as connection:
        config = alembic_config(db)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        command.upgrade(config, "head")


def _triggers(db: Engine) -> set[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        if db.dialect.name == "sqlite"
        else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    )
    with db.connect() as conn:
        return set(conn.execute(text(query)).scalars())


def test_upgrading_to_action_counts_fills_them_from_the_events(db: Engine) -> None:
    """Migration 0011 adds the counts; cases recorded before it must still verify."""
    trede, case_id = _opened_and_reported(db)
    assert trede.show(case_id).case.counts == {"melden": 1}
    _down_and_up(db, "0010")  # the schema before counts: the column is gone
    assert trede.show(case_id).case.counts == {"melden": 1}
    assert trede.verify(case_id).ok


def test_renaming_the_group_column_keeps_the_groups_and_the_guards(db: Engine) -> None:
    """Migration 0024 renames cases.groep to group in place: no copy of the table, so every
    guard trigger stays and a case keeps its group."""
    trede, case_id = _opened_and_reported(db, group="5a")
    guards = _triggers(db)
    assert "events_in_time" in guards  # named alike on both backends
    _down_and_up(db, "0023")
    assert _triggers(db) == guards
    assert trede.show(case_id).case.group == "5a"
    assert trede.verify(case_id).ok
    with pytest.raises(DBAPIError, match="niet toegestaan"), db.begin() as conn:
        conn.execute(text("UPDATE events SET actor = 'iemand' WHERE case_id = :c"), {"c": case_id})
