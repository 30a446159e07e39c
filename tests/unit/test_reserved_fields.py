"""The web forms post their own fields (csrf, rol, volgnummer, datum) alongside a protocol's
inputs: an input with one of those names would be taken by the form and silently lost, so the
loader refuses it at file:line:column (issue 25, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ProtocolError
from engine.protocol.loader import load_protocol_file, load_protocol_text
from engine.protocol.model import RESERVED_FORM_FIELDS
from tests.conftest import MINIMAL

ROOT = Path(__file__).resolve().parents[2]

# the minimal protocol with one input, NAME (on line 9), which its action accepts
PROTOCOL = MINIMAL.replace("initial: begin\n", "initial: begin\ninputs:\n  NAME:\n    type: tekst\n    label: Iets\n")
PROTOCOL += "    accepts: [NAME]\n"


def test_the_reserved_names_are_the_forms_own_fields() -> None:
    assert {"csrf", "rol", "volgnummer", "datum"} == RESERVED_FORM_FIELDS


def test_an_ordinary_input_name_loads() -> None:
    protocol = load_protocol_text(PROTOCOL.replace("NAME", "opmerking"), "formulier.yaml")
    assert "opmerking" in protocol.inputs()


@pytest.mark.parametrize("name", sorted(RESERVED_FORM_FIELDS))
def test_an_input_with_a_reserved_name_is_refused_where_it_is_named(name: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(PROTOCOL.replace("NAME", name), "formulier.yaml")
    said = str(caught.value)
    assert f"formulier.yaml:9:3: '{name}' is gereserveerd voor het formulier zelf" in said


def _shipped() -> list[Path]:
    return sorted(
        [*(ROOT / "protocols").rglob("*.yaml"), *(ROOT / "docs" / "examples").glob("*.yaml"), *(ROOT / "tests" / "protocols").glob("*.yaml")]
    )


@pytest.mark.parametrize("path", _shipped(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_shipped_protocol_uses_a_reserved_name(path: Path) -> None:
    try:
        protocol = load_protocol_file(path)
    except ProtocolError as exc:  # a file meant to be refused (or a variant): only not for this reason
        assert "gereserveerd voor het formulier" not in str(exc)
        return
    assert not RESERVED_FORM_FIELDS & set(protocol.spec.inputs)
