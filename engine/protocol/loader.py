"""Load a protocol file: read, resolve its variant, check shape, check meaning, compile.

Every problem is reported as ``file:line:column: message``; all problems are collected
before raising, so a protocol owner sees everything that is wrong at once.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from engine.errors import Problem, ProtocolError
from engine.machine import machine_for
from engine.protocol.checks import check_meaning
from engine.protocol.checks.guards import DEADLINE_STATUSES
from engine.protocol.checks.transitions import RESERVED_TRIGGERS
from engine.protocol.compiler import answer_trigger, compile_protocol, content_hash
from engine.protocol.model import Protocol
from engine.protocol.partial import BOUNDS, Bounds, meaning_despite_shape
from engine.protocol.schema import ProtocolSpec
from engine.protocol.schema_errors import data_path, translate
from engine.protocol.variants import Resolver, resolve_variant
from engine.protocol.yamlsource import read_yaml

# Loaded from here before the checks and the compiler had modules of their own.
__all__ = [
    "DEADLINE_STATUSES",
    "RESERVED_TRIGGERS",
    "answer_trigger",
    "compile_protocol",
    "content_hash",
    "load_protocol_file",
    "load_protocol_text",
]


def load_protocol_file(path: str | Path, resolve: Resolver | None = None) -> Protocol:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProtocolError([Problem(str(path), 1, 1, f"kan het bestand niet lezen: {exc}")]) from None
    return load_protocol_text(text, str(path), resolve)


def load_protocol_text(
    text: str,
    file: str = "<protocol>",
    resolve: Resolver | None = None,
    *,
    bounds: Bounds = BOUNDS,
    stored: bool = False,
) -> Protocol:
    """``resolve`` finds the base of a variant (``extends``) by id and version; ``bounds``
    limits the search for meaning problems behind shape problems (the same for every caller).
    ``stored``: a text read again from the store, checked as it was when loaded (a variant's
    changes to elements a later base renamed, and its deletions below a legal floor, are
    refused when loading, not when reading a loaded one)."""
    located, problems = read_yaml(text, file)
    if problems or located.data is None:
        raise ProtocolError(problems)
    resolved, problems = resolve_variant(located, resolve, renames=not stored)
    if problems and resolved is located:
        raise ProtocolError(problems)  # the base could not be merged in: nothing more to check
    located = resolved  # problems of the merge itself are reported with the rest
    if not isinstance(located.data, dict):
        raise ProtocolError([*problems, located.problem((), "een protocol is een lijst van sleutels en waarden")])
    try:
        spec = ProtocolSpec.model_validate(located.data)
    except ValidationError as exc:
        errors = [dict(e) for e in exc.errors()]  # errors() builds a new list each time: once is enough
        shape = [translate(located, err) for err in errors]
        # and what the meaning checks find besides: every problem at once, not only the first kind
        meaning = meaning_despite_shape(
            located, errors, validate=ProtocolSpec.model_validate, check=check_meaning, path_of=data_path, bounds=bounds
        )
        raise ProtocolError([*problems, *shape, *meaning]) from None
    problems += check_meaning(spec, located)
    if problems:
        raise ProtocolError(problems)
    protocol = compile_protocol(spec, text, file)
    try:  # the last word: a protocol that validates must also build its state machine
        machine_for(protocol)
    except (ValueError, TypeError, KeyError) as exc:
        raise ProtocolError([Problem(file, 1, 1, f"het protocol kan niet worden uitgevoerd: {exc}")]) from None
    return protocol
