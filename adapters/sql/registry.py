"""Repositories for what the engine reads beside cases: schools and the access log."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update

from adapters.sql.tables import AccessLogRow, SchoolRow
from engine.ports import AccessEntry, SchoolRecord

SCHOOLS = SchoolRow.__table__  # type: ignore[attr-defined]
ACCESS = AccessLogRow.__table__  # type: ignore[attr-defined]


class SqlSchools:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, school_id: str) -> SchoolRecord | None:
        row = self.conn.execute(select(SCHOOLS).where(SCHOOLS.c.id == school_id)).first()
        return _school(row) if row else None

    def list(self) -> list[SchoolRecord]:
        return [_school(r) for r in self.conn.execute(select(SCHOOLS).order_by(SCHOOLS.c.id))]

    def save(self, school: SchoolRecord) -> None:
        values = dict(school.__dict__)
        if self.get(school.id) is None:
            self.conn.execute(insert(SCHOOLS).values(**values))
        else:
            self.conn.execute(update(SCHOOLS).where(SCHOOLS.c.id == school.id).values(**values))


class SqlAccessLog:
    """Append-only (the database refuses UPDATE and DELETE)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_many(self, entries: Sequence[AccessEntry]) -> None:
        if entries:
            self.conn.execute(insert(ACCESS), [e.__dict__ for e in entries])

    def list(self, schools: Collection[str] | None, case_id: str | None = None, limit: int = 500) -> list[AccessEntry]:
        query = select(ACCESS).order_by(ACCESS.c.id.desc()).limit(limit)
        if schools is not None:
            query = query.where(ACCESS.c.school.in_(sorted(schools)))
        if case_id:
            query = query.where(ACCESS.c.case_id == case_id)
        return [AccessEntry(r.at, r.username, r.roles, r.case_id, r.school, r.what) for r in self.conn.execute(query)]


def _school(row: Any) -> SchoolRecord:
    return SchoolRecord(
        row.id, row.name, row.board, row.region, row.denominatie, row.sector, row.address, row.board_name, row.board_address
    )
