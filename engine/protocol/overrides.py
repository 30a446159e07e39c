"""A variant's changes that lost their target: the base renamed or removed what they change.

A variant changes a base element by writing its name (a step, an action's trigger, a term's
id, an input, a role); a name the base does not have is a new element of the variant. That
reading is ambiguous in one case: a name the base *had* in an earlier version and no longer
has. The variant was then written to change that element, and merging it as a new element
would silently give the variant a separate step (or action, or term) without what the base's
renamed one holds. Such a name is refused, with the base's likely new name for it.

No syntax is needed for this: new elements of a variant are still written as before; a variant
that wants an element of its own under a name the base once used chooses another name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from engine.errors import Problem
from engine.protocol.yamlsource import Located, Path_

KIND_LABELS = {"steps": "stap", "transitions": "actie", "terms": "termijn", "inputs": "invoerveld", "roles": "rol"}
KINDS = tuple(KIND_LABELS)


@dataclass(frozen=True)
class Names:
    """The names of a resolved protocol document, per kind."""

    by_kind: dict[str, frozenset[str]]

    @staticmethod
    def of(data: Any) -> Names:
        data = data if isinstance(data, dict) else {}
        steps = data.get("steps") if isinstance(data.get("steps"), dict) else {}
        terms = {
            item["id"]
            for step in steps.values()
            if isinstance(step, dict)
            for field in ("timers", "obligations")
            for item in (step.get(field) or []) if isinstance(step.get(field), list)
            if isinstance(item, dict) and isinstance(item.get("id"), str)
        }
        transitions = data.get("transitions") if isinstance(data.get("transitions"), list) else []
        triggers = {t["trigger"] for t in transitions if isinstance(t, dict) and isinstance(t.get("trigger"), str)}

        def keys(field: str) -> frozenset[str]:
            value = data.get(field)
            return frozenset(k for k in value if isinstance(k, str)) if isinstance(value, dict) else frozenset()

        return Names(
            {
                "steps": frozenset(steps),
                "transitions": frozenset(triggers),
                "terms": frozenset(terms),
                "inputs": keys("inputs"),
                "roles": keys("roles"),
            }
        )


def written(variant: Located) -> Iterator[tuple[str, str, Path_, bool]]:
    """(kind, name, path, at_key) of every base element a variant's text names to change or add."""
    data = variant.data if isinstance(variant.data, dict) else {}
    for field in ("roles", "inputs", "steps"):
        value = data.get(field)
        if isinstance(value, dict):
            for name in value:
                yield field, str(name), (field, name), True
    steps = data.get("steps")
    for step_id, step in (steps.items() if isinstance(steps, dict) else ()):
        if not isinstance(step, dict):
            continue
        for field in ("timers", "obligations"):
            items = step.get(field)
            for j, item in enumerate(items if isinstance(items, list) else ()):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    yield "terms", item["id"], ("steps", step_id, field, j, "id"), False
    transitions = data.get("transitions")
    for j, item in enumerate(transitions if isinstance(transitions, list) else ()):
        if isinstance(item, dict) and isinstance(item.get("trigger"), str):
            yield "transitions", item["trigger"], ("transitions", j, "trigger"), False


def lost_targets(
    variant: Located, base_id: str, base_version: int, base: Names, earlier: dict[int, Names]
) -> list[Problem]:
    """The variant's names that an earlier version of its base had and this one has not."""
    problems = []
    lost_steps: set[str] = set()
    for kind, name, path, at_key in written(variant):
        if name in base.by_kind[kind]:
            continue
        had = [v for v, names in sorted(earlier.items()) if name in names.by_kind[kind]]
        if not had:
            continue  # a new element of the variant
        if kind == "terms" and len(path) > 1 and path[1] in lost_steps:
            continue  # its step is reported already
        if kind == "steps":
            lost_steps.add(name)
        label = KIND_LABELS[kind]
        message = (
            f"{label} '{name}' staat niet meer in het basisprotocol {base_id} versie {base_version} "
            f"(wel in versie {had[-1]}): deze variant wijzigt een {label} die het basisprotocol niet meer heeft"
        )
        guess = likely_renamed(name, base.by_kind[kind], earlier[had[-1]].by_kind[kind])
        if guess:
            message += f"; bedoelt u '{guess}'? Schrijf dan die naam"
        else:
            message += f"; de {label}en van het basisprotocol zijn: {', '.join(sorted(base.by_kind[kind])) or '(geen)'}"
        message += f". Is het een nieuwe {label} van deze variant, kies dan een naam die het basisprotocol niet had"
        problems.append(variant.problem(path, message, at_key=at_key))
    return problems


def likely_renamed(name: str, now: frozenset[str], before: frozenset[str]) -> str | None:
    """The base's likely new name for ``name``: the closest of the names it gained (the only
    one when it gained one), else the closest of all its names when that is close."""
    gained = sorted(now - before)
    if len(gained) == 1:
        return gained[0]
    close = get_close_matches(name, gained, n=1, cutoff=0.3) or get_close_matches(name, sorted(now), n=1, cutoff=0.6)
    return close[0] if close else None


def earlier_names(
    base_id: str, base_version: int, read: Callable[[str, int], Located | None]
) -> dict[int, Names]:
    """The names of each stored earlier version of the base (``read`` gives None when absent)."""
    found = {}
    for version in range(1, base_version):
        located = read(base_id, version)
        if located is not None:
            found[version] = Names.of(located.data)
    return found
