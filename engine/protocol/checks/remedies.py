"""Remedies (bezwaar, beroep, klacht): a dated start, a filing action that stays in its step
and records the day of receipt, decision duties recorded by actions, postponement by its own
action, and suspension of other remedies."""

from __future__ import annotations

from engine.protocol.checks.context import Context
from engine.protocol.checks.guards import check_guard
from engine.protocol.checks.terms import check_limits
from engine.protocol.model import BUILTIN_INPUTS, MOTIVATION, remedy_timer
from engine.protocol.schema import (
    REMEDY_FROM_FILED,
    REMEDY_FROM_TERM_END,
    RemedyDecisionSpec,
    RemedySpec,
    TransitionSpec,
)
from engine.protocol.yamlsource import Path_


def check_remedies(c: Context) -> None:
    _Remedies(c).check()


class _Remedies:
    """What the checks of one remedy share with those of the next: the ids and postponing
    actions already taken."""

    def __init__(self, c: Context) -> None:
        self.c = c
        self.remedies = c.spec.remedies or {}
        self.step_ids = {t.id for st in c.spec.steps.values() for t in st.timers}
        self.step_ids |= {o.id for st in c.spec.steps.values() for o in st.obligations}
        self.seen: set[str] = set()
        self.postponers: set[str] = set()
        self.by_trigger: dict[str, list[TransitionSpec]] = {}
        for t in c.spec.transitions:
            self.by_trigger.setdefault(t.trigger, []).append(t)

    def check(self) -> None:
        for remedy_id, remedy in self.remedies.items():
            base: Path_ = ("remedies", remedy_id)
            if remedy.when is not None:
                check_guard(self.c, base + ("when",), remedy.when)
            self._check_ids(base, remedy)
            self._check_term(base, remedy)
            self._check_filing(base, remedy)
            if not remedy.decision:
                self.c.err(base + ("decision",), "een rechtsmiddel heeft minstens één beslisplicht")
            for i, decision in enumerate(remedy.decision):
                self._check_decision(base, base + ("decision", i), remedy, decision)
            self._check_suspension(base, remedy_id, remedy)

    def _check_ids(self, base: Path_, remedy: RemedySpec) -> None:
        """The term and decision ids are unique among every term and free of other names."""
        ids = [(base + ("term", "id"), remedy.term.id)]
        ids += [(base + ("decision", i, "id"), d.id) for i, d in enumerate(remedy.decision)]
        for path, item_id in ids:
            if item_id in self.step_ids or item_id in self.seen:
                self.c.err(path, f"id '{item_id}' komt al voor")
            if item_id in self.by_trigger or item_id in self.c.inputs or item_id in self.c.steps:
                self.c.err(path, f"id '{item_id}' is ook de naam van een actie, invoerveld of stap")
            self.seen.add(item_id)

    def _check_term(self, base: Path_, remedy: RemedySpec) -> None:
        start = self.c.inputs.get(remedy.term.start)
        if start is None or start.type != "datum":
            self.c.err(base + ("term", "from"), f"'{remedy.term.start}' is geen invoerveld van type datum")
        check_limits(self.c, base + ("term",), remedy_timer(remedy))
        if remedy.term.measure or remedy.term.duration_from or remedy.term.shift:
            self.c.err(base + ("term",), "een termijn voor een rechtsmiddel is geen maatregel en heeft een vaste duur")

    def _check_filing(self, base: Path_, remedy: RemedySpec) -> None:
        """Filing is recorded by an action that stays in its step and requires the day of receipt."""
        filing = self.by_trigger.get(remedy.filed_by, [])
        if not filing or any(t.to is not None for t in filing):
            self.c.err(base + ("filed_by",), f"'{remedy.filed_by}' moet een actie zonder 'to' zijn (het indienen vastleggen)")
        elif any(remedy.filed_on not in t.requires for t in filing):
            self.c.err(base + ("filed_on",), f"actie '{remedy.filed_by}' moet '{remedy.filed_on}' in 'requires' hebben")
        on = self.c.inputs.get(remedy.filed_on)
        if on is None or on.type != "datum":
            self.c.err(base + ("filed_on",), f"'{remedy.filed_on}' is geen invoerveld van type datum")

    def _check_decision(self, base: Path_, path: Path_, remedy: RemedySpec, decision: RemedyDecisionSpec) -> None:
        if decision.start not in (REMEDY_FROM_TERM_END, REMEDY_FROM_FILED):
            self.c.err(
                path + ("from",), f"'from' is '{REMEDY_FROM_TERM_END}' of '{REMEDY_FROM_FILED}', niet '{decision.start}'"
            )
        if decision.when is not None:
            check_guard(self.c, path + ("when",), decision.when)
        self.c.check_roles(path + ("roles",), decision.roles)
        self.c.check_roles(path + ("escalate",), decision.escalate)
        check_limits(self.c, path, decision)
        self._check_deciders(base, path, remedy, decision)
        if decision.committee is not None:
            check_guard(self.c, path + ("committee", "when"), decision.committee.when)
        self._check_postpone(path, decision)

    def _check_deciders(self, base: Path_, path: Path_, remedy: RemedySpec, decision: RemedyDecisionSpec) -> None:
        """An action records the decision, with the day it was made when the remedy names one."""
        deciders = [t for t in self.c.spec.transitions if decision.id in t.fulfils]
        if not deciders:
            self.c.err(path + ("id",), f"geen actie legt '{decision.id}' vast; noem het bij 'fulfils' van een actie")
        if remedy.decided_on and any(remedy.decided_on not in t.requires for t in deciders):
            self.c.err(
                base + ("decided_on",),
                f"de actie die '{decision.id}' vastlegt moet '{remedy.decided_on}' in 'requires' hebben",
            )

    def _check_postpone(self, path: Path_, decision: RemedyDecisionSpec) -> None:
        """Postponing is an action of its own that stays in its step and records the reason."""
        postpone = decision.postpone
        if postpone is None:
            return
        acting = self.by_trigger.get(postpone.action, [])
        if not acting or any(t.to is not None or MOTIVATION not in t.requires for t in acting):
            self.c.err(
                path + ("postpone", "action"),
                f"'{postpone.action}' moet een actie zonder 'to' zijn die 'motivering' vraagt (de reden)",
            )
        if postpone.action in self.postponers:
            self.c.err(path + ("postpone", "action"), f"'{postpone.action}' verdaagt al een andere beslissing")
        self.postponers.add(postpone.action)

    def _check_suspension(self, base: Path_, remedy_id: str, remedy: RemedySpec) -> None:
        """A remedy suspends other remedies until its decision, whose date it records."""
        for i, other in enumerate(remedy.suspends):
            if other not in self.remedies or other == remedy_id:
                self.c.err(base + ("suspends", i), f"'{other}' is geen ander rechtsmiddel{self.c.known('remedies', self.remedies)}")
        if remedy.suspends and remedy.decided_on is None:
            self.c.err(base + ("decided_on",), "wie een beslissing opschort, noemt de datum van het oordeel (decided_on)")
        if remedy.decided_on is not None and (self.c.inputs.get(remedy.decided_on) or BUILTIN_INPUTS[MOTIVATION]).type != "datum":
            self.c.err(base + ("decided_on",), f"'{remedy.decided_on}' is geen invoerveld van type datum")
