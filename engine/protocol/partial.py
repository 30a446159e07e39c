"""The meaning of a protocol whose shape is wrong: every problem at once, not only the first kind.

A file with a wrong value (``after: 5 schooldagn``) and a term below its legal floor has two
problems, but the meaning checks need a document of the right shape. Here what the schema
refused is taken out of a copy of the document (an unknown key by itself; a wrong or missing
value with the entry it belongs to: the timer, the action, the step), the copy is checked for
its meaning, and what that finds is reported with the shape problems, except what the repair
itself may have caused:

- problems on a line the repair took something out of;
- problems about a name the removed entries held (a guard on a removed timer, an input that
  only a removed action recorded), told by the names before any "; bekend: ..." list;
- problems at a step's name when an action, answer or step was taken out (whether a step can
  be reached or left then depends on what was removed).

What remains is meant to be a part of what the corrected file would show, never a problem of
the repair's making (tests/unit/test_every_problem.py mutates the bundled protocols to hold
it to that). When the copy still cannot be read after a few rounds, when what names an entry
is wrong (an ``id``), or when the document itself lacks a key, only the shape problems are
reported.

The search is bounded in the engine, so every caller (the CLI, an upload, a stored protocol
read again) gets the same bound: a few validations, a hundred entries taken out, and a budget
of work counted in values visited (``Bounds``), never in wall-clock time. Each round is
linear in the size of the document. Past a bound, the shape problems are reported with one
more that says there may be more.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from engine.errors import Problem
from engine.protocol.yamlsource import Located, Path_

NAMING_KEYS = ("id", "trigger")  # what an entry of a list is called by
KNOWN_NAMES = "; bekend:"  # how a problem ends that lists the names it knows ("onbekende rol 'x'; bekend: ...")


@dataclass(frozen=True)
class Bounds:
    """How far the search for the meaning problems behind shape problems may go."""

    rounds: int = 8  # validations of the repaired copy: a repair that does not settle is given up
    repairs: int = 100  # entries taken out, over all rounds: past that, the shape problems come first
    units: int = 400_000  # values validated, re-indexed or checked, over all rounds (a file holds at most 50,000)


BOUNDS = Bounds()
MORE_MAY_EXIST = (
    "er kunnen meer problemen zijn dan hier staan: het protocol heeft te veel fouten in de vorm "
    "om ook de betekenis te controleren; los deze eerst op en controleer het opnieuw"
)


class _Spent:
    """The work done so far against ``Bounds``; ``over`` once a bound is passed."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self.rounds = self.repairs = self.units = 0

    @property
    def over(self) -> bool:
        b = self.bounds
        return self.rounds > b.rounds or self.repairs > b.repairs or self.units > b.units


def meaning_despite_shape(
    located: Located,
    errors: list[dict[str, Any]],
    *,
    validate: Callable[[Any], Any],
    check: Callable[[Any, Located], list[Problem]],
    path_of: Callable[[Any, tuple[Any, ...]], Path_],
    bounds: Bounds = BOUNDS,
) -> list[Problem]:
    """The meaning problems of ``located`` that do not depend on the values the schema refused
    (``errors``: pydantic's). ``validate`` makes the spec (raising ValidationError), ``check``
    finds its meaning problems, ``path_of`` maps pydantic's location onto the document. Past
    ``bounds``, one problem (at the top of the file) says there may be more."""
    spent = _Spent(bounds)
    repair = _Repair(_copy(located), spent)
    while True:
        if not repair.apply(errors, path_of):
            return [located.problem((), MORE_MAY_EXIST)] if spent.over else []
        spent.rounds += 1
        spent.units += len(repair.located.positions)  # what validating the copy visits
        if spent.over:
            return [located.problem((), MORE_MAY_EXIST)]
        try:
            spec = validate(repair.located.data)
        except ValidationError as exc:
            errors = [dict(e) for e in exc.errors()]
            continue
        try:
            return repair.trusted(check(spec, repair.located))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            return []  # a document the checks cannot read even so: its shape problems say enough


