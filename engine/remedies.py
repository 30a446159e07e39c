"""Remedies as tracks of their own (protocol section ``remedies``, docs/protocol-format.md).

A remedy (bezwaar, beroep, a request to the Geschillencommissie, a complaint) is not bound to
a step. Its *term* starts when its start fact is recorded (the decision was sent) and runs
whatever the main steps do; it ends *verstreken* when it passes without a filing. A filing
(``filed_by``) ends the term and starts the *decision duty*: Awb 7:10 counts it from the day
after the (Atw-extended) end of the term, WPO art. 63 from the day after receipt. The duty
may be postponed once (Awb 7:10 lid 3) and waits while a remedy that ``suspends`` it is
pending (the Geschillencommissie passend onderwijs). A case closes while a remedy runs only
with a recorded reason (``motivering_rechtsmiddel``).

Pure functions of the protocol, the case and the act: what they return is written into the
event, and ``engine.case.apply`` only reads it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.case import CLOSE_MOTIVATION, REMEDY_PREFIX, Case, Deadline, DeadlineStatus
from engine.durations import Duration, Unit
from engine.errors import GuardFailed, InputError, RemedyRunning
from engine.protocol.model import Protocol, Transition, holds
from engine.protocol.schema import REMEDY_FROM_FILED, RemedyDecisionSpec, RemedySpec
from engine.terms import TermRule, compute_term

Change = dict[str, Any]
POSTPONED = "verdaagd"  # marks an extension by postponement: it happens once
PENDING = frozenset({DeadlineStatus.OPEN, DeadlineStatus.OVERDUE, DeadlineStatus.SUSPENDED})


def _seq(deadline: Deadline) -> int:
    return int(deadline.key.rsplit("@", 1)[1])


def deadlines_of(case: Case, remedy_id: str) -> list[Deadline]:
    """The remedy's deadlines in this case, oldest first (each decision sent starts one term)."""
    step = f"{REMEDY_PREFIX}{remedy_id}"
    return sorted((d for d in case.deadlines.values() if d.step == step), key=_seq)


def running(protocol: Protocol, case: Case, day: date | None = None) -> list[Deadline]:
    """The remedy deadlines that keep the case open: a term that runs (on ``day``, the act's
    own day, whether or not the worker has recorded its end), a decision not yet made."""
    found = []
    for remedy_id, remedy in protocol.remedies.items():
        for d in deadlines_of(case, remedy_id):
            if d.id == remedy.term.id:
                ended = day is not None and d.due_date is not None and d.due_date < day.isoformat()
                if d.status == DeadlineStatus.OPEN and not ended:
                    found.append(d)
            elif d.status in PENDING:
                found.append(d)
    return found


def describe(deadline: Deadline) -> str:
    if deadline.status == DeadlineStatus.SUSPENDED:
        return f"'{deadline.label}' (opgeschort)"
    return f"'{deadline.label}' (tot en met {deadline.due_date})"


