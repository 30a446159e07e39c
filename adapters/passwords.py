"""The secrets people type: passwords hashed with argon2id, and the time-based one-time
codes of an authenticator app (pyotp)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's Password Storage Cheat Sheet: argon2id with at least 19 MiB of memory, 2 iterations
# and 1 degree of parallelism. argon2-cffi's own default (RFC 9106's low-memory choice: 64 MiB,
# 3 iterations, 4 lanes) is about five times that work, paid on every login on a school
# server's few cores (issue 26: 1.6-2.9 s under load). Never lower these below OWASP's minimum.
TIME_COST, MEMORY_COST_KIB, PARALLELISM = 2, 19 * 1024, 1


class Argon2Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        # argon2id: the library's default type
        self.hasher = hasher or PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM)

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def needs_rehash(self, stored: str) -> bool:
        """Whether ``stored`` was made with other parameters than this hasher's (an older,
        heavier choice): the next successful login stores a new hash."""
        try:
            return self.hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return False

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False


class TotpCodes:
    """RFC 6238 codes of six digits every 30 seconds, as authenticator apps make them."""

    def step(self, secret: str, code: str, at: datetime, drift: int) -> int | None:
        totp = pyotp.TOTP(secret)
        for offset in (0, *(o for n in range(1, drift + 1) for o in (-n, n))):
            if totp.verify(code, for_time=at + timedelta(seconds=totp.interval * offset), valid_window=0):
                return totp.timecode(at) + offset
        return None

    def new_secret(self) -> str:
        return pyotp.random_base32()
