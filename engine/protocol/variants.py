"""School variants: a protocol that ``extends`` another and changes part of it.

A variant names its base by id and version and may override any field, add steps, roles,
inputs, timers, obligations and transitions, and ``remove`` them. Mappings merge key by key;
timers and obligations merge by ``id``, transitions by ``trigger`` and, when the variant's
transition names one, by ``from`` too: without ``from`` it changes every base transition with
that trigger, with ``from`` only the one from those steps. A variant's own transitions never
merge with each other, so two with one trigger (told apart by guards) both stay. Guards
(``when``) and ``on_expiry`` are replaced whole, never merged key by key. The resolved document is then validated as
a whole, and every value keeps the file and line it came from, so an error points into the
variant or into the base, wherever the offending value was written.

A base's legal floors and ceilings stay: a variant can tighten a term but not move a limit,
and it cannot remove a statutory element (engine/protocol/floors.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from engine.errors import Problem, ProtocolNotFound
from engine.protocol.floors import deletion_problems
from engine.protocol.overrides import Names, earlier_names, lost_targets
from engine.protocol.yamlsource import Located, Path_, read_yaml

# (id, version) -> (text, file) of the base protocol
Resolver = Callable[[str, int], tuple[str, str]]

_OWN_KEYS = ("id", "version", "title", "source", "description")
_REMOVABLE = ("steps", "transitions", "roles", "inputs", "timers", "obligations", "remedies")
_LIMITS = ("floor", "ceiling", "wettelijk")
_WHOLE = ("when", "on_expiry")  # replaced, never merged: {fact: …} and {all: […]} do not mix
MAX_DEPTH = 5


def resolve_variant(
    located: Located, resolve: Resolver | None, depth: int = 0, *, renames: bool = True
) -> tuple[Located, list[Problem]]:
    """The document with its ``extends`` chain merged in; unchanged when it extends nothing.
    ``renames``: refuse the variant's changes to elements its base no longer has
    (engine.protocol.overrides); off when reading a stored text again."""
    data = located.data
    if not isinstance(data, dict) or "extends" not in data:
        return located, []
    where: Path_ = ("extends",)
    base_ref = data["extends"]
    if not (
        isinstance(base_ref, dict) and isinstance(base_ref.get("id"), str) and isinstance(base_ref.get("version"), int)
    ):
        return located, [located.problem(where, "extends is {id: protocol-id, version: N}")]
    if depth >= MAX_DEPTH:
        return located, [located.problem(where, f"meer dan {MAX_DEPTH} lagen extends (een kringverwijzing?)")]
    if resolve is None:
        return located, [located.problem(where, "hier kan geen basisprotocol worden opgezocht")]
    try:
        base_text, base_file = resolve(base_ref["id"], base_ref["version"])
    except ProtocolNotFound:
        return located, [
            located.problem(where, f"basisprotocol {base_ref['id']} versie {base_ref['version']} is niet gevonden")
        ]
    base, problems = read_yaml(base_text, base_file)
    if problems:
        return located, problems
    base, problems = resolve_variant(base, resolve, depth + 1, renames=False)
    if problems:
        return located, problems
    merged, problems = _Merger(base, located).run()
    if renames:  # a new load: what it may not take away from its base (a stored text replays as it was)
        problems = problems + deletion_problems(base, located, merged.data)
    if renames and depth == 0:
        base_id, version = base_ref["id"], base_ref["version"]
        earlier = earlier_names(base_id, version, lambda i, v: _resolved(i, v, resolve, depth + 1))
        problems = [*lost_targets(located, base_id, version, Names.of(base.data), earlier), *problems]
    return merged, problems


def _resolved(protocol_id: str, version: int, resolve: Resolver, depth: int) -> Located | None:
    """An earlier version of a base, merged with its own base; None when it is not there."""
    try:
        text, file = resolve(protocol_id, version)
    except ProtocolNotFound:
        return None
    located, problems = read_yaml(text, file)
    if problems:
        return None
    located, problems = resolve_variant(located, resolve, depth, renames=False)
    return None if problems else located


class _Merger:
    def __init__(self, base: Located, variant: Located) -> None:
        self.base = base
        self.variant = variant
        self.out = Located(file=variant.file, data=None)
        self.problems: list[Problem] = []

    def run(self) -> tuple[Located, list[Problem]]:
        base = dict(self.base.data)
        var = dict(self.variant.data)
        removals = var.pop("remove", None)
        result: dict[str, Any] = {}
        self._take(self.base, (), ())
        for key, value in base.items():
            if key in ("extends", "proefscenarios") + _OWN_KEYS[:2]:  # a base's scenarios are its own
                continue
            result[key] = copy.deepcopy(value)
        # ``remove`` names what the base has: it is applied before the variant's own entries are
        # merged in, so an action removed and added again (with another ``from``) stays (issue 27).
        removed_steps = self._remove(result, removals) if removals is not None else []
        for key, value in var.items():
            if key == "remove":
                continue
            if key in result and isinstance(result[key], dict) and isinstance(value, dict):
                result[key] = self._merge_dict(result[key], (key,), value, (key,))
            elif key == "transitions" and isinstance(result.get(key), list) and isinstance(value, list):
                result[key] = self._merge_list(result[key], (key,), value, (key,), "trigger")
            else:
                self._override((key,), value)
                result[key] = copy.deepcopy(value)
        self._still_used(result, removed_steps)
        self.out.positions[()] = self.variant.positions.get((), (self.variant.file, 1, 1))
        self.out.data = result
        return self.out, self.problems

    # --- positions ----------------------------------------------------------

    def _take(self, src: Located, src_path: Path_, out_path: Path_) -> None:
        n = len(src_path)
        for table, target in ((src.positions, self.out.positions), (src.key_positions, self.out.key_positions)):
            for path, where in table.items():
                if path[:n] == src_path:
                    target[out_path + path[n:]] = where

    def _drop(self, out_path: Path_) -> None:
        n = len(out_path)
        for table in (self.out.positions, self.out.key_positions):
            for path in [p for p in table if p[:n] == out_path and len(p) > n]:
                del table[path]

    def _override(self, path: Path_, value: Any) -> None:
        self._drop(path)
        self._take(self.variant, path, path)

    # --- merging ------------------------------------------------------------

    def _merge_dict(
        self, base: dict[str, Any], out_path: Path_, var: dict[str, Any], var_path: Path_
    ) -> dict[str, Any]:
        result = dict(base)
        for key, value in var.items():
            path = out_path + (key,)
            if key in _LIMITS and key in base and value != base[key]:
                self.problems.append(
                    self.variant.problem(
                        var_path + (key,), f"een variant kan de wettelijke grens '{key}' niet wijzigen", at_key=True
                    )
                )
                continue
            if key in result and isinstance(result[key], dict) and isinstance(value, dict) and key not in _WHOLE:
                result[key] = self._merge_dict(result[key], path, value, var_path + (key,))
            elif key in ("timers", "obligations") and isinstance(result.get(key), list) and isinstance(value, list):
                result[key] = self._merge_list(result[key], path, value, var_path + (key,), "id")
            else:
                self._drop(path)
                self._take(self.variant, var_path + (key,), path)
                result[key] = copy.deepcopy(value)
        return result

    def _merge_list(self, base: list[Any], out_path: Path_, var: list[Any], var_path: Path_, key: str) -> list[Any]:
        result = list(base)
        for j, item in enumerate(var):
            name = item.get(key) if isinstance(item, dict) else None
            matches = [  # only base items: a variant's own items with one name all stay
                i
                for i, b in enumerate(base)
                if isinstance(b, dict) and name is not None and b.get(key) == name and _same_from(b, item)
            ]
            for i in matches:
                result[i] = self._merge_dict(result[i], out_path + (i,), item, var_path + (j,))
            if not matches:
                self._take(self.variant, var_path + (j,), out_path + (len(result),))
                result.append(copy.deepcopy(item))
        return result

    def _remove(self, result: dict[str, Any], removals: Any) -> list[tuple[int, Any]]:
        """Remove from the base; returns the removed steps, checked once the variant is merged in."""
        where: Path_ = ("remove",)
        steps: list[tuple[int, Any]] = []
        if not isinstance(removals, dict):
            self.problems.append(self.variant.problem(where, "remove is een lijst per soort: steps, transitions, ..."))
            return steps
        for kind, names in removals.items():
            if kind not in _REMOVABLE or not isinstance(names, list):
                self.problems.append(
                    self.variant.problem(
                        where + (kind,), f"remove kent: {', '.join(_REMOVABLE)}, elk met een lijst", at_key=True
                    )
                )
                continue
            for j, name in enumerate(names):
                if not self._remove_one(result, kind, name):
                    self.problems.append(
                        self.variant.problem(where + (kind, j), f"'{name}' staat niet in het basisprotocol")
                    )
            if kind == "steps":
                steps += list(enumerate(names))
        return steps

    def _still_used(self, result: dict[str, Any], steps: list[tuple[int, Any]]) -> None:
        for j, name in steps:
            for user in _step_users(result, name):
                self.problems.append(
                    self.variant.problem(
                        ("remove", "steps", j),
                        f"stap '{name}' is verwijderd, maar {user} verwijst er nog naar; "
                        f"verwijder of wijzig dat ook in deze variant",
                    )
                )

    def _remove_one(self, result: dict[str, Any], kind: str, name: Any) -> bool:
        if kind in ("steps", "roles", "inputs", "remedies"):
            if (result.get(kind) or {}).pop(name, None) is None:
                return False
            self._drop((kind, name))
            return True
        if kind == "transitions":
            return self._filter(result, ("transitions",), "trigger", name)
        return any(
            [
                self._filter(step, ("steps", step_id, kind), "id", name)
                for step_id, step in result.get("steps", {}).items()
            ]
        )

    def _filter(self, owner: dict[str, Any], list_path: Path_, key: str, name: Any) -> bool:
        """Drop the items named ``name`` from a list and renumber the positions behind them."""
        field = str(list_path[-1])
        items = owner.get(field, [])
        kept = [i for i, item in enumerate(items) if not (isinstance(item, dict) and item.get(key) == name)]
        if len(kept) == len(items):
            return False
        owner[field] = [items[i] for i in kept]
        n = len(list_path)
        for table in (self.out.positions, self.out.key_positions):
            moved = {}
            for path in [p for p in table if p[:n] == list_path and len(p) > n]:
                where = table.pop(path)
                old = path[n]
                if isinstance(old, int) and old in kept:
                    moved[list_path + (kept.index(old),) + path[n + 1 :]] = where
            table.update(moved)
        return True


def _from_steps(item: dict[str, Any]) -> tuple[str, ...] | None:
    value = item.get("from")
    if value is None:
        return None
    return tuple(sorted(value)) if isinstance(value, list) else (str(value),)


def _same_from(base: dict[str, Any], item: dict[str, Any]) -> bool:
    """A variant's transition without ``from`` matches every base one with its trigger."""
    wanted = _from_steps(item)
    return wanted is None or _from_steps(base) == wanted