class _Repair:
    def __init__(self, located: Located, spent: _Spent) -> None:
        self.located = located
        self.spent = spent
        self.places: list[Where] = []  # where the repair changed something: (file, line, column)
        self.names: set[str] = set()  # what the removed entries were called
        self.flow = False  # whether it took out part of the flow between steps

    def apply(self, errors: Iterable[dict[str, Any]], path_of: Callable[[Any, tuple[Any, ...]], Path_]) -> bool:
        """Take out what each error names; False when there is nothing (left) to take out."""
        targets: dict[Path_, bool] = {}  # path -> whether it is a key the schema does not know
        for error in errors:
            path = path_of(self.located.data, tuple(error["loc"]))
            unknown = error["type"] == "extra_forbidden"
            if error["type"] == "missing":
                if len(path) <= 1 or path[-1] in NAMING_KEYS:
                    return False  # the document lacks a key of its own, or an entry its name
                path = self._entry(path)  # the entry that lacks a key cannot do without it
            elif not _exists(self.located.data, path):
                return False
            elif not unknown:
                if path and path[-1] in NAMING_KEYS:
                    return False  # what the entry is called is wrong: what names it cannot be judged
                path = self._entry(path)  # a refused value: its entry goes (without it, it is incomplete)
            if not path:
                return False  # the document itself is wrong: nothing left to check
            targets[path] = targets.get(path, True) and unknown
            if self.spent.repairs + len(targets) > self.spent.bounds.repairs:
                self.spent.repairs += len(targets)
                return False  # too many entries to take out: read no further errors
        if not targets:
            return False
        self.spent.repairs += len(targets)
        self.spent.units += len(self.located.positions) + len(self.located.key_positions)  # what _forget visits
        if self.spent.over:
            return False
        outermost = _outermost(set(targets))
        # deepest first and, within one list, the last entry first: the numbers of the others hold
        for path in sorted(outermost, key=_removal_order, reverse=True):
            self._remove(path, named=not targets[path])
        _forget(self.located, outermost)  # once for all: positions are re-indexed in one pass
        return True

    def _entry(self, path: Path_) -> Path_:
        """The entry a refused value belongs to: the innermost item of a list of entries (a
        transition, a timer), else the named entry of a top-level collection (a step, an
        input), else the top-level key itself."""
        data = self.located.data
        for end in range(len(path), 0, -1):
            if isinstance(path[end - 1], int) and isinstance(_node(data, path[:end]), dict):
                return path[:end]
        collection = _node(data, path[:1])
        if len(path) > 1 and isinstance(collection, dict) and all(isinstance(v, dict) for v in collection.values()):
            return path[:2]
        return path[:1]

    def _remove(self, path: Path_, *, named: bool) -> None:
        located = self.located
        parent = _node(located.data, path[:-1])
        key = path[-1]
        if not _has(parent, key):
            return
        removed = parent.pop(key)
        self.places.append(located.locate(path, at_key=True))
        self.places.append(located.locate(path))
        if named:  # an unknown key meant nothing, so nothing can depend on it
            self.names |= _names(path, removed)
        self.flow = self.flow or _in_flow(path)

    def trusted(self, found: list[Problem]) -> list[Problem]:
        """What the checks found, without what the repair may have caused."""
        places = {(f, line) for f, line, _ in self.places}
        names = {n.casefold() for n in self.names if len(n) > 1}
        step_keys = {
            self.located.locate(("steps", step), at_key=True)
            for step in (self.located.data.get("steps") or {} if isinstance(self.located.data, dict) else {})
        }
        kept = []
        for problem in found:
            where = (problem.file, problem.line, problem.column)
            # what a problem is about, without the list of known names some end with
            about = problem.message.split(KNOWN_NAMES, 1)[0]
            if (problem.file, problem.line) in places or _names_any(about, names):
                continue
            if self.flow and where in step_keys:
                continue
            kept.append(problem)
        return kept


