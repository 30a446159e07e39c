"""Sessions of people logged in through a browser, each with its CSRF token and the message
it holds for the next page; kept by the SHA-256 of the session cookie."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from adapters.sql.tables import SessionRow
from engine.account_ports import StoredSession

SESSIONS = SessionRow.__table__  # type: ignore[attr-defined]


class SqlSessions:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, session: StoredSession) -> None:
        self.conn.execute(
            insert(SESSIONS).values(
                token_hash=session.token_hash,
                username=session.username,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                last_seen=session.last_seen,
                second_factor_done=session.second_factor_done,
                flash=_flash_text(session.flash),
            )
        )

    def get(self, token_hash: str) -> StoredSession | None:
        row = self.conn.execute(select(SESSIONS).where(SESSIONS.c.token_hash == token_hash)).first()
        if row is None:
            return None
        flash = json.loads(row.flash) if row.flash is not None else None
        return StoredSession(
            row.token_hash, row.username, row.csrf_token, row.created_at, row.last_seen, row.second_factor_done, flash
        )

    def seen(self, token_hash: str, at: datetime) -> None:
        self.conn.execute(update(SESSIONS).where(SESSIONS.c.token_hash == token_hash).values(last_seen=at))

    def remove(self, token_hash: str) -> bool:
        return bool(self.conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == token_hash)).rowcount)

    def set_flash(self, token_hash: str, flash: dict[str, str] | None) -> None:
        self.conn.execute(update(SESSIONS).where(SESSIONS.c.token_hash == token_hash).values(flash=_flash_text(flash)))


def _flash_text(flash: dict[str, str] | None) -> str | None:
    return json.dumps(flash, ensure_ascii=False) if flash is not None else None
