"""What the engine needs to know who is asking, as ports: users, sessions, tokens, links to
an identity provider, login attempts and notifications (adapters/sql implements them, inside
the unit of work), and the two secrets people type: passwords and one-time codes.

Tokens reach storage only as their SHA-256 (``engine.authentication.token_hash``): the
repositories are given and compare hashes, never a token itself.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol as Port

from engine.access import Membership
from engine.throttling import AttemptQuery, Failures

# --- users -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """An active user as stored: the memberships as an administrator gave them, board-wide
    ones not yet limited to the schools of their board (``engine.access.within_board``)."""

    username: str
    display_name: str
    board: str
    memberships: tuple[Membership, ...]


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    board: str
    password_hash: str  # "!" for an account that logs in through the identity provider only
    memberships: tuple[Membership, ...] = ()
    totp_secret: str | None = None
    email: str | None = None


class UserRepository(Port):
    def add(self, user: NewUser) -> None: ...

    def account(self, username: str) -> Account | None:
        """The active user of that name, with their memberships in the order given."""
        ...

    def accounts(self, holding: Collection[str] | None = None) -> list[Account]:
        """Every active user with their memberships, by name, at a cost that does not grow per
        user; ``holding``: only those who hold one of these roles somewhere."""
        ...

    def has_users(self) -> bool: ...

    def names_starting(self, prefix: str) -> set[str]:
        """User names (active or not) that start with ``prefix``."""
        ...

    def display_names(self, usernames: Collection[str] | None = None) -> dict[str, str]:
        """username -> the name people know them by: for every user, or for those of
        ``usernames`` who are users (read with the case they are shown with)."""
        ...

    def password_hash(self, username: str) -> str | None:
        """The stored hash of an active user's password; None for anyone else."""
        ...

    def set_password_hash(self, username: str, password_hash: str) -> None:
        """Store a new hash of the user's password (the same password, hashed anew)."""
        ...

    def totp_secret(self, username: str) -> str | None: ...

    def use_totp_step(self, username: str, step: int) -> bool:
        """Record ``step`` as the user's last used one-time code step, unless that step or a
        later one was used already: then nothing changes and the answer is False."""
        ...

    def email(self, username: str) -> str | None: ...

    def set_email(self, username: str, email: str | None) -> None: ...

    def with_email(self, email: str) -> list[str]:
        """The active users with this e-mail address (compared without case)."""
        ...

    def mail_digest(self, username: str) -> bool: ...

    def set_mail_digest(self, username: str, daily: bool) -> None: ...

    def digest_users(self) -> set[str]:
        """Active users who chose one overview mail a day instead of a mail per notice."""
        ...

    def claim_digest(self, username: str, today: date) -> bool:
        """Mark today's overview of this user as sent; False when it was marked already
        (PostgreSQL: the row stays locked until the unit of work ends)."""
        ...

    def emails(self) -> dict[str, str | None]:
        """Every active user's e-mail address (None: they have none)."""
        ...

    def teacher_roles(self, school: str) -> dict[str, int]:
        """username -> the id of their leerkracht membership at ``school``."""
        ...

    def set_groups(self, membership_id: int, groups: Collection[str]) -> None: ...


# --- sessions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredSession:
    token_hash: str
    username: str
    csrf_token: str
    created_at: datetime
    last_seen: datetime
    second_factor_done: bool
    flash: dict[str, str] | None = None  # a message for the next page it shows


class SessionRepository(Port):
    def add(self, session: StoredSession) -> None: ...

    def get(self, token_hash: str) -> StoredSession | None: ...

    def seen(self, token_hash: str, at: datetime) -> None: ...

    def remove(self, token_hash: str) -> bool:
        """End the session; False when there was none (another request ended it first)."""
        ...

    def set_flash(self, token_hash: str, flash: dict[str, str] | None) -> None: ...


# --- API tokens and calendar feeds ---------------------------------------------------------


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


class ApiTokenRepository(Port):
    def add(self, token_hash: str, username: str, label: str, created_at: datetime, expires_at: datetime) -> None: ...

    def account(self, token_hash: str, now: datetime) -> Account | None:
        """The active user behind a token that is neither revoked nor expired at ``now``."""
        ...

    def list(self, username: str) -> list[ApiToken]:
        """This user's tokens, oldest first."""
        ...

    def revoke(self, username: str, id_prefix: str) -> bool:
        """Revoke the user's tokens whose hash starts with ``id_prefix``; False when none."""
        ...


