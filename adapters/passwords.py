"""The secrets people type: passwords hashed with argon2id, and the time-based one-time
codes of an authenticator app (pyotp)."""

from __future__ import annotations

import os
import threading
from collections import deque
from datetime import datetime, timedelta
from types import TracebackType

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's Password Storage Cheat Sheet: argon2id with at least 19 MiB of memory, 2 iterations
# and 1 degree of parallelism. argon2-cffi's own default (RFC 9106's low-memory choice: 64 MiB,
# 3 iterations, 4 lanes) is about five times that work, paid on every login on a school
# server's few cores (issue 26: 1.6-2.9 s under load). Never lower these below OWASP's minimum.
TIME_COST, MEMORY_COST_KIB, PARALLELISM = 2, 19 * 1024, 1
# Hashes computed at once per process: one per core. A hash is pure CPU (argon2 releases the
# GIL); more at once than there are cores only makes every login wait for all of them (and
# takes 19 MiB each), fewer leaves a core idle. The others queue first come, first served
# (FairSlots), so 8 logins at once answer within about 8 hashes' time over the cores.
HASHES_AT_ONCE = max(1, os.cpu_count() or 1)


class FairSlots:
    """A semaphore that hands a freed slot to the thread that has waited longest (a plain
    semaphore lets any waiter, or a newcomer, take it: some logins would wait several rounds)."""

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._lock = threading.Lock()
        self._waiting: deque[threading.Event] = deque()

    def __enter__(self) -> None:
        with self._lock:
            if self._free > 0 and not self._waiting:
                self._free -= 1
                return
            turn = threading.Event()
            self._waiting.append(turn)
        turn.wait()  # the slot is handed over by __exit__

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1


class Argon2Passwords:
    """Called from the thread pool (the login pages are sync routes): never on the event loop."""

    def __init__(self, hasher: PasswordHasher | None = None, at_once: int = HASHES_AT_ONCE) -> None:
        # argon2id: the library's default type
        self.hasher = hasher or PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM)
        self.slots = FairSlots(at_once)

    def hash(self, password: str) -> str:
        with self.slots:
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
            with self.slots:
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
