"""Guards (``when``, advice, committee): the facts and counts they name, the values they test."""

from __future__ import annotations

from engine.case import DeadlineStatus
from engine.protocol.checks.context import Context
from engine.protocol.model import SCHOOL_FACTS
from engine.protocol.schema import ActionCount, AllOf, AnyOf, FactCompare, FactEquals, FactIn, FactSet, Guard, NotOf
from engine.protocol.yamlsource import Path_

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


def check_guard(c: Context, path: Path_, guard: Guard) -> None:
    if isinstance(guard, AllOf | AnyOf):
        items = guard.all if isinstance(guard, AllOf) else guard.any
        key = "all" if isinstance(guard, AllOf) else "any"
        for i, sub in enumerate(items):
            check_guard(c, path + (key, i), sub)
    elif isinstance(guard, NotOf):
        check_guard(c, path + ("not",), guard.not_)
    elif isinstance(guard, ActionCount):
        if guard.count not in c.countable:
            c.err(path + ("count",), f"onbekende actie '{guard.count}'{c.known('countable', c.countable)}")
    elif guard.fact not in c.facts:
        c.err(path + ("fact",), f"onbekend feit '{guard.fact}'{c.known('facts', c.facts)}")
    else:
        _check_fact(c, path, guard)


def _check_fact(c: Context, path: Path_, guard: FactEquals | FactIn | FactSet | FactCompare) -> None:
    """A known fact: compared only when a number, tested only for values it can take."""
    if isinstance(guard, FactCompare):
        spec = c.inputs.get(guard.fact)
        if spec is None or spec.type != "getal":
            c.err(path + ("fact",), f"'{guard.fact}' is geen invoerveld van type getal; alleen getallen kun je vergelijken")
        return
    wanted = [guard.equals] if isinstance(guard, FactEquals) else guard.in_ if isinstance(guard, FactIn) else []
    options = _options(c, guard.fact)
    for value in wanted:
        if options and value not in options:
            c.err(path, f"'{value}' is geen mogelijke waarde van '{guard.fact}'; kies uit {', '.join(options)}")


def _options(c: Context, fact: str) -> list[str] | None:
    if fact in SCHOOL_FACTS:
        return SCHOOL_FACTS[fact]
    if fact in c.inputs:
        return c.inputs[fact].options
    if fact in c.deadline_ids:
        return sorted(DEADLINE_STATUSES)
    decision = c.spec.steps[fact].decision
    return list(decision.answers) if decision else None
