"""The engine's use cases: load protocols, open cases, fire triggers, run timers.

Each use case runs in one unit of work: the event, the projection and the deadline
changes commit together or not at all. Decisions (which step, which due date) are made
here and written into the event; ``engine.case.apply`` only reads them back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from typing import Any

from engine.calendar import Calendar
from engine.case import Case, Deadline, DeadlineStatus, apply
from engine.clock import Clock, OffsetClock
from engine.errors import (
    CaseClosed,
    ConcurrencyConflict,
    GuardFailed,
    InputError,
    InvalidEffectiveDate,
    MissingInput,
    PermissionDenied,
    SandboxRequired,
    TimeTravel,
    TransitionNotAllowed,
)
from engine.events import GENESIS, Event, EventType
from engine.machine import MachineError, machine_for
from engine.ports import StoredProtocol, UnitOfWorkFactory
from engine.protocol.loader import load_protocol_text
from engine.protocol.model import SYSTEM_ROLE, Protocol, Transition, describe, holds
from engine.protocol.schema import ENTERED, EscalateOnExpiry, FireOnExpiry, InputSpec, ObligationSpec, TimerSpec
from engine.terms import AMSTERDAM, TermRule, compute_term, local_date

Inputs = Mapping[str, str]


@dataclass(frozen=True)
class Action:
    """Something a role may do in a case now."""

    trigger: str
    label: str
    kind: str  # transition | answer | obligation
    to: str | None
    requires: tuple[str, ...]


@dataclass(frozen=True)
class CaseView:
    case: Case
    protocol: Protocol
    actions: list[Action]

    def to_dict(self) -> dict[str, Any]:
        step = self.protocol.step(self.case.step)
        return {
            **self.case.to_dict(),
            "step_label": step.label,
            "step_source": step.source,
            "actions": [a.__dict__ | {"requires": list(a.requires)} for a in self.actions],
        }


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


@dataclass
class Engine:
    uow: UnitOfWorkFactory
    clock: Clock
    calendar: Calendar
    new_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex[:16])
    _protocols: dict[str, Protocol] = field(default_factory=dict)

    # --- protocols ---------------------------------------------------------

    def load_protocol(self, protocol: Protocol) -> tuple[StoredProtocol, bool]:
        with self.uow(write=True) as uow:
            created = uow.protocols.add(protocol, self.clock.now())
            stored = uow.protocols.by_hash(protocol.content_hash)
            uow.commit()
        self._protocols[protocol.content_hash] = protocol
        return stored, created

    def protocol(self, content_hash: str) -> Protocol:
        cached = self._protocols.get(content_hash)
        if cached is None:
            with self.uow() as uow:
                stored = uow.protocols.by_hash(content_hash)
            cached = self._protocols[content_hash] = load_protocol_text(stored.text, stored.file)
        return cached

    # --- cases -------------------------------------------------------------

    def open_case(
        self,
        protocol_id: str,
        *,
        school: str,
        subject: str,
        actor: str,
        role: str,
        version: int | None = None,
        effective: date | datetime | None = None,
    ) -> Case:
        _require_text("school", school)
        _require_text("subject", subject)
        with self.uow(write=True) as uow:
            stored = uow.protocols.get(protocol_id, version)
            protocol = self.protocol(stored.content_hash)
            now = self.clock.now()
            effective_at = self._effective(effective, now, None)
            case_id = self.new_id()
            event = Event(
                case_id=case_id,
                seq=1,
                type=EventType.OPENED,
                recorded_at=now,
                effective_at=effective_at,
                actor=actor,
                role=role,
                trigger=None,
                from_step=None,
                to_step=protocol.initial,
                protocol_hash=protocol.content_hash,
                calendar_version=self.calendar.version(school),
                data={
                    "protocol_id": protocol.id,
                    "protocol_version": protocol.version,
                    "school": school,
                    "subject": subject,
                    "final": protocol.is_final(protocol.initial),
                    "deadlines": self._enter(protocol, school, protocol.initial, 1, effective_at, {}),
                },
                prev_hash=GENESIS,
            ).sealed()
            case = apply(None, event)
            uow.cases.add(case, event)
            uow.commit()
        return case

    def fire(
        self,
        case_id: str,
        trigger: str,
        *,
        actor: str,
        role: str,
        inputs: Inputs | None = None,
        effective: date | datetime | None = None,
        expected_seq: int | None = None,
    ) -> Case:
        inputs = dict(inputs or {})
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id)
            if expected_seq is not None and expected_seq != case.seq:
                raise ConcurrencyConflict(case_id, expected_seq, case.seq)
            protocol = self.protocol(case.protocol_hash)
            now = self.clock.now()
            effective_at = self._effective(effective, now, case.updated_at)
            obligation = self._open_obligation(case, trigger)
            if obligation is not None:
                event = self._fulfil(protocol, case, obligation, actor, role, inputs, now, effective_at)
            else:
                event = self._transition(protocol, case, trigger, actor, role, inputs, now, effective_at)
            after = apply(case, event)
            uow.cases.record(case, after, event)
            uow.commit()
        return after

    def show(self, case_id: str, role: str | None = None) -> CaseView:
        with self.uow() as uow:
            case = uow.cases.get(case_id)
        protocol = self.protocol(case.protocol_hash)
        return CaseView(case, protocol, self.actions(protocol, case, role))

    def actions(self, protocol: Protocol, case: Case, role: str | None) -> list[Action]:
        found: list[Action] = []
        seen: set[str] = set()
        if not case.closed:
            for t in protocol.transitions_from(case.step):
                permitted = role is None or role in t.roles
                if permitted and t.trigger not in seen and (t.guard is None or holds(t.guard, case.facts)):
                    seen.add(t.trigger)
                    kind = "answer" if t.answer_of else "transition"
                    found.append(Action(t.trigger, t.label, kind, t.dest, t.requires))
        for deadline in case.active_deadlines():
            if deadline.kind == "obligation" and deadline.id not in seen:
                spec = protocol.obligation_index[deadline.id][1]
                if role is None or role in spec.roles:
                    seen.add(deadline.id)
                    found.append(Action(deadline.id, spec.label, "obligation", None, ()))
        return found

    def _allowed(self, protocol: Protocol, case: Case, role: str) -> list[str]:
        return [a.trigger for a in self.actions(protocol, case, role)]

    # --- timers ------------------------------------------------------------

    def advance_clock(self, until: datetime) -> None:
        """Simulate time passing, only in a sandbox database."""
        with self.uow(write=True) as uow:
            if not uow.settings.sandbox or not isinstance(self.clock, OffsetClock):
                raise SandboxRequired()
            now = self.clock.now()
            if until < now:
                raise TimeTravel(until.isoformat(), now.isoformat())
            offset = uow.settings.clock_offset + (until - now)
            uow.settings.set_clock_offset(offset)
            uow.commit()
        self.clock.offset = offset

    def run_timers(self, until: datetime | None = None, batch: int = 1000) -> list[Event]:
        """Expire everything due, earliest first, each in its own transaction."""
        if until is not None:
            self.advance_clock(until)
        fired: list[Event] = []
        while True:
            now = self.clock.now()
            with self.uow() as uow:
                due = uow.cases.due(now, batch)
            progressed = False
            for item in due:
                event = self.expire(item.case_id, item.key)
                if event is not None:
                    fired.append(event)
                    progressed = True
            if len(due) < batch or not progressed:
                return fired

    def expire(self, case_id: str, key: str) -> Event | None:
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id)
            deadline = case.deadlines.get(key)
            now = self.clock.now()
            if (
                deadline is None
                or deadline.status != DeadlineStatus.OPEN
                or not deadline.due_at
                or deadline.due_at > now
            ):
                return None
            protocol = self.protocol(case.protocol_hash)
            event = self._expiry_event(protocol, case, deadline, now)
            uow.cases.record(case, apply(case, event), event)
            uow.commit()
        return event

    # --- audit -------------------------------------------------------------

    def events(self, case_id: str, upto: int | None = None) -> list[Event]:
        with self.uow() as uow:
            uow.cases.get(case_id)
            return uow.cases.events(case_id, upto)

    def replay(self, case_id: str, upto: int | None = None) -> list[ReplayStep]:
        steps: list[ReplayStep] = []
        case: Case | None = None
        for event in self.events(case_id, upto):
            before = case.to_dict() if case else None
            case = apply(case, event)
            steps.append(ReplayStep(event, before, case.to_dict()))
        return steps

    def verify(self, case_id: str) -> Verification:
        with self.uow() as uow:
            stored = uow.cases.get(case_id)
            events = uow.cases.events(case_id)
        return verify_events(stored, events)

    def verify_all(self, chunk: int = 500) -> list[Verification]:
        """Every case, read in chunks within one transaction (one consistent snapshot)."""
        results: list[Verification] = []
        with self.uow() as uow:
            ids = uow.cases.ids()
            for start in range(0, len(ids), chunk):
                part = ids[start : start + chunk]
                cases = uow.cases.get_many(part)
                events = uow.cases.events_many(part)
                results += [verify_events(cases[case_id], events.get(case_id, [])) for case_id in part]
        return results

    # --- decisions ---------------------------------------------------------

    def _transition(
        self,
        protocol: Protocol,
        case: Case,
        trigger: str,
        actor: str,
        role: str,
        inputs: dict[str, str],
        now: datetime,
        effective_at: datetime,
    ) -> Event:
        if case.closed:
            raise CaseClosed(trigger, case.step)
        candidates = protocol.candidates(case.step, trigger)
        if not candidates:
            raise TransitionNotAllowed(trigger, case.step, self._allowed(protocol, case, role))
        if not any(role in t.roles for t in candidates):
            raise PermissionDenied(role, trigger, sorted(set().union(*(t.roles for t in candidates))))
        values = self._check_inputs(protocol, inputs, effective_at)
        facts = {**case.facts, **values}
        try:
            cursor = machine_for(protocol).step(case.step, trigger, facts)
        except (KeyError, MachineError):
            raise TransitionNotAllowed(trigger, case.step, self._allowed(protocol, case, role)) from None
        if cursor is None or cursor.taken is None:
            conditions = " of ".join(describe(t.guard) for t in candidates if t.guard is not None)
            raise GuardFailed(trigger, case.step, self._allowed(protocol, case, role), conditions)
        taken = protocol.transitions[cursor.taken]
        if role not in taken.roles:
            raise PermissionDenied(role, trigger, sorted(taken.roles))
        for name in taken.requires:
            if name not in values:
                raise MissingInput(name, protocol.inputs()[name].label)
        return self._move(protocol, case, taken, cursor.state, actor, role, values, now, effective_at)

    def _move(
        self,
        protocol: Protocol,
        case: Case,
        taken: Transition,
        dest: str,
        actor: str,
        role: str,
        values: dict[str, str],
        now: datetime,
        effective_at: datetime,
        data: dict[str, Any] | None = None,
        keep: str | None = None,
    ) -> Event:
        seq = case.seq + 1
        facts = {**case.facts, **values}
        data = dict(data or {})
        changes: list[dict[str, Any]] = []
        if taken.dest is None:
            kind = EventType.FACTS
            changes += self._start_waiting(protocol, case, facts, cancelled=set())
        else:
            kind = EventType.DECISION if taken.answer_of else EventType.TRANSITION
            final = protocol.is_final(dest)
            # Timers belong to their step; obligations outlive it, except those still waiting
            # for a start date when the case closes.
            cancelled = {
                d.key
                for d in case.active_deadlines()
                if d.key != keep
                and (
                    (d.kind == "timer" and (d.step == case.step or final))
                    or (final and d.status == DeadlineStatus.WAITING)
                )
            }
            changes += [{"key": key, "status": DeadlineStatus.CANCELLED} for key in sorted(cancelled)]
            changes += self._start_waiting(protocol, case, facts, cancelled)  # e.g. obligations of earlier steps
            changes += self._enter(protocol, case.school, dest, seq, effective_at, facts)
            data["final"] = final
        if taken.answer_of:
            decision = protocol.step(taken.answer_of).decision
            data["answer"] = {
                "step": taken.answer_of,
                "answer": taken.trigger.split(":", 1)[1],
                "question": decision.question if decision else "",
            }
        data["deadlines"] = changes + data.get("deadlines", [])
        return self._event(protocol, case, kind, now, effective_at, actor, role, taken.trigger, dest, values, data)

    def _fulfil(
        self,
        protocol: Protocol,
        case: Case,
        deadline: Deadline,
        actor: str,
        role: str,
        inputs: dict[str, str],
        now: datetime,
        effective_at: datetime,
    ) -> Event:
        spec = protocol.obligation_index[deadline.id][1]
        if role not in spec.roles:
            raise PermissionDenied(role, deadline.id, sorted(spec.roles))
        values = self._check_inputs(protocol, inputs, effective_at)
        late = deadline.due_at is not None and effective_at >= deadline.due_at
        data = {
            "obligation": deadline.key,
            "late": late,
            "deadlines": [{"key": deadline.key, "status": DeadlineStatus.FULFILLED}],
        }
        return self._event(
            protocol, case, EventType.OBLIGATION, now, effective_at, actor, role, deadline.id, None, values, data
        )

    def _expiry_event(self, protocol: Protocol, case: Case, deadline: Deadline, now: datetime) -> Event:
        assert deadline.due_at is not None
        effective_at = max(deadline.due_at, case.updated_at)
        data: dict[str, Any] = {
            "deadline": deadline.key,
            "due_at": deadline.due_at.isoformat(),
            "fired_at": now.isoformat(),
        }
        spec: TimerSpec | ObligationSpec
        if deadline.kind == "timer":
            spec = protocol.timer_index[deadline.id][1]
            if isinstance(spec.on_expiry, FireOnExpiry):
                trigger = spec.on_expiry.fire
                try:
                    cursor = machine_for(protocol).step(case.step, trigger, case.facts)
                except (KeyError, MachineError):
                    cursor = None
                if cursor is not None and cursor.taken is not None:
                    taken = protocol.transitions[cursor.taken]
                    data["deadlines"] = [{"key": deadline.key, "status": DeadlineStatus.FIRED}]
                    event = self._move(
                        protocol,
                        case,
                        taken,
                        cursor.state,
                        SYSTEM_ROLE,
                        SYSTEM_ROLE,
                        {},
                        now,
                        effective_at,
                        data=data,
                        keep=deadline.key,
                    )
                    return _retype(event, EventType.TIMER_FIRED)
                data["reason"] = f"actie '{trigger}' was niet meer mogelijk"
                data["deadlines"] = [{"key": deadline.key, "status": DeadlineStatus.EXPIRED}]
                return self._event(
                    protocol,
                    case,
                    EventType.TIMER_EXPIRED,
                    now,
                    effective_at,
                    SYSTEM_ROLE,
                    SYSTEM_ROLE,
                    trigger,
                    None,
                    {},
                    data,
                )
            escalate = list(spec.on_expiry.escalate) if isinstance(spec.on_expiry, EscalateOnExpiry) else []
        else:
            obligation = protocol.obligation_index[deadline.id][1]
            escalate = list(obligation.escalate)
        data["escalate"] = escalate
        data["deadlines"] = [{"key": deadline.key, "status": DeadlineStatus.OVERDUE}]
        return self._event(
            protocol, case, EventType.OVERDUE, now, effective_at, SYSTEM_ROLE, SYSTEM_ROLE, None, None, {}, data
        )

    def _event(
        self,
        protocol: Protocol,
        case: Case,
        kind: str,
        now: datetime,
        effective_at: datetime,
        actor: str,
        role: str,
        trigger: str | None,
        dest: str | None,
        values: dict[str, str],
        data: dict[str, Any],
    ) -> Event:
        return Event(
            case_id=case.id,
            seq=case.seq + 1,
            type=kind,
            recorded_at=now,
            effective_at=effective_at,
            actor=actor,
            role=role,
            trigger=trigger,
            from_step=case.step,
            to_step=dest,
            protocol_hash=protocol.content_hash,
            calendar_version=self.calendar.version(case.school),
            inputs=values,
            data=data,
            prev_hash=case.last_hash,
        ).sealed()

    # --- deadlines ---------------------------------------------------------

    def _enter(
        self, protocol: Protocol, school: str, step: str, seq: int, effective_at: datetime, facts: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        changes = []
        items: list[tuple[str, TimerSpec | ObligationSpec]] = [("timer", t) for t in protocol.timers(step)]
        items += [("obligation", o) for o in protocol.obligations(step)]
        for kind, spec in items:
            start = local_date(effective_at) if spec.start == ENTERED else _fact_date(facts.get(spec.start))
            deadline = {
                "key": f"{spec.id}@{seq}",
                "id": spec.id,
                "kind": kind,
                "step": step,
                "label": spec.label,
                "status": DeadlineStatus.WAITING,
                "basis": spec.basis,
                "rule": spec.rule,
                "duration": spec.after,
                "start": spec.start,
            }
            if start is not None:
                deadline.update(self._term(protocol, spec, start, school))
            changes.append({"schedule": deadline})
        return changes

    def _start_waiting(
        self, protocol: Protocol, case: Case, facts: Mapping[str, Any], cancelled: set[str]
    ) -> list[dict[str, Any]]:
        """Deadlines that waited for a start date which is now recorded."""
        changes = []
        for d in case.active_deadlines():
            if d.status == DeadlineStatus.WAITING and d.key not in cancelled and facts.get(d.start):
                spec = (protocol.timer_index.get(d.id) or protocol.obligation_index[d.id])[1]
                start = _fact_date(facts[d.start])
                assert start is not None
                changes.append({"key": d.key, **self._term(protocol, spec, start, case.school)})
        return changes

    def _term(self, protocol: Protocol, spec: TimerSpec | ObligationSpec, start: date, school: str) -> dict[str, Any]:
        term = compute_term(start, protocol.duration(spec.after), TermRule(spec.rule), self.calendar, school)
        return {
            "status": DeadlineStatus.OPEN,
            "start_date": start.isoformat(),
            "due_date": term.due_date.isoformat(),
            "due_at": term.due_at.isoformat(),
            "calendar_version": term.calendar_version,
            "extensions": list(term.extensions),
        }

    @staticmethod
    def _open_obligation(case: Case, trigger: str) -> Deadline | None:
        for deadline in case.active_deadlines():
            if deadline.kind == "obligation" and deadline.id == trigger:
                return deadline
        return None

    # --- inputs and time ---------------------------------------------------

    def _check_inputs(self, protocol: Protocol, inputs: Mapping[str, str], effective_at: datetime) -> dict[str, str]:
        known = protocol.inputs()
        values: dict[str, str] = {}
        for name, raw in inputs.items():
            spec = known.get(name)
            if spec is None:
                raise InputError(name, f"onbekend veld; dit protocol kent: {', '.join(sorted(known))}")
            values[name] = _coerce(name, spec, raw, local_date(effective_at))
        return values

    def _effective(self, stated: date | datetime | None, now: datetime, previous: datetime | None) -> datetime:
        if stated is None:
            moment = now
        elif isinstance(stated, datetime):
            if stated.tzinfo is None:
                raise InvalidEffectiveDate("geef een tijd met tijdzone, of alleen een datum")
            moment = stated.astimezone(UTC)
        elif stated == local_date(now):
            moment = now
        else:
            moment = datetime.combine(stated, time(12, 0), tzinfo=AMSTERDAM).astimezone(UTC)
            if previous is not None and stated == local_date(previous) and moment < previous:
                moment = previous
        if moment > now:
            raise InvalidEffectiveDate(f"{_show(moment)} ligt in de toekomst")
        if previous is not None and moment < previous:
            raise InvalidEffectiveDate(f"{_show(moment)} ligt voor de vorige gebeurtenis ({_show(previous)})")
        return moment


def verify_events(stored: Case, events: list[Event]) -> Verification:
    """Recompute the chain; name the first event that was altered, removed or reordered."""
    prev = GENESIS
    case: Case | None = None
    for position, event in enumerate(events, start=1):
        if event.seq != position:
            return Verification(
                stored.id,
                False,
                len(events),
                position,
                f"gebeurtenis {position} ontbreekt of staat op de verkeerde plaats",
            )
        if event.prev_hash != prev:
            return Verification(
                stored.id,
                False,
                len(events),
                position,
                f"gebeurtenis {position} sluit niet aan op de vorige (verwijderd of verplaatst)",
            )
        if event.compute_hash() != event.hash:
            return Verification(stored.id, False, len(events), position, f"gebeurtenis {position} is gewijzigd")
        if event.column_mismatch:
            columns = ", ".join(event.column_mismatch)
            return Verification(
                stored.id,
                False,
                len(events),
                position,
                f"gebeurtenis {position}: {columns} wijkt af van de vastlegging",
            )
        prev = event.hash
        case = apply(case, event)
    if case is None or stored.seq != len(events) or stored.last_hash != prev:
        missing = len(events) + 1
        return Verification(
            stored.id, False, len(events), missing, f"gebeurtenis {missing} ontbreekt (de zaak staat op {stored.seq})"
        )
    if case.to_dict() != stored.to_dict():
        return Verification(stored.id, False, len(events), None, "de opgeslagen zaak wijkt af van de gebeurtenissen")
    return Verification(stored.id, True, len(events))


def _retype(event: Event, kind: str) -> Event:
    return replace(event, type=kind).sealed()


def _fact_date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _coerce(name: str, spec: InputSpec, raw: str, today: date) -> str:
    value = str(raw).strip()
    if not value:
        raise MissingInput(name, spec.label)
    if spec.type == "datum":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InputError(name, f"'{value}' is geen datum; schrijf JJJJ-MM-DD") from None
        if day > today:
            raise InputError(name, f"{day.isoformat()} ligt in de toekomst")
        return day.isoformat()
    if spec.type == "keuze" and value not in (spec.options or []):
        raise InputError(name, f"'{value}' is geen keuze; kies uit {', '.join(spec.options or [])}")
    if spec.type == "akkoord" and value.lower() != "ja":
        raise InputError(name, "akkoord geef je met 'ja'")
    if spec.type == "getal" and not value.lstrip("-").isdigit():
        raise InputError(name, f"'{value}' is geen geheel getal")
    return value.lower() if spec.type == "akkoord" else value


def _require_text(name: str, value: str) -> None:
    if not value or not value.strip():
        raise MissingInput(name)


def _show(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


__all__ = ["Action", "CaseView", "Engine", "ReplayStep", "Verification", "verify_events"]
