"""The policy of who is asking: how long sessions, tokens and logins on their way to the
identity provider live, how tokens are kept, and which one-time codes count.

Pure functions and constants: the use cases (engine/usecases/login.py, sessions.py,
tokens.py, identities.py) apply them to what the repositories return, on the engine's
clock, so every rule here is tested without a database (tests/unit/test_authentication.py).
The policy against guessing is engine/throttling.py.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import Enum

IDLE_TIMEOUT = timedelta(minutes=30)  # a session unused this long is ended
SEEN_EVERY = timedelta(minutes=1)  # how precisely the idle timeout counts: not a durable write per page view
TOKEN_LIFETIME = timedelta(days=90)  # an API token's, unless its owner chooses
OIDC_LOGIN_LIFETIME = timedelta(minutes=10)  # from leaving for the identity provider to coming back
TOTP_DRIFT = 1  # one-time codes of this many time steps before or after now count too (clock drift)
FLASH_LIMITS = {"message": 2000, "field": 100}  # characters kept of a flash message's parts
# Who is behind an API token is remembered by each server process for at most this long
# (engine/usecases/tokens.py, PrincipalCache): a revoked or expired token, a user made
# inactive and changed roles take effect on every process within this bound. Revoking a
# token, saving a school and an import that links groups forget the remembered principals of
# their own process at once.
TOKEN_CACHE_TTL = timedelta(seconds=5)
TOKEN_CACHE_SIZE = 1024  # tokens remembered per process (the least recently used go first)


def token_hash(token: str) -> str:
    """How a session, API or feed token is kept: its SHA-256, so a copy of the database
    does not let anyone in."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return "trd_" + secrets.token_urlsafe(32)


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Idle(Enum):
    """What a session's last use means for it now."""

    FRESH = "fresh"  # in use: leave it
    SEEN = "seen"  # in use: record that it was seen now
    EXPIRED = "expired"  # unused too long: end it


def idle(last_seen: datetime, now: datetime) -> Idle:
    if now - last_seen > IDLE_TIMEOUT:
        return Idle.EXPIRED
    if now - last_seen >= SEEN_EVERY:
        return Idle.SEEN
    return Idle.FRESH


def pending_login_expired(created_at: datetime, now: datetime) -> bool:
    """A login that took too long at the identity provider is not taken back."""
    return created_at < now - OIDC_LOGIN_LIFETIME


def token_expiry(now: datetime, lifetime: timedelta = TOKEN_LIFETIME) -> datetime:
    return now + lifetime


def code_shape(code: str) -> str | None:
    """A one-time code as typed, if it looks like one (six digits)."""
    code = code.strip()
    return code if code.isdigit() and len(code) == 6 else None


def flash(message: str, field: str | None = None, kind: str = "error") -> dict[str, str]:
    """A message for the next page a session shows, within its limits."""
    return {"message": message[: FLASH_LIMITS["message"]], "field": (field or "")[: FLASH_LIMITS["field"]], "kind": kind}


def username_base(email: str | None, subject: str) -> str:
    """The user name for an account made at first login through the identity provider: the
    part of the e-mail address (else the subject) before the @, in the characters a user
    name may hold."""
    base = (email or subject).split("@")[0].lower()
    return "".join(c for c in base if c.isalnum() or c in ".-_")[:40] or "gebruiker"


def free_username(base: str, taken: set[str]) -> str:
    """``base``, or ``base2``, ``base3``, ... whichever is not ``taken``."""
    return base if base not in taken else next(f"{base}{n}" for n in range(2, 10_000) if f"{base}{n}" not in taken)
