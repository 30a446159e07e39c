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


def test_the_protocol_reference_page_is_up_to_date() -> None:
    from api.cli import protocols_page

    page = Path(__file__).parents[2] / "docs" / "protocols.md"
    assert page.read_text(encoding="utf-8") == protocols_page(), "run: trede protocol docs"


def test_the_diagram_shows_every_step_and_highlights_the_current_one() -> None:
    from engine.protocol.diagram import mermaid

    protocol = load_protocol_file(BUNDLED[0])
    text = mermaid(protocol, highlight="schorsing")
    for step_id in protocol.spec.steps:
        assert f" as {step_id}" in text
    assert "class schorsing current" in text
    assert f"[*] --> {protocol.spec.initial}" in text


def test_the_svg_diagram_draws_every_step_and_marks_the_current_one() -> None:
    from xml.etree import ElementTree

    from engine.protocol.diagram import svg

    protocol = load_protocol_file(BUNDLED[0])
    root = ElementTree.fromstring(svg(protocol, highlight="schorsing"))
    ns = "{http://www.w3.org/2000/svg}"
    titles = [g.find(f"{ns}title").text for g in root.iter(f"{ns}g")]
    assert titles == [step.label for step in protocol.spec.steps.values()]
    highlighted = [r for r in root.iter(f"{ns}rect") if r.get("stroke-width") == "3"]
    assert len(highlighted) == 1
