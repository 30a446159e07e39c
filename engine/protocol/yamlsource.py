"""Read YAML into plain data while remembering where every value came from.

Protocols are written by people at schools, so we read YAML the strict way: plain
scalars resolve as in YAML 1.2's core schema (``ja``, ``nee``, ``yes``, ``no``, ``on``
and ``off`` stay text), duplicate keys are errors, and every key and value keeps its
line and column so that later checks can point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.errors import Problem

Path_ = tuple[str | int, ...]
Where = tuple[str, int, int]  # file, line, column

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"null", "Null", "NULL", "~", ""}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


@dataclass
class Located:
    """YAML content as plain Python values plus where each value and key came from.

    A resolved variant mixes two files, so every position carries its file.
    """

    file: str
    data: Any
    positions: dict[Path_, Where] = field(default_factory=dict)
    key_positions: dict[Path_, Where] = field(default_factory=dict)

    def problem(self, path: Path_, message: str, *, at_key: bool = False) -> Problem:
        return Problem(*self.locate(path, at_key=at_key), message)

    def locate(self, path: Path_, *, at_key: bool = False) -> Where:
        probe = tuple(path)
        if at_key and probe in self.key_positions:
            return self.key_positions[probe]
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            if probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (self.file, 1, 1))


class _Builder:
    def __init__(self, located: Located) -> None:
        self.located = located
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        mark = node.start_mark
        self.located.positions[path] = (self.located.file, mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            kmark = key_node.start_mark
            where = (self.located.file, kmark.line + 1, kmark.column + 1)
            if not isinstance(key, str):
                self.problems.append(Problem(*where, f"sleutel moet tekst zijn, niet {key!r}"))
                continue
            if key in result:
                first = self.located.key_positions[path + (key,)]
                self.problems.append(Problem(*where, f"'{key}' staat hier dubbel (eerder op regel {first[1]})"))
                continue
            self.located.key_positions[path + (key,)] = where
            result[key] = self.build(value_node, path + (key,))
        return result

    @staticmethod
    def _scalar(node: yaml.Node) -> Any:
        value = node.value
        if node.tag == "tag:yaml.org,2002:str" and getattr(node, "style", None):
            return value  # quoted: always text
        if getattr(node, "style", None) is None:
            if value in _NULL:
                return None
            if value in _BOOL:
                return _BOOL[value]
            if _INT.match(value):
                return int(value)
            if _FLOAT.match(value) and any(c.isdigit() for c in value):
                return float(value)
        return value


MAX_NODES = 20_000  # a large protocol has a few thousand
MAX_DEPTH = 40


class _ComposeLoader(yaml.SafeLoader):
    """Composes nodes only; we resolve scalars ourselves.

    Aliases (``*name``) are refused: a protocol has no use for them, and a handful of
    nested aliases is enough to make any walk over the document take exponential time and
    memory (the "billion laughs"). The number of nodes and their depth are bounded too, so
    reading any text costs time and memory in proportion to its (limited) size."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise self._refusal("verwijzingen (*naam) zijn in een protocol niet toegestaan; schrijf de waarde uit")
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise self._refusal(f"het bestand is te groot (meer dan {MAX_NODES} waarden)")
        if self._depth >= MAX_DEPTH:
            raise self._refusal(f"te diep genest (meer dan {MAX_DEPTH} niveaus)")
        self._depth += 1
        try:
            node: yaml.Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1

    def _refusal(self, problem: str) -> yaml.composer.ComposerError:
        """An error at the next event, reported like any YAML error (file:line:column)."""
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        return yaml.composer.ComposerError(None, None, problem, mark)


def read_yaml(text: str, file: str) -> tuple[Located, list[Problem]]:
    located = Located(file=file, data=None)
    try:
        loader = _ComposeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "ongeldige YAML"
        return located, [Problem(file, line, column, f"YAML-fout: {what}")]
    except yaml.YAMLError as exc:
        return located, [Problem(file, 1, 1, f"YAML-fout: {exc}")]
    if node is None:
        return located, [Problem(file, 1, 1, "het bestand is leeg")]
    builder = _Builder(located)
    located.data = builder.build(node, ())
    return located, builder.problems
