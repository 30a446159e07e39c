"""Login attempts, counted before each check of a password or code (engine/throttling.py
decides from the counts)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from adapters.sql.tables import LoginAttemptRow
from engine.throttling import DEVICE_PREFIX, AttemptQuery, Failures

ATTEMPTS = LoginAttemptRow.__table__  # type: ignore[attr-defined]


class SqlLoginAttempts:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self) -> None:
        # SQLite: the unit of work holds the database's write lock already (BEGIN IMMEDIATE)
        if self.conn.dialect.name == "postgresql":
            self.conn.exec_driver_sql("LOCK TABLE login_attempts IN SHARE ROW EXCLUSIVE MODE")

    def failures(self, query: AttemptQuery) -> Failures:
        where = [ATTEMPTS.c.at >= query.since, ATTEMPTS.c.succeeded.is_(False)]
        if query.username is not None:
            where.append(ATTEMPTS.c.username == query.username)
        if query.client is not None:
            where.append(ATTEMPTS.c.client == query.client)
        if query.untrusted:
            where.append(or_(ATTEMPTS.c.client.is_(None), ~ATTEMPTS.c.client.startswith(DEVICE_PREFIX)))
        count, last = self.conn.execute(select(func.count(), func.max(ATTEMPTS.c.at)).where(and_(*where))).one()
        return Failures(int(count), last)

    def add(self, username: str, client: str, at: datetime) -> int:
        ticket: int = self.conn.execute(
            insert(ATTEMPTS).values(username=username, client=client, at=at, succeeded=False).returning(ATTEMPTS.c.id)
        ).scalar_one()
        return ticket

    def succeeded(self, ticket: int) -> None:
        self.conn.execute(update(ATTEMPTS).where(ATTEMPTS.c.id == ticket).values(succeeded=True))
