"""The engine's use cases: load protocols, open cases, fire triggers, run timers.

Each use case runs in one unit of work: the event, the projection and the deadline
changes commit together or not at all. Decisions (which step, which due date) are made
here and written into the event; ``engine.case.apply`` only reads them back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from engine.access import Principal, can_view, case_roles
from engine.audit import ReplayStep, Verification, replay_steps, verify_events, verify_letters
from engine.calendar import Calendar
from engine.case import Case, Deadline, DeadlineStatus, apply
from engine.clock import Clock, OffsetClock
from engine.durations import Duration
from engine.errors import (
    AnonymisationRefused,
    CaseClosed,
    ConcurrencyConflict,
    GuardFailed,
    LetterNotAvailable,
    MigrationRefused,
    MissingInput,
    PermissionDenied,
    SandboxRequired,
    StorageError,
    TimeTravel,
    TransitionNotAllowed,
    TredeError,
)
from engine.events import ERASED, GENESIS, Event, EventType
from engine.inputs import check_inputs, effective_moment, require_text
from engine.letters import LetterRenderer, StoredLetter, letter_context
from engine.machine import MachineError, machine_for
from engine.ports import DueDeadline, RetentionCandidate, StoredProtocol, UnitOfWork, UnitOfWorkFactory
from engine.protocol.loader import load_protocol_text
from engine.protocol.model import SYSTEM_ROLE, Protocol, Transition, describe, holds
from engine.protocol.schema import EscalateOnExpiry, FireOnExpiry, ObligationSpec, TimerSpec
from engine.scheduling import Scheduler
from engine.terms import TermRule, compute_term, local_date

Inputs = Mapping[str, str]


@dataclass(frozen=True)
class Action:
    """Something a role may do in a case now."""

    trigger: str
    label: str
    kind: str  # transition | answer | obligation
    to: str | None
    requires: tuple[str, ...]
    accepts: tuple[str, ...] = ()


HIDDEN = "(afgeschermd)"


@dataclass(frozen=True)
class CaseView:
    case: Case
    protocol: Protocol
    actions: list[Action]
    role: str | None = None

    def subject(self) -> str:
        """The subject's pseudonym, unless the protocol protects it from this role."""
        identity = self.protocol.spec.identity
        if identity is None or self.role in identity.visible_to:
            return self.case.subject
        if identity.consent and self.case.facts.get(identity.consent) == "ja":
            return self.case.subject
        return HIDDEN

    def to_dict(self) -> dict[str, Any]:
        step = self.protocol.step(self.case.step)
        return {
            **self.case.to_dict(),
            "subject": self.subject(),
            "step_label": step.label,
            "step_source": step.source,
            "actions": [a.__dict__ | {"requires": list(a.requires), "accepts": list(a.accepts)} for a in self.actions],
        }


