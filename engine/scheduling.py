"""Which deadlines an event starts, computes or cancels.

The results are written into the event as ``deadlines`` changes, so that a replay reads
due dates instead of recomputing them with a newer calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from engine.calendar import Calendar
from engine.case import REMEDY_PREFIX, Case, Deadline, DeadlineStatus
from engine.durations import Duration, Unit
from engine.errors import InputError
from engine.protocol.model import Protocol, Transition, holds
from engine.protocol.schema import ENTERED, ObligationSpec, Term, TimerSpec
from engine.remedies import Remedies
from engine.terms import (
    LAST_SCHOOLDAY,
    TermRule,
    anchored,
    anchored_every,
    compute_measure,
    compute_term,
    end_of_day,
    local_date,
)

Change = dict[str, Any]


@dataclass(frozen=True)
class Scheduler:
    calendar: Calendar
    # built once, not per event; it computes with this scheduler (left out of ==: no recursion)
    remedies: Remedies = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "remedies", Remedies(self))

    def enter(
        self, protocol: Protocol, school: str, step: str, seq: int, effective_at: datetime, facts: Mapping[str, Any]
    ) -> list[Change]:
        """The timers and obligations of a step being entered."""
        items: list[tuple[str, TimerSpec | ObligationSpec]] = [("timer", t) for t in protocol.timers(step)]
        items += [("obligation", o) for o in protocol.obligations(step)]
        return self._schedule(protocol, school, step, seq, effective_at, facts, items)

    def started(
        self, protocol: Protocol, case: Case, taken: Transition, step: str, effective_at: datetime, facts: Mapping[str, Any]
    ) -> list[Change]:
        """The obligations an action starts, from the action's moment (issue 27). One that is
        still running (or waiting) from an earlier start keeps running: it is not started twice."""
        if not taken.obligations:
            return []  # most actions start nothing: skip reading the case's deadlines
        running = {d.id for d in case.active_deadlines()}
        items: list[tuple[str, TimerSpec | ObligationSpec]] = [
            ("obligation", o) for o in taken.obligations if o.id not in running
        ]
        return self._schedule(protocol, case.school, step, case.seq + 1, effective_at, facts, items)

    def _schedule(
        self,
        protocol: Protocol,
        school: str,
        step: str,
        seq: int,
        effective_at: datetime,
        facts: Mapping[str, Any],
        items: list[tuple[str, TimerSpec | ObligationSpec]],
    ) -> list[Change]:
        changes = []
        for kind, spec in items:
            if spec.when is not None and not holds(spec.when, facts):
                continue  # e.g. the inspectie only hears of a schorsing longer than one day
            start = local_date(effective_at) if spec.start == ENTERED else fact_date(facts.get(spec.start))
            duration = self.duration(protocol, spec, facts)
            deadline = {
                "key": f"{spec.id}@{seq}",
                "id": spec.id,
                "kind": kind,
                "step": step,
                "label": spec.label,
                "status": DeadlineStatus.WAITING,
                "basis": spec.basis,
                "rule": TermRule.MEASURE.value if spec.measure else spec.rule,
                "duration": str(duration),
                "start": spec.start,
            }
            if start is not None:
                deadline.update(self.term(spec, duration, start, school))
            changes.append({"schedule": deadline})
        return changes

    @staticmethod
    def leaving(case: Case, final: bool, keep: str | None) -> set[str]:
        """Keys to cancel when the case leaves its step.

        Timers belong to their step; obligations outlive it (a duty to inform someone does
        not lapse because the case moved on), except those still waiting for a start date
        when the case closes. A remedy's deadlines belong to no step (their step is
        "rechtsmiddel:<id>"): only closing the case, with a reason, ends them.
        """
        return {
            d.key
            for d in case.active_deadlines()
            if d.key != keep
            and (
                (d.kind == "timer" and (d.step == case.step or final))
                or (final and d.status == DeadlineStatus.WAITING)
                or (final and d.step.startswith(REMEDY_PREFIX))
            )
        }

    def start_waiting(
        self, protocol: Protocol, case: Case, facts: Mapping[str, Any], cancelled: set[str]
    ) -> list[Change]:
        """Deadlines that waited for a start date which is now recorded."""
        changes = []
        for d in case.active_deadlines():
            start = fact_date(facts.get(d.start))
            if d.status == DeadlineStatus.WAITING and d.key not in cancelled and start is not None:
                spec = (protocol.timer_index.get(d.id) or protocol.obligation_index[d.id])[1]
                changes.append({"key": d.key, **self.term(spec, Duration.parse(d.duration), start, case.school)})
        return changes + self.remedies.starts(protocol, case, facts)

    def follow_dispatch(self, protocol: Protocol, case: Case, dates: Mapping[str, str]) -> list[Change]:
        """Running terms whose start fact is a sending date given anew (the same letter made
        again and sent on another day): each is computed again from the new date and the
        change keeps the old start and due date (``moved``). A term that is met, missed or
        closed stays as it was; one still waiting is left to ``start_waiting``."""
        changes = []
        for d in case.active_deadlines():
            start = fact_date(dates.get(d.start))
            if d.status == DeadlineStatus.WAITING or start is None or d.start_date == start.isoformat():
                continue
            spec = (protocol.timer_index.get(d.id) or protocol.obligation_index[d.id])[1]
            term = {"target_date": None, **self.term(spec, Duration.parse(d.duration), start, case.school)}
            moved = {"fact": d.start, "start_date": d.start_date, "due_date": d.due_date, "status": d.status}
            changes.append({"key": d.key, **term, "moved": moved})
        return changes

    @staticmethod
    def duration(protocol: Protocol, spec: TimerSpec | ObligationSpec, facts: Mapping[str, Any]) -> Duration:
        """The protocol's duration, or the one decided in the case (``duration_from``), which
        may not exceed the legal ceiling."""
        decided = facts.get(spec.duration_from) if spec.duration_from else None
        if not decided:
            return protocol.duration(spec.after)
        duration = Duration.parse(str(decided))
        limit = spec.ceiling.after if spec.ceiling else spec.after
        if Duration.parse(limit).shorter_than(duration):
            basis = spec.ceiling.basis if spec.ceiling else spec.basis
            raise InputError(str(spec.duration_from), f"{duration} is langer dan het maximum van {limit} ({basis})")
        return duration

    def term(self, spec: Term, duration: Duration, start: date, school: str) -> Change:
        if spec.shift:
            shift = Duration.parse(spec.shift)
            if shift.unit is not Unit.DAYS:
                raise InputError("shift", f"verschuiving '{spec.shift}' moet in dagen")
            start = start + timedelta(days=shift.amount)
        if spec.measure:
            term = compute_measure(start, duration, self.calendar, school)
            self._within_ceiling(spec, duration, start, term.due_date, school)
        else:
            term = compute_term(start, duration, TermRule(spec.rule), self.calendar, school)
        if isinstance(spec, TimerSpec) and spec.anchor:
            return self._occurrence(start, anchored(term.due_date, spec.anchor, self.calendar, school, after=start), school)
        return {
            "status": DeadlineStatus.OPEN,
            "start_date": start.isoformat(),
            "due_date": term.due_date.isoformat(),
            "due_at": term.due_at.isoformat(),
            "calendar_version": term.calendar_version,
            "extensions": list(term.extensions),
            **({"target_date": term.calendar_end.isoformat()} if term.calendar_end != term.due_date else {}),
        }

    def _within_ceiling(self, spec: Term, duration: Duration, start: date, last: date, school: str) -> None:
        """A measure's legal ceiling is a period of calendar time from its first day (WPO
        art. 40c lid 1: "voor een periode van ten hoogste een week"): five schooldagen over
        a holiday can outrun one week, and are refused whatever the typical length says."""
        if spec.ceiling is None:
            return
        limit = Duration.parse(spec.ceiling.after)
        outer = compute_measure(start, limit, self.calendar, school).due_date
        if last > outer:
            field = spec.duration_from or getattr(spec, "id", "duur")  # a remedy's term has no id of its own here
            raise InputError(
                str(field),
                f"{duration} vanaf {start.isoformat()} duurt tot en met {last.isoformat()}: dat is langer dan "
                f"{limit} (tot en met {outer.isoformat()}); kies een kortere duur ({spec.ceiling.basis})",
            )

    def next_occurrence(
        self, spec: TimerSpec, deadline: Deadline, facts: Mapping[str, Any], school: str
    ) -> Change | None:
        """A recurring timer's next occurrence after the one now due, or None when it ends:
        after ``times`` occurrences, or past the date fact ``until``."""
        if spec.every is None or deadline.due_date is None:
            return None
        if spec.times is not None and deadline.occurrence >= spec.times:
            return None
        previous = date.fromisoformat(deadline.due_date)
        every = Duration.parse(spec.every)
        if spec.anchor == LAST_SCHOOLDAY:  # every week has its last schooldag, a feestdag Friday too
            due = anchored_every(previous, every, self.calendar, school)
        else:
            due = compute_term(previous, every, TermRule.CALENDAR, self.calendar, school).due_date
            if spec.anchor:
                due = anchored(due, spec.anchor, self.calendar, school)
        limit = fact_date(facts.get(spec.until)) if spec.until else None
        if limit is not None and due > limit:
            return None
        return {"key": deadline.key, "occurrence": deadline.occurrence + 1, **self._occurrence(previous, due, school)}

    def _occurrence(self, start: date, due: date, school: str) -> Change:
        return {
            "status": DeadlineStatus.OPEN,
            "start_date": start.isoformat(),
            "due_date": due.isoformat(),
            "due_at": end_of_day(due).isoformat(),
            "calendar_version": self.calendar.version(school),
            "extensions": [],
        }


def fact_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


ON_TRACK, SOON, LATE = "op_schema", "binnenkort", "te_laat"


def traffic_light(due_at: datetime | None, status: str, now: datetime, calendar: Calendar, school: str) -> str:
    """On track, due within three werkdagen, or late: the light a case handler sees."""
    if status == DeadlineStatus.OVERDUE or (due_at is not None and due_at <= now):
        return LATE
    if due_at is None:
        return ON_TRACK
    soon = compute_term(local_date(now), Duration(3, Unit.WORKDAYS), TermRule.CALENDAR, calendar, school).due_at
    return SOON if due_at <= soon else ON_TRACK


def next_deadline(case: Case) -> Deadline | None:
    """The case's active deadline that falls first (the one a list shows)."""
    active = [d for d in case.active_deadlines() if d.due_at]
    return min(active, key=lambda d: d.due_at or datetime.max) if active else None


def case_light(case: Case, now: datetime, calendar: Calendar) -> str:
    """The light of a case in a list: late as soon as any active deadline is overdue, else
    the light of its first deadline ("" when it has none)."""
    first = next_deadline(case)
    if first is None:
        return ""
    if any(d.status == DeadlineStatus.OVERDUE for d in case.active_deadlines()):
        return LATE
    return traffic_light(first.due_at, first.status, now, calendar, case.school)


LIGHT_ORDER = {LATE: 0, SOON: 1}  # most urgent first; on track and none after


def urgency(case: Case, now: datetime, calendar: Calendar) -> tuple[int, str, str]:
    """How a case list is ordered: late, then soon, then the rest; within each, the first
    deadline first (cases without one last); the case number breaks ties (a stable page)."""
    first = next_deadline(case)
    due = first.due_date if first is not None and first.due_date else "9999"
    return LIGHT_ORDER.get(case_light(case, now, calendar), 2), due, case.id
