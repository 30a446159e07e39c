"""The monitor results a school imported, versioned per school and school year (issue 28)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from adapters.sql.tables import MonitorResultRow
from engine.evaluation import MonitorImport

MONITOR = MonitorResultRow.__table__  # type: ignore[attr-defined]


class SqlMonitor:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, imported: MonitorImport, at: datetime, by: str) -> int | None:
        latest = self.latest(imported.school, imported.school_year)
        if latest is not None and latest.content_hash == imported.content_hash:
            return None
        version = (latest.version if latest else 0) + 1
        self.conn.execute(insert(MONITOR).values(
            school=imported.school, school_year=imported.school_year, version=version, rows=imported.rows_json(),
            file=imported.file[:200], content_hash=imported.content_hash, imported_at=at, imported_by=by,
        ))
        return version

    def latest(self, school: str, school_year: str) -> MonitorImport | None:
        row = self.conn.execute(
            select(MONITOR).where(MONITOR.c.school == school, MONITOR.c.school_year == school_year)
            .order_by(MONITOR.c.version.desc()).limit(1)
        ).first()
        if row is None:
            return None
        return MonitorImport.from_json(row.school, row.school_year, row.rows, row.file, row.content_hash, row.version,
                                       row.imported_by)
