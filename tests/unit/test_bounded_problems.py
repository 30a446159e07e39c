"""Collecting every problem of a protocol file is bounded in the engine (engine/protocol/partial.py
``Bounds``), whoever asks: a hostile file with thousands of wrong actions is validated a bounded
number of times, and the answer says that more problems may exist. Work is counted, not timed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.errors import ProtocolError
from engine.protocol.checks import MAX_MOVES
from engine.protocol.loader import load_protocol_text
from engine.protocol.partial import BOUNDS, MORE_MAY_EXIST, Bounds, _names_any
from engine.protocol.schema import ProtocolSpec

HEAD = (
    "id: vijandig\nversion: 1\ntitle: Vijandig\nsource: test\nroles: {handler: {label: Behandelaar}}\n"
    "initial: s0\nsteps:\n  s0: {label: Begin}\n  s1: {label: Eind, final: true}\ntransitions:\n"
    "  - {trigger: goed, label: Goed, from: s0, to: s1, roles: [handler, concierge]}\n"
)


def hostile(wrong: int) -> str:
    """``wrong`` actions that each lack their label, steps and roles: a shape problem apiece."""
    return HEAD + "".join(f"  - {{trigger: t{i}}}\n" for i in range(wrong))


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How often the loader validates a document against the schema."""
    calls: list[int] = []
    original = ProtocolSpec.model_validate

    def counted(data: Any, *args: Any, **kwargs: Any) -> ProtocolSpec:
        calls.append(len(data.get("transitions") or ()))
        return original(data, *args, **kwargs)

    monkeypatch.setattr(ProtocolSpec, "model_validate", counted)
    yield calls


def refused(text: str, bounds: Bounds = BOUNDS) -> list[str]:
    with pytest.raises(ProtocolError) as error:
        load_protocol_text(text, "v.yaml", bounds=bounds)
    return [p.message for p in error.value.problems]


def test_thousands_of_wrong_actions_are_validated_once_and_more_may_exist(validations: list[int]) -> None:
    found = refused(hostile(5_000))
    assert validations == [5_001]  # the repair would take out more than 100 actions: it is not tried
    assert found[0] == MORE_MAY_EXIST
    assert "verplichte sleutel 'label' ontbreekt" in found[1]
    assert not any("concierge" in p for p in found)  # the meaning was not checked


def test_a_few_wrong_actions_are_repaired_in_one_round_and_the_meaning_is_checked(validations: list[int]) -> None:
    found = refused(hostile(20))
    assert validations == [21, 1]  # the file, then the copy without the 20 wrong actions
    assert MORE_MAY_EXIST not in found
    assert any(p.startswith("onbekende rol 'concierge'") for p in found), found


@pytest.mark.parametrize("bounds", [Bounds(repairs=19), Bounds(rounds=0), Bounds(units=100)])
def test_past_any_bound_the_answer_says_more_may_exist(validations: list[int], bounds: Bounds) -> None:
    found = refused(hostile(20), bounds)
    assert len(validations) == 1
    assert found[0] == MORE_MAY_EXIST
    assert sum("verplichte sleutel 'label' ontbreekt" in p for p in found) == 20


def test_wildcard_actions_from_thousands_of_steps_are_refused_before_building_a_machine() -> None:
    steps = "".join(f"  s{i}: {{label: S}}\n" for i in range(2, 300))
    wild = "".join(f"  - {{trigger: w{i}, label: W, from: '*', roles: [handler]}}\n" for i in range(100))
    text = HEAD.replace(", concierge", "").replace("  s1: {label", steps + "  s1: {label") + wild
    found = refused(text)
    assert found == [found[0]] and f"hoogstens {MAX_MOVES}" in found[0], found[:3]


@pytest.mark.parametrize(
    ("text", "names", "named"),
    [
        ("onbekende rol 'concierge'", {"concierge"}, True),
        ("onbekende rol 'concierge'", {"concier"}, False),  # not a part of a longer name
        ("stap 'a-b' en 'a_b2'", {"a-b"}, True),
        ("stap 'a-bc'", {"a-b"}, False),
        ("actie 's0:ja' kan niet", {"s0:ja"}, True),
        ("Stap 'Begin'", {"begin"}, True),  # names are compared casefolded
        ("", {"x1"}, False),
    ],
)
def test_removed_names_are_found_as_whole_words(text: str, names: set[str], named: bool) -> None:
    assert _names_any(text, names) is named
