"""The remedies section: validated strictly, with Dutch file:line messages (issue 23)."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ProtocolError
from engine.protocol.loader import load_protocol_text

BUNDLED = Path(__file__).parents[2] / "protocols" / "grensoverschrijdend-gedrag.yaml"


def _problems(text: str) -> list[str]:
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(text, "p.yaml")
    return [f"{p.line}: {p.message}" for p in caught.value.problems]


def test_the_bundled_remedies_are_tracks_outside_every_step() -> None:
    protocol = load_protocol_text(BUNDLED.read_text(encoding="utf-8"), str(BUNDLED))
    assert protocol.timer_index["bezwaartermijn_schorsing"][0] == "rechtsmiddel:bezwaar_schorsing"
    assert protocol.obligation_index["beslissing_op_bezwaar_awb"][0] == "rechtsmiddel:bezwaar_verwijdering"
    assert all(t.id != "bezwaartermijn_schorsing" for step in protocol.spec.steps.values() for t in step.timers)
    closing = [t for t in protocol.transitions if t.dest is not None and protocol.is_final(t.dest)]
    assert closing and all("motivering_rechtsmiddel" in t.declared() for t in closing)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("filed_by: bezwaar_ontvangen\n", "filed_by: bezwaar_gegrond\n", "moet een actie zonder 'to' zijn"),
        ("filed_on: bezwaar_ontvangen_op\n", "filed_on: adviescommissie_bezwaren\n", "in 'requires' hebben"),
        ("        from: einde_termijn\n        when: {fact: school_denominatie, equals: openbaar}",
         "        from: binnenkomst\n        when: {fact: school_denominatie, equals: openbaar}", "'from' is 'einde_termijn' of 'ingediend'"),
        ("suspends: [bezwaar_verwijdering]", "suspends: [bezwaar_elders]", "'bezwaar_elders' is geen ander rechtsmiddel"),
        ("kind: geschillencommissie", "kind: klachtje", "'klachtje' is niet toegestaan"),
        ("      id: bezwaartermijn\n      label: Einde bezwaartermijn\n      after: 6 weken",
         "      id: bezwaartermijn\n      label: Einde bezwaartermijn\n      after: 4 weken", "4 weken is korter dan"),
        ("fulfils: [beslissing_op_bezwaar_schorsing]\n", "\n", "geen actie legt 'beslissing_op_bezwaar_schorsing' vast"),
    ],
)
def test_remedy_mistakes_are_located_in_dutch(old: str, new: str, expected: str) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text
    problems = _problems(text.replace(old, new, 1))
    assert any(expected in p for p in problems), problems
    assert all(p.split(":")[0].isdigit() and int(p.split(":")[0]) > 1 for p in problems if expected in p)
