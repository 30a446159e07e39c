"""A case (zaak) and its deadlines, as a projection of its events.

``apply`` is the only way a case changes. It reads what the event recorded and never
recomputes anything, so a replay in five years gives the same case whatever calendar
or protocol code runs then.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from engine.events import ERASED, GENESIS, Event, EventType

COUNT_PREFIX = "aantal:"  # guard facts: "aantal:<trigger>" (identifiers hold no ':')
TRACK_PREFIX = "spoor:"  # facts "spoor:<track>" = open | afgerond, for the tracks of the current step
TRACK_OPEN, TRACK_DONE = "open", "afgerond"
# The deadlines of a remedy (protocol section ``remedies``) carry "rechtsmiddel:<id>" as their
# step: no step is called so, so leaving a step never cancels them (only closing the case does).
REMEDY_PREFIX = "rechtsmiddel:"
CLOSE_MOTIVATION = "motivering_rechtsmiddel"  # why a case closes while a remedy still runs
COUNTED = frozenset({EventType.TRANSITION, EventType.DECISION, EventType.FACTS, EventType.OBLIGATION})
# Events that record what happened beside the protocol (a conversation, a document, a
# melder's message through the meldpunt): they move nothing, not even the case's time
# (``updated_at``, from which the next action and an expiry are dated): a handler may still
# record yesterday's action after a melder wrote today. Migrations 0026 (notes) and 0032
# (messages) set it for older cases.
ASIDE = frozenset({EventType.NOTE, EventType.ATTACHMENT, EventType.REPORTER_MESSAGE})


class DeadlineStatus:
    WAITING = "wachtend"  # its start fact is not known yet
    OPEN = "open"
    FULFILLED = "vervuld"
    LATE = "te laat vervuld"  # recorded after its deadline; a guard on "vervuld" holds too
    OVERDUE = "verlopen"
    MISSED = "gemist"  # a timer that was overdue when its step was left (shown "verlopen (gemist)")
    FIRED = "uitgevoerd"
    EXPIRED = "vervallen"
    CANCELLED = "geannuleerd"
    PASSED = "verstreken"  # a remedy's term ended without a filing
    SUSPENDED = "opgeschort"  # a decision duty waiting for another body's oordeel

    ACTIVE = frozenset({WAITING, OPEN, OVERDUE, SUSPENDED})
    DONE = frozenset({FULFILLED, LATE})  # what a guard on "vervuld" accepts

    @staticmethod
    def shown(status: str) -> str:
        return "verlopen (gemist)" if status == DeadlineStatus.MISSED else status


@dataclass(frozen=True, slots=True)
class Deadline:
    key: str  # "<id>@<seq of the event that scheduled it>"
    id: str
    kind: str  # "timer" | "obligation"
    step: str
    label: str
    status: str
    basis: str
    rule: str
    duration: str
    start: str  # "binnenkomst" or the name of a date fact
    start_date: str | None = None
    due_date: str | None = None
    due_at: datetime | None = None
    calendar_version: str | None = None
    extensions: tuple[str, ...] = ()
    closed_seq: int | None = None
    # When the Atw extended the term: the calendar end, the target to aim for (the due date is
    # the outer legal limit).
    target_date: str | None = None
    occurrence: int = 1  # a recurring timer: which occurrence is running (1, 2, ...)

    def passed_at(self, at: datetime | None) -> bool:
        """Running, and its due moment has come by ``at`` (whether or not the worker ran)."""
        return (
            at is not None and self.status == DeadlineStatus.OPEN and self.due_at is not None and self.due_at <= at
        )

    def status_at(self, at: datetime | None) -> str:
        """The status as of ``at``: an open term whose moment has passed has lapsed."""
        return self.lapsed_status() if self.passed_at(at) else self.status

    def lapsed_status(self) -> str:
        """What this term becomes when its moment passes, here and for the worker alike: a
        remedy's term is ``verstreken`` (nobody is late, no filing came), any other ``verlopen``."""
        remedy_term = self.kind == "timer" and self.step.startswith(REMEDY_PREFIX)
        return DeadlineStatus.PASSED if remedy_term else DeadlineStatus.OVERDUE

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.id,
            "kind": self.kind,
            "step": self.step,
            "label": self.label,
            "status": self.status,
            "basis": self.basis,
            "rule": self.rule,
            "duration": self.duration,
            "start": self.start,
            "start_date": self.start_date,
            "due_date": self.due_date,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "calendar_version": self.calendar_version,
            "extensions": list(self.extensions),
            "closed_seq": self.closed_seq,
            "target_date": self.target_date,
            "occurrence": self.occurrence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deadline:
        due_at = data.get("due_at")
        return cls(
            **{
                **data,
                "due_at": datetime.fromisoformat(due_at) if due_at else None,
                "extensions": tuple(data.get("extensions") or ()),
            }
        )


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    school: str
    subject: str
    step: str
    group: str | None
    closed: bool
    facts: dict[str, Any]
    seq: int
    last_hash: str
    opened_at: datetime
    updated_at: datetime
    deadlines: dict[str, Deadline] = field(default_factory=dict)
    closed_at: datetime | None = None
    opened_by: str = ""  # who opened the case: a melder sees only the reports they opened
    # How often each action was recorded (guards count them: "at the third melding").
    counts: dict[str, int] = field(default_factory=dict)
    # When the last event was recorded (system time): the next one is never recorded before
    # it (issue 24). Not part of ``to_dict``: the chain itself holds it, and verification
    # checks the chain's times; the projection keeps it so that sealing needs no extra read.
    recorded_at: datetime | None = None

    def active_deadlines(self) -> list[Deadline]:
        return [d for d in self.deadlines.values() if d.status in DeadlineStatus.ACTIVE]

    def guard_facts(self, at: datetime | None = None) -> dict[str, Any]:
        """What guards may test: recorded facts, and each timer's or obligation's latest status.

        ``at`` is the moment of the act being decided (its ``effective_at``): a term whose due
        moment is at or before it counts as ``verlopen`` although the worker has not yet
        recorded that, so "within the term" is decided on the act's own moment (issue 23)."""
        latest = sorted(self.deadlines.values(), key=lambda d: int(d.key.rsplit("@", 1)[1]))
        counted = {f"{COUNT_PREFIX}{trigger}": n for trigger, n in self.counts.items()}
        return {**{d.id: d.status_at(at) for d in latest}, **self.facts, **counted}

    def due_obligations(self) -> list[Deadline]:
        """Obligations that can be recorded now: running or late, not waiting for a start."""
        return [
            d
            for d in self.deadlines.values()
            if d.kind == "obligation" and d.status in (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE)
        ]

    def due_obligation(self, obligation_id: str) -> Deadline | None:
        return next((d for d in self.due_obligations() if d.id == obligation_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "protocol_id": self.protocol_id,
            "protocol_version": self.protocol_version,
            "protocol_hash": self.protocol_hash,
            "school": self.school,
            "subject": self.subject,
            "group": self.group,
            "step": self.step,
            "closed": self.closed,
            "facts": dict(self.facts),
            "seq": self.seq,
            "last_hash": self.last_hash,
            "opened_at": self.opened_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "opened_by": self.opened_by,
            "counts": dict(sorted(self.counts.items())),
            "deadlines": {k: d.to_dict() for k, d in sorted(self.deadlines.items())},
        }


def apply(case: Case | None, event: Event) -> Case:
    """The case after ``event``; ``case`` is None only for the opening event."""
    if event.type == EventType.OPENED:
        if case is not None:
            raise ValueError(f"event {event.seq}: a case opens only once")
        data = event.data
        case = Case(
            id=event.case_id,
            protocol_id=data["protocol_id"],
            protocol_version=data["protocol_version"],
            protocol_hash=event.protocol_hash,
            school=data["school"],
            subject=data["subject"],
            group=data.get("group"),
            step=event.to_step or "",
            closed=bool(data.get("final", False)),
            facts=dict(data.get("school_context", {})),  # the school's legal context, as recorded
            seq=0,
            last_hash=GENESIS,
            opened_at=event.effective_at,
            updated_at=event.effective_at,
            closed_at=event.effective_at if data.get("final") else None,
            opened_by=event.actor,
            recorded_at=event.recorded_at,
        )
    elif case is None:
        raise ValueError(f"event {event.seq}: the case has not been opened")
    if event.seq != case.seq + 1 or event.prev_hash != case.last_hash:
        raise ValueError(f"event {event.seq} does not follow event {case.seq}")
    facts = {**case.facts, **event.inputs}
    for name in event.data.get("cleared", ()):  # an action that clears a fact (issue 27)
        facts.pop(name, None)
    for track, state in event.data.get("tracks", {}).items():
        facts[f"{TRACK_PREFIX}{track}"] = state
    facts.pop("motivering", None)  # a motivation belongs to its event, not to the case
    facts.pop(CLOSE_MOTIVATION, None)
    answer = event.data.get("answer")
    if answer:
        facts[answer["step"]] = answer["answer"]
    deadlines = dict(case.deadlines)
    for change in event.data.get("deadlines", ()):
        if "schedule" in change:
            new = Deadline.from_dict(change["schedule"])
            deadlines[new.key] = new
        else:
            deadlines[change["key"]] = _updated(deadlines[change["key"]], change, event.seq)
    migrated = event.type == EventType.MIGRATED
    anonymised = event.type == EventType.ANONYMISED
    if anonymised:
        facts = {k: (ERASED if k in event.data["erased_facts"] else v) for k, v in facts.items()}
    closed = case.closed or bool(event.data.get("final", False))
    counts = case.counts
    if event.type in COUNTED and event.trigger:
        counts = dict(counts)
        for counted in (event.trigger, *event.data.get("counted_as", ())):
            counts[counted] = counts.get(counted, 0) + 1
    return Case(
        id=case.id,
        protocol_id=case.protocol_id,
        protocol_version=event.data["to_version"] if migrated else case.protocol_version,
        protocol_hash=event.protocol_hash if migrated else case.protocol_hash,
        school=case.school,
        subject=ERASED if anonymised else case.subject,
        group=case.group,
        step=event.to_step or case.step,
        closed=closed,
        facts=facts,
        seq=event.seq,
        last_hash=event.hash,
        opened_at=case.opened_at,
        # a fact may be dated back; the case's time never goes back, and a note never moves it
        updated_at=case.updated_at if event.type in ASIDE else max(case.updated_at, event.effective_at),
        deadlines=deadlines,
        closed_at=case.closed_at or (event.effective_at if closed else None),
        # anonymisation erases every actor's name, the opener's with it (not yet in older chains)
        opened_by=ERASED if anonymised and event.data.get("erased_actors") else case.opened_by,
        counts=counts,
        recorded_at=event.recorded_at,
    )


def _updated(deadline: Deadline, change: dict[str, Any], seq: int) -> Deadline:
    """A deadline after a recorded change: a new status, or its term once its start is known."""
    status = change["status"]
    due_at = change.get("due_at")
    return replace(
        deadline,
        status=status,
        closed_seq=seq if status not in DeadlineStatus.ACTIVE else None,
        start_date=change.get("start_date", deadline.start_date),
        due_date=change.get("due_date", deadline.due_date),
        calendar_version=change.get("calendar_version", deadline.calendar_version),
        due_at=datetime.fromisoformat(due_at) if due_at else deadline.due_at,
        extensions=tuple(change.get("extensions", deadline.extensions)),
        target_date=change.get("target_date", deadline.target_date),
        occurrence=change.get("occurrence", deadline.occurrence),
    )


def replay(events: list[Event]) -> Case:
    case: Case | None = None
    for event in events:
        case = apply(case, event)
    if case is None:
        raise ValueError("no events to replay")
    return case
