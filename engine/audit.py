"""Replay and verification: what an auditor relies on.

``replay_steps`` rebuilds a case from its events alone, showing the state before and after
each one; ``verify_events`` recomputes the hash chain over the stored records and compares
the replayed case with the stored projection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.case import Case, apply
from engine.events import GENESIS, Event, EventType

ERASED_LETTER = ("erased", "erased")
ERASED_FILE = "erased"


@dataclass(frozen=True)
class ReplayStep:
    event: Event
    before: dict[str, Any] | None
    after: dict[str, Any]


@dataclass(frozen=True)
class Verification:
    case_id: str
    ok: bool
    events: int
    first_bad_seq: int | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def replay_steps(events: list[Event]) -> list[ReplayStep]:
    steps: list[ReplayStep] = []
    case: Case | None = None
    for event in events:
        before = case.to_dict() if case else None
        case = apply(case, event)
        steps.append(ReplayStep(event, before, case.to_dict()))
    return steps


def verify_events(stored: Case, events: list[Event]) -> Verification:
    """Recompute the chain; name the first event that was altered, removed or reordered."""
    prev = GENESIS
    case: Case | None = None
    for position, event in enumerate(events, start=1):
        problem = _link_problem(position, event, prev) or _time_problem(position, event, case)
        if problem:
            return Verification(stored.id, False, len(events), position, problem)
        prev = event.hash
        case = apply(case, event)
    if case is None or stored.seq != len(events) or stored.last_hash != prev:
        missing = len(events) + 1
        problem = f"gebeurtenis {missing} ontbreekt (de zaak staat op {stored.seq})"
        return Verification(stored.id, False, len(events), missing, problem)
    if not any(e.type == EventType.ANONYMISED for e in events):
        erased = next((e for e in events if e.personal_erased), None)
        if erased is not None:
            problem = f"gebeurtenis {erased.seq}: persoonsgegevens zijn gewist zonder vastgelegde anonimisering"
            return Verification(stored.id, False, len(events), erased.seq, problem)
    if case.to_dict() != stored.to_dict():
        return Verification(stored.id, False, len(events), None, "de opgeslagen zaak wijkt af van de gebeurtenissen")
    return Verification(stored.id, True, len(events))


def missing_events(seqs: list[int]) -> str:
    """'gebeurtenis 3 ontbreekt', 'gebeurtenis 3 tot en met 5 ontbreken', 'gebeurtenissen 3, 7 ontbreken'."""
    if len(seqs) == 1:
        return f"gebeurtenis {seqs[0]} ontbreekt"
    if seqs == list(range(seqs[0], seqs[-1] + 1)):
        return f"gebeurtenis {seqs[0]} tot en met {seqs[-1]} ontbreken"
    return f"gebeurtenissen {', '.join(map(str, seqs))} ontbreken"


def _link_problem(position: int, event: Event, prev_hash: str) -> str | None:
    if event.seq > position:  # the events between were removed
        return missing_events(list(range(position, event.seq)))
    if event.seq != position:
        return f"gebeurtenis {position} ontbreekt of staat op de verkeerde plaats"
    if event.prev_hash != prev_hash:
        return f"gebeurtenis {position} sluit niet aan op de vorige (verwijderd of verplaatst)"
    if event.compute_hash() != event.hash:
        return f"gebeurtenis {position} is gewijzigd"
    if event.column_mismatch:
        return f"gebeurtenis {position}: {', '.join(event.column_mismatch)} wijkt af van de vastlegging"
    if event.personal_mismatch:
        return f"gebeurtenis {position}: persoonsgegevens ({', '.join(event.personal_mismatch)}) zijn gewijzigd"
    return None


def _time_problem(position: int, event: Event, case: Case | None) -> str | None:
    """recorded_at never goes back within a case (issue 24): a later event recorded before
    an earlier one was inserted afterwards, backdated."""
    if case is not None and case.recorded_at is not None and event.recorded_at < case.recorded_at:
        return f"gebeurtenis {position} is vastgelegd vóór gebeurtenis {position - 1}"
    return None


def verify_letters(
    result: Verification, events: list[Event], stored: dict[tuple[str, int], tuple[str, str]]
) -> Verification:
    """Every generated letter must still be stored exactly as its event recorded it."""
    if not result.ok:
        return result
    for event in events:
        if event.type != EventType.LETTER:
            continue
        recorded = (event.data["sha256_html"], event.data["sha256_pdf"])
        found = stored.get((event.case_id, event.seq))
        if found == ERASED_LETTER and any(e.type == EventType.ANONYMISED for e in events):
            continue
        if found != recorded:
            problem = f"brief bij gebeurtenis {event.seq} ontbreekt of is gewijzigd"
            return Verification(result.case_id, False, result.events, event.seq, problem)
    return result


def verify_attachments(result: Verification, events: list[Event], stored: dict[tuple[str, int], str]) -> Verification:
    """Every attachment must still be stored exactly as its event recorded it (or be
    erased after an anonymisation that the chain records)."""
    if not result.ok:
        return result
    anonymised = any(e.type == EventType.ANONYMISED for e in events)
    for event in events:
        if event.type != EventType.ATTACHMENT:
            continue
        found = stored.get((event.case_id, event.seq))
        if found == ERASED_FILE and anonymised:
            continue
        if found != event.data["sha256"]:
            problem = f"bijlage bij gebeurtenis {event.seq} ontbreekt of is gewijzigd"
            return Verification(result.case_id, False, result.events, event.seq, problem)
    return result


def verify_case(
    stored: Case,
    events: list[Event],
    letters: dict[tuple[str, int], tuple[str, str]],
    attachments: dict[tuple[str, int], str],
) -> Verification:
    """The chain, the projection, and every letter and attachment the chain names."""
    return verify_attachments(verify_letters(verify_events(stored, events), events, letters), events, attachments)
