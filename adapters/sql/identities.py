"""Links between trede's users and the subjects of an identity provider, and the logins
that went to the provider and have not come back yet (each taken once)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, delete, insert, select

from adapters.sql.tables import IdentityRow, OidcLoginRow
from adapters.sql.users import USERS
from engine.account_ports import PendingLogin

IDENTITIES = IdentityRow.__table__  # type: ignore[attr-defined]
OIDC_LOGINS = OidcLoginRow.__table__  # type: ignore[attr-defined]


class SqlIdentities:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def linked_user(self, issuer: str, subject: str) -> str | None:
        linked = self.conn.execute(
            select(IDENTITIES.c.username)
            .join(USERS, USERS.c.username == IDENTITIES.c.username)
            .where(and_(IDENTITIES.c.issuer == issuer, IDENTITIES.c.subject == subject, USERS.c.active))
        ).scalar()
        return str(linked) if linked is not None else None

    def subject_of(self, issuer: str, username: str) -> str | None:
        subject = self.conn.execute(
            select(IDENTITIES.c.subject).where(and_(IDENTITIES.c.issuer == issuer, IDENTITIES.c.username == username))
        ).scalar()
        return str(subject) if subject is not None else None

    def subjects(self, username: str) -> list[tuple[str, str]]:
        rows = self.conn.execute(
            select(IDENTITIES.c.issuer, IDENTITIES.c.subject)
            .where(IDENTITIES.c.username == username)
            .order_by(IDENTITIES.c.issuer, IDENTITIES.c.subject)
        )
        return [(str(r.issuer), str(r.subject)) for r in rows]

    def link(self, issuer: str, subject: str, username: str, by: str, at: datetime) -> None:
        values = {"issuer": issuer, "subject": subject, "username": username, "linked_by": by}
        self.conn.execute(insert(IDENTITIES).values(linked_at=at, **values))

    def unlink(self, issuer: str, subject: str) -> None:
        self.conn.execute(delete(IDENTITIES).where(and_(IDENTITIES.c.issuer == issuer, IDENTITIES.c.subject == subject)))


class SqlPendingLogins:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, login: PendingLogin) -> None:
        self.conn.execute(
            insert(OIDC_LOGINS).values(
                state_hash=login.state_hash,
                nonce=login.nonce,
                verifier=login.verifier,
                next=login.next,
                created_at=login.created_at,
            )
        )

    def forget_before(self, moment: datetime) -> None:
        self.conn.execute(delete(OIDC_LOGINS).where(OIDC_LOGINS.c.created_at < moment))

    def take(self, state_hash: str) -> PendingLogin | None:
        row = self.conn.execute(select(OIDC_LOGINS).where(OIDC_LOGINS.c.state_hash == state_hash)).first()
        if row is None or not self.conn.execute(delete(OIDC_LOGINS).where(OIDC_LOGINS.c.state_hash == row.state_hash)).rowcount:
            return None  # unknown, or another request took it first
        return PendingLogin(row.state_hash, row.nonce, row.verifier, row.next, row.created_at)