class FeedRepository(Port):
    def replace(self, token_hash: str, username: str, created_at: datetime) -> None:
        """The user's one live feed: earlier ones are revoked."""
        ...

    def revoke_all(self, username: str) -> None: ...

    def owner(self, token_hash: str) -> str | None:
        """The user whose live feed this is."""
        ...


# --- OpenID Connect ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingLogin:
    """A login on its way to the identity provider, kept by the hash of its state."""

    state_hash: str
    nonce: str
    verifier: str  # the PKCE code verifier
    next: str
    created_at: datetime


class IdentityRepository(Port):
    def linked_user(self, issuer: str, subject: str) -> str | None:
        """The active user this provider's subject is linked to."""
        ...

    def subject_of(self, issuer: str, username: str) -> str | None:
        """The subject at this provider the user is linked to already."""
        ...

    def subjects(self, username: str) -> list[tuple[str, str]]:
        """Every (issuer, subject) linked to this user, in a stable order."""
        ...

    def link(self, issuer: str, subject: str, username: str, by: str, at: datetime) -> None: ...

    def unlink(self, issuer: str, subject: str) -> None: ...


class PendingLoginRepository(Port):
    def add(self, login: PendingLogin) -> None: ...

    def forget_before(self, moment: datetime) -> None:
        """Remove the logins started before ``moment``."""
        ...

    def take(self, state_hash: str) -> PendingLogin | None:
        """Remove and return the login; None when unknown or taken by another request."""
        ...


# --- login attempts ----------------------------------------------------------------------------


class LoginAttemptRepository(Port):
    def lock(self) -> None:
        """Keep other units of work from counting or recording attempts until this one ends
        (so parallel guesses are all counted)."""
        ...

    def failures(self, query: AttemptQuery) -> Failures:
        """How many attempts the query matches that did not succeed, and when the last was."""
        ...

    def add(self, username: str, client: str, at: datetime) -> int:
        """Record an attempt (as a failure until it is marked otherwise); returns its ticket."""
        ...

    def succeeded(self, ticket: int) -> None: ...


# --- notifications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Notification:
    id: int
    case_id: str | None  # None: a notice about a protocol (PROTOCOL_NOTICE), not a case
    deadline_key: str
    kind: str
    username: str
    channel: str
    due_date: str
    created_at: datetime


@dataclass(frozen=True)
class Notice:
    """One thing to tell one person on one channel about one deadline (occurrence), or about
    a protocol (``case_id`` None, kind PROTOCOL_NOTICE)."""

    case_id: str | None
    deadline_key: str
    kind: str
    username: str
    channel: str
    due_date: str


class NotificationRepository(Port):
    def record(self, notices: Sequence[Notice], at: datetime) -> int:
        """Record each notice once (by any worker, for each due date); returns how many are
        new. Known ones are read for the deadlines at hand only, so a round costs the same
        whatever the number of notices recorded before."""
        ...

    def next_unsent(self, channel: str, skip: Collection[str] = ()) -> Notification | None:
        """The oldest unsent notice on the channel, not of the users in ``skip``; held by this
        unit of work (PostgreSQL: others skip it until it ends)."""
        ...

    def unsent(self, username: str, channel: str) -> list[Notification]:
        """A user's unsent notices on the channel, oldest first."""
        ...

    def mark_sent(self, ids: Sequence[int], at: datetime) -> None: ...

    def of_user(self, username: str, channel: str, limit: int) -> list[Notification]:
        """A user's notices on the channel, newest first."""
        ...


# --- the secrets people type -------------------------------------------------------------------


class PasswordHasher(Port):
    """A slow, salted hash (argon2id): a copy of the database does not give the passwords."""

    def hash(self, password: str) -> str: ...

    def verify(self, stored: str, password: str) -> bool:
        """Whether ``password`` is the one ``stored`` was made of; False for a malformed hash."""
        ...

    def needs_rehash(self, stored: str) -> bool:
        """Whether ``stored`` was made with other parameters than the ones hashes are made with now."""
        ...


class OneTimeCodes(Port):
    """Time-based one-time codes (RFC 6238) of an authenticator app."""

    def step(self, secret: str, code: str, at: datetime, drift: int) -> int | None:
        """The time step at which ``code`` is valid: the step of ``at``, or one up to ``drift``
        steps before or after it (tried in that order); None when it is valid at none."""
        ...

    def new_secret(self) -> str: ...
