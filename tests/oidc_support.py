"""A real OpenID Connect provider for the tests: panva/oidc-provider under node, started on
loopback (tests/oidc/provider.mjs). Skips when node or the package is missing, unless
TREDE_REQUIRE_OIDC=1 (as in .ci/run): then it fails."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.servers import started

PROVIDER_DIR = Path(__file__).parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "trede-test", "een-test-geheim-voor-trede"


def _unavailable(reason: str) -> None:
    if os.environ.get("TREDE_REQUIRE_OIDC") == "1":
        pytest.fail(f"the OpenID provider is required here: {reason}")
    pytest.skip(reason)


def _installed() -> bool:
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        return True
    npm = shutil.which("npm")
    if npm is None:
        return False
    # one test process installs while the others (pytest-xdist) wait for it
    lock = Path(tempfile.gettempdir()) / f"trede-oidc-{hashlib.sha256(str(PROVIDER_DIR).encode()).hexdigest()[:12]}.lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
            return True
        # node_modules is not tracked: installing it writes no tracked file
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, capture_output=True, timeout=300)
        return done.returncode == 0


@contextmanager
def oidc_provider(redirect_uri: str) -> Iterator[str]:
    """The provider's issuer address, for as long as the block runs."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed")
    if not _installed():
        _unavailable("oidc-provider could not be installed (npm ci in tests/oidc)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [str(node), "provider.mjs", str(port), CLIENT_ID, CLIENT_SECRET, redirect_uri]
    with started(args, cwd=PROVIDER_DIR, name="the OpenID provider") as provider:
        provider.wait_for_output("ready ")
        yield f"http://127.0.0.1:{port}"


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form":
            self.action = dict(attrs).get("action")


def log_in_at_provider(auth_url: str, subject: str, email: str, *, mfa: bool = False) -> str:
    """Play the person at the provider's login page; returns where the provider sends the
    browser back to (trede's redirect URI with code and state)."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        response = browser.get(auth_url)
        while response.status_code in (302, 303) and "/interaction/" in response.headers["location"]:
            response = browser.get(urljoin(auth_url, response.headers["location"]))
        form = _Form()
        form.feed(response.text)
        assert form.action, response.text[:500]
        data = {"login": subject, "email": email, **({"mfa": "1"} if mfa else {})}
        response = browser.post(urljoin(auth_url, form.action), data=data)
        provider = urlsplit(auth_url).netloc
        for _ in range(10):  # back to the authorization endpoint, consent, and out
            location = urljoin(auth_url, response.headers.get("location", ""))
            if urlsplit(location).netloc != provider:
                return location
            response = browser.get(location)
        raise AssertionError("the provider did not send the browser back")
