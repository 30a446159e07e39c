"""Users, their memberships, sessions, API tokens and login throttling, in the database.

Passwords are hashed with argon2; session and API tokens are random and stored only as
their SHA-256, so a copy of the database does not let anyone log in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, and_, delete, func, insert, select, update

from adapters.sql.tables import (
    AccessLogRow,
    ApiTokenRow,
    FeedTokenRow,
    LoginAttemptRow,
    MembershipRow,
    NotificationRow,
    SchoolRow,
    SessionRow,
    UserRow,
)
from engine.access import Membership, Principal
from engine.clock import Clock

SCHOOLS = SchoolRow.__table__  # type: ignore[attr-defined]
USERS = UserRow.__table__  # type: ignore[attr-defined]
MEMBERSHIPS = MembershipRow.__table__  # type: ignore[attr-defined]
SESSIONS = SessionRow.__table__  # type: ignore[attr-defined]
TOKENS = ApiTokenRow.__table__  # type: ignore[attr-defined]
ATTEMPTS = LoginAttemptRow.__table__  # type: ignore[attr-defined]
NOTIFICATIONS = NotificationRow.__table__  # type: ignore[attr-defined]
FEEDS = FeedTokenRow.__table__  # type: ignore[attr-defined]
ACCESS = AccessLogRow.__table__  # type: ignore[attr-defined]

IDLE_TIMEOUT = timedelta(minutes=30)
THROTTLE_WINDOW = timedelta(minutes=15)
THROTTLE_LIMIT = 5


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class School:
    id: str
    name: str
    board: str
    region: str


@dataclass(frozen=True)
class AccessEntry:
    at: datetime
    username: str
    roles: str
    case_id: str
    school: str
    what: str


@dataclass(frozen=True)
class Notification:
    id: int
    case_id: str
    deadline_key: str
    kind: str
    username: str
    channel: str
    due_date: str
    created_at: datetime


@dataclass(frozen=True)
class Session:
    username: str
    csrf_token: str
    second_factor_done: bool


class Accounts:
    def __init__(self, db: Engine, clock: Clock, hasher: PasswordHasher | None = None) -> None:
        self.db = db
        self.clock = clock
        self.hasher = hasher or PasswordHasher()  # argon2id with the library's recommended cost

    # --- schools and users -------------------------------------------------------

    def add_school(self, school: School) -> None:
        with self.db.begin() as conn:
            conn.execute(insert(SCHOOLS).values(**school.__dict__))

    def schools(self) -> list[School]:
        with self.db.connect() as conn:
            return [
                School(r.id, r.name, r.board, r.region) for r in conn.execute(select(SCHOOLS).order_by(SCHOOLS.c.name))
            ]

    def add_user(
        self,
        username: str,
        display_name: str,
        board: str,
        password: str,
        memberships: list[Membership],
        totp_secret: str | None = None,
        email: str | None = None,
    ) -> None:
        with self.db.begin() as conn:
            conn.execute(
                insert(USERS).values(
                    username=username,
                    display_name=display_name,
                    board=board,
                    password_hash=self.hasher.hash(password),
                    totp_secret=totp_secret,
                    active=True,
                    email=email,
                )
            )
            for m in memberships:
                conn.execute(
                    insert(MEMBERSHIPS).values(
                        username=username, role=m.role, school=m.school, groups=json.dumps(sorted(m.groups))
                    )
                )

    def has_users(self) -> bool:
        with self.db.connect() as conn:
            return bool(conn.execute(select(func.count()).select_from(USERS)).scalar())

    def principal(self, username: str) -> Principal | None:
        with self.db.connect() as conn:
            user = conn.execute(select(USERS).where(and_(USERS.c.username == username, USERS.c.active))).first()
            if user is None:
                return None
            rows = conn.execute(
                select(MEMBERSHIPS).where(MEMBERSHIPS.c.username == username).order_by(MEMBERSHIPS.c.id)
            )
            memberships = tuple(Membership(r.role, r.school, frozenset(json.loads(r.groups))) for r in rows)
        return Principal(user.username, user.display_name, memberships)

    def check_password(self, username: str, password: str) -> bool:
        with self.db.connect() as conn:
            stored = conn.execute(
                select(USERS.c.password_hash).where(and_(USERS.c.username == username, USERS.c.active))
            ).scalar()
        if stored is None:
            self.hasher.hash(password)  # same work for unknown users: no timing hint
            return False
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def totp_secret(self, username: str) -> str | None:
        with self.db.connect() as conn:
            secret: str | None = conn.execute(select(USERS.c.totp_secret).where(USERS.c.username == username)).scalar()
        return secret

    def check_totp(self, username: str, code: str) -> bool:
        secret = self.totp_secret(username)
        if not secret:
            return False
        return bool(pyotp.TOTP(secret).verify(code.strip(), for_time=self.clock.now(), valid_window=1))

    # --- throttling --------------------------------------------------------------

    def record_attempt(self, username: str, succeeded: bool) -> None:
        with self.db.begin() as conn:
            conn.execute(insert(ATTEMPTS).values(username=username, at=self.clock.now(), succeeded=succeeded))

    def throttled(self, username: str) -> bool:
        since = self.clock.now() - THROTTLE_WINDOW
        with self.db.connect() as conn:
            failures = conn.execute(
                select(func.count())
                .select_from(ATTEMPTS)
                .where(and_(ATTEMPTS.c.username == username, ATTEMPTS.c.at >= since, ATTEMPTS.c.succeeded.is_(False)))
            ).scalar()
        return bool(failures and failures >= THROTTLE_LIMIT)

    # --- sessions ----------------------------------------------------------------

    def start_session(self, username: str, second_factor_done: bool) -> tuple[str, str]:
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.db.begin() as conn:
            conn.execute(
                insert(SESSIONS).values(
                    token_hash=_digest(token),
                    username=username,
                    csrf_token=csrf,
                    created_at=now,
                    last_seen=now,
                    second_factor_done=second_factor_done,
                )
            )
        return token, csrf

    def session(self, token: str) -> Session | None:
        """The live session for this cookie; an idle one is ended."""
        now = self.clock.now()
        with self.db.begin() as conn:
            row = conn.execute(select(SESSIONS).where(SESSIONS.c.token_hash == _digest(token))).first()
            if row is None:
                return None
            if now - row.last_seen > IDLE_TIMEOUT:
                conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == row.token_hash))
                return None
            conn.execute(update(SESSIONS).where(SESSIONS.c.token_hash == row.token_hash).values(last_seen=now))
        return Session(row.username, row.csrf_token, row.second_factor_done)

    def complete_second_factor(self, token: str) -> None:
        with self.db.begin() as conn:
            conn.execute(
                update(SESSIONS).where(SESSIONS.c.token_hash == _digest(token)).values(second_factor_done=True)
            )

    def end_session(self, token: str) -> None:
        with self.db.begin() as conn:
            conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == _digest(token)))

    # --- API tokens --------------------------------------------------------------

    def create_token(self, username: str, label: str) -> str:
        token = "trd_" + secrets.token_urlsafe(32)
        with self.db.begin() as conn:
            conn.execute(
                insert(TOKENS).values(
                    token_hash=_digest(token),
                    username=username,
                    label=label,
                    created_at=self.clock.now(),
                    revoked=False,
                )
            )
        return token

    def token_user(self, token: str) -> str | None:
        query = select(TOKENS.c.username).where(
            and_(TOKENS.c.token_hash == _digest(token), TOKENS.c.revoked.is_(False))
        )
        with self.db.connect() as conn:
            username: str | None = conn.execute(query).scalar()
        return username

    def revoke_token(self, token: str) -> None:
        with self.db.begin() as conn:
            conn.execute(update(TOKENS).where(TOKENS.c.token_hash == _digest(token)).values(revoked=True))

    # --- notifications ------------------------------------------------------------

    def all_principals(self) -> list[Principal]:
        with self.db.connect() as conn:
            names = list(
                conn.execute(select(USERS.c.username).where(USERS.c.active).order_by(USERS.c.username)).scalars()
            )
        return [p for p in (self.principal(n) for n in names) if p is not None]

    def email(self, username: str) -> str | None:
        with self.db.connect() as conn:
            address: str | None = conn.execute(select(USERS.c.email).where(USERS.c.username == username)).scalar()
        return address

    def notify(self, case_id: str, deadline_key: str, kind: str, username: str, channel: str, due_date: str) -> bool:
        """Record a notification once; False when it was recorded before (by any worker)."""
        values = {
            "case_id": case_id,
            "deadline_key": deadline_key,
            "kind": kind,
            "username": username,
            "channel": channel,
            "due_date": due_date,
            "created_at": self.clock.now(),
        }
        with self.db.connect() as conn:
            statement = _insert_ignore(conn.dialect.name, values)
            result = conn.execute(statement)
            conn.commit()
        return bool(result.rowcount)

    def send_pending(self, channel: str, send: Callable[[Notification], None], limit: int = 100) -> int:
        """Hand unsent notifications to ``send`` one by one, each marked sent in the same
        transaction that claimed it (another worker skips it meanwhile)."""
        sent = 0
        for _ in range(limit):
            with self.db.begin() as conn:
                query = (
                    select(NOTIFICATIONS)
                    .where(and_(NOTIFICATIONS.c.channel == channel, NOTIFICATIONS.c.sent_at.is_(None)))
                    .order_by(NOTIFICATIONS.c.id)
                    .limit(1)
                )
                if conn.dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                row = conn.execute(query).first()
                if row is None:
                    break
                send(_notification(row))
                conn.execute(update(NOTIFICATIONS).where(NOTIFICATIONS.c.id == row.id).values(sent_at=self.clock.now()))
                sent += 1
        return sent

    def notifications_for(self, username: str, channel: str = "app", limit: int = 10) -> list[Notification]:
        with self.db.connect() as conn:
            rows = conn.execute(
                select(NOTIFICATIONS)
                .where(and_(NOTIFICATIONS.c.username == username, NOTIFICATIONS.c.channel == channel))
                .order_by(NOTIFICATIONS.c.id.desc())
                .limit(limit)
            )
            return [_notification(r) for r in rows]

    # --- calendar feeds ---------------------------------------------------------------

    def create_feed(self, username: str) -> str:
        """A new secret feed URL token; earlier ones of this user stop working."""
        token = secrets.token_urlsafe(24)
        with self.db.begin() as conn:
            conn.execute(update(FEEDS).where(FEEDS.c.username == username).values(revoked=True))
            conn.execute(
                insert(FEEDS).values(
                    token_hash=_digest(token), username=username, created_at=self.clock.now(), revoked=False
                )
            )
        return token

    def revoke_feeds(self, username: str) -> None:
        with self.db.begin() as conn:
            conn.execute(update(FEEDS).where(FEEDS.c.username == username).values(revoked=True))

    def feed_user(self, token: str) -> str | None:
        query = select(FEEDS.c.username).where(and_(FEEDS.c.token_hash == _digest(token), FEEDS.c.revoked.is_(False)))
        with self.db.connect() as conn:
            username: str | None = conn.execute(query).scalar()
        return username

    # --- access log -----------------------------------------------------------------

    def log_view(self, username: str, roles: Iterable[str], case_id: str, school: str, what: str) -> None:
        with self.db.begin() as conn:
            conn.execute(
                insert(ACCESS).values(
                    at=self.clock.now(),
                    username=username,
                    roles=",".join(sorted(roles)),
                    case_id=case_id,
                    school=school,
                    what=what,
                )
            )

    def access_log(self, schools: set[str] | None, case_id: str | None = None, limit: int = 500) -> list[AccessEntry]:
        query = select(ACCESS).order_by(ACCESS.c.id.desc()).limit(limit)
        if schools is not None:
            query = query.where(ACCESS.c.school.in_(sorted(schools)))
        if case_id:
            query = query.where(ACCESS.c.case_id == case_id)
        with self.db.connect() as conn:
            return [AccessEntry(r.at, r.username, r.roles, r.case_id, r.school, r.what) for r in conn.execute(query)]

    def now(self) -> datetime:
        return self.clock.now()


def _notification(row: Any) -> Notification:
    return Notification(
        row.id, row.case_id, row.deadline_key, row.kind, row.username, row.channel, row.due_date, row.created_at
    )


def _insert_ignore(dialect: str, values: dict[str, Any]) -> Any:
    """INSERT that does nothing when the notification exists (the unique constraint decides)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(NOTIFICATIONS).values(**values).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(NOTIFICATIONS).values(**values).on_conflict_do_nothing()
