"""The migrations build exactly the schema the code declares, on both backends."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from adapters.sql.database import init_database, is_initialised, make_engine
from adapters.sql.tables import SQLModel


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
