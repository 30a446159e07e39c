"""How the hash-chained logs beside the cases' events are extended: the access log
(``DriverCases.append_access``), the melders' log (``registry._append_reporter``) and the
incident log (``incidents.append_incidents``). Each keeps its own rows, its own hash
(engine/checkpoints.py, engine/incidents.py) and its own advisory lock; what they share is
here: one writer at a time on PostgreSQL, and the rule that links each entry to the one
before it and never lets the log's time go back."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import TypeVar

# The advisory locks of the chains (PostgreSQL; others: 7404 the incident categories' versions,
# 7405 a quick record's key, adapters/sql/incidents.py; the triage versions, adapters/sql/triage.py)
ACCESS_LOCK = 7401
REPORTER_LOCK = 7402
INCIDENT_LOCK = 7403

E = TypeVar("E")
T = TypeVar("T", bound=date)  # the log's time: a moment (datetime) or a day


def advisory_lock(lock: int) -> str:
    """PostgreSQL: the statement that makes this transaction the log's one writer until it
    commits. Taken at the commit, after every other lock (engine/commits.py, lock order)."""
    return f"SELECT pg_advisory_xact_lock({int(lock)})"


def linked(
    entries: Sequence[E],
    prev: str,
    last: T | None,
    *,
    at: Callable[[E], T],
    moved: Callable[[E, T], E],
    digest: Callable[[str, E], str],
) -> Iterator[tuple[E, str, str]]:
    """Each entry with the hash it follows and its own hash, after the log's head (``prev``,
    stored at ``last``). An entry timed before the one before it (a clock that went back) is
    ``moved`` up to that time first: the log's time never goes back."""
    for entry in entries:
        if last is not None and at(entry) < last:
            entry = moved(entry, last)
        last = at(entry)
        own = digest(prev, entry)
        yield entry, prev, own
        prev = own
