"""The versioned data beside the trail cannot be changed, removed or replaced in the database,
on SQLite and PostgreSQL: a board's meldpunt triage versions (migration 0035) and a school's
imported monitor results (0034), with the SQLite REPLACE guard (and PostgreSQL's TRUNCATE guard
on the monitor results) that migration 0037 adds, as every append-only table has since 0013."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from api.bootstrap import App
from engine.access import OPERATOR
from tests.support import person

TRIAGE = Path(__file__).parents[2] / "protocols" / "categorieen" / "meldpunt.yaml"


def _count(db: Engine, table: str) -> int:
    with db.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_triage_and_monitor_versions_cannot_be_changed_removed_or_replaced(app: App, db: Engine) -> None:
    app.engine.triage.load(OPERATOR, TRIAGE.read_text(encoding="utf-8"), TRIAGE.name)
    head = "school;schooljaar;instrument;indicator;score;eenheid;respondenten\n"
    app.engine.evaluations.import_monitor(
        person("dhr.bos", "directeur", school="de-linde"), head + "de-linde;2025-2026;Monitor;Voelt zich veilig;91,5;percentage;40\n", "m.csv"
    )
    postgres = db.dialect.name == "postgresql"
    statements = {
        "meldpunt_triage": [
            "UPDATE meldpunt_triage SET text = 'vervalst'",
            "DELETE FROM meldpunt_triage",
            "INSERT INTO meldpunt_triage SELECT * FROM meldpunt_triage ON CONFLICT (id) DO UPDATE SET text = 'vervalst'"
            if postgres else "REPLACE INTO meldpunt_triage SELECT * FROM meldpunt_triage",
            # a new row under a version's key (board, version): another text for that version
            ("INSERT INTO" if postgres else "INSERT OR REPLACE INTO")
            + " meldpunt_triage (board, version, content_hash, text, file, loaded_at) "
            "SELECT board, version, content_hash, 'vervalst', file, loaded_at FROM meldpunt_triage"
            + (" ON CONFLICT (board, version) DO UPDATE SET text = 'vervalst'" if postgres else ""),
        ],
        "monitor_results": [
            "UPDATE monitor_results SET rows = '[]'",
            "DELETE FROM monitor_results",
            "INSERT INTO monitor_results SELECT * FROM monitor_results "
            "ON CONFLICT (school, school_year, version) DO UPDATE SET rows = '[]'"
            if postgres else "REPLACE INTO monitor_results SELECT * FROM monitor_results",
            *(["TRUNCATE monitor_results", "TRUNCATE meldpunt_triage"] if postgres else []),
        ],
    }
    for table, refused in statements.items():
        kept = _count(db, table)
        assert kept == 1
        for statement in refused:
            with pytest.raises(DBAPIError, match="trede"), db.begin() as conn:
                conn.execute(text(statement))
        assert _count(db, table) == kept
    with db.connect() as conn:
        assert "vervalst" not in conn.execute(text("SELECT text FROM meldpunt_triage")).scalar_one()
