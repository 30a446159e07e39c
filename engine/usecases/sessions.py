"""Sessions of people in a browser: who is asking (one unit of work per page), the message a
session keeps for its next page, and the end of a session.

A session cookie is kept only as its SHA-256; a session unused for ``IDLE_TIMEOUT`` ends
(engine/authentication.py)."""

from __future__ import annotations

from dataclasses import dataclass

from engine import authentication as policy
from engine.access import Principal
from engine.account_ports import StoredSession
from engine.authentication import Idle, token_hash
from engine.errors import StorageError
from engine.ports import UnitOfWork
from engine.usecases.base import Services
from engine.usecases.users import principal_of


@dataclass(frozen=True)
class Visit:
    """Who is asking through a session: the person, the session's CSRF token, and the
    message the session kept for this page (taken: no later page shows it again)."""

    principal: Principal
    csrf_token: str
    flash: dict[str, str] | None = None


def live_session(services: Services, uow: UnitOfWork, token: str) -> StoredSession | None:
    """The live session for this cookie; an idle one is ended. The unit of work is to be
    committed: it may have written (the end, or when the session was last seen)."""
    digest = token_hash(token)
    session = uow.sessions.get(digest)
    if session is None:
        return None
    now = services.clock.now()
    state = policy.idle(session.last_seen, now)
    if state is Idle.EXPIRED:
        uow.sessions.remove(digest)
        return None
    if state is Idle.SEEN:
        uow.sessions.seen(digest, now)
    return session


def start_session(services: Services, uow: UnitOfWork, username: str, second_factor_done: bool) -> tuple[str, str]:
    """A new session (cookie, CSRF token) in this unit of work."""
    token, csrf = policy.new_session_token(), policy.new_session_token()
    now = services.clock.now()
    uow.sessions.add(StoredSession(token_hash(token), username, csrf, now, now, second_factor_done))
    return token, csrf


@dataclass
class Sessions:
    services: Services

    def visit(self, token: str) -> Visit | None:
        """Who is asking with this session cookie, in one unit of work: the live session
        (seen now), its user as a principal, and the message it kept for this page (taken).
        None for no session, an idle one, one still waiting for its second factor, or a user
        who is no longer active."""
        try:
            return self._visit(token, write=False)
        except StorageError:
            # SQLite: a visit that writes (seen, ended, the message taken) upgrades its read
            # transaction, which SQLite refuses at once when another writer committed since the
            # read began (a 503 under load). Again as a writer: it queues for the lock.
            return self._visit(token, write=True)

    def _visit(self, token: str, *, write: bool) -> Visit | None:
        with self.services.uow(write=write) as uow:
            session = live_session(self.services, uow, token)
            found = None
            if session is not None and session.second_factor_done:
                principal = principal_of(uow, uow.users.account(session.username))
                if principal is not None:
                    if session.flash is not None:
                        uow.sessions.set_flash(session.token_hash, None)
                    found = Visit(principal, session.csrf_token, session.flash)
            uow.commit()
        return found

    def start(self, username: str, second_factor_done: bool) -> tuple[str, str]:
        """A new session: (the cookie's token, the CSRF token)."""
        with self.services.uow(write=True) as uow:
            started = start_session(self.services, uow, username, second_factor_done)
            uow.commit()
        return started

    def set_flash(self, token: str, message: str, field: str | None = None, kind: str = "error") -> None:
        """A message for the next page this session shows (after a redirect)."""
        with self.services.uow(write=True) as uow:
            uow.sessions.set_flash(token_hash(token), policy.flash(message, field, kind))
            uow.commit()

    def end(self, token: str) -> None:
        with self.services.uow(write=True) as uow:
            uow.sessions.remove(token_hash(token))
            uow.commit()
