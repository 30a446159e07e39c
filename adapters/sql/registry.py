"""Repositories for what the engine reads beside cases: schools, people's names, the access
log, checkpoints."""

from __future__ import annotations

import builtins
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text, update

from adapters.sql.chains import REPORTER_LOCK, advisory_lock, linked
from adapters.sql.driver import DriverCases
from adapters.sql.incidents import append_incidents
from adapters.sql.tables import (
    AccessLogRow,
    CheckpointRow,
    ReporterAccessLogRow,
    SafetyRoleRow,
    SchoolLogoRow,
    SchoolRow,
    UserRow,
)
from engine.checkpoints import ACCESS_GENESIS, reporter_chain
from engine.incidents import IncidentEntry
from engine.ports import (
    AccessEntry,
    ChainedAccess,
    ChainedReporterEntry,
    ReporterEntry,
    ReporterViews,
    SchoolLogo,
    SchoolRecord,
    StoredCheckpoint,
)
from engine.safety_roles import SafetyRole

SCHOOLS = SchoolRow.__table__  # type: ignore[attr-defined]
LOGOS = SchoolLogoRow.__table__  # type: ignore[attr-defined]
SAFETY = SafetyRoleRow.__table__  # type: ignore[attr-defined]
ACCESS = AccessLogRow.__table__  # type: ignore[attr-defined]
CHECKPOINTS = CheckpointRow.__table__  # type: ignore[attr-defined]
REPORTER = ReporterAccessLogRow.__table__  # type: ignore[attr-defined]
USERS = UserRow.__table__  # type: ignore[attr-defined]


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

    def logo(self, school_id: str) -> SchoolLogo | None:
        row = self.conn.execute(select(LOGOS).where(LOGOS.c.school == school_id)).first()
        if row is None:
            return None
        return SchoolLogo(
            row.school, row.media_type, bytes(row.content), row.width, row.height, row.uploaded_at, row.uploaded_by
        )

    def save_logo(self, logo: SchoolLogo) -> None:
        values = {
            "media_type": logo.media_type,
            "width": logo.width,
            "height": logo.height,
            "content": logo.content,
            "uploaded_at": logo.uploaded_at,
            "uploaded_by": logo.uploaded_by,
        }
        if not self.conn.execute(update(LOGOS).where(LOGOS.c.school == logo.school).values(**values)).rowcount:
            self.conn.execute(insert(LOGOS).values(school=logo.school, **values))

    def remove_logo(self, school_id: str) -> bool:
        return bool(self.conn.execute(delete(LOGOS).where(LOGOS.c.school == school_id)).rowcount)

    def safety_roles(self, school_id: str) -> builtins.list[SafetyRole]:
        rows = self.conn.execute(select(SAFETY).where(SAFETY.c.school == school_id).order_by(SAFETY.c.position))
        return [SafetyRole(r.school, r.role, r.name, r.contact, bool(r.published)) for r in rows]

    def save_safety_roles(self, school_id: str, roles: Sequence[SafetyRole]) -> None:
        self.conn.execute(delete(SAFETY).where(SAFETY.c.school == school_id))
        if roles:
            self.conn.execute(
                insert(SAFETY),
                [
                    {"school": school_id, "position": i, "role": r.role, "name": r.name, "contact": r.contact, "published": r.published}
                    for i, r in enumerate(roles)
                ],
            )


class PendingChains:
    """Rows for the two hash-chained logs, held until the unit of work commits and then
    appended: access log first, melders' log second. Each log is extended under an advisory
    lock held to the commit; taken last, that lock is never held while the transaction waits
    for another lock, so it cannot close a deadlock (engine/commits.py, lock order)."""

    def __init__(self) -> None:
        self.access: list[AccessEntry] = []
        self.reporter: list[ReporterEntry] = []
        self.incidents: list[IncidentEntry] = []  # the incident log (issue 28), chained first

    def mark(self) -> tuple[int, int, int]:
        return len(self.access), len(self.reporter), len(self.incidents)

    def undo(self, mark: tuple[int, int, int]) -> None:
        del self.access[mark[0] :]
        del self.reporter[mark[1] :]
        del self.incidents[mark[2] :]

    def write(self, conn: Connection) -> None:
        access, reporter, incidents = self.access, self.reporter, list(self.incidents)
        self.access, self.reporter = [], []
        self.incidents.clear()  # the same list: the unit of work's repository holds it
        if incidents:
            append_incidents(conn, incidents)
        if access:
            DriverCases(conn).append_access(access)
        if reporter:
            _append_reporter(conn, reporter)


