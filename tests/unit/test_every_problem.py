"""A protocol file with several problems reports every one (issue 26, item 5): the meaning
checks run even when the shape is wrong (engine/protocol/partial.py), and never report a
problem of the repair's own making."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import engine.protocol.loader as loader
from adapters.protocol_files import BUNDLED, ProtocolFiles
from engine.errors import ProtocolError
from engine.protocol.loader import load_protocol_text

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
RESOLVER = ProtocolFiles([BUNDLED])
VARIANT_HEAD = "id: gedrag-kapot\nversion: 1\nextends: {id: grensoverschrijdend-gedrag, version: 5}\n"
BELOW_THE_FLOOR = "remedies:\n  bezwaar_verwijdering:\n    term:\n      after: 4 weken\n"
FLOOR_PROBLEM = "k.yaml:7:14: 4 weken is korter dan de wettelijke ondergrens van 6 weken"


def problems(text: str) -> list[str]:
    with pytest.raises(ProtocolError) as refused:
        load_protocol_text(text, "k.yaml", RESOLVER)
    return [str(p) for p in refused.value.problems]


@pytest.mark.parametrize(
    ("shape", "shape_problem"),
    [
        # a duration that cannot be read
        (
            "steps:\n  time_out:\n    timers:\n      - id: einde_time_out\n        after: 5 schooldagn\n",
            "k.yaml:12:16: onbekende eenheid 'schooldagn'",
        ),
        # a key the format does not know (a typo)
        ("titel: Gedrag met een tikfout\n", "k.yaml:8:1: onbekende sleutel 'titel'"),
        # a value of the wrong kind
        ("transitions:\n  - trigger: hulp_vragen\n    roles: leerkracht\n", "k.yaml:10:12: 'roles' moet een lijst zijn"),
    ],
)
def test_a_shape_problem_and_a_meaning_problem_are_both_reported(shape: str, shape_problem: str) -> None:
    found = problems(VARIANT_HEAD + BELOW_THE_FLOOR + shape)
    assert len(found) == 2, found
    assert found[0].startswith(FLOOR_PROBLEM) and found[1].startswith(shape_problem), found


def test_an_unknown_role_next_to_a_wrong_value_in_another_action() -> None:
    text = (BUNDLED / "grensoverschrijdend-gedrag.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["transitions"][0]["roles"] = [*data["transitions"][0]["roles"], "concierge"]
    data["transitions"][1]["label"] = ["een lijst in plaats van tekst"]
    found = problems(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert any("onbekende rol 'concierge'" in p for p in found), found
    assert any("'label' moet tekst zijn" in p for p in found), found


def leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    else:
        yield path, node


def mutated(data: Any, path: tuple[Any, ...], how: str) -> Any:
    """``data`` with one mistake at ``path``, as a person makes them (what they meant stays in it)."""
    copy: Any = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
    parent = copy
    for part in path[:-1]:
        parent = parent[part]
    key, value = path[-1], parent[path[-1]]
    if how == "lijst":
        parent[key] = [value]
    elif how == "tekst":
        parent[key] = f"{str(value).capitalize()}!"
    elif how == "getal":
        parent[key] = 12345
    elif how == "weg" and isinstance(parent, dict):
        del parent[key]
    elif how == "onbekend" and isinstance(parent, dict):
        parent["onbekende_sleutel"] = value
    return copy


FILES = sorted(BUNDLED.glob("*.yaml")) + [EXAMPLES / "gedrag-de-linde.yaml"]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_one_mistake_in_a_valid_protocol_gives_only_its_own_problems(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled protocols are valid: a single mistake in one of them is reported by its
    shape problems, and the meaning checks on the repaired copy must add nothing, for anything
    they added would be a problem of the repair's making."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rng = random.Random(path.stem)
    spots = list(leaves(data))
    for how in ("lijst", "tekst", "getal", "weg", "onbekend", "lijst", "tekst", "weg"):
        spot, _ = rng.choice(spots)
        text = yaml.safe_dump(mutated(data, spot, how), allow_unicode=True, sort_keys=False)
        try:
            load_protocol_text(text, "m.yaml", RESOLVER)
            continue  # a mistake the format allows (a label that reads differently)
        except ProtocolError as refused:
            everything = [str(p) for p in refused.problems]
        with monkeypatch.context() as only_shape:
            only_shape.setattr(loader, "meaning_despite_shape", lambda *args, **kwargs: [])
            try:
                load_protocol_text(text, "m.yaml", RESOLVER)
                shape: list[str] = []
            except ProtocolError as refused:
                shape = [str(p) for p in refused.problems]
        added = [p for p in everything if p not in shape]
        assert not added, (spot, how, added)
