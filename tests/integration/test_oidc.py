"""Login through a real OpenID Connect provider (panva/oidc-provider, started on loopback):
matching by subject or by the address an administrator set, the Dutch refusal for unknown
people, accounts made at first login, the second factor, and tampered or replayed answers."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pyotp
import pytest
from fastapi.testclient import TestClient

from adapters.identity.oidc import OidcClient, OidcSettings
from api.bootstrap import App
from api.web import create_app
from engine.access import Membership
from engine.errors import LoginFailed
from tests.oidc_support import CLIENT_ID, CLIENT_SECRET, log_in_at_provider, oidc_provider

REDIRECT = "https://testserver/inloggen/oidc"
PASSWORD = "een-lang-wachtwoord"


@pytest.fixture(scope="module")
def issuer() -> Iterator[str]:
    with oidc_provider(REDIRECT) as found:
        yield found


def settings(issuer: str, **extra: object) -> OidcSettings:
    return OidcSettings(issuer, CLIENT_ID, CLIENT_SECRET, REDIRECT, name="Testaanbieder", **extra)  # type: ignore[arg-type]


@pytest.fixture
def oidc_app(app: App, issuer: str) -> App:
    app.oidc = OidcClient(settings(issuer))
    app.engine.users.add(
        "mevr.jansen", "Marja Jansen (intern begeleider)", "b", PASSWORD,
        [Membership("intern_begeleider", "de-linde")], email="m.jansen@delinde.example",
    )
    return app


def sign_in(web: TestClient, subject: str, email: str, *, mfa: bool = False, next_page: str = "/") -> httpx.Response:
    start = web.get(f"/inloggen/oidc/start?next={next_page}", follow_redirects=False)
    assert start.status_code == 303
    back = log_in_at_provider(start.headers["location"], subject, email, mfa=mfa)
    assert back.startswith(REDIRECT + "?")
    return web.get(back.removeprefix("https://testserver"), follow_redirects=False)


def test_a_person_linked_by_email_lands_on_the_start_page_with_their_roles_and_later_by_subject(oidc_app: App) -> None:
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        assert "Inloggen met Testaanbieder" in web.get("/inloggen").text
        done = sign_in(web, "entra-4711", "M.Jansen@delinde.example")
        assert done.status_code == 303 and done.headers["location"] == "/"
        start = web.get("/").text
        assert "Marja Jansen" in start and 'href="/leerlingen"' not in start  # an IB, not a directeur
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:  # another day, a new address
        assert sign_in(web, "entra-4711", "marja@elders.example").headers["location"] == "/"


def test_an_unknown_person_gets_a_dutch_page_that_says_whom_to_ask(oidc_app: App) -> None:
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        refused = sign_in(web, "entra-9999", "onbekend@delinde.example")
        assert refused.status_code == 403
        assert "Geen account in trede" in refused.text and "Vraag de directeur" in refused.text
        assert web.get("/", follow_redirects=False).status_code == 303  # not logged in


def test_an_unknown_person_gets_an_account_without_roles_when_the_board_allows_it(oidc_app: App, issuer: str) -> None:
    oidc_app.oidc = OidcClient(settings(issuer, create_users=True))
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        assert sign_in(web, "entra-1234", "p.nieuw@delinde.example").headers["location"] == "/"
    made = oidc_app.engine.users.principal("p.nieuw")
    assert made is not None and made.memberships == ()


def test_the_trede_code_is_asked_unless_the_provider_asserts_a_second_factor(oidc_app: App, issuer: str) -> None:
    secret = pyotp.random_base32()
    oidc_app.engine.users.add(
        "dhr.code", "Met code", "b", PASSWORD, [Membership("directeur", "de-linde")], totp_secret=secret, email="code@delinde.example"
    )
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        assert sign_in(web, "entra-55", "code@delinde.example").headers["location"].startswith("/inloggen/code")
        assert web.get("/", follow_redirects=False).status_code == 303  # not in before the code
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        assert sign_in(web, "entra-55", "code@delinde.example", mfa=True).headers["location"] == "/"
    oidc_app.oidc = OidcClient(settings(issuer, trust_mfa=False))
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        assert sign_in(web, "entra-55", "code@delinde.example", mfa=True).headers["location"].startswith("/inloggen/code")


def test_an_answer_from_another_browser_or_a_second_time_is_refused(oidc_app: App) -> None:
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        start = web.get("/inloggen/oidc/start", follow_redirects=False)
        back = log_in_at_provider(start.headers["location"], "entra-4711", "m.jansen@delinde.example")
        path = back.removeprefix("https://testserver")
    with TestClient(create_app(oidc_app), base_url="https://testserver") as elsewhere:  # no state cookie
        other = elsewhere.get(path, follow_redirects=False)
        assert other.status_code == 401 and "hoort niet bij deze browser" in other.text
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        start = web.get("/inloggen/oidc/start", follow_redirects=False)
        state_cookie = web.cookies.get("trede_oidc")
        path = log_in_at_provider(start.headers["location"], "entra-4711", "m.jansen@delinde.example").removeprefix(
            "https://testserver"
        )
        assert web.get(path, follow_redirects=False).status_code == 303
        web.cookies.set("trede_oidc", state_cookie or "", domain="testserver.local", path="/inloggen/oidc")
        replay = web.get(path, follow_redirects=False)  # the same answer again, with the same cookie
        assert replay.status_code == 401 and "verlopen" in replay.text  # a state works once


def _real_id_token(client: OidcClient) -> tuple[str, str]:
    url, pending = client.begin()
    back = log_in_at_provider(url, "entra-4711", "m.jansen@delinde.example")
    code = dict(p.split("=", 1) for p in urlsplit(back).query.split("&"))["code"]
    response = client.http.post(
        client.metadata()["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": pending.verifier},
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    return response.json()["id_token"], pending.nonce


def _with_claims(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_tampered_id_token_is_refused(issuer: str) -> None:
    client = OidcClient(settings(issuer))
    token, nonce = _real_id_token(client)
    assert client.validate(token, nonce).subject == "entra-4711"  # the genuine one passes
    for forged in (_with_claims(token, sub="iemand-anders"), _with_claims(token, email="dhr.bos@delinde.example")):
        with pytest.raises(LoginFailed, match="gewijzigd"):
            client.validate(forged, nonce)
    with pytest.raises(LoginFailed, match="klopt niet"):
        client.validate(token, "een-andere-nonce")  # a token from another login
    payload = token.split(".")[1]
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode() + f".{payload}."
    with pytest.raises(LoginFailed):
        client.validate(unsigned, nonce)


def test_failed_returns_are_throttled_per_browser_address(oidc_app: App) -> None:
    with TestClient(create_app(oidc_app), base_url="https://testserver") as web:
        said = [web.get("/inloggen/oidc?code=x&state=vals", follow_redirects=False).text for _ in range(8)]
    assert "hoort niet bij deze browser" in said[0] and "Te veel mislukte pogingen" in said[-1]
