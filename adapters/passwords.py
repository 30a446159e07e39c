"""The secrets people type: passwords hashed with argon2id, and the time-based one-time
codes of an authenticator app (pyotp)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()  # argon2id with the library's recommended cost

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

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
