"""Every bundled protocol loads, and every step in it cites its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.protocol.loader import load_protocol_file

BUNDLED = sorted((Path(__file__).parents[2] / "protocols").glob("*.yaml"))


def test_there_are_bundled_protocols() -> None:
    assert BUNDLED


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_protocol_loads_and_cites_its_sources(path: Path) -> None:
    protocol = load_protocol_file(path)
    assert protocol.id == path.stem
    spec = protocol.spec
    uncited = [s for s, step in spec.steps.items() if not step.final and not step.source]
    uncited += [t.trigger for t in spec.transitions if not t.source]
    uncited += [r for r, role in spec.roles.items() if not role.source]
    uncited += [i for i, item in spec.inputs.items() if not item.source]
    assert uncited == []
