"""API tokens and calendar feed tokens, kept by their SHA-256 only."""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import Connection, and_, insert, select, update

from adapters.sql.tables import ApiTokenRow, FeedTokenRow
from adapters.sql.users import MEMBERSHIPS, USERS, membership
from engine.account_ports import Account, ApiToken

TOKENS = ApiTokenRow.__table__  # type: ignore[attr-defined]
FEEDS = FeedTokenRow.__table__  # type: ignore[attr-defined]


class SqlApiTokens:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, token_hash: str, username: str, label: str, created_at: datetime, expires_at: datetime) -> None:
        self.conn.execute(
            insert(TOKENS).values(
                token_hash=token_hash,
                username=username,
                label=label,
                created_at=created_at,
                expires_at=expires_at,
                revoked=False,
            )
        )

    def account(self, token_hash: str, now: datetime) -> Account | None:
        """One query: the token, its user and their memberships."""
        live = and_(
            TOKENS.c.token_hash == token_hash,
            TOKENS.c.revoked.is_(False),
            (TOKENS.c.expires_at.is_(None)) | (TOKENS.c.expires_at > now),
        )
        query = (
            select(
                USERS.c.username,
                USERS.c.display_name,
                USERS.c.board,
                MEMBERSHIPS.c.role,
                MEMBERSHIPS.c.school,
                MEMBERSHIPS.c.groups,
            )
            .select_from(
                TOKENS.join(USERS, USERS.c.username == TOKENS.c.username).outerjoin(
                    MEMBERSHIPS, MEMBERSHIPS.c.username == USERS.c.username
                )
            )
            .where(and_(live, USERS.c.active))
            .order_by(MEMBERSHIPS.c.id)
        )
        rows = self.conn.execute(query).all()
        if not rows:
            return None
        memberships = tuple(membership(r) for r in rows if r.role is not None)
        return Account(rows[0].username, rows[0].display_name, rows[0].board, memberships)

    def list(self, username: str) -> builtins.list[ApiToken]:
        rows = self.conn.execute(select(TOKENS).where(TOKENS.c.username == username).order_by(TOKENS.c.created_at))
        return [ApiToken(r.token_hash[:12], r.label, r.created_at, r.expires_at, r.revoked) for r in rows]

    def revoke(self, username: str, id_prefix: str) -> bool:
        result = self.conn.execute(
            update(TOKENS)
            .where(and_(TOKENS.c.username == username, TOKENS.c.token_hash.startswith(id_prefix, autoescape=True)))
            .values(revoked=True)
        )
        return bool(result.rowcount)


class SqlFeeds:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def replace(self, token_hash: str, username: str, created_at: datetime) -> None:
        self.revoke_all(username)
        self.conn.execute(insert(FEEDS).values(token_hash=token_hash, username=username, created_at=created_at, revoked=False))

    def revoke_all(self, username: str) -> None:
        self.conn.execute(update(FEEDS).where(FEEDS.c.username == username).values(revoked=True))

    def owner(self, token_hash: str) -> str | None:
        query = select(FEEDS.c.username).where(and_(FEEDS.c.token_hash == token_hash, FEEDS.c.revoked.is_(False)))
        username: str | None = self.conn.execute(query).scalar()
        return username
