"""Logging in through the board's identity provider (OpenID Connect): the login on its way
to the provider (state, nonce and PKCE verifier, each login taken back once and only in
time), and which trede user the person who comes back is.

The person is matched by the provider's stable subject, or once by the (verified) e-mail
address an administrator gave exactly one user; roles and schools stay trede's own."""

from __future__ import annotations

from dataclasses import dataclass

from engine import authentication as policy
from engine.account_ports import NewUser, PendingLogin
from engine.authentication import token_hash
from engine.usecases.base import Services

NO_PASSWORD = "!"  # the password hash of an account that logs in through the provider only


@dataclass
class Identities:
    services: Services

    def begin(self, state: str, nonce: str, verifier: str, next: str) -> None:
        """Keep a login on its way to the provider (by the state's hash; stale ones go)."""
        now = self.services.clock.now()
        with self.services.uow(write=True) as uow:
            uow.pending_logins.forget_before(now - policy.OIDC_LOGIN_LIFETIME)
            uow.pending_logins.add(PendingLogin(token_hash(state), nonce, verifier, next, now))
            uow.commit()

    def take(self, state: str) -> tuple[str, str, str] | None:
        """(nonce, verifier, next) of a login that came back in time; a state works once."""
        with self.services.uow(write=True) as uow:
            pending = uow.pending_logins.take(token_hash(state))
            uow.commit()
        if pending is None or policy.pending_login_expired(pending.created_at, self.services.clock.now()):
            return None
        return pending.nonce, pending.verifier, pending.next

    def user_for(self, issuer: str, subject: str, email: str | None, email_verified: bool) -> str | None:
        """The active user this person is: by the subject linked before; else, once, by the
        (verified) e-mail address an administrator gave exactly one user, which links it."""
        with self.services.uow(write=True) as uow:
            linked = uow.identities.linked_user(issuer, subject)
            if linked is not None:
                return linked
            if not email or not email_verified:
                return None
            found = uow.users.with_email(email)
            if len(found) != 1:
                return None  # nobody, or an address two accounts share: an administrator decides
            if uow.identities.subject_of(issuer, found[0]) is not None:
                return None  # that account is linked to another person at the provider already
            uow.identities.link(issuer, subject, found[0], "e-mail", self.services.clock.now())
            uow.commit()
        return found[0]

    def link(self, username: str, issuer: str, subject: str, by: str) -> None:
        """An administrator links a provider's subject to a user explicitly."""
        with self.services.uow(write=True) as uow:
            uow.identities.unlink(issuer, subject)
            uow.identities.link(issuer, subject, username, by, self.services.clock.now())
            uow.commit()

    def create(self, issuer: str, subject: str, email: str | None, name: str | None, board: str) -> str:
        """A user without any role, made on first login (when the board allows it)."""
        base = policy.username_base(email, subject)
        with self.services.uow(write=True) as uow:
            username = policy.free_username(base, uow.users.names_starting(base))
            uow.users.add(NewUser(username, (name or username)[:100], board, NO_PASSWORD, email=email))
            uow.identities.link(issuer, subject, username, "aangemaakt bij inloggen", self.services.clock.now())
            uow.commit()
        return username