class SqlAccessLog:
    """Append-only (the database refuses UPDATE and DELETE)."""

    def __init__(self, conn: Connection, pending: PendingChains | None = None) -> None:
        self.conn = conn
        self.pending = pending

    def add_many(self, entries: Sequence[AccessEntry]) -> None:
        if not entries:
            return
        if self.pending is not None:
            self.pending.access.extend(entries)
        else:
            DriverCases(self.conn).append_access(entries)

    def chain(self) -> list[ChainedAccess]:
        rows = self.conn.execute(select(ACCESS).order_by(ACCESS.c.id))
        return [
            ChainedAccess(r.id, AccessEntry(r.at, r.username, r.roles, r.case_id, r.school, r.what), r.prev_hash, r.hash)
            for r in rows
        ]

    def of_user(self, username: str, schools: Collection[str] | None) -> list[AccessEntry]:
        query = select(ACCESS).where(ACCESS.c.username == username).order_by(ACCESS.c.id)
        if schools is not None:
            query = query.where(ACCESS.c.school.in_(sorted(schools)))
        return [AccessEntry(r.at, r.username, r.roles, r.case_id, r.school, r.what) for r in self.conn.execute(query)]

    def list(self, schools: Collection[str] | None, case_id: str | None = None, limit: int = 500) -> list[AccessEntry]:
        query = select(ACCESS).order_by(ACCESS.c.id.desc()).limit(limit)
        if schools is not None:
            query = query.where(ACCESS.c.school.in_(sorted(schools)))
        if case_id:
            query = query.where(ACCESS.c.case_id == case_id)
        return [AccessEntry(r.at, r.username, r.roles, r.case_id, r.school, r.what) for r in self.conn.execute(query)]


class SqlReporterLog:
    """The melders' access log: its own chain, append-only (the database refuses UPDATE and DELETE)."""

    def __init__(self, conn: Connection, pending: PendingChains | None = None) -> None:
        self.conn = conn
        self.pending = pending

    def add_many(self, entries: Sequence[ReporterEntry]) -> None:
        if not entries:
            return
        if self.pending is not None:
            self.pending.reporter.extend(entries)
        else:
            _append_reporter(self.conn, entries)

    def chain(self) -> list[ChainedReporterEntry]:
        rows = self.conn.execute(select(REPORTER).order_by(REPORTER.c.id))
        return [ChainedReporterEntry(r.id, _reporter(r), r.prev_hash, r.hash) for r in rows]

    def counts(self, schools: Collection[str] | None, case_id: str | None, before: date) -> list[ReporterViews]:
        query = (
            select(REPORTER.c.case_id, REPORTER.c.school, REPORTER.c.roles, func.count())
            .where(REPORTER.c.day < before)
            .group_by(REPORTER.c.case_id, REPORTER.c.school, REPORTER.c.roles)
            .order_by(REPORTER.c.case_id, REPORTER.c.roles)
        )
        if schools is not None:
            query = query.where(REPORTER.c.school.in_(sorted(schools)))
        if case_id:
            query = query.where(REPORTER.c.case_id == case_id)
        return [ReporterViews(c, s, r, int(n)) for c, s, r, n in self.conn.execute(query)]

    def of_reader(self, reader: str, schools: Collection[str] | None) -> list[ReporterEntry]:
        query = select(REPORTER).where(REPORTER.c.reader == reader).order_by(REPORTER.c.id)
        if schools is not None:
            query = query.where(REPORTER.c.school.in_(sorted(schools)))
        return [_reporter(r) for r in self.conn.execute(query)]


def _reporter(row: Any) -> ReporterEntry:
    return ReporterEntry(row.day, row.reader, row.roles, row.case_id, row.school, row.what)


class SqlCheckpoints:
    """Append-only (the database refuses UPDATE, DELETE and REPLACE)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, made_at: datetime, key_id: str, statement: str, signature: str) -> int:
        values = {"made_at": made_at, "key_id": key_id, "statement": statement, "signature": signature}
        return int(self.conn.execute(insert(CHECKPOINTS).values(**values).returning(CHECKPOINTS.c.id)).scalar_one())

    def list(self) -> list[StoredCheckpoint]:
        rows = self.conn.execute(select(CHECKPOINTS).order_by(CHECKPOINTS.c.id))
        return [StoredCheckpoint(r.id, r.made_at, r.key_id, r.statement, r.signature) for r in rows]


def _append_reporter(conn: Connection, entries: Sequence[ReporterEntry]) -> None:
    if conn.dialect.name == "postgresql":  # one writer at a time extends the chain
        conn.execute(text(advisory_lock(REPORTER_LOCK)))
    head = conn.execute(select(REPORTER.c.hash, REPORTER.c.day).order_by(REPORTER.c.id.desc()).limit(1)).first()
    chain = linked(
        entries,
        head.hash if head else ACCESS_GENESIS,
        head.day if head else None,
        at=lambda e: e.day,  # the log's days never go back
        moved=lambda e, last: replace(e, day=last),
        digest=lambda prev, e: reporter_chain(prev, e.day.isoformat(), e.reader, e.roles, e.case_id, e.school, e.what),
    )
    conn.execute(insert(REPORTER), [{**e.__dict__, "prev_hash": prev, "hash": own} for e, prev, own in chain])


def _school(row: Any) -> SchoolRecord:
    return SchoolRecord(
        row.id,
        row.name,
        row.board,
        row.region,
        row.denominatie,
        row.sector,
        row.address,
        row.board_name,
        row.board_address,
    )
