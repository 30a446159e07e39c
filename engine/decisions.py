"""What an action, an obligation or an expiry records: the event, decided once.

Pure functions of the protocol, the case and the act; ``engine.case.apply`` only reads
back what they wrote. The use cases in ``engine.usecases`` call them inside a unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from engine.calendar import Calendar
from engine.case import CLOSE_MOTIVATION, TRACK_DONE, TRACK_OPEN, Case, Deadline, DeadlineStatus
from engine.errors import (
    CaseClosed,
    ClockBehind,
    GuardFailed,
    MissingInput,
    RecordedByAction,
    TransitionNotAllowed,
)
from engine.events import Event, EventType
from engine.inputs import check_declared, check_inputs
from engine.machine import MachineError, machine_for
from engine.protocol.model import SYSTEM_ROLE, Protocol, Transition
from engine.protocol.schema import ObligationSpec, TimerSpec
from engine.refusals import recorded, role_refusal
from engine.remedies import running
from engine.scheduling import Scheduler
from engine.terms import local_date
from engine.views import actions_for

# How far the clock may stand behind a case's last recorded event and still record: an NTP
# step or a restart on another host. Within it the event is recorded at the last event's time
# (recorded_at never goes back within a case); beyond it nothing is recorded (ClockBehind).
CLOCK_DRIFT = timedelta(minutes=5)


def recording_moment(case: Case, now: datetime) -> datetime:
    """``now``, or the case's last recorded moment when the clock went back a little."""
    last = case.recorded_at
    if last is None or now >= last:
        return now
    if last - now > CLOCK_DRIFT:
        raise ClockBehind(case.id, last.isoformat(), now.isoformat())
    return last


@dataclass(frozen=True)
class Act:
    """Who records something, in which role, and when (recorded and taking effect)."""

    actor: str
    role: str
    now: datetime
    effective_at: datetime
    link_id: str | None = None  # the id of the case this action opens, decided beforehand
    link_protocol: str | None = None  # the protocol it opens under (a school's own variant), decided beforehand


@dataclass(frozen=True)
class Draft:
    """An event before it is sealed onto the case's chain."""

    kind: str
    trigger: str | None = None
    dest: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    personal: tuple[str, ...] = ()  # names in ``data`` that are personal (sealed as hashes)


