"""Users and their memberships: password hashes, one-time code secrets, e-mail addresses,
the choice of a daily overview, and the groups of a leerkracht role (set by imports)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update

from adapters.sql.tables import MembershipRow, UserRow
from engine.access import Membership
from engine.account_ports import Account, NewUser

USERS = UserRow.__table__  # type: ignore[attr-defined]
MEMBERSHIPS = MembershipRow.__table__  # type: ignore[attr-defined]


class SqlUsers:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, user: NewUser) -> None:
        self.conn.execute(
            insert(USERS).values(
                username=user.username,
                display_name=user.display_name,
                board=user.board,
                password_hash=user.password_hash,
                totp_secret=user.totp_secret,
                active=True,
                email=user.email,
            )
        )
        for m in user.memberships:
            self.conn.execute(
                insert(MEMBERSHIPS).values(
                    username=user.username, role=m.role, school=m.school, groups=json.dumps(sorted(m.groups))
                )
            )

    def account(self, username: str) -> Account | None:
        user = self.conn.execute(select(USERS).where(and_(USERS.c.username == username, USERS.c.active))).first()
        if user is None:
            return None
        rows = self.conn.execute(select(MEMBERSHIPS).where(MEMBERSHIPS.c.username == username).order_by(MEMBERSHIPS.c.id))
        return Account(user.username, user.display_name, user.board, tuple(membership(r) for r in rows))

    def accounts(self, holding: Collection[str] | None = None) -> list[Account]:
        """Every active user with their memberships, in two statements whatever their number;
        ``holding``: only those with one of these roles somewhere."""
        active = USERS.c.active
        if holding is not None:
            active = and_(active, USERS.c.username.in_(select(MEMBERSHIPS.c.username).where(MEMBERSHIPS.c.role.in_(sorted(holding)))))
        users = list(self.conn.execute(select(USERS).where(active).order_by(USERS.c.username)))
        held: dict[str, list[Membership]] = {}
        rows = select(MEMBERSHIPS).join(USERS, USERS.c.username == MEMBERSHIPS.c.username).where(active)
        for row in self.conn.execute(rows.order_by(MEMBERSHIPS.c.id)):
            held.setdefault(row.username, []).append(membership(row))
        return [Account(u.username, u.display_name, u.board, tuple(held.get(u.username, ()))) for u in users]

    def has_users(self) -> bool:
        return bool(self.conn.execute(select(func.count()).select_from(USERS)).scalar())

    def names_starting(self, prefix: str) -> set[str]:
        return set(self.conn.execute(select(USERS.c.username).where(USERS.c.username.startswith(prefix))).scalars())

    def display_names(self, usernames: Collection[str] | None = None) -> dict[str, str]:
        query = select(USERS.c.username, USERS.c.display_name)
        if usernames is not None:
            if not usernames:
                return {}
            query = query.where(USERS.c.username.in_(sorted(usernames)))
        return {r.username: r.display_name for r in self.conn.execute(query)}

    def password_hash(self, username: str) -> str | None:
        stored: str | None = self.conn.execute(
            select(USERS.c.password_hash).where(and_(USERS.c.username == username, USERS.c.active))
        ).scalar()
        return stored

    def set_password_hash(self, username: str, password_hash: str) -> None:
        self.conn.execute(update(USERS).where(USERS.c.username == username).values(password_hash=password_hash))

    def totp_secret(self, username: str) -> str | None:
        secret: str | None = self.conn.execute(select(USERS.c.totp_secret).where(USERS.c.username == username)).scalar()
        return secret

    def use_totp_step(self, username: str, step: int) -> bool:
        used = self.conn.execute(
            update(USERS)
            .where(
                and_(
                    USERS.c.username == username,
                    (USERS.c.totp_last_step.is_(None)) | (USERS.c.totp_last_step < step),
                )
            )
            .values(totp_last_step=step)
        )
        return bool(used.rowcount)

    def email(self, username: str) -> str | None:
        address: str | None = self.conn.execute(select(USERS.c.email).where(USERS.c.username == username)).scalar()
        return address

    def set_email(self, username: str, email: str | None) -> None:
        self.conn.execute(update(USERS).where(USERS.c.username == username).values(email=email))

    def with_email(self, email: str) -> list[str]:
        query = select(USERS.c.username).where(and_(func.lower(USERS.c.email) == email.lower(), USERS.c.active))
        return list(self.conn.execute(query).scalars())

    def mail_digest(self, username: str) -> bool:
        return bool(self.conn.execute(select(USERS.c.mail_digest).where(USERS.c.username == username)).scalar())

    def set_mail_digest(self, username: str, daily: bool) -> None:
        self.conn.execute(update(USERS).where(USERS.c.username == username).values(mail_digest=daily))

    def digest_users(self) -> set[str]:
        return set(self.conn.execute(select(USERS.c.username).where(and_(USERS.c.mail_digest, USERS.c.active))).scalars())

    def claim_digest(self, username: str, today: date) -> bool:
        claim = (
            update(USERS)
            .where(
                and_(
                    USERS.c.username == username,
                    or_(USERS.c.digest_sent_on.is_(None), USERS.c.digest_sent_on < today),
                )
            )
            .values(digest_sent_on=today)
        )
        return bool(self.conn.execute(claim).rowcount)

    def emails(self) -> dict[str, str | None]:
        rows = self.conn.execute(select(USERS.c.username, USERS.c.email).where(USERS.c.active))
        return {r.username: r.email for r in rows}

    def teacher_roles(self, school: str) -> dict[str, int]:
        rows = self.conn.execute(
            select(MEMBERSHIPS.c.id, MEMBERSHIPS.c.username).where(
                and_(MEMBERSHIPS.c.role == "leerkracht", MEMBERSHIPS.c.school == school)
            )
        )
        return {r.username: r.id for r in rows}

    def set_groups(self, membership_id: int, groups: Collection[str]) -> None:
        self.conn.execute(update(MEMBERSHIPS).where(MEMBERSHIPS.c.id == membership_id).values(groups=json.dumps(sorted(groups))))


def membership(row: Any) -> Membership:
    return Membership(row.role, row.school, frozenset(json.loads(row.groups)))