def _step_users(result: dict[str, Any], step: str) -> list[str]:
    """Who still names ``step`` after it was removed: transitions, answers, letters, initial."""
    users = ["'initial'"] if result.get("initial") == step else []
    users += _transition_users(result, step)
    users += _answer_users(result, step)
    users += _letter_users(result, step)
    return users


def _transition_users(result: dict[str, Any], step: str) -> list[str]:
    return [
        f"actie '{t.get('trigger')}'"
        for t in result.get("transitions", []) or []
        if isinstance(t, dict) and (t.get("to") == step or step in (_from_steps(t) or ()))
    ]


def _answer_users(result: dict[str, Any], step: str) -> list[str]:
    users: list[str] = []
    for step_id, spec in (result.get("steps") or {}).items():
        decision = spec.get("decision") if isinstance(spec, dict) else None
        answers = decision.get("answers") if isinstance(decision, dict) else None
        for answer, target in (answers or {}).items() if isinstance(answers, dict) else ():
            if isinstance(target, dict) and target.get("to") == step:
                users.append(f"antwoord '{answer}' van stap '{step_id}'")
    return users


def _letter_users(result: dict[str, Any], step: str) -> list[str]:
    return [
        f"brief '{name}'"
        for name, letter in (result.get("letters") or {}).items()
        if isinstance(letter, dict) and step in (letter.get("steps") or [])
    ]
