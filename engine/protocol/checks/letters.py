"""Letters: who makes them, in which steps, what they ask and accept, and a letter to the
melder only from roles that may know who the melder is."""

from __future__ import annotations

from engine.protocol.checks.context import Context
from engine.protocol.schema import LetterSpec
from engine.protocol.yamlsource import Path_


def check_letters(c: Context) -> None:
    for name, letter in c.spec.letters.items():
        path: Path_ = ("letters", name)
        c.check_roles(path + ("roles",), letter.roles)
        if letter.to == "melder":
            _check_to_melder(c, path, letter)
        for i, step in enumerate(letter.steps):
            if step not in c.steps:
                c.err(path + ("steps", i), f"onbekende stap '{step}'{c.known('steps', c.steps)}")
        _check_inputs(c, path, letter)


def _check_to_melder(c: Context, path: Path_, letter: LetterSpec) -> None:
    """A letter to the melder names them: only roles that may know who they are make it."""
    identity = c.spec.identity
    if identity is None:
        c.err(path + ("to",), "een brief aan de melder hoort bij een protocol dat de identiteit beschermt ('identity')")
        return
    hidden = [r for r in letter.roles if r not in identity.visible_to]
    if hidden:
        c.err(
            path + ("roles",),
            f"'{hidden[0]}' mag de melder niet kennen (identity.visible_to: "
            f"{', '.join(identity.visible_to)}) en kan dus geen brief aan de melder maken",
        )


def _check_inputs(c: Context, path: Path_, letter: LetterSpec) -> None:
    for key, names in (("asks", letter.asks), ("accepts", letter.accepts)):
        for i, name in enumerate(names):
            if name not in c.inputs:
                c.err(path + (key, i), f"onbekend invoerveld '{name}'{c.known('inputs', c.inputs)}")
    for i, name in enumerate(letter.accepts):
        if name in letter.asks:
            c.err(path + ("accepts", i), f"'{name}' staat al bij 'asks' (verplicht)")
