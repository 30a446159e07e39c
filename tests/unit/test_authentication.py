"""The policy of who is asking, without a database: idle sessions, token lifetimes and how
tokens are kept, logins at the identity provider, one-time codes, the throttle's decision
from the counted failures, and the teachers an import links to their groups."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pyotp

from adapters.passwords import Argon2Passwords, TotpCodes
from engine import authentication as policy
from engine.authentication import Idle
from engine.pupils import RosterTeacher, link_teachers
from engine.throttling import (
    DEVICE_FAILURES,
    DEVICE_PREFIX,
    FREE_FAILURES,
    LOGIN_WINDOW,
    NAME_FREE_FAILURES,
    AttemptQuery,
    Failures,
    decide_login,
    device_key,
)
from tests.integration.helpers import FAST_HASHER

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


# --- sessions, tokens, logins on their way ----------------------------------------------


def test_a_token_is_kept_as_its_sha256_only() -> None:
    token = policy.new_session_token()
    assert policy.token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    assert token not in policy.token_hash(token)
    assert policy.new_api_token().startswith("trd_") and policy.new_api_token() != policy.new_api_token()


def test_a_session_idle_for_longer_than_the_timeout_ends() -> None:
    assert policy.idle(NOW, NOW) is Idle.FRESH
    assert policy.idle(NOW - policy.SEEN_EVERY + timedelta(seconds=1), NOW) is Idle.FRESH  # no write per page view
    assert policy.idle(NOW - policy.SEEN_EVERY, NOW) is Idle.SEEN
    assert policy.idle(NOW - policy.IDLE_TIMEOUT, NOW) is Idle.SEEN  # exactly the timeout: still in
    assert policy.idle(NOW - policy.IDLE_TIMEOUT - timedelta(microseconds=1), NOW) is Idle.EXPIRED
    assert timedelta(minutes=30) == policy.IDLE_TIMEOUT and timedelta(minutes=1) == policy.SEEN_EVERY


def test_token_and_pending_login_lifetimes() -> None:
    assert policy.token_expiry(NOW) == NOW + timedelta(days=90)
    assert policy.token_expiry(NOW, timedelta(days=1)) == NOW + timedelta(days=1)
    assert not policy.pending_login_expired(NOW - policy.OIDC_LOGIN_LIFETIME, NOW)
    assert policy.pending_login_expired(NOW - policy.OIDC_LOGIN_LIFETIME - timedelta(seconds=1), NOW)


def test_a_flash_message_is_kept_within_its_limits() -> None:
    kept = policy.flash("x" * 5000, "f" * 500, "notice")
    assert len(kept["message"]) == 2000 and len(kept["field"]) == 100 and kept["kind"] == "notice"
    assert policy.flash("Opgeslagen.") == {"message": "Opgeslagen.", "field": "", "kind": "error"}


def test_a_user_made_at_first_login_gets_a_free_plain_name() -> None:
    assert policy.username_base("P.Nieuw@School.example", "sub-1") == "p.nieuw"
    assert policy.username_base(None, "a b/c@x") == "abc"
    assert policy.username_base(None, "@@@") == "gebruiker"
    assert policy.free_username("p.nieuw", {"p.nieuw", "p.nieuw2"}) == "p.nieuw3"
    assert policy.free_username("p.nieuw", set()) == "p.nieuw"


# --- one-time codes --------------------------------------------------------------------


def test_a_code_counts_in_its_own_step_and_one_either_side() -> None:
    secret, codes = pyotp.random_base32(), TotpCodes()
    totp = pyotp.TOTP(secret)
    step = totp.timecode(NOW)
    assert codes.step(secret, totp.at(NOW), NOW, policy.TOTP_DRIFT) == step
    assert codes.step(secret, totp.at(NOW - timedelta(seconds=30)), NOW, policy.TOTP_DRIFT) == step - 1
    assert codes.step(secret, totp.at(NOW + timedelta(seconds=30)), NOW, policy.TOTP_DRIFT) == step + 1
    assert codes.step(secret, totp.at(NOW - timedelta(seconds=90)), NOW, policy.TOTP_DRIFT) is None
    assert codes.step(secret, totp.at(NOW - timedelta(seconds=30)), NOW, 0) is None


def test_only_six_digits_look_like_a_code() -> None:
    assert policy.code_shape(" 123456 ") == "123456"
    assert policy.code_shape("12345") is None and policy.code_shape("12345a") is None and policy.code_shape("") is None


def test_argon2_passwords_check_and_refuse_a_malformed_hash() -> None:
    passwords = Argon2Passwords(FAST_HASHER)
    stored = passwords.hash("geheim-wachtwoord")
    assert stored.startswith("$argon2id$") and "geheim" not in stored
    assert passwords.verify(stored, "geheim-wachtwoord") and not passwords.verify(stored, "geraden")
    assert not passwords.verify("!", "geheim-wachtwoord")  # an account that logs in through the provider only


# --- the throttle ---------------------------------------------------------------------


def counted(failures: dict[AttemptQuery, Failures], asked: list[AttemptQuery]) -> Callable[[AttemptQuery], Failures]:
    def count(query: AttemptQuery) -> Failures:
        asked.append(query)
        return failures.get(query, Failures(0, None))

    return count


def test_a_client_without_failures_goes_ahead_under_its_address() -> None:
    asked: list[AttemptQuery] = []
    decision = decide_login("juf.anna", "10.0.0.1", None, NOW, counted({}, asked))
    since = NOW - LOGIN_WINDOW
    assert decision.client == "10.0.0.1" and decision.wait_seconds == 0
    assert asked == [
        AttemptQuery(since, client="10.0.0.1", username="juf.anna"),
        AttemptQuery(since, client="10.0.0.1"),
        AttemptQuery(since, username="juf.anna", untrusted=True),
    ]


def test_the_wait_doubles_after_the_free_failures() -> None:
    since = NOW - LOGIN_WINDOW
    here = AttemptQuery(since, client="10.0.0.1", username="juf.anna")
    for extra, wait in ((0, 1), (1, 2), (2, 4)):
        failures = {here: Failures(FREE_FAILURES + extra, NOW)}
        assert decide_login("juf.anna", "10.0.0.1", None, NOW, counted(failures, [])).wait_seconds == wait
    failures = {here: Failures(FREE_FAILURES + 2, NOW - timedelta(seconds=4))}
    assert decide_login("juf.anna", "10.0.0.1", None, NOW, counted(failures, [])).wait_seconds == 0  # waited enough


def test_failures_on_an_account_from_anywhere_hold_it_up_half_a_minute_at_most() -> None:
    anywhere = AttemptQuery(NOW - LOGIN_WINDOW, username="juf.anna", untrusted=True)
    failures = {anywhere: Failures(NAME_FREE_FAILURES + 30, NOW)}
    assert decide_login("juf.anna", "10.9.9.9", None, NOW, counted(failures, [])).wait_seconds == 30


def test_a_trusted_device_is_not_held_up_by_strangers_until_it_fails_itself() -> None:
    since = NOW - LOGIN_WINDOW
    key = device_key("nonce")
    assert key.startswith(DEVICE_PREFIX) and "nonce" not in key
    strangers = {AttemptQuery(since, username="juf.anna", untrusted=True): Failures(100, NOW)}
    asked: list[AttemptQuery] = []
    decision = decide_login("juf.anna", "10.0.0.1", "nonce", NOW, counted(strangers, asked))
    assert decision.client == key and decision.wait_seconds == 0  # counted under the device's key
    assert asked == [AttemptQuery(since, client=key)]  # one count, not four
    worn = {**strangers, AttemptQuery(since, client=key): Failures(DEVICE_FAILURES, NOW)}
    decision = decide_login("juf.anna", "10.0.0.1", "nonce", NOW, counted(worn, []))
    assert decision.client == "10.0.0.1" and decision.wait_seconds > 0  # untrusted again


# --- teachers' groups from an import ------------------------------------------------------


def test_teachers_are_matched_by_email_then_name_and_only_with_a_leerkracht_role() -> None:
    teachers = [
        RosterTeacher("Anna@School.example", None, frozenset({"5a"})),
        RosterTeacher(None, "JAN", frozenset({"6b"})),
        RosterTeacher("anna@school.example", None, frozenset({"5b"})),
        RosterTeacher("bos@school.example", None, frozenset({"8"})),  # no leerkracht role at this school
        RosterTeacher(None, "nieuw", frozenset({"1"})),  # not a user here
        RosterTeacher(None, "juf.leeg", frozenset()),  # no groups: changes nothing
        RosterTeacher(None, None, frozenset({"2"})),
    ]
    emails = {"juf.anna": "anna@school.example", "jan": None, "dhr.bos": "bos@school.example", "juf.leeg": None}
    links = link_teachers(teachers, emails, {"juf.anna", "jan", "juf.leeg"})
    assert links.linked == {"juf.anna": frozenset({"5a", "5b"}), "jan": frozenset({"6b"})}
    assert links.unmatched == ["(zonder e-mail of gebruikersnaam)", "bos@school.example", "nieuw"]


def test_no_more_hashes_at_once_than_slots_and_the_longest_waiting_goes_first() -> None:
    import threading
    import time

    from argon2 import PasswordHasher

    running, most, order = [0], [0], []
    lock = threading.Lock()

    class Slow(PasswordHasher):
        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
                order.append(password)
            time.sleep(0.02)
            with lock:
                running[0] -= 1
            return "x"

    passwords = Argon2Passwords(Slow(), at_once=2)
    threads = []
    for i in range(8):
        threads.append(threading.Thread(target=passwords.hash, args=(str(i),)))
        threads[-1].start()
        time.sleep(0.005)  # they arrive in this order
    for t in threads:
        t.join()
    assert most[0] == 2
    assert order == [str(i) for i in range(8)]
