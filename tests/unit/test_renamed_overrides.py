"""A variant's change to an element a later base version renamed is refused, with the new name
(engine.protocol.overrides); a new element of the variant is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ProtocolError, ProtocolNotFound
from engine.protocol.loader import load_protocol_text
from engine.rebase import on_base_version

BASE = (Path(__file__).parent.parent.parent / "protocols" / "grensoverschrijdend-gedrag.yaml").read_text(encoding="utf-8")
V6 = BASE.replace("\nversion: 5\n", "\nversion: 6\n", 1)


def _resolver(v6: str):  # type: ignore[no-untyped-def]
    texts = {5: BASE, 6: v6}

    def resolve(protocol_id: str, version: int) -> tuple[str, str]:
        if protocol_id != "grensoverschrijdend-gedrag" or version not in texts:
            raise ProtocolNotFound(protocol_id, version)
        return texts[version], f"basis-v{version}.yaml"

    return resolve


def _variant(body: str, version: int = 6) -> str:
    return f"id: v\nversion: 1\nextends: {{id: grensoverschrijdend-gedrag, version: {version}}}\ntitle: V\nsource: test\n{body}"


def _problems(text: str, v6: str) -> list[str]:
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(text, "v.yaml", _resolver(v6))
    return [str(p) for p in caught.value.problems]


def test_a_renamed_step_the_variant_changes_is_refused_at_its_name_with_the_new_name() -> None:
    v6 = V6.replace("school_en_ouders", "samen_met_ouders")
    text = _variant("steps:\n  school_en_ouders:\n    label: Fase 2\n")
    assert load_protocol_text(text.replace("version: 6}", "version: 5}"), "v.yaml", _resolver(v6))  # fine on 5
    found = _problems(text, v6)
    assert found[0].startswith("v.yaml:7:3: stap 'school_en_ouders' staat niet meer in het basisprotocol")
    assert "bedoelt u 'samen_met_ouders'?" in found[0]


def test_a_renamed_action_and_term_are_refused_too() -> None:
    v6 = V6.replace("time_out_instellen", "time_out_starten").replace("einde_time_out", "laatste_dag_time_out")
    text = _variant(
        "steps:\n  time_out:\n    timers:\n      - id: einde_time_out\n        after: 3 dagen\n"
        "transitions:\n  - trigger: time_out_instellen\n    roles: [directeur]\n"
    )
    found = _problems(text, v6)
    assert any("v.yaml:9:13: termijn 'einde_time_out'" in p and "'laatste_dag_time_out'" in p for p in found), found
    assert any("v.yaml:12:14: actie 'time_out_instellen'" in p and "'time_out_starten'" in p for p in found), found


def test_a_new_step_of_the_variant_is_still_added() -> None:
    text = _variant(
        "steps:\n  nazorg:\n    label: Nazorg\n    source: test\n"
        "transitions:\n  - trigger: nazorg_starten\n    label: Nazorg\n    from: schorsing\n    to: nazorg\n"
        "    roles: [directeur]\n    source: test\n  - trigger: nazorg_afronden\n    label: Klaar\n    from: nazorg\n"
        "    to: afgesloten\n    roles: [directeur]\n    source: test\n"
    )
    assert "nazorg" in load_protocol_text(text, "v.yaml", _resolver(V6)).spec.steps


def test_a_stored_text_is_read_again_as_it_was_loaded() -> None:
    v6 = V6.replace("school_en_ouders", "samen_met_ouders")
    text = _variant("steps:\n  school_en_ouders:\n    label: Fase 2\n")
    assert any("staat niet meer in het basisprotocol" in p for p in _problems(text, v6))
    with pytest.raises(ProtocolError) as caught:  # other problems remain; this one is not raised again
        load_protocol_text(text, "v.yaml", _resolver(v6), stored=True)
    assert not any("staat niet meer" in p.message for p in caught.value.problems)


def test_rebasing_changes_only_the_base_version() -> None:
    text = _variant("steps: {}\n", 5)
    assert on_base_version(text, "v.yaml", 6) == text.replace("version: 5}", "version: 6}")