@dataclass(frozen=True)
class Decider:
    calendar: Calendar
    scheduler: Scheduler = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scheduler", Scheduler(self.calendar))  # one per engine (with its remedies), not per fire

    def seal(self, protocol: Protocol, case: Case, act: Act, draft: Draft) -> Event:
        return Event(
            case_id=case.id,
            seq=case.seq + 1,
            type=draft.kind,
            recorded_at=recording_moment(case, act.now),
            effective_at=act.effective_at,
            actor=act.actor,
            role=act.role,
            trigger=draft.trigger,
            from_step=case.step,
            to_step=draft.dest,
            protocol_hash=protocol.content_hash,
            calendar_version=self.calendar.version(case.school),
            inputs=draft.values,
            data=draft.data,
            prev_hash=case.last_hash,
        ).sealed(
            personal=[
                *(("inputs", name) for name in draft.values if is_personal(protocol, name)),
                *(("data", name) for name in draft.personal),
            ]
        )

    def action(self, protocol: Protocol, case: Case, trigger: str, act: Act, inputs: dict[str, str]) -> Event:
        """A handler's action: recording a due obligation, or a transition."""
        obligation = case.due_obligation(trigger)
        if obligation is not None:
            return self.fulfil(protocol, case, obligation, act, inputs)
        return self.transition(protocol, case, trigger, act, inputs)

    def transition(self, protocol: Protocol, case: Case, trigger: str, act: Act, inputs: dict[str, str]) -> Event:
        if case.closed:
            raise CaseClosed(trigger, case.step)
        candidates = protocol.candidates(case.step, trigger)

        def allowed() -> list[str]:  # only when refusing: it evaluates every guard
            return [a.trigger for a in actions_for(protocol, case, act.role, act.effective_at)]

        if not candidates:
            raise TransitionNotAllowed(trigger, case.step, allowed())
        permitted = [t for t in candidates if act.role in t.roles]
        if not permitted:
            may = set().union(*(t.roles for t in candidates))
            timers = [spec.label or spec.id for _, spec in protocol.timer_index.values() if spec.on_expiry.fire == trigger]
            advice = f"Dat doet trede zelf wanneer de termijn ‘{timers[0]}’ verstrijkt." if timers and not may else None
            raise role_refusal(protocol, act.role, recorded(candidates[0].label), may, advice=advice)
        # before the guards: a field no permitted alternative declares is refused whatever the facts
        check_declared(protocol, inputs, permitted[0].label, [name for t in permitted for name in t.declared()])
        values = check_inputs(protocol, inputs, local_date(act.effective_at))
        # Guards are preconditions: they test what was recorded before this action, with every
        # term as it stood at the action's own moment (issue 23: not as the worker left it).
        facts = case.guard_facts(act.effective_at)
        try:
            cursor = machine_for(protocol).step(case.step, trigger, facts, values)
        except (KeyError, MachineError):
            raise TransitionNotAllowed(trigger, case.step, allowed()) from None
        if cursor is None or cursor.taken is None:
            conditions = " of ".join(t.conditions() for t in candidates if t.guard is not None or t.given is not None)
            raise GuardFailed(trigger, case.step, allowed(), conditions)
        taken = protocol.transitions[cursor.taken]
        if act.role not in taken.roles:
            raise role_refusal(protocol, act.role, recorded(taken.label), taken.roles)
        check_declared(protocol, values, taken.label, list(taken.declared()))  # the alternative the guards chose
        waiting = _tracks_in_the_way(protocol, case, taken)
        if waiting:
            raise GuardFailed(trigger, case.step, allowed(), f"eerst afronden: {waiting}")
        for name in taken.requires:
            if name not in values:
                raise MissingInput(name, protocol.inputs()[name].label)
        self.scheduler.remedies.check(protocol, case, taken, values, local_date(act.effective_at))
        warnings = taken.warnings(facts)
        move = Move(taken, cursor.state, data={"warnings": list(warnings)} if warnings else {})
        return self.move(protocol, case, move, act, values)

    def move(self, protocol: Protocol, case: Case, move: Move, act: Act, values: dict[str, str]) -> Event:
        taken = move.taken
        facts = {**case.facts, **values}
        # A term ``from`` an action runs from this action's moment (the loader keeps action
        # names and input names apart): only the term computations see it, never a guard.
        timed = {**facts, taken.trigger: local_date(act.effective_at).isoformat()}
        data = dict(move.data)
        cleared = [name for name in taken.clears if name in case.facts]
        if cleared:  # the names only: the values stay in the events that recorded them
            data["cleared"] = cleared
            facts = {k: v for k, v in facts.items() if k not in cleared}
        changes: list[dict[str, Any]] = [
            _fulfilment(d, act) for d in case.due_obligations() if d.id in taken.fulfils
        ]
        scheduler = self.scheduler
        if protocol.remedies:
            changes += scheduler.remedies.changes(protocol, case, taken, facts, local_date(act.effective_at))
            if values.get(CLOSE_MOTIVATION):  # closing while a remedy runs: which ones, for the record
                data["remedies_running"] = [d.key for d in running(protocol, case, local_date(act.effective_at))]
        if taken.dest is None:
            kind = move.kind or EventType.FACTS
            changes += scheduler.start_waiting(protocol, case, timed, cancelled=set())
        else:
            kind = move.kind or (EventType.DECISION if taken.answer_of else EventType.TRANSITION)
            final = protocol.is_final(move.dest)
            cancelled = scheduler.leaving(case, final, move.keep)
            changes += [
                {"key": key, "status": _left(protocol, case.deadlines[key], act.effective_at)} for key in sorted(cancelled)
            ]
            changes += scheduler.start_waiting(protocol, case, timed, cancelled)
            changes += scheduler.enter(protocol, case.school, move.dest, case.seq + 1, act.effective_at, timed)
            data["final"] = final
        changes += scheduler.started(protocol, case, taken, move.dest, act.effective_at, timed)
        entered_tracks = protocol.tracks(move.dest) if taken.dest is not None else {}
        if entered_tracks:
            data["tracks"] = dict.fromkeys(entered_tracks, TRACK_OPEN)
        elif taken.dest is None and (done := protocol.tracks_done_by(case.step, taken)):
            data["tracks"] = dict.fromkeys(done, TRACK_DONE)
        if taken.counts_as:  # counted for these actions too (guards' counts, tracks)
            data["counted_as"] = list(taken.counts_as)
        if taken.opens is not None and act.link_id is not None:
            data["opened_case"] = {"id": act.link_id, "protocol": act.link_protocol or taken.opens.protocol}
        if taken.answer_of:
            decision = protocol.step(taken.answer_of).decision
            data["answer"] = {
                "step": taken.answer_of,
                "answer": taken.trigger.split(":", 1)[1],
                "question": decision.question if decision else "",
            }
        data["deadlines"] = changes + data.get("deadlines", [])
        draft = Draft(kind, trigger=taken.trigger, dest=move.dest, values=values, data=data)
        return self.seal(protocol, case, act, draft)

    def fulfil(self, protocol: Protocol, case: Case, deadline: Deadline, act: Act, inputs: dict[str, str]) -> Event:
        spec = protocol.obligation_index[deadline.id][1]
        actions = protocol.fulfilled_by.get(deadline.id)
        if actions:
            raise RecordedByAction(deadline.id, case.step, list(actions))
        if act.role not in spec.roles:
            raise role_refusal(protocol, act.role, recorded(spec.label or deadline.label), spec.roles)
        check_declared(protocol, inputs, spec.label, [])  # recording an obligation records no facts
        values = check_inputs(protocol, inputs, local_date(act.effective_at))
        data = {
            "obligation": deadline.key,
            "late": deadline.due_at is not None and act.effective_at >= deadline.due_at,
            "deadlines": [_fulfilment(deadline, act)],
        }
        return self.seal(protocol, case, act, Draft(EventType.OBLIGATION, trigger=deadline.id, values=values, data=data))

    def expiry(self, protocol: Protocol, case: Case, deadline: Deadline, now: datetime) -> Event:
        """A deadline whose moment has passed: its timer fires, lapses, or it is overdue."""
        assert deadline.due_at is not None
        act = Act(SYSTEM_ROLE, SYSTEM_ROLE, now, max(deadline.due_at, case.updated_at))
        data: dict[str, Any] = {
            "deadline": deadline.key,
            "due_at": deadline.due_at.isoformat(),
            "fired_at": now.isoformat(),
        }
        spec: TimerSpec | ObligationSpec
        lapsed = deadline.lapsed_status()
        if lapsed == DeadlineStatus.PASSED:
            # a remedy's term passed without a filing: the track ends, nobody is told
            data["escalate"] = []
            data["deadlines"] = [{"key": deadline.key, "status": lapsed}]
            return self.seal(protocol, case, act, Draft(EventType.TIMER_FIRED, data=data))
        if deadline.kind == "timer":
            spec = protocol.timer_index[deadline.id][1]
            escalate = spec.on_expiry.roles
            again = self.scheduler.next_occurrence(spec, deadline, case.facts, case.school)
            if spec.every is not None:
                data["occurrence"] = deadline.occurrence  # each occurrence is its own event
            if spec.on_expiry.fire is not None:
                data["escalate"] = escalate
                return self._fire_timer(protocol, case, deadline, spec.on_expiry.fire, act, data, again)
            if spec.every is not None:  # a recurring prompt: it happened; the next one is open
                data["escalate"] = escalate
                data["deadlines"] = [again or {"key": deadline.key, "status": DeadlineStatus.FIRED}]
                return self.seal(protocol, case, act, Draft(EventType.TIMER_FIRED, data=data))
        else:
            escalate = list(protocol.obligation_index[deadline.id][1].escalate)
        data["escalate"] = escalate
        data["deadlines"] = [{"key": deadline.key, "status": lapsed}]
        return self.seal(protocol, case, act, Draft(EventType.OVERDUE, data=data))

    def _fire_timer(
        self,
        protocol: Protocol,
        case: Case,
        deadline: Deadline,
        trigger: str,
        act: Act,
        data: dict[str, Any],
        again: dict[str, Any] | None = None,
    ) -> Event:
        try:
            cursor = machine_for(protocol).step(case.step, trigger, case.guard_facts(act.effective_at))
        except (KeyError, MachineError):
            cursor = None
        if cursor is not None and cursor.taken is not None and _tracks_in_the_way(
            protocol, case, protocol.transitions[cursor.taken]
        ):
            cursor = None  # the step cannot be left while a required track is open
        if cursor is not None and cursor.taken is not None:
            stays = protocol.transitions[cursor.taken].dest is None  # a recurring timer keeps going
            fired = {"key": deadline.key, "status": DeadlineStatus.FIRED}
            data["deadlines"] = [again if again is not None and stays else fired]
            move = Move(
                protocol.transitions[cursor.taken], cursor.state, data=data, keep=deadline.key, kind=EventType.TIMER_FIRED
            )
            return self.move(protocol, case, move, act, {})
        data["reason"] = f"actie '{trigger}' was niet meer mogelijk"
        data["deadlines"] = [{"key": deadline.key, "status": DeadlineStatus.EXPIRED}]
        return self.seal(protocol, case, act, Draft(EventType.TIMER_EXPIRED, trigger=trigger, data=data))


