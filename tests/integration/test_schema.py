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


def test_proposals_keep_their_chain_and_guards_across_migration_0038(db: Engine) -> None:
    """Migration 0038 adds a proposal's base and person: steps recorded before it keep their
    hashes (the chain hashes the new fields only when set), the table keeps its guards, and
    0029 (chaining the steps) still runs on a table the model now has more columns for."""
    from engine.access import Membership, Principal
    from engine.usecases.checkpoints import proposal_chain_problems

    trede = make_trede(db, FixedClock(START))
    trede.load_protocol(load_protocol_file(PROEF))
    anna = Principal("anna", "Anna", (Membership("protocol_eigenaar"),))
    text_ = PROEF.read_text(encoding="utf-8").replace("title: Proefprotocol escalatie", "title: Herzien")
    trede.engine.proposals.propose(anna, text_, "proef.yaml")
    guards = _triggers(db)
    _down_and_up(db, "0028")  # before the chain: 0029 chains the step again, without a base
    assert _triggers(db) == guards
    with trede.uow() as uow:
        (step,) = uow.proposals.entries()
        assert step.base_version is None and step.person == "" and proposal_chain_problems([step]) == []
    trede.engine.proposals.propose(anna, text_.replace("Herzien", "Herzien 2"), "proef.yaml")
    with trede.uow() as uow:
        steps = uow.proposals.entries()
        assert [s.base_version for s in steps] == [None, 1] and proposal_chain_problems(steps) == []
    with pytest.raises(DBAPIError, match="niet toegestaan"), db.begin() as conn:
        conn.execute(text("UPDATE protocol_proposals SET actor = 'iemand'"))
