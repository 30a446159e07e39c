"""What every meaning check needs: the protocol, the names it declares, and the list of
problems found so far (reported in the order the checks run)."""

from __future__ import annotations

from collections.abc import Collection
from functools import cached_property

from engine.errors import Problem
from engine.protocol.model import BUILTIN_INPUTS, REMEDY_INPUTS, SCHOOL_FACTS
from engine.protocol.schema import ProtocolSpec, TransitionSpec
from engine.protocol.yamlsource import Located, Path_


class Context:
    def __init__(self, spec: ProtocolSpec, located: Located) -> None:
        self.spec = spec
        self.at = located.problem
        self.problems: list[Problem] = []
        self._known: dict[str, str] = {}
        self.steps = set(spec.steps)
        self.roles = set(spec.roles)
        self.inputs = {**BUILTIN_INPUTS, **(REMEDY_INPUTS if spec.remedies else {}), **spec.inputs}
        started = {o.id for t in spec.transitions for o in t.obligations or ()}  # by an action
        self.deadline_ids = {t.id for st in spec.steps.values() for t in st.timers} | {
            o.id for st in spec.steps.values() for o in st.obligations
        } | started
        self.obligation_ids = {o.id for st in spec.steps.values() for o in st.obligations} | started
        for remedy in (spec.remedies or {}).values():
            self.deadline_ids |= {remedy.term.id, *(d.id for d in remedy.decision)}
            self.obligation_ids |= {d.id for d in remedy.decision}
        # Guards may test inputs, decision answers and the status of a timer or obligation.
        self.facts = (
            set(self.inputs) | {s for s, st in spec.steps.items() if st.decision} | self.deadline_ids | set(SCHOOL_FACTS)
        )

    def err(self, path: Path_, message: str, at_key: bool = False) -> None:
        self.problems.append(self.at(path, message, at_key=at_key))

    def known(self, kind: str, names: Collection[str]) -> str:
        """``known(names)``, worked out once per kind of name (``kind``): a file with thousands
        of unknown names sorts the known ones once, not once per problem."""
        if kind not in self._known:
            self._known[kind] = known(names)
        return self._known[kind]

    def check_roles(self, path: Path_, roles: list[str]) -> None:
        for i, role in enumerate(roles):
            if role not in self.roles:
                self.err(path + (i,), f"onbekende rol '{role}'{self.known('roles', self.roles)}")

    @cached_property
    def triggers(self) -> set[str]:
        return {t.trigger for t in self.spec.transitions}

    @cached_property
    def countable(self) -> set[str]:
        """What a count can name: actions, decision answers and obligations."""
        names = {t.trigger for t in self.spec.transitions}
        names |= {o.id for t in self.spec.transitions for o in t.obligations or ()}
        for step_id, step in self.spec.steps.items():
            names |= {o.id for o in step.obligations}
            if step.decision is not None:
                names |= {f"{step_id}:{answer}" for answer in step.decision.answers}
        return names

    def live_steps(self) -> list[str]:
        """The steps a ``from: "*"`` action starts from: every step that is not final."""
        return self._live_steps

    @cached_property
    def _live_steps(self) -> list[str]:  # once, not once per ``from: "*"`` action
        return [s for s, st in self.spec.steps.items() if not st.final]

    @cached_property
    def _triggers_by_source(self) -> dict[str, list[str]]:
        by_source: dict[str, list[str]] = {}
        for t in self.spec.transitions:
            for source in self.live_steps() if t.from_ == "*" else t.from_:
                by_source.setdefault(source, []).append(t.trigger)
        return by_source

    @cached_property
    def named_from(self) -> dict[str, list[tuple[int, TransitionSpec]]]:
        """Per step, the actions that name it in ``from`` (not ``"*"``), with their place in the
        list: a check per step reads its own actions, not every action again."""
        by_step: dict[str, list[tuple[int, TransitionSpec]]] = {}
        for i, t in enumerate(self.spec.transitions):
            if t.from_ != "*":
                for source in dict.fromkeys(t.from_):
                    by_step.setdefault(source, []).append((i, t))
        return by_step

    def triggers_from(self, step_id: str) -> list[str]:
        return self._triggers_by_source.get(step_id, [])


KNOWN_SHOWN = 40  # names a problem lists at most: a message stays short whatever the file holds


def known(names: Collection[str]) -> str:
    if not names:
        return ""
    shown = sorted(names)[:KNOWN_SHOWN]
    more = f" en nog {len(names) - len(shown)}" if len(names) > len(shown) else ""
    return f"; bekend: {', '.join(shown)}{more}"
