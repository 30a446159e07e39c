"""OpenID Connect login against the board's identity provider (Microsoft Entra ID, Google
Workspace, Kennisnet's Entree Federatie, ...): the authorization code flow with PKCE (S256),
state and nonce, and a validated ID token.

Configuration comes from the environment:

    TREDE_OIDC_ISSUER          e.g. https://login.microsoftonline.com/<tenant>/v2.0
    TREDE_OIDC_CLIENT_ID       the client registered for trede
    TREDE_OIDC_CLIENT_SECRET   its secret
    TREDE_OIDC_NAME            the button's words, e.g. "Microsoft" (default "uw schoolaccount")
    TREDE_OIDC_SCOPES          default "openid email profile"
    TREDE_OIDC_TRUST_MFA       1 (default): no trede code when the ID token's amr says "mfa"
    TREDE_OIDC_CREATE_USERS    1: an unknown person gets an account without roles (default 0)

The provider only says who someone is. Which roles they hold at which school stays trede's
own: an identity provider does not know who the intern begeleider is.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from engine.errors import LoginFailed

LEEWAY = 60  # seconds of clock difference allowed between trede and the provider
DISCOVERY_TTL = 3600.0
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    name: str = "uw schoolaccount"
    scopes: str = "openid email profile"
    trust_mfa: bool = True
    create_users: bool = False

    def __post_init__(self) -> None:
        host = urlsplit(self.issuer).hostname or ""
        if not self.issuer.startswith("https://") and host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("TREDE_OIDC_ISSUER moet een https-adres zijn")

    @classmethod
    def from_environment(cls, base_url: str) -> OidcSettings | None:
        issuer = os.environ.get("TREDE_OIDC_ISSUER", "").strip().rstrip("/")
        if not issuer:
            return None
        return cls(
            issuer=issuer,
            client_id=os.environ["TREDE_OIDC_CLIENT_ID"],
            client_secret=os.environ.get("TREDE_OIDC_CLIENT_SECRET", ""),
            redirect_uri=base_url.rstrip("/") + "/inloggen/oidc",
            name=os.environ.get("TREDE_OIDC_NAME", "uw schoolaccount"),
            scopes=os.environ.get("TREDE_OIDC_SCOPES", "openid email profile"),
            trust_mfa=os.environ.get("TREDE_OIDC_TRUST_MFA", "1") != "0",
            create_users=os.environ.get("TREDE_OIDC_CREATE_USERS", "0") == "1",
        )


@dataclass(frozen=True)
class Pending:
    """What the login's start leaves for its return: kept server-side, used once."""

    state: str
    nonce: str
    verifier: str


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    amr: tuple[str, ...]

    @property
    def strong(self) -> bool:
        """The provider asserts a second factor (RFC 8176 'mfa')."""
        return "mfa" in self.amr


@dataclass
class OidcClient:
    settings: OidcSettings
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10.0))
    _metadata: dict[str, Any] | None = None
    _fetched: float = 0.0
    _keys: KeySet | None = None

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, refreshed hourly."""
        if self._metadata is None or time.monotonic() - self._fetched > DISCOVERY_TTL:
            found = self._get(self.settings.issuer + "/.well-known/openid-configuration")
            if str(found.get("issuer", "")).rstrip("/") != self.settings.issuer:
                raise LoginFailed("de aanbieder noemt een andere issuer dan ingesteld")
            self._metadata, self._fetched, self._keys = found, time.monotonic(), None
        return self._metadata

    def begin(self) -> tuple[str, Pending]:
        """The address to send the person to, and what to keep until they return."""
        pending = Pending(secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(48))
        query = {
            "response_type": "code",
            "client_id": self.settings.client_id,
            "redirect_uri": self.settings.redirect_uri,
            "scope": self.settings.scopes,
            "state": pending.state,
            "nonce": pending.nonce,
            "code_challenge": create_s256_code_challenge(pending.verifier),
            "code_challenge_method": "S256",
        }
        return f"{self.metadata()['authorization_endpoint']}?{urlencode(query)}", pending

    def finish(self, code: str, pending: Pending) -> Identity:
        """Exchange the code (with the PKCE verifier) and validate the ID token."""
        try:
            response = self.http.post(
                self.metadata()["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": self.settings.redirect_uri,
                    "code_verifier": pending.verifier,
                },
                auth=(self.settings.client_id, self.settings.client_secret),
            )
        except httpx.HTTPError:
            raise LoginFailed("de aanbieder is niet bereikbaar") from None
        if response.status_code != 200:
            raise LoginFailed(f"de aanbieder weigerde de code ({response.status_code})")
        tokens = response.json()
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise LoginFailed("de aanbieder gaf geen ID-token")
        identity = self.validate(id_token, pending.nonce)
        if identity.email is None and isinstance(tokens.get("access_token"), str):
            identity = self._with_userinfo(identity, tokens["access_token"])
        return identity

    def _with_userinfo(self, identity: Identity, access_token: str) -> Identity:
        """A conforming provider may keep e-mail out of the ID token: ask the userinfo
        endpoint, and use its answer only when it is about the same subject."""
        endpoint = self.metadata().get("userinfo_endpoint")
        if not endpoint:
            return identity
        try:
            response = self.http.get(endpoint, headers={"Authorization": f"Bearer {access_token}"})
            info = response.json() if response.status_code == 200 else {}
        except (httpx.HTTPError, ValueError):
            return identity
        if not isinstance(info, dict) or str(info.get("sub")) != identity.subject or not info.get("email"):
            return identity
        return replace(
            identity,
            email=str(info["email"]).strip().lower(),
            email_verified=info.get("email_verified") is True,
            name=identity.name or (str(info["name"]) if info.get("name") else None),
        )

    def validate(self, id_token: str, nonce: str) -> Identity:
        """Signature (the provider's published keys), issuer, audience, expiry and nonce."""
        try:
            token = jwt.decode(id_token, self._key_set(), algorithms=list(ALGORITHMS))
        except JoseError:
            self._keys = None  # the provider may have rotated its keys: fetch them next time
            raise LoginFailed("het ID-token is niet door de aanbieder ondertekend of is gewijzigd") from None
        except ValueError:
            raise LoginFailed("het ID-token is onleesbaar") from None
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": self.settings.issuer},
            aud={"essential": True, "value": self.settings.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(token.claims)
        except JoseError as exc:
            raise LoginFailed(f"het ID-token klopt niet ({exc.error})") from None
        claims = token.claims
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.settings.client_id:
            raise LoginFailed("het ID-token is voor een andere toepassing bedoeld")
        amr = claims.get("amr") or []
        return Identity(
            issuer=self.settings.issuer,
            subject=str(claims["sub"]),
            email=str(claims["email"]).strip().lower() if claims.get("email") else None,
            email_verified=claims.get("email_verified") is True,
            name=str(claims["name"]) if claims.get("name") else None,
            amr=tuple(str(a) for a in amr) if isinstance(amr, list) else (),
        )

    def _key_set(self) -> KeySet:
        if self._keys is None:
            self._keys = KeySet.import_key_set(self._get(self.metadata()["jwks_uri"]))  # type: ignore[arg-type]
        return self._keys

    def _get(self, url: str) -> dict[str, Any]:
        try:
            response = self.http.get(url)
            response.raise_for_status()
            found = response.json()
        except (httpx.HTTPError, ValueError):
            raise LoginFailed("de aanbieder is niet bereikbaar of antwoordt onleesbaar") from None
        if not isinstance(found, dict):
            raise LoginFailed("de aanbieder antwoordt onleesbaar")
        return found