@dataclass(frozen=True)
class Move:
    """A transition to take: where to, with what extra data, keeping which deadline."""

    taken: Transition
    dest: str
    data: dict[str, Any] = field(default_factory=dict)
    keep: str | None = None
    kind: str | None = None


def _tracks_in_the_way(protocol: Protocol, case: Case, taken: Transition) -> str:
    """The labels of required tracks still open when ``taken`` would leave the step."""
    if taken.dest is None:
        return ""
    tracks = protocol.tracks(case.step)
    return ", ".join(tracks[name].label for name in protocol.open_tracks(case.step, case.facts))


def _fulfilled(deadline: Deadline, act: Act) -> str:
    """A record after the deadline stays visible as late (Deadline history, issue 11)."""
    late = deadline.due_at is not None and act.effective_at >= deadline.due_at
    return DeadlineStatus.LATE if late else DeadlineStatus.FULFILLED


def _fulfilment(deadline: Deadline, act: Act) -> dict[str, Any]:
    """The change that records an obligation as met. Dated within its term but recorded after
    it (the worker may not have run, or the act is dated back): it counts as in time, and
    the change says it was recorded late, so an auditor sees a back-dated act (issue 23)."""
    change: dict[str, Any] = {"key": deadline.key, "status": _fulfilled(deadline, act)}
    if deadline.due_at is not None and act.effective_at < deadline.due_at <= act.now:
        change["recorded_after_due"] = True
    return change


def _left(protocol: Protocol, deadline: Deadline, at: datetime) -> str:
    """Leaving a step cancels its running timers; one that was already overdue stays missed,
    also when its moment passed before the act and the worker has not yet recorded it (a
    timer that only escalates; one that fires an action or recurs is cancelled)."""
    if deadline.status == DeadlineStatus.OVERDUE:
        return DeadlineStatus.MISSED
    found = protocol.timer_index.get(deadline.id) if deadline.kind == "timer" else None
    quiet = found is not None and found[1].on_expiry.fire is None and found[1].every is None
    return DeadlineStatus.MISSED if quiet and deadline.passed_at(at) else DeadlineStatus.CANCELLED


def is_personal(protocol: Protocol, name: str) -> bool:
    """Free text may name people, and the fields that identify a protected melder do,
    whatever their type: both are kept outside the hashed record (see events.py)."""
    spec = protocol.inputs().get(name)
    if spec is None:
        return False
    identity = protocol.spec.identity
    return spec.type == "tekst" or (identity is not None and name in identity.fields)