@dataclass
class Engine:
    uow: UnitOfWorkFactory
    clock: Clock
    calendar: Calendar
    letters: LetterRenderer | None = None
    new_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex[:16])
    _protocols: dict[str, Protocol] = field(default_factory=dict)

    scheduler: Scheduler = field(init=False)

    def __post_init__(self) -> None:
        self.scheduler = Scheduler(self.calendar)

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
            cached = self._protocols[content_hash] = load_protocol_text(stored.text, stored.file, self.stored_base)
        return cached

    def stored_base(self, protocol_id: str, version: int) -> tuple[str, str]:
        """Resolves a variant's base from the loaded protocols (immutable, so replays agree)."""
        with self.uow() as uow:
            stored = uow.protocols.get(protocol_id, version)
        return stored.text, stored.file

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
        group: str | None = None,
    ) -> Case:
        require_text("school", school)
        require_text("subject", subject)
        with self.uow(write=True) as uow:
            stored = uow.protocols.get(protocol_id, version)
            protocol = self.protocol(stored.content_hash)
            now = self.clock.now()
            effective_at = effective_moment(effective, now, None)
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
                    "protocol_version": stored.version,
                    "school": school,
                    "subject": subject,
                    **({"group": group} if group else {}),
                    "final": protocol.is_final(protocol.initial),
                    "deadlines": self.scheduler.enter(protocol, school, protocol.initial, 1, effective_at, {}),
                },
                prev_hash=GENESIS,
            ).sealed(personal=[("data", "subject")])
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
            effective_at = effective_moment(effective, now, case.updated_at)
            obligation = case.due_obligation(trigger)
            if obligation is not None:
                event = self._fulfil(protocol, case, obligation, actor, role, inputs, now, effective_at)
            else:
                event = self._transition(protocol, case, trigger, actor, role, inputs, now, effective_at)
            after = apply(case, event)
            uow.cases.record(case, after, event)
            uow.commit()
        return after

    def migrate(
        self,
        case_id: str,
        to_version: int,
        *,
        actor: str,
        role: str,
        effective: date | datetime | None = None,
    ) -> Case:
        """Move a case to another version of its protocol, explicitly and on the record."""
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id)
            target = uow.protocols.get(case.protocol_id, to_version)
            if target.content_hash == case.protocol_hash:
                raise MigrationRefused(case_id, to_version, "de zaak volgt die versie al")
            protocol = self.protocol(target.content_hash)
            if case.step not in protocol.spec.steps:
                raise MigrationRefused(case_id, to_version, f"stap '{case.step}' bestaat daar niet", step=case.step)
            known = {**protocol.timer_index, **protocol.obligation_index}
            missing = sorted({d.id for d in case.active_deadlines() if d.id not in known})
            if missing:
                raise MigrationRefused(
                    case_id, to_version, f"lopende termijnen ontbreken daar: {', '.join(missing)}", deadlines=missing
                )
            now = self.clock.now()
            data = {
                "from_version": case.protocol_version,
                "to_version": target.version,
                "from_hash": case.protocol_hash,
                "deadlines": [],
            }
            event = self._event(
                protocol,
                case,
                EventType.MIGRATED,
                now,
                effective_moment(effective, now, case.updated_at),
                actor,
                role,
                None,
                None,
                {},
                data,
            )
            after = apply(case, event)
            uow.cases.record(case, after, event)
            uow.commit()
        return after

    def letter(self, case_id: str, name: str, *, actor: str, role: str) -> StoredLetter:
        """Generate a letter from the case, store it, and record its hashes in the audit trail."""
        if self.letters is None:
            raise StorageError("Er is geen briefmodule ingesteld.")
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id)
            protocol = self.protocol(case.protocol_hash)
            letters = protocol.spec.letters
            spec = letters.get(name)
            if spec is None or case.step not in spec.steps:
                available = sorted(n for n, letter in letters.items() if case.step in letter.steps)
                raise LetterNotAvailable(name, case.step, available)
            if role not in spec.roles:
                raise PermissionDenied(role, f"brief {name}", sorted(spec.roles))
            now = self.clock.now()
            context = letter_context(protocol, case, uow.cases.events(case_id), name, now)
            rendered = self.letters.render(spec.template, context, now)
            data = {
                "letter": name,
                "template": spec.template,
                "sha256_html": rendered.sha256_html,
                "sha256_pdf": rendered.sha256_pdf,
                "deadlines": [],
            }
            event = self._event(protocol, case, EventType.LETTER, now, now, actor, role, None, None, {}, data)
            uow.cases.record(case, apply(case, event), event)
            stored = StoredLetter(
                case_id, event.seq, name, rendered.html, rendered.pdf, rendered.sha256_html, rendered.sha256_pdf
            )
            uow.letters.add(stored)
            uow.commit()
        return stored

    def anonymise(self, case_id: str, *, actor: str, role: str, reason: str) -> Case:
        """Erase a closed case's personal data: pseudonym, free text, letters. The event chain
        stays verifiable, and the anonymisation is itself an event."""
        require_text("reason", reason)
        with self.uow(write=True) as uow:
            case = uow.cases.get(case_id)
            if not case.closed:
                raise AnonymisationRefused(case_id, "de zaak is nog niet afgesloten")
            if case.subject == ERASED:
                raise AnonymisationRefused(case_id, "de zaak is al geanonimiseerd")
            protocol = self.protocol(case.protocol_hash)
            now = self.clock.now()
            erased = sorted(name for name in case.facts if _is_free_text(protocol, name))
            data = {"reason": reason, "erased_facts": erased, "deadlines": []}
            event = self._event(protocol, case, EventType.ANONYMISED, now, now, actor, role, None, None, {}, data)
            uow.cases.erase_personal(case_id)
            uow.letters.erase(case_id)
            after = apply(case, event)
            uow.cases.record(case, after, event)
            uow.commit()
        return after

    def apply_retention(self) -> list[str]:
        """Anonymise every closed case whose protocol's retention period has passed, or whose
        pupil has left the school where the protocol says so; no case before its time.
        Returns the ids anonymised."""
        now = self.clock.now()
        with self.uow() as uow:
            candidates = uow.cases.closed_unanonymised()
        done = []
        for candidate in candidates:
            reason = self._retention_reason(candidate, now)
            if reason is not None:
                self.anonymise(candidate.case_id, actor=SYSTEM_ROLE, role=SYSTEM_ROLE, reason=reason)
                done.append(candidate.case_id)
        return done

    def _retention_reason(self, candidate: RetentionCandidate, now: datetime) -> str | None:
        retention = self.protocol(candidate.protocol_hash).spec.retention
        if retention is None:
            return None
        if retention.on_departure and candidate.left_on is not None and local_date(now) >= candidate.left_on:
            left = candidate.left_on.isoformat()
            return f"leerling heeft de school verlaten op {left} ({retention.basis})"
        term = compute_term(
            local_date(candidate.closed_at), Duration.parse(retention.after), TermRule.CALENDAR, self.calendar, ""
        )
        if now >= term.due_at:
            return f"bewaartermijn van {retention.after} na afsluiten verstreken ({retention.basis})"
        return None

    def record_departure(self, school: str, subject: str, left_on: date, *, actor: str) -> None:
        """Record the day a pupil left a school; retention rules that end at departure use it."""
        require_text("school", school)
        require_text("subject", subject)
        with self.uow(write=True) as uow:
            uow.cases.record_departure(school, subject, left_on, self.clock.now(), actor)
            uow.commit()

    def show(self, case_id: str, role: str | None = None) -> CaseView:
        with self.uow() as uow:
            case = uow.cases.get(case_id)
        protocol = self.protocol(case.protocol_hash)
        return CaseView(case, protocol, self.actions(protocol, case, role), role)

    def cases_for(self, principal: Principal) -> list[CaseView]:
        """The cases this user may see, each with the actions open to them."""
        with self.uow() as uow:
            ids = uow.cases.ids(principal.schools())
            cases = uow.cases.get_many(ids) if ids else {}
        views = []
        for case_id in ids:
            case = cases[case_id]
            protocol = self.protocol(case.protocol_hash)
            if can_view(principal, case, protocol):
                roles = case_roles(principal, case, protocol)
                actions = [a for role in roles for a in self.actions(protocol, case, role)]
                views.append(CaseView(case, protocol, actions, roles[0] if roles else None))
        return views

    def actions(self, protocol: Protocol, case: Case, role: str | None) -> list[Action]:
        found: list[Action] = []
        seen: set[str] = set()
        facts = case.guard_facts()
        if not case.closed:
            for t in protocol.transitions_from(case.step):
                permitted = role is None or role in t.roles
                if permitted and t.trigger not in seen and (t.guard is None or holds(t.guard, facts)):
                    seen.add(t.trigger)
                    kind = "answer" if t.answer_of else "transition"
                    found.append(Action(t.trigger, t.label, kind, t.dest, t.requires, t.accepts))
        for deadline in case.due_obligations():
            if deadline.id not in seen:
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

    def run_timers(self, until: datetime | None = None, batch: int = 200) -> list[Event]:
        """Expire everything due, earliest first, in batches until nothing is due."""
        if until is not None:
            self.advance_clock(until)
        fired: list[Event] = []
        while True:
            events, claimed = self.expire_batch(batch)
            fired += events
            if claimed < batch or not events:
                return fired

    def expire_batch(self, limit: int) -> tuple[list[Event], int]:
        """Claim up to ``limit`` due deadlines and expire them in one transaction.

        On PostgreSQL the claim locks the cases and skips those another worker or a person
        holds, so nothing else writes to a claimed case until this commits; a worker that
        dies releases its claim with its transaction. So the batch normally commits as one
        (one fsync for many timers). Should anything fail, the batch is redone with one
        savepoint per deadline, so that a single bad case cannot hold up the others.
        """
        try:
            return self._expire_claimed(limit, isolated=False)
        except TredeError:
            return self._expire_claimed(limit, isolated=True)

    def _expire_claimed(self, limit: int, *, isolated: bool) -> tuple[list[Event], int]:
        with self.uow(write=True) as uow:
            now = self.clock.now()
            due = uow.cases.claim_due(now, limit)
            fired = self._expire_isolated(uow, due, now) if isolated else self._expire_together(uow, due, now)
            uow.commit()
        return fired, len(due)

    def _expire_together(self, uow: UnitOfWork, due: list[DueDeadline], now: datetime) -> list[Event]:
        """Read the claimed cases at once and write all expiries in one go."""
        cases = uow.cases.get_many(list(dict.fromkeys(d.case_id for d in due)))
        changes: list[tuple[Case, Case, Event]] = []
        for item in due:
            case = cases[item.case_id]
            event = self._expiry_of(case, item.key, now)
            if event is not None:
                cases[item.case_id] = after = apply(case, event)
                changes.append((case, after, event))
        if changes:
            uow.cases.record_many(changes)
        return [event for _, _, event in changes]

    def _expire_isolated(self, uow: UnitOfWork, due: list[DueDeadline], now: datetime) -> list[Event]:
        fired = []
        for item in due:
            try:
                with uow.savepoint():
                    event = self._expire(uow, item.case_id, item.key, now)
            except TredeError:
                continue  # left open; the next round tries again
            if event is not None:
                fired.append(event)
        return fired

    def _expire(self, uow: UnitOfWork, case_id: str, key: str, now: datetime) -> Event | None:
        case = uow.cases.get(case_id)
        event = self._expiry_of(case, key, now)
        if event is not None:
            uow.cases.record(case, apply(case, event), event)
        return event

    def _expiry_of(self, case: Case, key: str, now: datetime) -> Event | None:
        deadline = case.deadlines.get(key)
        if deadline is None or deadline.status != DeadlineStatus.OPEN or not deadline.due_at or deadline.due_at > now:
            return None
        return self._expiry_event(self.protocol(case.protocol_hash), case, deadline, now)

    # --- audit -------------------------------------------------------------

    def events(self, case_id: str, upto: int | None = None) -> list[Event]:
        with self.uow() as uow:
            uow.cases.get(case_id)
            return uow.cases.events(case_id, upto)

    def replay(self, case_id: str, upto: int | None = None) -> list[ReplayStep]:
        return replay_steps(self.events(case_id, upto))

    def verify(self, case_id: str) -> Verification:
        with self.uow() as uow:
            stored = uow.cases.get(case_id)
            events = uow.cases.events(case_id)
            letters = uow.letters.hashes([case_id])
        return verify_letters(verify_events(stored, events), events, letters)

    def verify_all(self, chunk: int = 500) -> list[Verification]:
        """Every case, read in chunks within one transaction (one consistent snapshot)."""
        results: list[Verification] = []
        with self.uow() as uow:
            ids = uow.cases.ids()
            for start in range(0, len(ids), chunk):
                part = ids[start : start + chunk]
                cases = uow.cases.get_many(part)
                events = uow.cases.events_many(part)
                letters = uow.letters.hashes(part)
                for case_id in part:
                    found = events.get(case_id, [])
                    results.append(verify_letters(verify_events(cases[case_id], found), found, letters))
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
        values = check_inputs(protocol, inputs, local_date(effective_at))
        try:  # guards are preconditions: they test what was recorded before this action
            cursor = machine_for(protocol).step(case.step, trigger, case.guard_facts())
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
        kind: str | None = None,
    ) -> Event:
        facts = {**case.facts, **values}
        data = dict(data or {})
        changes: list[dict[str, Any]] = [
            {"key": d.key, "status": DeadlineStatus.FULFILLED} for d in case.due_obligations() if d.id in taken.fulfils
        ]
        if taken.dest is None:
            kind = kind or EventType.FACTS
            changes += self.scheduler.start_waiting(protocol, case, facts, cancelled=set())
        else:
            kind = kind or (EventType.DECISION if taken.answer_of else EventType.TRANSITION)
            final = protocol.is_final(dest)
            cancelled = self.scheduler.leaving(case, final, keep)
            changes += [{"key": key, "status": DeadlineStatus.CANCELLED} for key in sorted(cancelled)]
            changes += self.scheduler.start_waiting(protocol, case, facts, cancelled)
            changes += self.scheduler.enter(protocol, case.school, dest, case.seq + 1, effective_at, facts)
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
        values = check_inputs(protocol, inputs, local_date(effective_at))
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
                    cursor = machine_for(protocol).step(case.step, trigger, case.guard_facts())
                except (KeyError, MachineError):
                    cursor = None
                if cursor is not None and cursor.taken is not None:
                    taken = protocol.transitions[cursor.taken]
                    data["deadlines"] = [{"key": deadline.key, "status": DeadlineStatus.FIRED}]
                    return self._move(
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
                        kind=EventType.TIMER_FIRED,
                    )
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
        ).sealed(personal=[("inputs", name) for name in values if _is_free_text(protocol, name)])


def _is_free_text(protocol: Protocol, name: str) -> bool:
    """Free text may name people: it is kept outside the hashed record (see events.py)."""
    spec = protocol.inputs().get(name)
    return spec is not None and spec.type == "tekst"


__all__ = ["Action", "CaseView", "Engine", "ReplayStep", "Verification"]
