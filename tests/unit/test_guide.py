"""The protocol owner's guide (docs/protocollen-schrijven.md) quotes trede's own messages for
common mistakes: each is produced here from the guide's example protocol, so the guide cannot
drift from what trede says."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ProtocolError
from engine.protocol.loader import load_protocol_text

DOCS = Path(__file__).parents[2] / "docs"
GUIDE = (DOCS / "protocollen-schrijven.md").read_text(encoding="utf-8")
EXAMPLE = (DOCS / "examples" / "pesten-de-linde.yaml").read_text(encoding="utf-8")

MISTAKES = {
    "tab": ("  meldingen:\n    label: Meldingen verzamelen", "  meldingen:\n\tlabel: Meldingen verzamelen"),
    "unit": (
        '        after: 2 werkdagen\n        basis: "Schoolplan, Pesten: binnen twee werkdagen"',
        '        after: 2 werkdag3n\n        basis: "Schoolplan, Pesten: binnen twee werkdagen"',
    ),
    "step": (
        "    to: ouders_informeren\n    roles: [leerkracht, directeur]",
        "    to: ouders_informeeren\n    roles: [leerkracht, directeur]",
    ),
    "role": (
        "    roles: [leerkracht]\n    requires: [omschrijving]\n    accepts: [betrokken_leerlingen]\n"
        "    when: {count: melding_vastleggen, at_most: 1}",
        "    roles: [leraar]\n    requires: [omschrijving]\n    accepts: [betrokken_leerlingen]\n"
        "    when: {count: melding_vastleggen, at_most: 1}",
    ),
    "statutory": ('        basis: "Schoolplan, Pesten: na twee weken evalueren"', '        basis: "Awb 6:7"'),
    "same-trigger": ("    when: {count: melding_vastleggen, at_most: 1}\n", ""),
    "track": ("        done_by: gesprek_pester", "        done_by: gesprekken_afronden"),
    "duplicate-key": ("title: Pestprotocol De Linde", "title: Pestprotocol De Linde\ntitle: Pestprotocol"),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_the_guide_quotes_what_trede_says(name: str) -> None:
    old, new = MISTAKES[name]
    assert old in EXAMPLE
    with pytest.raises(ProtocolError) as refused:
        load_protocol_text(EXAMPLE.replace(old, new, 1), "pesten.yaml")
    assert f"`{refused.value.problems[0]}`" in GUIDE


def test_the_guide_example_loads() -> None:
    assert load_protocol_text(EXAMPLE, "pesten.yaml").id == "pesten-de-linde"
