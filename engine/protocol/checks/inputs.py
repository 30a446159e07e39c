"""Roles, the initial step, and inputs: names that are free, types that fit, and every
input recorded somewhere."""

from __future__ import annotations

from engine.protocol.checks.context import Context
from engine.protocol.model import BUILTIN_INPUTS, REMEDY_INPUTS, RESERVED_FORM_FIELDS, SYSTEM_ROLE
from engine.protocol.schema import InputSpec
from engine.protocol.yamlsource import Path_


def check_roles_and_initial(c: Context) -> None:
    if SYSTEM_ROLE in c.roles:
        c.err(("roles", SYSTEM_ROLE), f"'{SYSTEM_ROLE}' is gereserveerd voor timers", at_key=True)
    if c.spec.initial not in c.steps:
        c.err(("initial",), f"beginstap '{c.spec.initial}' bestaat niet{c.known('steps', c.steps)}")


def check_inputs(c: Context) -> None:
    for name, spec in c.spec.inputs.items():
        if name in BUILTIN_INPUTS or name in REMEDY_INPUTS:
            c.err(("inputs", name), f"'{name}' is al ingebouwd", at_key=True)
        if name in RESERVED_FORM_FIELDS:
            c.err(
                ("inputs", name),
                f"'{name}' is gereserveerd voor het formulier zelf; kies een andere naam voor dit invoerveld",
                at_key=True,
            )
        if (spec.type == "keuze") != bool(spec.options):
            c.err(("inputs", name), "opties horen bij type 'keuze', en 'keuze' heeft opties nodig")
        if spec.future and spec.type != "datum":
            c.err(("inputs", name, "future"), "'future' hoort alleen bij type 'datum'")
        if spec.dispatch:
            _check_dispatch(c, name, spec)


def _check_dispatch(c: Context, name: str, spec: InputSpec) -> None:
    """A sending date (``dispatch``) dates the letter that asks it: a datum, asked by a
    letter and recorded by no action (an action has no letter whose day bounds it)."""
    path: Path_ = ("inputs", name, "dispatch")
    if spec.type != "datum":
        c.err(path, "'dispatch' (datum van verzending of uitreiking) hoort alleen bij type 'datum'")
    if not any(name in letter.asks for letter in c.spec.letters.values()):
        c.err(path, f"'dispatch': geen brief vraagt '{name}'; noem het bij 'asks' van de brief die het dateert")
    actions = sorted({t.trigger for t in c.spec.transitions if name in (*t.requires, *t.accepts)})
    if actions:
        c.err(
            path,
            f"'dispatch': de datum van verzending legt de brief vast, niet een actie ({', '.join(actions)}); "
            "haal het daar weg of laat 'dispatch' weg",
        )


def check_recordable(c: Context) -> None:
    """Every input is recorded by some action or letter: an action records only what it
    declares, so an input none declares could never be filled (a guard on it never holds)."""
    recorded = {name for t in c.spec.transitions for name in (*t.requires, *t.accepts)}
    recorded |= {name for letter in c.spec.letters.values() for name in (*letter.asks, *letter.accepts)}
    if c.spec.need_to_know is not None:  # recorded when the case is opened
        recorded |= set(c.spec.need_to_know.opening_facts())
    for name in c.spec.inputs:
        if name not in recorded:
            c.err(
                ("inputs", name),
                f"geen actie of brief legt invoerveld '{name}' vast; noem het bij 'requires' of 'accepts' "
                "van de actie die het vastlegt (of bij 'asks' van een brief), of haal het weg",
                at_key=True,
            )
