"""Load a protocol file: read, check shape, check meaning, compile, hash.

Every problem is reported as ``file:line:column: message``; all problems are collected
before raising, so a protocol owner sees everything that is wrong at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.case import CLOSE_MOTIVATION, DeadlineStatus
from engine.durations import Duration, DurationSyntaxError, Unit
from engine.errors import Problem, ProtocolError
from engine.machine import machine_for
from engine.protocol.model import (
    BUILTIN_INPUTS,
    MOTIVATION,
    REMEDY_INPUTS,
    RESERVED_FORM_FIELDS,
    SCHOOL_FACTS,
    SYSTEM_ROLE,
    Protocol,
    Transition,
    remedy_timer,
)
from engine.protocol.partial import meaning_despite_shape
from engine.protocol.schema import (
    ENTERED,
    NOBODY,
    REMEDY_FROM_FILED,
    REMEDY_FROM_TERM_END,
    ActionCount,
    AllOf,
    AnyOf,
    FactCompare,
    FactEquals,
    FactIn,
    Guard,
    InputSpec,
    NotOf,
    ObligationSpec,
    ProtocolSpec,
    StepSpec,
    TimerSpec,
)
from engine.protocol.statutory import CATALOGUE, cited
from engine.protocol.variants import Resolver, resolve_variant
from engine.protocol.yamlsource import Located, Path_, read_yaml

DEADLINE_STATUSES = {
    DeadlineStatus.WAITING,
    DeadlineStatus.OPEN,
    DeadlineStatus.FULFILLED,
    DeadlineStatus.LATE,
    DeadlineStatus.OVERDUE,
    DeadlineStatus.MISSED,
    DeadlineStatus.FIRED,
    DeadlineStatus.EXPIRED,
    DeadlineStatus.CANCELLED,
    DeadlineStatus.PASSED,
    DeadlineStatus.SUSPENDED,
}

_PYDANTIC_MESSAGES = {
    "string_type": "moet tekst zijn",
    "int_type": "moet een geheel getal zijn",
    "bool_type": "moet true of false zijn",
    "dict_type": "moet een lijst van sleutels en waarden zijn",
    "model_type": "moet een lijst van sleutels en waarden zijn",
    "model_attributes_type": "moet een lijst van sleutels en waarden zijn",
    "list_type": "moet een lijst zijn",
    "greater_than_equal": "moet minstens 1 zijn",
    "string_too_long": "is te lang (hoogstens 64 tekens)",
}
# Names the state machine keeps for itself: a trigger called so could never fire.
RESERVED_TRIGGERS = frozenset({"state"})


def load_protocol_file(path: str | Path, resolve: Resolver | None = None) -> Protocol:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError([Problem(str(path), 1, 1, f"kan het bestand niet lezen: {exc}")]) from None
    return load_protocol_text(text, str(path), resolve)


def load_protocol_text(text: str, file: str = "<protocol>", resolve: Resolver | None = None) -> Protocol:
    """``resolve`` finds the base of a variant (``extends``) by id and version."""
    located, problems = read_yaml(text, file)
    if problems or located.data is None:
        raise ProtocolError(problems)
    resolved, problems = resolve_variant(located, resolve)
    if problems and resolved is located:
        raise ProtocolError(problems)  # the base could not be merged in: nothing more to check
    located = resolved  # problems of the merge itself are reported with the rest
    if not isinstance(located.data, dict):
        raise ProtocolError([*problems, located.problem((), "een protocol is een lijst van sleutels en waarden")])
    try:
        spec = ProtocolSpec.model_validate(located.data)
    except ValidationError as exc:
        shape = [_translate(located, err) for err in exc.errors()]
        # and what the meaning checks find besides: every problem at once, not only the first kind
        meaning = meaning_despite_shape(
            located, [dict(e) for e in exc.errors()], validate=ProtocolSpec.model_validate, check=_check, path_of=_data_path
        )
        raise ProtocolError([*problems, *shape, *meaning]) from None
    problems += _check(spec, located)
    if problems:
        raise ProtocolError(problems)
    protocol = compile_protocol(spec, text, file)
    try:  # the last word: a protocol that validates must also build its state machine
        machine_for(protocol)
    except (ValueError, TypeError, KeyError) as exc:
        raise ProtocolError([Problem(file, 1, 1, f"het protocol kan niet worden uitgevoerd: {exc}")]) from None
    return protocol


def _check(spec: ProtocolSpec, located: Located) -> list[Problem]:
    return _Checker(spec, located).run()


def content_hash(spec: ProtocolSpec) -> str:
    """SHA-256 over the protocol's meaning: layout and comments do not change it."""
    canonical = json.dumps(
        spec.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compile_protocol(spec: ProtocolSpec, text: str, file: str) -> Protocol:
    all_steps = tuple(s for s, step in spec.steps.items() if not step.final)
    # With remedies, every action that closes the case may record why it closes while one runs.
    closing = (CLOSE_MOTIVATION,) if spec.remedies else ()
    declared = [
        Transition(
            trigger=t.trigger,
            label=t.label,
            sources=all_steps if t.from_ == "*" else tuple(t.from_),
            dest=t.to,
            roles=frozenset(t.roles),
            requires=tuple(t.requires),
            accepts=tuple(name for name in t.accepts if name not in t.requires)
            + (closing if t.to is not None and spec.steps[t.to].final else ()),
            guard=t.when,
            fulfils=tuple(t.fulfils),
            source=t.source,
            advice=tuple(t.advice or ()),
            opens=t.opens,
        )
        for t in spec.transitions
    ]
    transitions: list[Transition] = []  # decision answers first: they are what a decision step is for
    for step_id, step in spec.steps.items():
        if step.decision is None:
            continue
        for answer_id, answer in step.decision.answers.items():
            transitions.append(
                Transition(
                    trigger=answer_trigger(step_id, answer_id),
                    label=answer.label,
                    sources=(step_id,),
                    dest=answer.to,
                    roles=frozenset(step.decision.roles),
                    requires=(MOTIVATION,),
                    guard=None,
                    answer_of=step_id,
                    source=answer.source or step.decision.source,
                )
            )
    return Protocol(
        spec=spec, text=text, content_hash=content_hash(spec), file=file, transitions=tuple(transitions + declared)
    )


def answer_trigger(step_id: str, answer_id: str) -> str:
    return f"{step_id}:{answer_id}"


_UNION_TAGS = ("equals", "in", "set", "all", "any", "not", "fire", "escalate")


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Map pydantic's error location onto the document, dropping union tags."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in _UNION_TAGS and not part[:1].isupper():
            path.append(part)  # a missing or unknown key: name it
            node = None
    return tuple(path)


def _brief(value: object, limit: int = 60) -> str:
    """A value as a message repeats it: whole when short, its start when not (a message
    stays short whatever the file holds)."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _translate(located: Located, err: Any) -> Problem:
    path = _data_path(located.data, tuple(err["loc"]))
    kind = err["type"]
    name = path[-1] if path else ""
    if kind == "extra_forbidden":
        return located.problem(path, f"onbekende sleutel '{name}'", at_key=True)
    if kind == "missing":
        return located.problem(path[:-1], f"verplichte sleutel '{name}' ontbreekt")
    if kind == "string_pattern_mismatch":
        return located.problem(
            path, f"'{_brief(err['input'])}' is geen geldige naam: gebruik kleine letters, cijfers en _ (of - in een id)"
        )
    if kind == "literal_error":
        return located.problem(path, f"'{_brief(err['input'])}' is niet toegestaan; kies uit {err['ctx']['expected']}")
    if kind == "less_than_equal":
        return located.problem(path, f"'{name}' is te groot (hoogstens {err['ctx']['le']})")
    if kind == "value_error":
        return located.problem(path, str(err["msg"]).removeprefix("Value error, "))
    if kind not in _PYDANTIC_MESSAGES:
        return located.problem(path, str(err["msg"]))
    message = _PYDANTIC_MESSAGES[kind]
    shown = f" (gevonden: {_brief(repr(err['input']))})" if kind.endswith("_type") else ""
    label = f"'{name}' " if isinstance(name, str) and name else ""
    return located.problem(path, f"{label}{message}{shown}")


class _Checker:
    """The protocol's meaning: names that resolve, steps that can be reached and left."""

    def __init__(self, spec: ProtocolSpec, located: Located) -> None:
        self.spec = spec
        self.at = located.problem
        self.problems: list[Problem] = []
        self._by_source: dict[str, list[str]] | None = None
        self.steps = set(spec.steps)
        self.roles = set(spec.roles)
        self.inputs = {**BUILTIN_INPUTS, **(REMEDY_INPUTS if spec.remedies else {}), **spec.inputs}
        self.deadline_ids = {t.id for st in spec.steps.values() for t in st.timers} | {
            o.id for st in spec.steps.values() for o in st.obligations
        }
        self.obligation_ids = {o.id for st in spec.steps.values() for o in st.obligations}
        for remedy in (spec.remedies or {}).values():
            self.deadline_ids |= {remedy.term.id, *(d.id for d in remedy.decision)}
            self.obligation_ids |= {d.id for d in remedy.decision}
        # Guards may test inputs, decision answers and the status of a timer or obligation.
        self.facts = (
            set(self.inputs) | {s for s, st in spec.steps.items() if st.decision} | self.deadline_ids | set(SCHOOL_FACTS)
        )

    def run(self) -> list[Problem]:
        self._check_roles_and_initial()
        self._check_transitions()
        self._check_steps()
        self._check_letters()
        self._check_retention()
        self._check_remedies()
        self._check_recordable()
        self._check_need_to_know()
        if not self.problems:
            self._check_graph()
        return self.problems

    def _countable(self) -> set[str]:
        """What a count can name: actions, decision answers and obligations."""
        names = {t.trigger for t in self.spec.transitions}
        for step_id, step in self.spec.steps.items():
            names |= {o.id for o in step.obligations}
            if step.decision is not None:
                names |= {f"{step_id}:{answer}" for answer in step.decision.answers}
        return names

    def _triggers_from(self, step_id: str) -> list[str]:
        if self._by_source is None:
            by_source: dict[str, list[str]] = {}
            for t in self.spec.transitions:
                for source in [s for s, st in self.spec.steps.items() if not st.final] if t.from_ == "*" else t.from_:
                    by_source.setdefault(source, []).append(t.trigger)
            self._by_source = by_source
        return self._by_source.get(step_id, [])

    def _err(self, path: Path_, message: str, at_key: bool = False) -> None:
        self.problems.append(self.at(path, message, at_key=at_key))

    def _check_roles_and_initial(self) -> None:
        if SYSTEM_ROLE in self.roles:
            self._err(("roles", SYSTEM_ROLE), f"'{SYSTEM_ROLE}' is gereserveerd voor timers", at_key=True)
        if self.spec.initial not in self.steps:
            self._err(("initial",), f"beginstap '{self.spec.initial}' bestaat niet{self._known(self.steps)}")
        for name, spec in self.spec.inputs.items():
            if name in BUILTIN_INPUTS or name in REMEDY_INPUTS:
                self._err(("inputs", name), f"'{name}' is al ingebouwd", at_key=True)
            if name in RESERVED_FORM_FIELDS:
                self._err(
                    ("inputs", name),
                    f"'{name}' is gereserveerd voor het formulier zelf; kies een andere naam voor dit invoerveld",
                    at_key=True,
                )
            if (spec.type == "keuze") != bool(spec.options):
                self._err(("inputs", name), "opties horen bij type 'keuze', en 'keuze' heeft opties nodig")
            if spec.future and spec.type != "datum":
                self._err(("inputs", name, "future"), "'future' hoort alleen bij type 'datum'")
            if spec.dispatch:
                self._check_dispatch(name, spec)
        identity = self.spec.identity
        if identity is not None:
            self._check_roles(("identity", "visible_to"), identity.visible_to)
            consent = self.inputs.get(identity.consent) if identity.consent else None
            if identity.consent and (consent is None or consent.type != "akkoord"):
                self._err(("identity", "consent"), f"'{identity.consent}' is geen invoerveld van type akkoord")
            for i, name in enumerate(identity.fields):
                if name not in self.inputs:
                    self._err(("identity", "fields", i), f"'{name}' is geen invoerveld{self._known(set(self.inputs))}")

    def _check_roles(self, path: Path_, roles: list[str]) -> None:
        for i, role in enumerate(roles):
            if role not in self.roles:
                self._err(path + (i,), f"onbekende rol '{role}'{self._known(self.roles)}")

    def _check_transitions(self) -> None:
        seen: dict[tuple[str, str], bool] = {}
        for i, t in enumerate(self.spec.transitions):
            path: Path_ = ("transitions", i)
            if t.trigger in RESERVED_TRIGGERS:
                self._err(path + ("trigger",), f"'{t.trigger}' is gereserveerd; kies een andere naam voor deze actie")
            sources = [s for s, st in self.spec.steps.items() if not st.final] if t.from_ == "*" else t.from_
            if t.from_ != "*":
                for j, source in enumerate(t.from_):
                    if source not in self.steps:
                        self._err(
                            path + ("from", j) if len(t.from_) > 1 else path + ("from",),
                            f"onbekende stap '{source}'{self._known(self.steps)}",
                        )
                    elif self.spec.steps[source].final:
                        self._err(path + ("from",), f"stap '{source}' is een eindstap; daaruit kan niets meer")
            if t.to is not None and t.to not in self.steps:
                self._err(path + ("to",), f"onbekende stap '{t.to}'{self._known(self.steps)}")
            self._check_roles(path + ("roles",), t.roles)
            for listed in ("requires", "accepts"):
                for j, name in enumerate(getattr(t, listed)):
                    if name not in self.inputs:
                        self._err(path + (listed, j), f"onbekend invoerveld '{name}'{self._known(set(self.inputs))}")
            if t.when is not None:
                self._check_guard(path + ("when",), t.when)
            for j, advice in enumerate(t.advice or ()):
                self._check_guard(path + ("advice", j, "when"), advice.when)
            if t.opens is not None and t.opens.subject_from is not None:
                named = self.inputs.get(t.opens.subject_from)
                if named is None or named.type != "tekst" or t.opens.subject_from not in t.requires:
                    self._err(
                        path + ("opens", "subject_from"),
                        f"'{t.opens.subject_from}' moet een invoerveld van type tekst zijn dat in 'requires' staat",
                    )
            for j, name in enumerate(t.fulfils):
                if name not in self.obligation_ids:
                    self._err(path + ("fulfils", j), f"'{name}' is geen verplichting{self._known(self.obligation_ids)}")
            for source in sources:
                key = (t.trigger, source)
                if key in seen and (t.when is None or seen[key]):
                    self._err(
                        path + ("trigger",),
                        f"actie '{t.trigger}' vanuit '{source}' staat er dubbel zonder onderscheidende voorwaarde",
                    )
                seen[key] = seen.get(key, False) or t.when is None

    def _check_guard(self, path: Path_, guard: Guard) -> None:
        if isinstance(guard, AllOf | AnyOf):
            items = guard.all if isinstance(guard, AllOf) else guard.any
            key = "all" if isinstance(guard, AllOf) else "any"
            for i, sub in enumerate(items):
                self._check_guard(path + (key, i), sub)
            return
        if isinstance(guard, NotOf):
            self._check_guard(path + ("not",), guard.not_)
            return
        if isinstance(guard, ActionCount):
            if guard.count not in self._countable():
                self._err(path + ("count",), f"onbekende actie '{guard.count}'{self._known(self._countable())}")
            return
        if guard.fact not in self.facts:
            self._err(path + ("fact",), f"onbekend feit '{guard.fact}'{self._known(self.facts)}")
            return
        if isinstance(guard, FactCompare):
            spec = self.inputs.get(guard.fact)
            if spec is None or spec.type != "getal":
                self._err(path + ("fact",), f"'{guard.fact}' is geen invoerveld van type getal; alleen getallen kun je vergelijken")
            return
        wanted = [guard.equals] if isinstance(guard, FactEquals) else guard.in_ if isinstance(guard, FactIn) else []
        options = self._options(guard.fact)
        for value in wanted:
            if options and value not in options:
                self._err(path, f"'{value}' is geen mogelijke waarde van '{guard.fact}'; kies uit {', '.join(options)}")

    def _check_retention(self) -> None:
        retention = self.spec.retention
        if retention is None or retention.decisions is None:
            return
        for i, name in enumerate(retention.decisions.facts):
            if name not in self.inputs:
                self._err(
                    ("retention", "decisions", "facts", i), f"onbekend invoerveld '{name}'{self._known(set(self.inputs))}"
                )
        triggers = {t.trigger for t in self.spec.transitions}
        for i, name in enumerate(retention.decisions.actions):
            if name not in triggers:
                self._err(("retention", "decisions", "actions", i), f"onbekende actie '{name}'{self._known(triggers)}")
        if not retention.decisions.facts and not retention.decisions.actions:
            self._err(("retention", "decisions"), "noem bij 'facts' of 'actions' waaraan een besluit te herkennen is")

    def _check_dispatch(self, name: str, spec: InputSpec) -> None:
        """A sending date (``dispatch``) dates the letter that asks it: a datum, asked by a
        letter and recorded by no action (an action has no letter whose day bounds it)."""
        path: Path_ = ("inputs", name, "dispatch")
        if spec.type != "datum":
            self._err(path, "'dispatch' (datum van verzending of uitreiking) hoort alleen bij type 'datum'")
        if not any(name in letter.asks for letter in self.spec.letters.values()):
            self._err(path, f"'dispatch': geen brief vraagt '{name}'; noem het bij 'asks' van de brief die het dateert")
        actions = sorted({t.trigger for t in self.spec.transitions if name in (*t.requires, *t.accepts)})
        if actions:
            self._err(
                path,
                f"'dispatch': de datum van verzending legt de brief vast, niet een actie ({', '.join(actions)}); "
                "haal het daar weg of laat 'dispatch' weg",
            )

    def _check_remedies(self) -> None:
        """A remedy: a dated start, a filing action that stays in its step and records the
        day of receipt, decision duties recorded by actions, postponement by its own action."""
        remedies = self.spec.remedies or {}
        step_ids = {t.id for st in self.spec.steps.values() for t in st.timers}
        step_ids |= {o.id for st in self.spec.steps.values() for o in st.obligations}
        seen: set[str] = set()
        postponers: set[str] = set()
        by_trigger: dict[str, list[Any]] = {}
        for t in self.spec.transitions:
            by_trigger.setdefault(t.trigger, []).append(t)
        for remedy_id, remedy in remedies.items():
            base: Path_ = ("remedies", remedy_id)
            if remedy.when is not None:
                self._check_guard(base + ("when",), remedy.when)
            ids = [(base + ("term", "id"), remedy.term.id)]
            ids += [(base + ("decision", i, "id"), d.id) for i, d in enumerate(remedy.decision)]
            for path, item_id in ids:
                if item_id in step_ids or item_id in seen:
                    self._err(path, f"id '{item_id}' komt al voor")
                if item_id in by_trigger or item_id in self.inputs or item_id in self.steps:
                    self._err(path, f"id '{item_id}' is ook de naam van een actie, invoerveld of stap")
                seen.add(item_id)
            start = self.inputs.get(remedy.term.start)
            if start is None or start.type != "datum":
                self._err(base + ("term", "from"), f"'{remedy.term.start}' is geen invoerveld van type datum")
            self._check_limits(base + ("term",), remedy_timer(remedy))
            if remedy.term.measure or remedy.term.duration_from or remedy.term.shift:
                self._err(base + ("term",), "een termijn voor een rechtsmiddel is geen maatregel en heeft een vaste duur")
            filing = by_trigger.get(remedy.filed_by, [])
            if not filing or any(t.to is not None for t in filing):
                self._err(base + ("filed_by",), f"'{remedy.filed_by}' moet een actie zonder 'to' zijn (het indienen vastleggen)")
            elif any(remedy.filed_on not in t.requires for t in filing):
                self._err(base + ("filed_on",), f"actie '{remedy.filed_by}' moet '{remedy.filed_on}' in 'requires' hebben")
            on = self.inputs.get(remedy.filed_on)
            if on is None or on.type != "datum":
                self._err(base + ("filed_on",), f"'{remedy.filed_on}' is geen invoerveld van type datum")
            if not remedy.decision:
                self._err(base + ("decision",), "een rechtsmiddel heeft minstens één beslisplicht")
            for i, decision in enumerate(remedy.decision):
                path = base + ("decision", i)
                if decision.start not in (REMEDY_FROM_TERM_END, REMEDY_FROM_FILED):
                    self._err(
                        path + ("from",), f"'from' is '{REMEDY_FROM_TERM_END}' of '{REMEDY_FROM_FILED}', niet '{decision.start}'"
                    )
                if decision.when is not None:
                    self._check_guard(path + ("when",), decision.when)
                self._check_roles(path + ("roles",), decision.roles)
                self._check_roles(path + ("escalate",), decision.escalate)
                self._check_limits(path, decision)
                deciders = [t for t in self.spec.transitions if decision.id in t.fulfils]
                if not deciders:
                    self._err(path + ("id",), f"geen actie legt '{decision.id}' vast; noem het bij 'fulfils' van een actie")
                if remedy.decided_on and any(remedy.decided_on not in t.requires for t in deciders):
                    self._err(base + ("decided_on",), f"de actie die '{decision.id}' vastlegt moet '{remedy.decided_on}' in 'requires' hebben")
                if decision.committee is not None:
                    self._check_guard(path + ("committee", "when"), decision.committee.when)
                postpone = decision.postpone
                if postpone is not None:
                    acting = by_trigger.get(postpone.action, [])
                    if not acting or any(t.to is not None or MOTIVATION not in t.requires for t in acting):
                        self._err(
                            path + ("postpone", "action"),
                            f"'{postpone.action}' moet een actie zonder 'to' zijn die 'motivering' vraagt (de reden)",
                        )
                    if postpone.action in postponers:
                        self._err(path + ("postpone", "action"), f"'{postpone.action}' verdaagt al een andere beslissing")
                    postponers.add(postpone.action)
            for i, other in enumerate(remedy.suspends):
                if other not in remedies or other == remedy_id:
                    self._err(base + ("suspends", i), f"'{other}' is geen ander rechtsmiddel{self._known(set(remedies))}")
            if remedy.suspends and remedy.decided_on is None:
                self._err(base + ("decided_on",), "wie een beslissing opschort, noemt de datum van het oordeel (decided_on)")
            if remedy.decided_on is not None and (self.inputs.get(remedy.decided_on) or BUILTIN_INPUTS[MOTIVATION]).type != "datum":
                self._err(base + ("decided_on",), f"'{remedy.decided_on}' is geen invoerveld van type datum")

    def _check_recordable(self) -> None:
        """Every input is recorded by some action or letter: an action records only what it
        declares, so an input none declares could never be filled (a guard on it never holds)."""
        recorded = {name for t in self.spec.transitions for name in (*t.requires, *t.accepts)}
        recorded |= {name for letter in self.spec.letters.values() for name in (*letter.asks, *letter.accepts)}
        if self.spec.need_to_know is not None:  # recorded when the case is opened
            recorded |= set(self.spec.need_to_know.opening_facts())
        for name in self.spec.inputs:
            if name not in recorded:
                self._err(
                    ("inputs", name),
                    f"geen actie of brief legt invoerveld '{name}' vast; noem het bij 'requires' of 'accepts' "
                    "van de actie die het vastlegt (of bij 'asks' van een brief), of haal het weg",
                    at_key=True,
                )

    def _check_need_to_know(self) -> None:
        """The channel and the role concerned: keuze inputs, every channel named with known
        roles, and fixed once the case is open (no action or letter records them later)."""
        rule = self.spec.need_to_know
        if rule is None:
            return
        base: Path_ = ("need_to_know",)
        channel = self.spec.inputs.get(rule.channel) if rule.channel is not None else None
        if rule.channel is None:
            # the concerns-only form: every role sees the report, but never who it concerns
            if rule.concerns is None:
                self._err(base, "noem 'channel' (het kanaal dat de melder koos), 'concerns' (wie de melding betreft) of beide")
            if rule.channels:
                self._err(base + ("channels",), "'channels' hoort bij 'channel'; noem ook 'channel' of haal 'channels' weg", at_key=True)
        elif channel is None or channel.type != "keuze":
            self._err(base + ("channel",), f"'{rule.channel}' is geen invoerveld van type keuze")
        else:
            options = channel.options or []
            missing = [o for o in options if o not in rule.channels]
            if missing:
                self._err(base + ("channels",), f"kanaal '{missing[0]}' (een keuze van '{rule.channel}') ontbreekt hier")
            for name in rule.channels:
                if name not in options:
                    self._err(
                        base + ("channels", name),
                        f"'{name}' is geen keuze van '{rule.channel}'; kies uit {', '.join(options)}",
                        at_key=True,
                    )
        for name, spec in rule.channels.items():
            if not spec.roles:
                self._err(base + ("channels", name, "roles"), "noem minstens één rol die meldingen via dit kanaal ziet")
            self._check_roles(base + ("channels", name, "roles"), spec.roles)
        concerned: list[str] = []
        if rule.concerns is not None:
            concerns = self.spec.inputs.get(rule.concerns)
            if concerns is None or concerns.type != "keuze" or rule.concerns == rule.channel:
                self._err(base + ("concerns",), f"'{rule.concerns}' is geen eigen invoerveld van type keuze")
            else:
                concerned = [o for o in concerns.options or [] if o != NOBODY]
                for option in concerned:
                    if not re.fullmatch(r"[a-z][a-z0-9_]*", option):
                        self._err(
                            ("inputs", rule.concerns, "options"),
                            f"keuze '{option}' is geen rolnaam (kleine letters, cijfers en _) of '{NOBODY}'",
                        )
        for name, role in rule.stand_in.items():
            if name not in concerned:
                self._err(base + ("stand_in", name), f"'{name}' is geen keuze van 'concerns'", at_key=True)
            if role not in self.roles or role == name:
                self._err(base + ("stand_in", name), f"'{role}' is geen andere rol van dit protocol{self._known(self.roles)}")
        for name, kept_out in rule.excludes.items():
            if name not in concerned:
                self._err(base + ("excludes", name), f"'{name}' is geen keuze van 'concerns'", at_key=True)
            for i, role in enumerate(kept_out):
                if role not in self.roles or role == name or role == rule.stand_in.get(name):
                    self._err(
                        base + ("excludes", name, i),
                        f"'{role}' is geen andere rol van dit protocol die buiten de melding blijft"
                        f"{self._known(self.roles)}",
                    )
        fixed = set(rule.opening_facts())
        for i, t in enumerate(self.spec.transitions):
            for listed in ("requires", "accepts"):
                for j, name in enumerate(getattr(t, listed)):
                    if name in fixed:
                        self._err(
                            ("transitions", i, listed, j),
                            f"'{name}' wordt bij het openen van de zaak vastgelegd (need_to_know) en kan niet later worden gewijzigd",
                        )
        for letter_name, letter in self.spec.letters.items():
            for j, name in enumerate(letter.asks):
                if name in fixed:
                    self._err(
                        ("letters", letter_name, "asks", j),
                        f"'{name}' wordt bij het openen van de zaak vastgelegd (need_to_know) en kan niet later worden gewijzigd",
                    )

    def _check_letters(self) -> None:
        identity = self.spec.identity
        for name, letter in self.spec.letters.items():
            path: Path_ = ("letters", name)
            self._check_roles(path + ("roles",), letter.roles)
            if letter.to == "melder":
                # a letter to the melder names them: only roles that may know who they are make it
                if identity is None:
                    self._err(path + ("to",), "een brief aan de melder hoort bij een protocol dat de identiteit beschermt ('identity')")
                else:
                    hidden = [r for r in letter.roles if r not in identity.visible_to]
                    if hidden:
                        self._err(
                            path + ("roles",),
                            f"'{hidden[0]}' mag de melder niet kennen (identity.visible_to: "
                            f"{', '.join(identity.visible_to)}) en kan dus geen brief aan de melder maken",
                        )
            for i, step in enumerate(letter.steps):
                if step not in self.steps:
                    self._err(path + ("steps", i), f"onbekende stap '{step}'{self._known(self.steps)}")
            for key, names in (("asks", letter.asks), ("accepts", letter.accepts)):
                for i, name in enumerate(names):
                    if name not in self.inputs:
                        self._err(path + (key, i), f"onbekend invoerveld '{name}'{self._known(set(self.inputs))}")
            for i, name in enumerate(letter.accepts):
                if name in letter.asks:
                    self._err(path + ("accepts", i), f"'{name}' staat al bij 'asks' (verplicht)")

    def _check_limits(self, path: Path_, term: TimerSpec | ObligationSpec) -> None:
        length = Duration.parse(term.after)
        if length.unit is Unit.WEEK_END and not term.measure:
            self._err(path + ("after",), "'tot het einde van de week' kan alleen bij een maatregel (measure: true)")
        self._check_statutory(path, term, length)
        if term.floor and length.shorter_than(Duration.parse(term.floor.after)):
            self._err(
                path + ("after",),
                f"{term.after} is korter dan de wettelijke ondergrens van {term.floor.after} ({term.floor.basis})",
            )
        if term.ceiling and Duration.parse(term.ceiling.after).shorter_than(length):
            self._err(
                path + ("after",),
                f"{term.after} is langer dan de wettelijke bovengrens van {term.ceiling.after} ({term.ceiling.basis})",
            )

    def _check_statutory(self, path: Path_, term: TimerSpec | ObligationSpec, length: Duration) -> None:
        """The catalogue's limits: of the term it names, and of every article its basis cites."""
        limits = cited(term.basis)
        if term.wettelijk is not None:
            named = CATALOGUE.get(term.wettelijk)
            if named is None:
                self._err(path + ("wettelijk",), f"onbekende wettelijke termijn '{term.wettelijk}'{self._known(set(CATALOGUE))}")
            else:
                limits.append(named)
                if term.rule != named.rule:
                    how = "de Algemene termijnenwet" if named.rule == "atw" else "kalenderdagen"
                    self._err(path + ("rule",), f"de wettelijke termijn '{named.key}' rekent met {how}; zet rule: {named.rule}")
        explicit = {"floor": term.floor, "ceiling": term.ceiling}
        for limit in {t.key: t for t in limits}.values():
            own = explicit[limit.kind]
            if own is not None and Duration.parse(own.after) == Duration.parse(limit.limit):
                continue  # the protocol states this limit itself; it is checked below
            if limit.crossed_by(length):
                word = "korter" if limit.kind == "floor" else "langer"
                self._err(path + ("after",), f"{term.after} is {word} dan {limit.describe()}")

    def _check_tracks(self, base: Path_, step_id: str, step: StepSpec) -> None:
        """A track is done by an action that stays in its step; tagged actions start there."""
        for name, track in (step.tracks or {}).items():
            doing = [t for t in self.spec.transitions if t.trigger == track.done_by and t.from_ != "*" and step_id in t.from_]
            if not doing or any(t.to is not None for t in doing):
                self._err(
                    base + ("tracks", name, "done_by"),
                    f"'{track.done_by}' moet een actie vanuit stap '{step_id}' zonder 'to' zijn (die rondt het spoor af)",
                )
        for i, t in enumerate(self.spec.transitions):
            if t.track is None or t.from_ == "*" or step_id not in t.from_:
                continue
            if t.track not in (step.tracks or {}):
                self._err(("transitions", i, "track"), f"stap '{step_id}' heeft geen spoor '{t.track}'")

    def _check_recurrence(self, path: Path_, timer: TimerSpec) -> None:
        if timer.every is None:
            for key in ("until", "times"):
                if getattr(timer, key) is not None:
                    self._err(path + (key,), f"'{key}' hoort bij een terugkerende timer (every)")
            return
        every = Duration.parse(timer.every)
        if every.unit is Unit.WEEK_END or every.amount == 0:
            self._err(path + ("every",), "'every' is een interval zoals '1 week' of '5 schooldagen'")
        if timer.rule == "atw" or timer.measure:
            self._err(path + ("every",), "een terugkerende timer telt in de kalender; laat rule: atw en measure weg")
        if timer.until is not None:
            spec = self.inputs.get(timer.until)
            if spec is None or spec.type != "datum":
                self._err(path + ("until",), f"'{timer.until}' is geen invoerveld van type datum")

    def _check_decided_duration(self, path: Path_, term: TimerSpec | ObligationSpec) -> None:
        """A duration decided in the case comes from a choice of durations within the limit."""
        if term.duration_from is None:
            return
        spec = self.inputs.get(term.duration_from)
        if spec is None or spec.type != "keuze":
            self._err(path + ("duration_from",), f"'{term.duration_from}' is geen invoerveld van type keuze")
            return
        limit = Duration.parse(term.ceiling.after if term.ceiling else term.after)
        for option in spec.options or []:
            try:
                chosen = Duration.parse(option)
                too_long = limit.shorter_than(chosen)
            except DurationSyntaxError as exc:
                self._err(path + ("duration_from",), f"keuze '{option}' van '{term.duration_from}': {exc}")
                continue
            if chosen.unit is Unit.WEEK_END and not term.measure:
                self._err(path + ("duration_from",), f"keuze '{option}' kan alleen bij een maatregel (measure: true)")
            if too_long:
                self._err(path + ("duration_from",), f"keuze '{option}' is langer dan {limit}")

    def _options(self, fact: str) -> list[str] | None:
        if fact in SCHOOL_FACTS:
            return SCHOOL_FACTS[fact]
        if fact in self.inputs:
            return self.inputs[fact].options
        if fact in self.deadline_ids:
            return sorted(DEADLINE_STATUSES)
        decision = self.spec.steps[fact].decision
        return list(decision.answers) if decision else None

    def _check_steps(self) -> None:
        ids: dict[str, Path_] = {}
        triggers = {t.trigger for t in self.spec.transitions}
        for step_id, step in self.spec.steps.items():
            base: Path_ = ("steps", step_id)
            items_by_kind: tuple[tuple[str, Sequence[TimerSpec | ObligationSpec]], ...] = (
                ("timers", step.timers),
                ("obligations", step.obligations),
            )
            for kind, items in items_by_kind:
                for i, item in enumerate(items):
                    path = base + (kind, i)
                    if item.id in ids:
                        self._err(
                            path + ("id",), f"id '{item.id}' komt al voor (regel {self.at(ids[item.id], '').line})"
                        )
                    ids[item.id] = path + ("id",)
                    if item.id in triggers:
                        self._err(path + ("id",), f"id '{item.id}' is ook de naam van een actie")
                    if item.id in self.inputs or item.id in self.spec.steps:
                        self._err(path + ("id",), f"id '{item.id}' is ook de naam van een invoerveld of stap")
                    self._check_limits(path, item)
                    self._check_decided_duration(path, item)
                    if item.shift is not None:
                        try:
                            if Duration.parse(item.shift).unit.value != "dagen":
                                self._err(path + ("shift",), "een verschuiving telt in dagen, bijvoorbeeld '7 dagen'")
                        except DurationSyntaxError as exc:
                            self._err(path + ("shift",), str(exc))
                    if item.when is not None:
                        self._check_guard(path + ("when",), item.when)
                    if item.start != ENTERED:
                        spec = self.inputs.get(item.start)
                        if spec is None or spec.type != "datum":
                            self._err(
                                path + ("from",), f"'{item.start}' is geen invoerveld van type datum (of '{ENTERED}')"
                            )
            for i, timer in enumerate(step.timers):
                self._check_recurrence(base + ("timers", i), timer)
                path = base + ("timers", i, "on_expiry")
                if timer.on_expiry.fire is not None:
                    valid = self._triggers_from(step_id)
                    if timer.on_expiry.fire not in valid:
                        self._err(
                            path + ("fire",),
                            f"actie '{timer.on_expiry.fire}' kan niet vanuit stap '{step_id}'; mogelijk: {', '.join(valid) or 'geen'}",
                        )
                if timer.on_expiry.escalate:
                    self._check_roles(path + ("escalate",), timer.on_expiry.escalate)
            for i, ob in enumerate(step.obligations):
                self._check_roles(base + ("obligations", i, "roles"), ob.roles)
                self._check_roles(base + ("obligations", i, "escalate"), ob.escalate)
                if ob.track is not None and ob.track not in (step.tracks or {}):
                    self._err(base + ("obligations", i, "track"), f"stap '{step_id}' heeft geen spoor '{ob.track}'")
            self._check_tracks(base, step_id, step)
            if step.decision:
                self._check_roles(base + ("decision", "roles"), step.decision.roles)
                for answer_id, answer in step.decision.answers.items():
                    if answer.to not in self.steps:
                        self._err(
                            base + ("decision", "answers", answer_id, "to"),
                            f"onbekende stap '{answer.to}'{self._known(self.steps)}",
                        )
                if step.final:
                    self._err(base + ("decision",), "een eindstap kan geen beslissing hebben")

    def _check_graph(self) -> None:
        protocol = compile_protocol(self.spec, "", "")
        edges: dict[str, set[str]] = {s: set() for s in self.steps}
        for t in protocol.transitions:
            for source in t.sources:
                if t.dest is not None:
                    edges[source].add(t.dest)
        reached = {self.spec.initial}
        queue = deque([self.spec.initial])
        while queue:
            for nxt in edges[queue.popleft()]:
                if nxt not in reached:
                    reached.add(nxt)
                    queue.append(nxt)
        for step_id, step in self.spec.steps.items():
            if step_id not in reached:
                self._err(
                    ("steps", step_id), f"stap '{step_id}' is vanaf '{self.spec.initial}' niet te bereiken", at_key=True
                )
            if not step.final and not (edges[step_id] - {step_id}):
                self._err(("steps", step_id), f"stap '{step_id}' is geen eindstap maar heeft geen uitgang", at_key=True)

    @staticmethod
    def _known(names: set[str]) -> str:
        return f"; bekend: {', '.join(sorted(names))}" if names else ""
