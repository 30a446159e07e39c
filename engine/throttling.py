"""The policy against guessing: how many failures are free, how the wait grows, and the
device cookies that keep a known browser's owner from being locked out by a stranger.

Storage and the clock stay with the callers (the login throttle keeps its attempts in the
database, the public meldpunt in memory); they pass times in, so every rule here runs on
an injected clock in tests.

Device cookies follow OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a
browser that logged in as a user before carries a cookie bound to that user name (with a
random nonce, signed with the installation's secret). A login from it is not held up by the
failures of untrusted clients on that account, so someone who knows only the user name
cannot lock its owner out; a device cookie that fails ``DEVICE_FAILURES`` times within the
window is itself locked out, and the browser counts as untrusted again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

# --- logging in ----------------------------------------------------------------------
LOGIN_WINDOW = timedelta(minutes=15)  # failures older than this are forgotten
FREE_FAILURES = 3  # failures before any delay, for one account from one client
MAX_DELAY = timedelta(minutes=15)  # for one client and account, or one client
CLIENT_FREE_FAILURES = FREE_FAILURES * 4  # one client, any account
NAME_FREE_FAILURES = FREE_FAILURES * 2  # one account from any untrusted client
NAME_MAX_DELAY = timedelta(seconds=30)  # for an account from anywhere: short, and trusted devices skip it
DEVICE_FAILURES = 5  # failures of one device cookie within the window that lock it out
DEVICE_COOKIE_LIFETIME = timedelta(days=180)
DEVICE_PREFIX = "apparaat:"  # how a device's attempts are told from an address's

# --- the public meldpunt -----------------------------------------------------------
MELDPUNT_WINDOW = timedelta(hours=1)
REPORTS_PER_HOUR = 5  # per address
FREE_WRONG_CODES = 5  # per address: wrong codes or passwords before a growing wait
FREE_WRONG_PER_RECEIPT = 3  # per receipt code, from any address: wrong passwords before a wait
MELDPUNT_MAX_DELAY = timedelta(minutes=15)


def wait_seconds(failures: int, last: datetime | None, now: datetime, *, free: int, cap: timedelta) -> int:
    """Seconds to wait before the next try after ``failures`` recent ones (the last at
    ``last``): none for the first ``free``, then doubling up to ``cap``."""
    if failures < free or last is None:
        return 0
    delay = min(timedelta(seconds=2 ** min(failures - free, 20)), cap)
    return max(0, int((last + delay - now).total_seconds() + 0.999))


@dataclass(frozen=True)
class AttemptQuery:
    """Which failed login attempts to count: those since ``since``, and of them only those
    from this client (an address, or a device cookie's key), of this user name, and from
    untrusted clients (anything but a device cookie) as given."""

    since: datetime
    client: str | None = None
    username: str | None = None
    untrusted: bool = False


@dataclass(frozen=True)
class Failures:
    count: int
    last: datetime | None  # the moment of the latest


@dataclass(frozen=True)
class LoginDecision:
    """Whether a login attempt may go ahead, and under which client it is counted."""

    client: str  # the address, or the device cookie's key for a trusted device
    wait_seconds: int = 0  # more than 0: refused, try again after this long


def decide_login(
    username: str, client: str, nonce: str | None, now: datetime, failures: Callable[[AttemptQuery], Failures]
) -> LoginDecision:
    """May ``client`` try to log in as ``username`` now, given the failures ``failures``
    counts (asked lazily: a trusted device needs one count, others three)?

    ``nonce``: the nonce of a genuine device cookie for this user name. Such a browser is
    held up only by its own failures: after ``DEVICE_FAILURES`` of them within the window it
    counts as untrusted again. For an untrusted client the delay doubles with each failure
    after the first few: per account from this client and per client up to ``MAX_DELAY``,
    per account from any untrusted client only up to ``NAME_MAX_DELAY``. Attempts from a
    device are counted under the device cookie's key instead of the address, never under
    the cookie itself."""
    since = now - LOGIN_WINDOW
    key = device_key(nonce) if nonce else None
    if key is not None and failures(AttemptQuery(since, client=key)).count < DEVICE_FAILURES:
        return LoginDecision(key)  # a trusted device: no wait for what untrusted clients did

    def wait(query: AttemptQuery, cap: timedelta, free: int) -> int:
        found = failures(query)
        return wait_seconds(found.count, found.last, now, free=free, cap=cap)

    waits = [
        wait(AttemptQuery(since, client=client, username=username), MAX_DELAY, FREE_FAILURES),
        wait(AttemptQuery(since, client=client), MAX_DELAY, CLIENT_FREE_FAILURES),
        wait(AttemptQuery(since, username=username, untrusted=True), NAME_MAX_DELAY, NAME_FREE_FAILURES),
    ]
    return LoginDecision(client, max(waits))


def _signature(secret: str, username: str, nonce: str) -> str:
    message = f"trede-apparaat\x1f{username}\x1f{nonce}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def device_cookie(secret: str, username: str) -> str:
    """A new device cookie for a browser that just logged in as ``username``."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_signature(secret, username, nonce)}"


def device_nonce(secret: str, username: str, cookie: str | None) -> str | None:
    """The nonce of a genuine device cookie for this user name; None for no cookie, a forged
    one, or one made for another user name (a stolen cookie helps for its own user only)."""
    if not cookie or len(cookie) > 200 or "." not in cookie:
        return None
    nonce, _, signature = cookie.partition(".")
    if not nonce or not hmac.compare_digest(signature, _signature(secret, username, nonce)):
        return None
    return nonce


def device_key(nonce: str) -> str:
    """How a device cookie's failures are counted: a hash of its nonce, never the cookie."""
    return DEVICE_PREFIX + hashlib.sha256(nonce.encode()).hexdigest()[:32]
