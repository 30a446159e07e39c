"""Each board's meldpunt triage data, in versions (issue 29; engine/triage.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, select, text

from adapters.sql.tables import TriageRow
from engine.triage import Triage, parse_triage, versioned

TRIAGE = TriageRow.__table__  # type: ignore[attr-defined]
TRIAGE_LOCK = 7410  # two loads for one board at once number on one after the other


class SqlTriage:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, triage: Triage, file: str, loaded_at: datetime) -> int | None:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(text(f"SELECT pg_advisory_xact_lock({TRIAGE_LOCK})"))
        own = TRIAGE.c.board == triage.board
        if self.conn.execute(select(TRIAGE.c.version).where(own, TRIAGE.c.content_hash == triage.content_hash)).first():
            return None
        version = int(self.conn.execute(select(func.coalesce(func.max(TRIAGE.c.version), 0)).where(own)).scalar_one()) + 1
        self.conn.execute(
            insert(TRIAGE).values(
                board=triage.board, version=version, content_hash=triage.content_hash, text=triage.text,
                file=file, loaded_at=loaded_at,
            )
        )
        return version

    def latest(self, board: str) -> Triage | None:
        row = self.conn.execute(
            select(TRIAGE).where(TRIAGE.c.board == board).order_by(TRIAGE.c.version.desc()).limit(1)
        ).first()
        if row is None:
            return None
        # validated when it was loaded: read back without the board's roles and schools
        return versioned(parse_triage(row.text, row.file), row.version, row.content_hash, row.loaded_at)
