"""Users, their memberships, sessions, API tokens and login throttling, in the database.

Passwords are hashed with argon2; session and API tokens are random and stored only as
their SHA-256, so a copy of the database does not let anyone log in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, astuple, dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update

from adapters.sql.database import SqlSettings
from adapters.sql.registry import SqlSchools
from adapters.sql.tables import (
    ApiTokenRow,
    FeedTokenRow,
    IdentityRow,
    LoginAttemptRow,
    MembershipRow,
    NotificationRow,
    OidcLoginRow,
    SessionRow,
    UserRow,
)
from engine import throttling as policy
from engine.access import Membership, Principal, within_board
from engine.clock import Clock
from engine.ports import GroupLinks, Notice, Notification, SchoolRecord
from engine.pupils import RosterTeacher

USERS = UserRow.__table__  # type: ignore[attr-defined]
MEMBERSHIPS = MembershipRow.__table__  # type: ignore[attr-defined]
SESSIONS = SessionRow.__table__  # type: ignore[attr-defined]
TOKENS = ApiTokenRow.__table__  # type: ignore[attr-defined]
ATTEMPTS = LoginAttemptRow.__table__  # type: ignore[attr-defined]
NOTIFICATIONS = NotificationRow.__table__  # type: ignore[attr-defined]
N = NOTIFICATIONS.c
FEEDS = FeedTokenRow.__table__  # type: ignore[attr-defined]
IDENTITIES = IdentityRow.__table__  # type: ignore[attr-defined]
OIDC_LOGINS = OidcLoginRow.__table__  # type: ignore[attr-defined]
OIDC_LOGIN_LIFETIME = timedelta(minutes=10)

IDLE_TIMEOUT = timedelta(minutes=30)
SEEN_EVERY = timedelta(minutes=1)  # how precisely the idle timeout counts
TOKEN_LIFETIME = timedelta(days=90)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# A school in the register: the engine's record (engine.ports.SchoolRecord), kept by SqlSchools.
School = SchoolRecord


@dataclass(frozen=True)
class ApiToken:
    """A token as its owner sees it in the list: never the token itself."""

    id: str  # the first 12 characters of its hash: enough to revoke it by
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked: bool

    def active(self, now: datetime) -> bool:
        return not self.revoked and (self.expires_at is None or self.expires_at > now)


@dataclass(frozen=True)
class Throttle:
    """The outcome of asking to try a login: go ahead (with a ticket) or wait."""

    ticket: int | None
    wait_seconds: int = 0


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
        self._secret: str | None = None  # signs device cookies; made once per installation

    # --- schools and users -------------------------------------------------------

    def add_school(self, school: School) -> None:
        """Add a school to the register, or correct the one with that id."""
        with self.db.begin() as conn:
            SqlSchools(conn).save(school)

    def schools(self) -> list[School]:
        with self.db.connect() as conn:
            return sorted(SqlSchools(conn).list(), key=lambda school: school.name)

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

    def set_email(self, username: str, email: str | None) -> None:
        with self.db.begin() as conn:
            conn.execute(update(USERS).where(USERS.c.username == username).values(email=email))

    def display_names(self) -> dict[str, str]:
        """username -> the name people know them by (for showing who did what)."""
        with self.db.connect() as conn:
            return {r.username: r.display_name for r in conn.execute(select(USERS.c.username, USERS.c.display_name))}

    def has_users(self) -> bool:
        with self.db.connect() as conn:
            return bool(conn.execute(select(func.count()).select_from(USERS)).scalar())

    def principal(self, username: str) -> Principal | None:
        with self.db.connect() as conn:
            return _principal(conn, username)

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
        """A valid code that has not been used before: each time step is accepted once."""
        secret = self.totp_secret(username)
        code = code.strip()
        if not secret or not code.isdigit() or len(code) != 6:
            return False
        totp = pyotp.TOTP(secret)
        now = self.clock.now()
        step = next(
            (
                totp.timecode(now) + offset
                for offset in (0, -1, 1)
                if totp.verify(code, for_time=now + timedelta(seconds=totp.interval * offset), valid_window=0)
            ),
            None,
        )
        if step is None:
            return False
        with self.db.begin() as conn:
            used = conn.execute(
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

    # --- throttling --------------------------------------------------------------

    def begin_attempt(self, username: str, client: str, device: str | None = None) -> Throttle:
        """Ask to check a password or code. Counted atomically *before* the check, as a
        failure until ``finish_attempt`` says otherwise, so parallel guesses are counted too.

        ``device``: the nonce of a genuine device cookie for this user name (``trusted_device``).
        Such a browser is held up only by its own failures: after ``DEVICE_FAILURES`` of them
        within the window it counts as untrusted again. For an untrusted client the delay
        doubles with each failure after the first few: per account from this client and per
        client up to a quarter of an hour, per account from any untrusted client only up to
        half a minute. Attempts from a device are kept under the device cookie's key instead
        of the address (the ``client`` column), never under the cookie itself."""
        now = self.clock.now()
        since = now - policy.LOGIN_WINDOW
        with self.db.connect().execution_options(trede_write=True) as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("LOCK TABLE login_attempts IN SHARE ROW EXCLUSIVE MODE")
            failed = and_(ATTEMPTS.c.at >= since, ATTEMPTS.c.succeeded.is_(False))
            key = policy.device_key(device) if device else None
            if key is not None and self._failures(conn, and_(failed, ATTEMPTS.c.client == key))[0] < policy.DEVICE_FAILURES:
                client = key  # a trusted device: no wait for what untrusted clients did
            else:
                untrusted = or_(ATTEMPTS.c.client.is_(None), ~ATTEMPTS.c.client.startswith(policy.DEVICE_PREFIX))
                by_name = and_(failed, ATTEMPTS.c.username == username)
                waits = [
                    self._wait(conn, and_(by_name, ATTEMPTS.c.client == client), now, policy.MAX_DELAY, policy.FREE_FAILURES),
                    self._wait(conn, and_(failed, ATTEMPTS.c.client == client), now, policy.MAX_DELAY, policy.CLIENT_FREE_FAILURES),
                    self._wait(conn, and_(by_name, untrusted), now, policy.NAME_MAX_DELAY, policy.NAME_FREE_FAILURES),
                ]
                wait = max(waits)
                if wait > 0:
                    return Throttle(None, wait)
            ticket = conn.execute(
                insert(ATTEMPTS).values(username=username, client=client, at=now, succeeded=False).returning(ATTEMPTS.c.id)
            ).scalar_one()
        return Throttle(ticket)

    @staticmethod
    def _failures(conn: Any, where: Any) -> tuple[int, datetime | None]:
        count, last = conn.execute(select(func.count(), func.max(ATTEMPTS.c.at)).where(where)).one()
        return int(count), last

    def _wait(self, conn: Any, where: Any, now: datetime, cap: timedelta, free: int) -> int:
        count, last = self._failures(conn, where)
        return policy.wait_seconds(count, last, now, free=free, cap=cap)

    def device_cookie(self, username: str) -> str:
        """A new device cookie for a browser that just logged in as this user."""
        return policy.device_cookie(self._device_secret(), username)

    def trusted_device(self, username: str, cookie: str | None) -> str | None:
        """The nonce of the browser's device cookie when it is genuine and made for this user."""
        return policy.device_nonce(self._device_secret(), username, cookie) if cookie else None

    def _device_secret(self) -> str:
        if self._secret is None:
            with self.db.begin() as conn:
                self._secret = SqlSettings(conn).secret("device_cookie")
        return self._secret

    def finish_attempt(self, ticket: int, succeeded: bool) -> None:
        if succeeded:
            with self.db.begin() as conn:
                conn.execute(update(ATTEMPTS).where(ATTEMPTS.c.id == ticket).values(succeeded=True))

    # --- sessions ----------------------------------------------------------------

    # --- OpenID Connect -------------------------------------------------------------

    def begin_oidc(self, state: str, nonce: str, verifier: str, next: str) -> None:
        """Keep a login on its way to the provider (by the state's hash; stale ones go)."""
        now = self.clock.now()
        with self.db.begin() as conn:
            conn.execute(delete(OIDC_LOGINS).where(OIDC_LOGINS.c.created_at < now - OIDC_LOGIN_LIFETIME))
            conn.execute(
                insert(OIDC_LOGINS).values(state_hash=_digest(state), nonce=nonce, verifier=verifier, next=next, created_at=now)
            )

    def take_oidc(self, state: str) -> tuple[str, str, str] | None:
        """(nonce, verifier, next) of a login that came back in time; a state works once."""
        with self.db.begin() as conn:
            row = conn.execute(select(OIDC_LOGINS).where(OIDC_LOGINS.c.state_hash == _digest(state))).first()
            if row is None or not conn.execute(delete(OIDC_LOGINS).where(OIDC_LOGINS.c.state_hash == row.state_hash)).rowcount:
                return None  # unknown, or another request took it first
        if row.created_at < self.clock.now() - OIDC_LOGIN_LIFETIME:
            return None
        return row.nonce, row.verifier, row.next

    def user_for_identity(self, issuer: str, subject: str, email: str | None, email_verified: bool) -> str | None:
        """The active user this person is: by the subject linked before; else, once, by the
        (verified) e-mail address an administrator gave exactly one user, which links it."""
        with self.db.begin() as conn:
            linked = conn.execute(
                select(IDENTITIES.c.username)
                .join(USERS, USERS.c.username == IDENTITIES.c.username)
                .where(and_(IDENTITIES.c.issuer == issuer, IDENTITIES.c.subject == subject, USERS.c.active))
            ).scalar()
            if linked is not None:
                return str(linked)
            if not email or not email_verified:
                return None
            found = list(
                conn.execute(
                    select(USERS.c.username).where(and_(func.lower(USERS.c.email) == email.lower(), USERS.c.active))
                ).scalars()
            )
            if len(found) != 1:
                return None  # nobody, or an address two accounts share: an administrator decides
            taken = conn.execute(
                select(IDENTITIES.c.subject).where(and_(IDENTITIES.c.issuer == issuer, IDENTITIES.c.username == found[0]))
            ).first()
            if taken is not None:
                return None  # that account is linked to another person at the provider already
            self._link(conn, issuer, subject, found[0], "e-mail")
            return str(found[0])

    def link_identity(self, username: str, issuer: str, subject: str, by: str) -> None:
        """An administrator links a provider's subject to a user explicitly."""
        with self.db.begin() as conn:
            conn.execute(delete(IDENTITIES).where(and_(IDENTITIES.c.issuer == issuer, IDENTITIES.c.subject == subject)))
            self._link(conn, issuer, subject, username, by)

    def create_from_identity(self, issuer: str, subject: str, email: str | None, name: str | None, board: str) -> str:
        """A user without any role, made on first login (when the board allows it)."""
        base = (email or subject).split("@")[0].lower()
        base = "".join(c for c in base if c.isalnum() or c in ".-_")[:40] or "gebruiker"
        with self.db.begin() as conn:
            taken = set(conn.execute(select(USERS.c.username).where(USERS.c.username.startswith(base))).scalars())
            username = base if base not in taken else next(f"{base}{n}" for n in range(2, 10_000) if f"{base}{n}" not in taken)
            conn.execute(
                insert(USERS).values(
                    username=username,
                    display_name=(name or username)[:100],
                    board=board,
                    password_hash="!",  # no password: this account logs in through the provider only
                    active=True,
                    email=email,
                )
            )
            self._link(conn, issuer, subject, username, "aangemaakt bij inloggen")
        return username

    def _link(self, conn: Connection, issuer: str, subject: str, username: str, by: str) -> None:
        values = {"issuer": issuer, "subject": subject, "username": username, "linked_by": by}
        conn.execute(insert(IDENTITIES).values(linked_at=self.clock.now(), **values))

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
            if now - row.last_seen >= SEEN_EVERY:  # not a durable write per page view
                conn.execute(update(SESSIONS).where(SESSIONS.c.token_hash == row.token_hash).values(last_seen=now))
        return Session(row.username, row.csrf_token, row.second_factor_done)

    def complete_second_factor(self, token: str) -> tuple[str, str] | None:
        """End the half-finished session and start a full one under a new token, so that a
        token seen before the second factor is worth nothing after it."""
        with self.db.begin() as conn:
            row = conn.execute(select(SESSIONS).where(SESSIONS.c.token_hash == _digest(token))).first()
            if row is None:
                return None
            conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == row.token_hash))
        return self.start_session(row.username, second_factor_done=True)

    def set_flash(self, token: str, message: str, field: str | None = None, kind: str = "error") -> None:
        """A message for the next page this session shows (after a redirect)."""
        body = json.dumps({"message": message[:2000], "field": (field or "")[:100], "kind": kind}, ensure_ascii=False)
        with self.db.begin() as conn:
            conn.execute(update(SESSIONS).where(SESSIONS.c.token_hash == _digest(token)).values(flash=body))

    def pop_flash(self, token: str) -> dict[str, str] | None:
        with self.db.begin() as conn:
            body = conn.execute(select(SESSIONS.c.flash).where(SESSIONS.c.token_hash == _digest(token))).scalar()
            if body is None:
                return None
            conn.execute(update(SESSIONS).where(SESSIONS.c.token_hash == _digest(token)).values(flash=None))
        found: dict[str, str] = json.loads(body)
        return found

    def end_session(self, token: str) -> None:
        with self.db.begin() as conn:
            conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == _digest(token)))

    # --- API tokens --------------------------------------------------------------

    def create_token(self, username: str, label: str, lifetime: timedelta = TOKEN_LIFETIME) -> str:
        token = "trd_" + secrets.token_urlsafe(32)
        now = self.clock.now()
        with self.db.begin() as conn:
            conn.execute(
                insert(TOKENS).values(
                    token_hash=_digest(token),
                    username=username,
                    label=label,
                    created_at=now,
                    expires_at=now + lifetime,
                    revoked=False,
                )
            )
        return token

    def token_principal(self, token: str) -> Principal | None:
        """The active user behind a live API token, with their roles: one query per request."""
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
            .where(and_(self._live_token(token), USERS.c.active))
            .order_by(MEMBERSHIPS.c.id)
        )
        with self.db.connect() as conn:
            rows = conn.execute(query).all()
            if not rows:
                return None
            memberships = tuple(
                Membership(r.role, r.school, frozenset(json.loads(r.groups))) for r in rows if r.role is not None
            )
            return _in_board(conn, rows[0].username, rows[0].display_name, rows[0].board, memberships)

    def _live_token(self, token: str) -> Any:
        return and_(
            TOKENS.c.token_hash == _digest(token),
            TOKENS.c.revoked.is_(False),
            (TOKENS.c.expires_at.is_(None)) | (TOKENS.c.expires_at > self.clock.now()),
        )


    def tokens(self, username: str) -> list[ApiToken]:
        with self.db.connect() as conn:
            rows = conn.execute(select(TOKENS).where(TOKENS.c.username == username).order_by(TOKENS.c.created_at))
            return [ApiToken(r.token_hash[:12], r.label, r.created_at, r.expires_at, r.revoked) for r in rows]

    def revoke_token(self, username: str, token_id: str) -> bool:
        """Revoke one of this user's tokens by the id shown in their list."""
        if len(token_id) < 8:
            return False
        with self.db.begin() as conn:
            result = conn.execute(
                update(TOKENS)
                .where(and_(TOKENS.c.username == username, TOKENS.c.token_hash.startswith(token_id, autoescape=True)))
                .values(revoked=True)
            )
        return bool(result.rowcount)

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

    def link_groups(self, school: str, teachers: Sequence[RosterTeacher]) -> GroupLinks:
        """Match each teacher by e-mail address (or user name) to a user with a leerkracht
        role at ``school`` and set that role's groups to the file's; others are reported."""
        with self.db.begin() as conn:
            users = conn.execute(select(USERS.c.username, USERS.c.email).where(USERS.c.active)).all()
            by_email = {u.email.casefold(): u.username for u in users if u.email}
            by_name = {u.username.casefold(): u.username for u in users}
            roles = {
                r.username: r.id
                for r in conn.execute(
                    select(MEMBERSHIPS.c.id, MEMBERSHIPS.c.username).where(
                        and_(MEMBERSHIPS.c.role == "leerkracht", MEMBERSHIPS.c.school == school)
                    )
                )
            }
            wanted: dict[str, set[str]] = {}
            unmatched: list[str] = []
            for teacher in teachers:
                username = by_email.get((teacher.email or "").casefold()) or by_name.get((teacher.username or "").casefold())
                if username is None or username not in roles:
                    unmatched.append(teacher.email or teacher.username or "(zonder e-mail of gebruikersnaam)")
                    continue
                wanted.setdefault(username, set()).update(teacher.groups)
            for username, groups in wanted.items():
                if groups:  # no groups would mean every group: never by an import
                    conn.execute(
                        update(MEMBERSHIPS).where(MEMBERSHIPS.c.id == roles[username]).values(groups=json.dumps(sorted(groups)))
                    )
        return GroupLinks({u: frozenset(g) for u, g in wanted.items() if g}, sorted(set(unmatched)))

    def digest_users(self) -> set[str]:
        with self.db.connect() as conn:
            return set(conn.execute(select(USERS.c.username).where(and_(USERS.c.mail_digest, USERS.c.active))).scalars())

    def mail_digest(self, username: str) -> bool:
        with self.db.connect() as conn:
            return bool(conn.execute(select(USERS.c.mail_digest).where(USERS.c.username == username)).scalar())

    def set_mail_digest(self, username: str, daily: bool) -> None:
        """The user's own choice: one mail per notice, or one overview a day."""
        with self.db.begin() as conn:
            conn.execute(update(USERS).where(USERS.c.username == username).values(mail_digest=daily))

    def notify_many(self, notices: Sequence[Notice]) -> int:
        """Record each notice once; returns how many are new. Known ones are read for the
        deadlines at hand only (through the unique index), so a round costs the same however
        many notices were recorded before, for these cases or others."""
        if not notices:
            return 0
        key = (N.case_id, N.deadline_key, N.kind, N.username, N.channel, N.due_date)
        deadlines = sorted({(n.case_id, n.deadline_key) for n in notices})
        now = self.clock.now()
        with self.db.begin() as conn:
            known: set[tuple[Any, ...]] = set()
            for start in range(0, len(deadlines), 500):
                part = deadlines[start : start + 500]
                # two plain INs on the unique index's leading columns: SQLite searches the
                # index for these (a row-value IN would scan the table); extra pairs are harmless
                found = select(*key).where(
                    and_(N.case_id.in_(sorted({c for c, _ in part})), N.deadline_key.in_(sorted({k for _, k in part})))
                )
                known |= {tuple(r) for r in conn.execute(found)}
            fresh = [n for n in dict.fromkeys(notices) if astuple(n) not in known]
            if fresh:
                rows = [{**asdict(n), "created_at": now} for n in fresh]
                conn.execute(_insert_ignore(conn.dialect.name), rows)  # another worker may have been first
        return len(fresh)

    def send_pending(
        self, channel: str, send: Callable[[Notification], None], limit: int = 100, skip: Collection[str] = ()
    ) -> int:
        """Hand unsent notifications to ``send`` one by one, each marked sent in the same
        transaction that claimed it (another worker skips it meanwhile)."""
        sent = 0
        for _ in range(limit):
            with self.db.begin() as conn:
                unsent = and_(NOTIFICATIONS.c.channel == channel, NOTIFICATIONS.c.sent_at.is_(None))
                if skip:
                    unsent = and_(unsent, NOTIFICATIONS.c.username.not_in(sorted(skip)))
                query = select(NOTIFICATIONS).where(unsent).order_by(NOTIFICATIONS.c.id).limit(1)
                if conn.dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                row = conn.execute(query).first()
                if row is None:
                    break
                send(_notification(row))
                conn.execute(update(NOTIFICATIONS).where(NOTIFICATIONS.c.id == row.id).values(sent_at=self.clock.now()))
                sent += 1
        return sent

    def send_digests(
        self, channel: str, users: Collection[str], today: date, send: Callable[[str, list[Notification]], None]
    ) -> int:
        """One overview per user per day, claimed by setting the day first (row lock on
        PostgreSQL), so two workers never both send it."""
        sent = 0
        for username in sorted(users):
            with self.db.begin() as conn:
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
                rows = conn.execute(
                    select(NOTIFICATIONS)
                    .where(
                        and_(
                            NOTIFICATIONS.c.username == username,
                            NOTIFICATIONS.c.channel == channel,
                            NOTIFICATIONS.c.sent_at.is_(None),
                        )
                    )
                    .order_by(NOTIFICATIONS.c.id)
                ).all()
                if not rows or not conn.execute(claim).rowcount:
                    continue  # nothing to tell, or today's overview went out already
                send(username, [_notification(r) for r in rows])
                ids = [r.id for r in rows]
                conn.execute(update(NOTIFICATIONS).where(NOTIFICATIONS.c.id.in_(ids)).values(sent_at=self.clock.now()))
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

    def now(self) -> datetime:
        return self.clock.now()


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


def _principal(conn: Connection, username: str) -> Principal | None:
    user = conn.execute(select(USERS).where(and_(USERS.c.username == username, USERS.c.active))).first()
    if user is None:
        return None
    rows = conn.execute(select(MEMBERSHIPS).where(MEMBERSHIPS.c.username == username).order_by(MEMBERSHIPS.c.id))
    memberships = tuple(Membership(r.role, r.school, frozenset(json.loads(r.groups))) for r in rows)
    return _in_board(conn, user.username, user.display_name, user.board, memberships)


def _in_board(conn: Connection, username: str, name: str, board: str, memberships: tuple[Membership, ...]) -> Principal:
    """The principal with its board-wide memberships limited to the schools of its board."""
    school_boards = {s.id: s.board for s in SqlSchools(conn).list()}
    return Principal(username, name, within_board(memberships, board, school_boards), board)
