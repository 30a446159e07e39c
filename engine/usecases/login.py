"""Logging in: the password, the throttle against guessing, the one-time code of the second
factor, the device cookie of a browser that logged in before, and the session that starts.

Every check of a password or code is counted first, as a failure until it succeeds, in a
unit of work of its own (so parallel guesses are all counted); the slow password hash is
computed outside any transaction. The policy is engine/throttling.py and
engine/authentication.py."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from engine import throttling
from engine.account_ports import OneTimeCodes
from engine.authentication import TOTP_DRIFT, code_shape, token_hash
from engine.errors import StorageError
from engine.ports import UnitOfWork
from engine.usecases.base import Services
from engine.usecases.sessions import live_session, start_session
from engine.usecases.users import passwords_of


@dataclass(frozen=True)
class Throttle:
    """The outcome of asking to try a login: go ahead (with a ticket) or wait."""

    ticket: int | None
    wait_seconds: int = 0


class Refusal(Enum):
    WAIT = "wait"  # too many failures: try again after ``wait_seconds``
    WRONG = "wrong"  # the password or code is not right (or the user unknown)
    NO_SESSION = "no_session"  # the code came without a live session (it expired, or was ended)


@dataclass(frozen=True)
class LoginOutcome:
    """What a login step gives the browser: a session cookie, or why not."""

    refused: Refusal | None = None
    wait_seconds: int = 0
    token: str | None = None  # the new session's cookie
    needs_code: bool = False  # the session is half-way: the second factor is still to come
    username: str | None = None

    @property
    def waiting(self) -> bool:
        return self.refused is Refusal.WAIT

    @property
    def without_session(self) -> bool:
        return self.refused is Refusal.NO_SESSION


@dataclass
class Login:
    services: Services
    _secret: str | None = None  # signs device cookies; made once per installation

    # --- steps -------------------------------------------------------------------------

    def password(self, username: str, password: str, client: str, device_cookie: str | None = None) -> LoginOutcome:
        """The first step: user name and password, from ``client`` (its address)."""
        passwords = passwords_of(self.services)
        attempt = self.begin_attempt(username, client, self.trusted_device(username, device_cookie))
        if attempt.ticket is None:
            return LoginOutcome(Refusal.WAIT, attempt.wait_seconds)
        with self.services.uow() as uow:
            stored = uow.users.password_hash(username)
        if stored is None:
            passwords.hash(password)  # the same work for unknown users: no timing hint
            ok = False
        else:
            ok = passwords.verify(stored, password)
        if not ok:
            return LoginOutcome(Refusal.WRONG)  # the attempt stays counted as a failure
        # a hash made with older (heavier) parameters is replaced, hashed outside the transaction
        renewed = passwords.hash(password) if stored is not None and passwords.needs_rehash(stored) else None
        with self.services.uow(write=True) as uow:
            uow.login_attempts.succeeded(attempt.ticket)
            if renewed is not None:
                uow.users.set_password_hash(username, renewed)
            needs_code = uow.users.totp_secret(username) is not None
            token, _ = start_session(self.services, uow, username, second_factor_done=not needs_code)
            uow.commit()
        return LoginOutcome(token=token, needs_code=needs_code, username=username)

    def code(self, token: str, code: str, client: str, device_cookie: str | None = None) -> LoginOutcome:
        """The second step: the one-time code for the half-way session of ``token``. The
        session is then ended and a full one started under a new token, so that a token seen
        before the second factor is worth nothing after it. Each code's time step counts once."""
        with self.services.uow() as uow:
            session = live_session(self.services, uow, token) if token else None
            uow.commit()
        if session is None:
            return LoginOutcome(Refusal.NO_SESSION)
        username = session.username
        attempt = self.begin_attempt(username, client, self.trusted_device(username, device_cookie))
        if attempt.ticket is None:
            return LoginOutcome(Refusal.WAIT, attempt.wait_seconds, username=username)
        with self.services.uow(write=True) as uow:
            if not self._code_ok(uow, username, code):
                return LoginOutcome(Refusal.WRONG, username=username)
            uow.login_attempts.succeeded(attempt.ticket)
            rotated = uow.sessions.remove(token_hash(token))
            new_token = start_session(self.services, uow, username, second_factor_done=True)[0] if rotated else None
            uow.commit()
        if new_token is None:
            return LoginOutcome(Refusal.NO_SESSION, username=username)
        return LoginOutcome(token=new_token, username=username)

    def identified(self, username: str, second_factor_asserted: bool) -> LoginOutcome:
        """A person the identity provider vouched for (engine/usecases/identities.py) gets a
        session; it waits for trede's own code when they have one, unless the provider
        asserted a second factor (and the board trusts that)."""
        with self.services.uow(write=True) as uow:
            needs_code = uow.users.totp_secret(username) is not None and not second_factor_asserted
            token, _ = start_session(self.services, uow, username, second_factor_done=not needs_code)
            uow.commit()
        return LoginOutcome(token=token, needs_code=needs_code, username=username)

    def _code_ok(self, uow: UnitOfWork, username: str, code: str) -> bool:
        """A valid code that has not been used before: each time step is accepted once."""
        secret = uow.users.totp_secret(username)
        shaped = code_shape(code)
        if not secret or shaped is None:
            return False
        step = self._codes().step(secret, shaped, self.services.clock.now(), TOTP_DRIFT)
        return step is not None and uow.users.use_totp_step(username, step)

    def _codes(self) -> OneTimeCodes:
        if self.services.codes is None:
            raise StorageError("Er is geen controle van inlogcodes ingesteld; de tweede stap kan hier niet.")
        return self.services.codes

    # --- the throttle --------------------------------------------------------------------

    def begin_attempt(self, username: str, client: str, device: str | None = None) -> Throttle:
        """Ask to check a password or code. Counted atomically *before* the check, as a
        failure until ``finish_attempt`` says otherwise, so parallel guesses are counted too.
        ``device``: the nonce of a genuine device cookie for this user name (``trusted_device``);
        what it changes is ``engine.throttling.decide_login``."""
        now = self.services.clock.now()
        with self.services.uow(write=True) as uow:
            uow.login_attempts.lock()
            decision = throttling.decide_login(username, client, device, now, uow.login_attempts.failures)
            if decision.wait_seconds > 0:
                return Throttle(None, decision.wait_seconds)
            ticket = uow.login_attempts.add(username, decision.client, now)
            uow.commit()
        return Throttle(ticket)

    def finish_attempt(self, ticket: int, succeeded: bool) -> None:
        if succeeded:
            with self.services.uow(write=True) as uow:
                uow.login_attempts.succeeded(ticket)
                uow.commit()

    def device_cookie(self, username: str) -> str:
        """A new device cookie for a browser that just logged in as this user."""
        return throttling.device_cookie(self._device_secret(), username)

    def trusted_device(self, username: str, cookie: str | None) -> str | None:
        """The nonce of the browser's device cookie when it is genuine and made for this user."""
        return throttling.device_nonce(self._device_secret(), username, cookie) if cookie else None

    def _device_secret(self) -> str:
        if self._secret is None:
            with self.services.uow(write=True) as uow:
                self._secret = uow.settings.secret("device_cookie")
                uow.commit()
        return self._secret
