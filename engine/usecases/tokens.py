"""API tokens for integrations and the secret addresses of calendar feeds: made (shown
once), listed, revoked, and who is behind one. Both are kept only as their SHA-256."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import timedelta

from engine import authentication as policy
from engine.access import Principal
from engine.account_ports import ApiToken
from engine.authentication import TOKEN_LIFETIME, token_hash
from engine.usecases.base import Services
from engine.usecases.users import principal_of

LONGEST_TOKEN = 100  # characters: anything longer was never made here


@dataclass
class Tokens:
    services: Services

    # --- API tokens -----------------------------------------------------------------------

    def create(self, username: str, label: str, lifetime: timedelta = TOKEN_LIFETIME) -> str:
        """A new API token for this user; the token itself is returned once and never kept."""
        token = policy.new_api_token()
        now = self.services.clock.now()
        with self.services.uow(write=True) as uow:
            uow.api_tokens.add(token_hash(token), username, label, now, policy.token_expiry(now, lifetime))
            uow.commit()
        return token

    def list(self, username: str) -> builtins.list[ApiToken]:
        with self.services.uow() as uow:
            return uow.api_tokens.list(username)

    def revoke(self, username: str, token_id: str) -> bool:
        """Revoke one of this user's tokens by the id shown in their list."""
        if len(token_id) < 8:
            return False
        with self.services.uow(write=True) as uow:
            done = uow.api_tokens.revoke(username, token_id)
            uow.commit()
        self.services.token_principals.clear()  # this process at once; the others within the cache's bound
        return done

    def principal(self, token: str) -> Principal | None:
        """The active user behind a live API token (neither revoked nor expired), with their
        roles; remembered for at most TOKEN_CACHE_TTL (engine/authentication.py)."""
        remembered = self.remembered(token)
        if remembered is not None or len(token) > LONGEST_TOKEN:
            return remembered
        now = self.services.clock.now()
        digest = token_hash(token)
        with self.services.uow() as uow:
            found = principal_of(uow, uow.api_tokens.account(digest, now))
        if found is not None:
            self.services.token_principals.put(digest, found, now)
        return found

    def remembered(self, token: str) -> Principal | None:
        """The principal behind this token if this process looked it up less than
        TOKEN_CACHE_TTL ago (no unit of work; None: look it up with ``principal``)."""
        if len(token) > LONGEST_TOKEN:
            return None
        return self.services.token_principals.get(token_hash(token))

    # --- calendar feeds ----------------------------------------------------------------------

    def create_feed(self, username: str) -> str:
        """A new secret feed URL token; earlier ones of this user stop working."""
        token = policy.new_feed_token()
        with self.services.uow(write=True) as uow:
            uow.feeds.replace(token_hash(token), username, self.services.clock.now())
            uow.commit()
        return token

    def revoke_feeds(self, username: str) -> None:
        with self.services.uow(write=True) as uow:
            uow.feeds.revoke_all(username)
            uow.commit()

    def feed_principal(self, token: str) -> Principal | None:
        """The active user whose live feed this is."""
        if len(token) >= LONGEST_TOKEN:
            return None
        with self.services.uow() as uow:
            username = uow.feeds.owner(token_hash(token))
            return principal_of(uow, uow.users.account(username)) if username else None
