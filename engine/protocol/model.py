"""A validated protocol, compiled into the lookups the engine needs on every fire."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from engine.case import CLOSE_MOTIVATION, COUNT_PREFIX, REMEDY_PREFIX, TRACK_DONE, TRACK_PREFIX, DeadlineStatus
from engine.durations import Duration
from engine.protocol.schema import (
    ActionCount,
    Advice,
    AllOf,
    AnyOf,
    FactCompare,
    FactEquals,
    FactIn,
    FactSet,
    Guard,
    InputSpec,
    NotOf,
    ObligationSpec,
    OnExpiry,
    OpensSpec,
    ProtocolSpec,
    RemedyDecisionSpec,
    RemedySpec,
    StepSpec,
    TimerSpec,
    TrackSpec,
)

MOTIVATION = "motivering"
BUILTIN_INPUTS = {MOTIVATION: InputSpec(type="tekst", label="Motivering")}
# Built in for protocols with remedies: every action that closes the case accepts it.
REMEDY_INPUTS = {
    CLOSE_MOTIVATION: InputSpec(
        type="tekst",
        label="Waarom de zaak wordt afgesloten terwijl een termijn voor bezwaar of beroep nog loopt",
        source="docs/protocol-format.md, Rechtsmiddelen",
    ),
}
SYSTEM_ROLE = "systeem"
# The web forms' own fields, posted alongside a protocol's inputs (the action form: all four;
# the letter form: csrf and rol). An input called so would be taken by the form and lost.
RESERVED_FORM_FIELDS = frozenset({"csrf", "rol", "volgnummer", "datum"})
# Facts every case has from its opening: the school's legal context, so that a protocol can
# choose the route the law gives that school (openbaar: Awb; bijzonder: WPO art. 63; VO: WVO 2020).
SCHOOL_FACTS = {
    "school_denominatie": ["openbaar", "bijzonder"],
    "school_sector": ["po", "vo", "so"],
    # the board switched on the parts of the bill Wet vrij en veilig onderwijs (Kamerstuk 36 777,
    # 27-6-2025) for this school before the law is in force; absent (default): off
    "wet_vrij_en_veilig": ["ja"],
}


@dataclass(frozen=True, slots=True)
class Transition:
    trigger: str
    label: str
    sources: tuple[str, ...]
    dest: str | None  # None: stays in the step (records facts only)
    roles: frozenset[str]
    requires: tuple[str, ...]
    guard: Guard | None
    answer_of: str | None = None  # the decision step this answer belongs to
    fulfils: tuple[str, ...] = ()
    source: str | None = None
    accepts: tuple[str, ...] = ()  # inputs offered but not required
    advice: tuple[Advice, ...] = ()  # soft preconditions: warn, record, go on
    opens: OpensSpec | None = None  # a linked case this action opens
    obligations: tuple[ObligationSpec, ...] = ()  # obligations this action starts (issue 27)
    given: Guard | None = None  # a guard that also sees this action's own inputs (issue 27)
    clears: tuple[str, ...] = ()  # recorded facts this action clears (issue 27)
    counts_as: tuple[str, ...] = ()  # other actions this one also counts as (issue 27)

    def conditions(self) -> str:
        """The guards, described for a refusal."""
        found = [describe(g) for g in (self.guard, self.given) if g is not None]
        return " en ".join(found) if len(found) < 2 else " en ".join(f"({d})" for d in found)

    def declared(self) -> tuple[str, ...]:
        """The inputs this action records: nothing else it is given is accepted."""
        return self.requires + self.accepts

    def warnings(self, facts: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(a.warning for a in self.advice if not holds(a.when, facts))


def remedy_timer(remedy: RemedySpec) -> TimerSpec:
    """A remedy's filing term as a timer that tells nobody: it passes, or a filing ends it."""
    term = remedy.term
    return TimerSpec.model_validate(
        {**term.model_dump(by_alias=True, exclude_none=True), "on_expiry": OnExpiry(escalate=[])}
    )


def holds(guard: Guard, facts: Mapping[str, Any]) -> bool:
    if isinstance(guard, FactEquals):
        return _is(facts.get(guard.fact), guard.equals)
    if isinstance(guard, FactIn):
        return any(_is(facts.get(guard.fact), wanted) for wanted in guard.in_)
    if isinstance(guard, FactSet):
        return (guard.fact in facts) == guard.set
    if isinstance(guard, FactCompare):
        value = facts.get(guard.fact)
        return isinstance(value, str | int) and str(value).lstrip("-").isdigit() and guard.within(int(value))
    if isinstance(guard, ActionCount):
        return guard.within(int(facts.get(f"{COUNT_PREFIX}{guard.count}", 0)))
    if isinstance(guard, AllOf):
        return all(holds(g, facts) for g in guard.all)
    if isinstance(guard, AnyOf):
        return any(holds(g, facts) for g in guard.any)
    if isinstance(guard, NotOf):
        return not holds(guard.not_, facts)
    raise AssertionError(guard)  # pragma: no cover


def _is(value: Any, wanted: str) -> bool:
    """A late record is still a record: "vervuld" also holds for "te laat vervuld"."""
    return value == wanted or (wanted == DeadlineStatus.FULFILLED and value in DeadlineStatus.DONE)


