"""Pydantic's shape errors as Dutch problems, located in the protocol file."""

from __future__ import annotations

from typing import Any

from engine.errors import Problem
from engine.protocol.yamlsource import Located, Path_

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

_UNION_TAGS = ("equals", "in", "set", "all", "any", "not", "fire", "escalate")


def data_path(data: Any, loc: tuple[Any, ...]) -> Path_:
    """Map pydantic's error location onto the document, dropping union tags."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if _present(node, part):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in _UNION_TAGS and not part[:1].isupper():
            path.append(part)  # a missing or unknown key: name it
            node = None
    return tuple(path)


def _present(node: Any, part: Any) -> bool:
    """Whether ``part`` is a key or position the document holds at ``node``."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and part < len(node)


def _brief(value: object, limit: int = 60) -> str:
    """A value as a message repeats it: whole when short, its start when not (a message
    stays short whatever the file holds)."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def translate(located: Located, err: Any) -> Problem:
    path = data_path(located.data, tuple(err["loc"]))
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