Where = tuple[str, int, int]


def _copy(located: Located) -> Located:
    return Located(located.file, copy.deepcopy(located.data), dict(located.positions), dict(located.key_positions))


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


def _node(data: Any, path: Path_) -> Any:
    node = data
    for part in path:
        if not _has(node, part):
            return None
        node = node[part]
    return node


def _exists(data: Any, path: Path_) -> bool:
    return not path or _has(_node(data, path[:-1]), path[-1])


def _removal_order(path: Path_) -> tuple[int, int]:
    return (len(path), path[-1] if isinstance(path[-1], int) else -1)


def _in_flow(path: Path_) -> bool:
    """Whether taking out ``path`` changes the paths between steps: a step, an action, an answer."""
    return path[0] == "transitions" or (path[0] == "steps" and len(path) <= 2) or "decision" in path or path[0] == "initial"


def _outermost(paths: set[Path_]) -> list[Path_]:
    """Paths not inside another of them (taking out the outer one takes the inner too)."""
    return [p for p in paths if not any(p[:end] in paths for end in range(1, len(p)))]


WORD = re.compile(r"[\w-]")
LONGEST_NAME = 64  # _names keeps no longer value


def _names_any(text: str, names: set[str]) -> bool:
    """Whether ``text`` names one of ``names`` (casefolded) as a whole word: not inside a
    longer run of letters, digits, ``_`` or ``-``. Looks up each stretch of the text between
    two word boundaries, so the cost follows the text, not the number of names."""
    if not names:
        return False
    starts = [i for i in range(len(text)) if i == 0 or not WORD.match(text[i - 1])]
    ends = [j for j in range(1, len(text) + 1) if j == len(text) or not WORD.match(text[j])]
    for i in starts:
        for k in range(bisect_left(ends, i + 2), len(ends)):
            if ends[k] - i > LONGEST_NAME:
                break
            if text[i : ends[k]].casefold() in names:
                return True
    return False


def _names(path: Path_, removed: Any) -> set[str]:
    """What a removed entry was called (its key in a mapping) and every name it holds: its id
    or trigger, the steps, roles, inputs and terms it names. A problem about any of these may
    be the removal's doing (an input that only this action recorded)."""
    names: set[str] = set()
    if isinstance(path[-1], str):
        names.add(path[-1].casefold())
    stack = [removed]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            names |= {k for k in node if isinstance(k, str)}
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str | int) and len(str(node)) <= 64 and " " not in str(node).strip():
            names.add(str(node).strip(" !?.,;:'\"").casefold())  # as meant: 'Onderzoeker!' names onderzoeker
    return names


def _forget(located: Located, removed: list[Path_]) -> None:
    """Drop the positions under each removed path; after removed list entries, number the later
    ones down. One pass over the positions, however many paths were removed (none inside another)."""
    gone = set(removed)
    taken: dict[Path_, list[int]] = {}  # a list -> the (old) numbers of the entries taken out of it
    for path in removed:
        if isinstance(path[-1], int):
            taken.setdefault(path[:-1], []).append(path[-1])
    for numbers in taken.values():
        numbers.sort()
    for positions in (located.positions, located.key_positions):
        moved: dict[Path_, Where] = {}
        for key, where in positions.items():
            new = _renumbered(key, gone, taken)
            if new is not None:
                moved[new] = where
        positions.clear()
        positions.update(moved)


def _renumbered(key: Path_, gone: set[Path_], taken: dict[Path_, list[int]]) -> Path_ | None:
    """``key`` with the entries taken out before it counted out; None when it was under one."""
    parts = list(key)
    for end in range(1, len(key) + 1):
        if key[:end] in gone:
            return None
        index = key[end - 1]
        if isinstance(index, int) and key[: end - 1] in taken:
            parts[end - 1] = index - bisect_left(taken[key[: end - 1]], index)
    return tuple(parts)