def describe(guard: Guard) -> str:
    if isinstance(guard, FactEquals):
        return f"{guard.fact} = {guard.equals}"
    if isinstance(guard, FactIn):
        return f"{guard.fact} in {', '.join(guard.in_)}"
    if isinstance(guard, FactSet):
        return f"{guard.fact} {'is' if guard.set else 'is niet'} vastgelegd"
    if isinstance(guard, FactCompare | ActionCount):
        what = guard.fact if isinstance(guard, FactCompare) else f"aantal keer '{guard.count}'"
        bounds = [f"minstens {guard.at_least}" if guard.at_least is not None else "", f"hoogstens {guard.at_most}" if guard.at_most is not None else ""]
        return f"{what} {' en '.join(b for b in bounds if b)}"
    if isinstance(guard, AllOf):
        return " en ".join(f"({describe(g)})" for g in guard.all)
    if isinstance(guard, AnyOf):
        return " of ".join(f"({describe(g)})" for g in guard.any)
    if isinstance(guard, NotOf):
        return f"niet ({describe(guard.not_)})"
    raise AssertionError(guard)  # pragma: no cover


@dataclass(frozen=True)
class Protocol:
    spec: ProtocolSpec
    text: str
    content_hash: str
    file: str = "<protocol>"
    transitions: tuple[Transition, ...] = field(default=())

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> int:
        return self.spec.version

    @property
    def initial(self) -> str:
        return self.spec.initial

    def step(self, step_id: str) -> StepSpec:
        return self.spec.steps[step_id]

    def inputs(self) -> dict[str, InputSpec]:
        return {**BUILTIN_INPUTS, **(REMEDY_INPUTS if self.spec.remedies else {}), **self.spec.inputs}

    @cached_property
    def _from_step(self) -> dict[str, tuple[Transition, ...]]:
        index: dict[str, list[Transition]] = {s: [] for s in self.spec.steps}
        for transition in self.transitions:
            for source in transition.sources:
                index[source].append(transition)
        return {s: tuple(ts) for s, ts in index.items()}

    def transitions_from(self, step: str) -> tuple[Transition, ...]:
        return self._from_step[step]

    def candidates(self, step: str, trigger: str) -> list[Transition]:
        return [t for t in self._from_step[step] if t.trigger == trigger]

    @cached_property
    def fulfilled_by(self) -> dict[str, tuple[str, ...]]:
        """Obligation id -> the actions that record it; such an obligation has no action of
        its own, so their guards, inputs and roles always apply."""
        index: dict[str, list[str]] = {}
        for t in self.transitions:
            for obligation in t.fulfils:
                if t.trigger not in index.setdefault(obligation, []):
                    index[obligation].append(t.trigger)
        return {k: tuple(v) for k, v in index.items()}

    def timers(self, step: str) -> list[TimerSpec]:
        return list(self.spec.steps[step].timers)

    def obligations(self, step: str) -> list[ObligationSpec]:
        return list(self.spec.steps[step].obligations)

    @cached_property
    def obligation_index(self) -> dict[str, tuple[str, ObligationSpec]]:
        index: dict[str, tuple[str, ObligationSpec]] = {
            o.id: (s, o) for s, step in self.spec.steps.items() for o in step.obligations
        }
        for t in self.transitions:  # started by an action: filed under the step it is taken from
            index |= {o.id: (t.sources[0] if t.sources else "", o) for o in t.obligations}
        for remedy_id, remedy in self.remedies.items():
            index |= {d.id: (f"{REMEDY_PREFIX}{remedy_id}", d) for d in remedy.decision}
        return index

    @cached_property
    def timer_index(self) -> dict[str, tuple[str, TimerSpec]]:
        index = {t.id: (s, t) for s, step in self.spec.steps.items() for t in step.timers}
        for remedy_id, remedy in self.remedies.items():
            index[remedy.term.id] = (f"{REMEDY_PREFIX}{remedy_id}", remedy_timer(remedy))
        return index

    @property
    def remedies(self) -> dict[str, RemedySpec]:
        return dict(self.spec.remedies or {})

    @cached_property
    def remedy_of(self) -> dict[str, str]:
        """Deadline id (term or decision) -> the remedy it belongs to."""
        index = {}
        for remedy_id, remedy in self.remedies.items():
            index[remedy.term.id] = remedy_id
            index |= dict.fromkeys((d.id for d in remedy.decision), remedy_id)
        return index

    def remedy_decision(self, deadline_id: str) -> RemedyDecisionSpec | None:
        spec = self.obligation_index.get(deadline_id)
        return spec[1] if spec is not None and isinstance(spec[1], RemedyDecisionSpec) else None

    def tracks(self, step: str) -> dict[str, TrackSpec]:
        return dict(self.spec.steps[step].tracks or {})

    def open_tracks(self, step: str, facts: Mapping[str, Any]) -> list[str]:
        """The required tracks of ``step`` not yet done: the step cannot be left before."""
        return [
            name
            for name, track in self.tracks(step).items()
            if track.required and facts.get(f"{TRACK_PREFIX}{name}") != TRACK_DONE
        ]

    def tracks_done_by(self, step: str, taken: Transition) -> list[str]:
        """The tracks of ``step`` this action finishes: its own, and those of the actions it counts as."""
        counted = {taken.trigger, *taken.counts_as}
        return [name for name, t in self.tracks(step).items() if t.done_by in counted]

    def is_final(self, step: str) -> bool:
        return self.spec.steps[step].final

    @staticmethod
    def duration(text: str) -> Duration:
        return Duration.parse(text)
