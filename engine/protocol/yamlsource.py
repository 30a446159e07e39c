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
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # YAML allows tab, LF and CR only
# Invisible characters that make a protocol read differently from what it says: bidi
# overrides, isolates and marks, zero-width characters, line/paragraph separators.
_HIDDEN = re.compile("[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
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


MAX_BYTES = 2_000_000  # a large protocol is a few hundred kilobytes
MAX_NODES = 50_000  # a large protocol has a few thousand values
MAX_DEPTH = 40
# Python refuses to read an integer of more than 4,300 digits (sys.int_max_str_digits), and no
# number in a protocol needs more than a few. A longer one is refused here, where its line is
# known; one that is merely too large for its key is named by the schema ("'version' is te groot").
MAX_DIGITS = 100

# libyaml's C parser when it is installed (as it is with the PyYAML wheels): a 1 MB protocol
# reads in a fraction of a second instead of half a minute. Both give the same events.
_Parser: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class _Refusal(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Reader:
    """Builds plain data from the parser's events, never from composed nodes.

    Composing would resolve aliases into shared nodes that any later walk expands (the
    "billion laughs"), and would recurse as deep as the text nests. Walking events keeps
    every cost in proportion to the text: aliases, anchors and explicit tags are refused
    where they occur, and the number of values and their depth are bounded."""

    def __init__(self, parser: Any, located: Located) -> None:
        self.parser = parser
        self.located = located
        self.problems: list[Problem] = []
        self.nodes = 0

    def where(self, mark: Any) -> Where:
        return (self.located.file, mark.line + 1, mark.column + 1)

    def document(self) -> Any:
        self.parser.get_event()  # StreamStart
        if self.parser.check_event(yaml.StreamEndEvent):
            return None
        self.parser.get_event()  # DocumentStart
        data = self.value((), 0)
        self.parser.get_event()  # DocumentEnd
        if not self.parser.check_event(yaml.StreamEndEvent):
            raise _Refusal(self.parser.peek_event().start_mark, "een protocolbestand bevat één document; verwijder de tweede '---'")
        return data

    def value(self, path: Path_, depth: int) -> Any:
        event = self.parser.get_event()
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refusal(event.start_mark, f"het bestand is te groot (meer dan {MAX_NODES} waarden)")
        if depth >= MAX_DEPTH:
            raise _Refusal(event.start_mark, f"te diep genest (meer dan {MAX_DEPTH} niveaus)")
        if isinstance(event, yaml.AliasEvent):
            raise _Refusal(event.start_mark, "verwijzingen (*naam) zijn in een protocol niet toegestaan; schrijf de waarde uit")
        if event.anchor is not None:
            raise _Refusal(event.start_mark, f"ankers (&{event.anchor}) zijn in een protocol niet toegestaan; schrijf de waarde uit")
        if event.tag is not None and not _implicit(event):
            raise _Refusal(
                event.start_mark,
                f"labels als '{event.tag}' zijn in een protocol niet toegestaan; zet tekst tussen aanhalingstekens",
            )
        self.located.positions[path] = self.where(event.start_mark)
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path, depth)
        if isinstance(event, yaml.SequenceStartEvent):
            items: list[Any] = []
            while not self.parser.check_event(yaml.SequenceEndEvent):
                items.append(self.value(path + (len(items),), depth + 1))
            self.parser.get_event()
            return items
        digits = _digits(event)
        if digits > MAX_DIGITS:
            raise _Refusal(
                event.start_mark,
                f"een getal van {digits} cijfers is te groot (hoogstens {MAX_DIGITS}); "
                "bedoelt u tekst, zet die dan tussen aanhalingstekens",
            )
        return _scalar(event)

    def mapping(self, path: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not self.parser.check_event(yaml.MappingEndEvent):
            key_event = self.parser.peek_event()
            where = self.where(key_event.start_mark)
            key = self.value(path + ("\0key",), depth + 1)
            self.located.positions.pop(path + ("\0key",), None)
            if not isinstance(key, str):
                self.problems.append(Problem(*where, f"sleutel moet tekst zijn, niet {key!r}"))
                self.value(path + ("\0skip",), depth + 1)
                continue
            if key in result:
                first = self.located.key_positions[path + (key,)]
                self.problems.append(Problem(*where, f"'{key}' staat hier dubbel (eerder op regel {first[1]})"))
                self.value(path + ("\0skip",), depth + 1)
                continue
            self.located.key_positions[path + (key,)] = where
            result[key] = self.value(path + (key,), depth + 1)
        self.parser.get_event()
        return result


def _implicit(event: Any) -> bool:
    """A tag the parser added itself (never the case for plain block content)."""
    implicit = getattr(event, "implicit", False)
    return bool(implicit[0] if isinstance(implicit, tuple) else implicit) and event.tag is None


def _digits(event: Any) -> int:
    """How many digits a plain scalar that reads as a number has (0 for anything else)."""
    if event.style not in (None, "") or not isinstance(event.value, str) or not event.value[-1:].isdigit():
        return 0
    value: str = event.value
    if not (_INT.match(value) or _FLOAT.match(value)):
        return 0
    mantissa = re.split("[eE]", value, maxsplit=1)[0]
    return sum(c.isdigit() for c in mantissa.lstrip("+-0.") or "0")


def _scalar(event: Any) -> Any:
    value: str = event.value
    if event.style in (None, ""):  # plain: resolve as YAML 1.2's core schema
        if value in _NULL:
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value) and any(c.isdigit() for c in value):
            return float(value)
    return value  # quoted or block text: always text


def read_yaml(text: str, file: str) -> tuple[Located, list[Problem]]:
    located = Located(file=file, data=None)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        return located, [Problem(file, 1, 1, f"het bestand is te groot ({size // 1000} kB; hoogstens {MAX_BYTES // 1000} kB)")]
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        code = ord(control.group())
        return located, [Problem(file, line, column, f"YAML-fout: het bestand bevat een stuurteken (code {code}) dat hier niet kan staan; verwijder het")]
    hidden = _HIDDEN.search(text, 1 if text.startswith("\ufeff") else 0)  # a leading BOM is fine
    if hidden:
        line = text.count("\n", 0, hidden.start()) + 1
        column = hidden.start() - (text.rfind("\n", 0, hidden.start()) + 1) + 1
        shown = f"U+{ord(hidden.group()):04X}"
        message = f"het bestand bevat een onzichtbaar teken ({shown}) dat tekst anders laat lezen dan er staat; verwijder het"
        return located, [Problem(file, line, column, message)]
    parser = _Parser(text)
    reader = _Reader(parser, located)
    try:
        located.data = reader.document()
    except _Refusal as exc:
        return located, [Problem(*reader.where(exc.mark), f"YAML-fout: {exc.message}")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return located, [Problem(file, line, column, f"YAML-fout: {dutch_yaml_error(exc)}")]
    except yaml.YAMLError as exc:
        return located, [Problem(file, 1, 1, f"YAML-fout: {dutch_yaml_error(exc)}")]
    finally:
        parser.dispose()
    if located.data is None:
        return located, [Problem(file, 1, 1, "het bestand is leeg; een protocol begint met 'id:', 'version:' en 'title:'")]
    if not isinstance(located.data, dict):
        return located, [Problem(file, 1, 1, "een protocol is een lijst van sleutels ('id: …', 'version: …'), geen losse waarde of lijst")]
    return located, reader.problems


# The parser's English, said in Dutch with what to do. Matched on the start of its message.
_PHRASES: tuple[tuple[str, str], ...] = (
    ("exceeded maximum nesting depth", f"te diep genest (meer dan {MAX_DEPTH} niveaus)"),
    ("mapping values are not allowed", "hier kan geen 'sleutel: waarde' staan; controleer het inspringen van deze regel en die erboven"),
    ("did not find expected key", "hier werd een volgende sleutel verwacht; controleer het inspringen (gebruik spaties, geen tabs)"),
    ("did not find expected '-' indicator", "hier werd een volgend lijstitem ('- …') verwacht; controleer het inspringen"),
    ("did not find expected ',' or ']'", "een lijst tussen [ ] is niet afgesloten; zet er een ']' achter of scheid de waarden met komma's"),
    ("did not find expected ',' or '}'", "een verzameling tussen { } is niet afgesloten; zet er een '}' achter of scheid de delen met komma's"),
    ("expected ',' or ']'", "een lijst tussen [ ] is niet afgesloten; zet er een ']' achter of scheid de waarden met komma's"),
    ("expected ',' or '}'", "een verzameling tussen { } is niet afgesloten; zet er een '}' achter of scheid de delen met komma's"),
    ("found character that cannot start any token", "dit teken kan hier niet staan (een tab? gebruik spaties; of zet de tekst tussen aanhalingstekens)"),
    ("found a tab character", "een tab kan hier niet staan; spring in met spaties"),
    ("found unexpected end of stream", "het bestand houdt onverwacht op; is een aanhalingsteken of haakje niet gesloten?"),
    ("found unexpected ':'", "een ':' kan hier niet staan; zet de tekst tussen aanhalingstekens"),
    ("could not find expected ':'", "hier ontbreekt een ':' na de sleutel"),
    ("found undefined tag handle", "labels als '!…' zijn in een protocol niet toegestaan"),
    ("found unknown escape character", "onbekende escape met '\\' in tekst tussen dubbele aanhalingstekens; gebruik enkele aanhalingstekens"),
    ("expected <block end>", "het inspringen klopt niet: deze regel springt anders in dan de regels van hetzelfde niveau"),
    ("expected a comment or a line break", "na deze waarde kan niets meer op de regel staan (behalve een # opmerking)"),
    ("found duplicate anchor", "ankers (&naam) zijn in een protocol niet toegestaan"),
    ("special characters are not allowed", "het bestand bevat een teken dat niet is toegestaan (een stuurteken)"),
    ("unacceptable character", "het bestand bevat een teken dat niet is toegestaan (een stuurteken)"),
    ("block sequence entries are not allowed", "een lijstitem ('- …') kan hier niet staan; controleer het inspringen"),
)


def dutch_yaml_error(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    for phrase, dutch in _PHRASES:
        if phrase in problem:
            return dutch
    return "de tekst is geen geldige YAML; controleer deze regel en het inspringen"
