"""Notifications about deadlines, each recorded once under a unique key, then sent (mail)
or shown (app). The use case sends; this only selects and marks."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, astuple
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, select, update

from adapters.sql.tables import NotificationRow
from engine.account_ports import Notice, Notification

NOTIFICATIONS = NotificationRow.__table__  # type: ignore[attr-defined]
N = NOTIFICATIONS.c


class SqlNotifications:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record(self, notices: Sequence[Notice], at: datetime) -> int:
        if not notices:
            return 0
        key = (N.case_id, N.deadline_key, N.kind, N.username, N.channel, N.due_date)
        deadlines = sorted({(n.case_id, n.deadline_key) for n in notices if n.case_id is not None})
        known: set[tuple[Any, ...]] = set()
        about = sorted({n.deadline_key for n in notices if n.case_id is None})
        if about:  # notices about a protocol (no case): NULL is unique to no index, so read them
            found = select(*key).where(and_(N.case_id.is_(None), N.deadline_key.in_(about)))
            known |= {tuple(r) for r in self.conn.execute(found)}
        for start in range(0, len(deadlines), 500):
            part = deadlines[start : start + 500]
            # two plain INs on the unique index's leading columns: SQLite searches the
            # index for these (a row-value IN would scan the table); extra pairs are harmless
            found = select(*key).where(
                and_(N.case_id.in_(sorted({c for c, _ in part})), N.deadline_key.in_(sorted({k for _, k in part})))
            )
            known |= {tuple(r) for r in self.conn.execute(found)}
        fresh = [n for n in dict.fromkeys(notices) if astuple(n) not in known]
        if fresh:
            rows = [{**asdict(n), "created_at": at} for n in fresh]
            self.conn.execute(_insert_ignore(self.conn.dialect.name), rows)  # another worker may have been first
        return len(fresh)

    def next_unsent(self, channel: str, skip: Collection[str] = ()) -> Notification | None:
        unsent = and_(N.channel == channel, N.sent_at.is_(None))
        if skip:
            unsent = and_(unsent, N.username.not_in(sorted(skip)))
        query = select(NOTIFICATIONS).where(unsent).order_by(N.id).limit(1)
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = self.conn.execute(query).first()
        return _notification(row) if row is not None else None

    def unsent(self, username: str, channel: str) -> list[Notification]:
        rows = self.conn.execute(
            select(NOTIFICATIONS)
            .where(and_(N.username == username, N.channel == channel, N.sent_at.is_(None)))
            .order_by(N.id)
        ).all()
        return [_notification(r) for r in rows]

    def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        if len(ids) == 1:
            self.conn.execute(update(NOTIFICATIONS).where(N.id == ids[0]).values(sent_at=at))
        elif ids:
            self.conn.execute(update(NOTIFICATIONS).where(N.id.in_(list(ids))).values(sent_at=at))

    def of_user(self, username: str, channel: str, limit: int) -> list[Notification]:
        rows = self.conn.execute(
            select(NOTIFICATIONS)
            .where(and_(N.username == username, N.channel == channel))
            .order_by(N.id.desc())
            .limit(limit)
        )
        return [_notification(r) for r in rows]


def _notification(row: Any) -> Notification:
    return Notification(
        row.id, row.case_id, row.deadline_key, row.kind, row.username, row.channel, row.due_date, row.created_at
    )


def _insert_ignore(dialect: str) -> Any:
    """INSERT that does nothing when the notification exists (the unique constraint decides)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(NOTIFICATIONS).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(NOTIFICATIONS).on_conflict_do_nothing()
