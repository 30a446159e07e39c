"""Proefscenario's name what the protocol declares: roles, actions, fields, steps, terms."""

from __future__ import annotations

from engine.protocol.checks.context import Context, known
from engine.protocol.scenarios import Act
from engine.protocol.yamlsource import Path_


def check_scenarios(c: Context) -> None:
    actions = {t.trigger for t in c.spec.transitions}
    for step_id, step in c.spec.steps.items():
        if step.decision is not None:
            actions |= {f"{step_id}:{answer}" for answer in step.decision.answers}
    names: set[str] = set()
    for i, spec in enumerate(c.spec.proefscenarios or []):
        at: Path_ = ("proefscenarios", i)
        if spec.naam in names:
            c.err(at + ("naam",), f"er is al een proefscenario '{spec.naam}'; geef elk scenario een eigen naam")
        names.add(spec.naam)
        scenario = spec.parsed(i)
        if scenario.given.role is not None and scenario.given.role not in c.roles:
            c.err(at + ("gegeven",), f"onbekende rol '{scenario.given.role}'{known(c.roles)}")
        _inputs(c, at + ("gegeven",), scenario.given.inputs)
        for j, act in enumerate(scenario.acts):
            _act(c, at + ("als", j), act, actions)
        for j, expect in enumerate(scenario.expects):
            where = at + ("dan", j)
            if expect.kind == "stap" and expect.name not in c.steps:
                c.err(where, f"onbekende stap '{expect.name}'{known(c.steps)}")
            elif expect.kind == "termijn" and expect.name not in c.deadline_ids:
                c.err(where, f"onbekende termijn '{expect.name}'{known(c.deadline_ids)}")
            elif expect.kind == "verplichting":
                if expect.name not in c.obligation_ids:
                    c.err(where, f"onbekende verplichting '{expect.name}'{known(c.obligation_ids)}")
                if expect.role not in c.roles:
                    c.err(where, f"onbekende rol '{expect.role}'{known(c.roles)}")
            elif expect.kind == "geweigerd" and expect.act is not None:
                _act(c, where, expect.act, actions)


def _act(c: Context, where: Path_, act: Act, actions: set[str]) -> None:
    if act.role is None:
        return
    if act.role not in c.roles:
        c.err(where, f"onbekende rol '{act.role}'{known(c.roles)}")
    if act.action not in actions:
        c.err(where, f"onbekende actie '{act.action}'{known(actions)}")
    _inputs(c, where, act.inputs)


def _inputs(c: Context, where: Path_, inputs: dict[str, str]) -> None:
    for name in inputs:
        if name not in c.inputs:
            c.err(where, f"onbekend invoerveld '{name}'{known(set(c.inputs))}")