@dataclass(frozen=True)
class Remedies:
    """Checks before an action, and the deadline changes it makes, for a protocol's remedies."""

    scheduler: Any  # engine.scheduling.Scheduler (imported there; no cycle)

    def check(self, protocol: Protocol, case: Case, taken: Transition, values: Mapping[str, str], day: date) -> None:
        """Refuse what the remedies do not allow, with the term named."""
        if not protocol.remedies:
            return
        if taken.dest is not None and protocol.is_final(taken.dest):
            self._check_closing(protocol, case, taken, values, day)
        for remedy_id, remedy in protocol.remedies.items():
            if taken.trigger == remedy.filed_by:
                self._check_filing(case, remedy_id, remedy)
            for decision in remedy.decision:
                if decision.postpone is not None and taken.trigger == decision.postpone.action:
                    self._check_postpone(case, remedy_id, remedy, day)
        decided = [d for d in taken.fulfils if protocol.remedy_decision(d) is not None]
        if decided:
            self._check_decision(protocol, case, taken, decided)

    @staticmethod
    def _check_closing(
        protocol: Protocol, case: Case, taken: Transition, values: Mapping[str, str], day: date
    ) -> None:
        runs = running(protocol, case, day)
        if runs and not values.get(CLOSE_MOTIVATION):
            raise RemedyRunning(taken.trigger, case.step, [d.id for d in runs], ", ".join(describe(d) for d in runs))
        if not runs and values.get(CLOSE_MOTIVATION):
            raise InputError(CLOSE_MOTIVATION, "er loopt geen termijn voor bezwaar of beroep; laat dit veld leeg")

    @staticmethod
    def _check_filing(case: Case, remedy_id: str, remedy: RemedySpec) -> None:
        terms = [d for d in deadlines_of(case, remedy_id) if d.id == remedy.term.id]
        if not terms:
            raise GuardFailed(
                remedy.filed_by, case.step, [], f"er loopt geen termijn voor '{remedy.label}' ({remedy.term.basis})"
            )
        latest = terms[-1]
        if latest.status in DeadlineStatus.DONE:
            raise GuardFailed(remedy.filed_by, case.step, [], f"'{remedy.label}' is al ingediend")

    @staticmethod
    def _check_postpone(case: Case, remedy_id: str, remedy: RemedySpec, day: date) -> None:
        pending = [d for d in deadlines_of(case, remedy_id) if d.id != remedy.term.id and d.status in PENDING]
        spec = next(d.postpone for d in remedy.decision if d.postpone is not None)
        assert spec is not None
        if not pending:
            raise GuardFailed(spec.action, case.step, [], f"er is geen ingediend(e) '{remedy.label}' om op te beslissen")
        decision = pending[-1]
        if any(e.startswith(POSTPONED) for e in decision.extensions):
            raise GuardFailed(spec.action, case.step, [], f"'{decision.label}' is al eens verdaagd ({spec.basis})")
        if decision.status != DeadlineStatus.OPEN or (decision.due_date and day.isoformat() > decision.due_date):
            raise GuardFailed(
                spec.action, case.step, [], f"verdagen kan alleen zolang de beslistermijn loopt ({spec.basis})"
            )

    @staticmethod
    def _check_decision(protocol: Protocol, case: Case, taken: Transition, decided: list[str]) -> None:
        mine = [d for d in case.active_deadlines() if d.id in decided]
        suspended = [d for d in mine if d.status == DeadlineStatus.SUSPENDED]
        if suspended:
            waits_for = [
                r.label for r in protocol.remedies.values() if protocol.remedy_of[suspended[0].id] in r.suspends
            ]
            raise GuardFailed(
                taken.trigger,
                case.step,
                [],
                f"'{suspended[0].label}' is opgeschort tot het oordeel van {' of '.join(waits_for) or 'de commissie'}",
            )
        if not mine:
            labels = ", ".join(sorted({protocol.remedies[protocol.remedy_of[d]].label for d in decided}))
            raise GuardFailed(taken.trigger, case.step, [], f"er is geen ingediend(e) {labels} om op te beslissen")

    # --- what an action changes -------------------------------------------------------

    def starts(self, protocol: Protocol, case: Case, facts: Mapping[str, Any]) -> list[Change]:
        """Terms of remedies whose start fact is now recorded (a new date starts a new term)."""
        changes: list[Change] = []
        for remedy_id, remedy in protocol.remedies.items():
            value = facts.get(remedy.term.start)
            if not isinstance(value, str) or not value:
                continue
            if remedy.when is not None and not holds(remedy.when, facts):
                continue
            terms = [d for d in deadlines_of(case, remedy_id) if d.id == remedy.term.id]
            # the same date again starts nothing; a running term moves with a new sending
            # (Scheduler.follow_dispatch) instead of running twice
            if any(d.start_date == value or d.status in (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE) for d in terms):
                continue
            term = remedy.term
            duration = Duration.parse(term.after)
            changes.append(
                {
                    "schedule": {
                        "key": f"{term.id}@{case.seq + 1}",
                        "id": term.id,
                        "kind": "timer",
                        "step": f"{REMEDY_PREFIX}{remedy_id}",
                        "label": term.label,
                        "status": DeadlineStatus.WAITING,
                        "basis": term.basis,
                        "rule": term.rule,
                        "duration": str(duration),
                        "start": term.start,
                        **self.scheduler.term(term, duration, date.fromisoformat(value), case.school),
                    }
                }
            )
        return changes

    def changes(
        self, protocol: Protocol, case: Case, taken: Transition, facts: Mapping[str, Any], day: date
    ) -> list[Change]:
        """Filing, postponing and deciding: the remedy deadlines this action changes."""
        changes: list[Change] = []
        for remedy_id, remedy in protocol.remedies.items():
            if taken.trigger == remedy.filed_by:
                changes += self._file(protocol, case, remedy_id, remedy, facts, day)
            for decision in remedy.decision:
                if decision.postpone is not None and taken.trigger == decision.postpone.action:
                    changes += self._postpone(case, remedy_id, remedy, decision)
            if any(d.id in taken.fulfils for d in remedy.decision):
                changes += self._resume(protocol, case, remedy, facts, day)
        return changes

    def _file(
        self,
        protocol: Protocol,
        case: Case,
        remedy_id: str,
        remedy: RemedySpec,
        facts: Mapping[str, Any],
        day: date,
    ) -> list[Change]:
        term = [d for d in deadlines_of(case, remedy_id) if d.id == remedy.term.id][-1]
        filed = date.fromisoformat(str(facts[remedy.filed_on]))
        late = term.due_date is not None and filed.isoformat() > term.due_date
        changes: list[Change] = [
            {"key": term.key, "status": DeadlineStatus.LATE if late else DeadlineStatus.FULFILLED}
        ]
        for other_id in remedy.suspends:  # e.g. the Geschillencommissie: the decision on bezwaar waits
            # only a decision still in time on the act's own day: one already overdue stays
            # overdue, whether or not the worker has recorded that (a late request hides nothing)
            changes += [
                {"key": d.key, "status": DeadlineStatus.SUSPENDED}
                for d in deadlines_of(case, other_id)
                if d.kind == "obligation"
                and d.status == DeadlineStatus.OPEN
                and (d.due_date is None or d.due_date >= day.isoformat())
            ]
        decision = next((d for d in remedy.decision if d.when is None or holds(d.when, facts)), None)
        if decision is None:
            return changes
        if decision.start == REMEDY_FROM_FILED or term.due_date is None:
            start = filed
        else:  # Awb 7:10 lid 1: from the end of the term; a late filing, from its receipt
            start = max(date.fromisoformat(term.due_date), filed)
        duration, basis = Duration.parse(decision.after), decision.basis
        if decision.committee is not None and holds(decision.committee.when, facts):
            duration, basis = Duration.parse(decision.committee.after), f"{basis}; {decision.committee.basis}"
        computed = self.scheduler.term(decision, duration, start, case.school)
        waiting = self._suspending(protocol, case, remedy_id)
        if waiting:
            computed["status"] = DeadlineStatus.SUSPENDED
        changes.append(
            {
                "schedule": {
                    "key": f"{decision.id}@{case.seq + 1}",
                    "id": decision.id,
                    "kind": "obligation",
                    "step": f"{REMEDY_PREFIX}{remedy_id}",
                    "label": decision.label,
                    "status": DeadlineStatus.WAITING,
                    "basis": basis,
                    "rule": decision.rule,
                    "duration": str(duration),
                    "start": decision.start,
                    **computed,
                }
            }
        )
        return changes

    @staticmethod
    def _suspending(protocol: Protocol, case: Case, remedy_id: str) -> list[Deadline]:
        """Pending decisions of remedies that suspend ``remedy_id`` (a request to the commission)."""
        found = []
        for other_id, other in protocol.remedies.items():
            if remedy_id in other.suspends:
                found += [d for d in deadlines_of(case, other_id) if d.id != other.term.id and d.status in PENDING]
        return found

    def _postpone(
        self, case: Case, remedy_id: str, remedy: RemedySpec, decision: RemedyDecisionSpec
    ) -> list[Change]:
        pending = [d for d in deadlines_of(case, remedy_id) if d.id != remedy.term.id and d.status in PENDING]
        postpone = decision.postpone
        current = pending[-1]
        assert postpone is not None and current.due_date is not None
        term = compute_term(
            date.fromisoformat(current.due_date),
            Duration.parse(postpone.by),
            TermRule(current.rule),
            self.scheduler.calendar,
            case.school,
        )
        note = f"{POSTPONED} met {postpone.by} tot {term.due_date.isoformat()} ({postpone.basis})"
        return [self._moved(current, term, note)]

    def _resume(
        self, protocol: Protocol, case: Case, remedy: RemedySpec, facts: Mapping[str, Any], day: date
    ) -> list[Change]:
        """The oordeel is in: the decisions it suspended run again for the days they waited."""
        if not remedy.suspends:
            return []
        began = _date(facts.get(remedy.filed_on))
        ended = _date(facts.get(remedy.decided_on)) if remedy.decided_on else day
        changes: list[Change] = []
        for other_id in remedy.suspends:
            for d in deadlines_of(case, other_id):
                if d.status != DeadlineStatus.SUSPENDED or d.start_date is None or d.due_date is None:
                    continue
                first_day = date.fromordinal(date.fromisoformat(d.start_date).toordinal() + 1)
                waited = max(0, (ended - max(began or first_day, first_day)).days) if ended else 0
                end = date.fromisoformat(d.target_date or d.due_date)
                term = compute_term(
                    end, Duration(waited, Unit.DAYS), TermRule(d.rule), self.scheduler.calendar, case.school
                )
                note = (
                    f"opgeschort van {(began or first_day).isoformat()} tot {(ended or day).isoformat()}: "
                    f"{waited} dagen later ({remedy.basis})"
                )
                changes.append(self._moved(d, term, note))
        return changes

    @staticmethod
    def _moved(deadline: Deadline, term: Any, note: str) -> Change:
        return {
            "key": deadline.key,
            "status": DeadlineStatus.OPEN,
            "due_date": term.due_date.isoformat(),
            "due_at": term.due_at.isoformat(),
            "target_date": term.calendar_end.isoformat() if term.calendar_end != term.due_date else None,
            "extensions": [*deadline.extensions, note, *term.extensions],
            "calendar_version": term.calendar_version,
        }


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None
