"""School variants: extends, overrides, removals, and legal limits they may not cross."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from adapters.protocol_files import BUNDLED, ProtocolFiles
from engine.errors import ProtocolError
from engine.protocol.loader import load_protocol_file, load_protocol_text

EXAMPLES = sorted((Path(__file__).parents[2] / "docs" / "examples").glob("*.yaml"))
FILES = ProtocolFiles([BUNDLED])


def variant(body: str) -> str:
    head = "id: gedrag-variant\nversion: 1\nextends: {id: grensoverschrijdend-gedrag, version: 5}\n"
    return head + textwrap.dedent(body)


def problems(text: str) -> list[str]:
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(text, "variant.yaml", FILES)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_load(path: Path) -> None:
    protocol = load_protocol_file(path, FILES)
    assert protocol.id == path.stem


def test_a_variant_overrides_adds_and_keeps_the_rest() -> None:
    protocol = load_protocol_file(Path(__file__).parents[2] / "docs/examples/gedrag-de-linde.yaml", FILES)
    base = load_protocol_file(BUNDLED / "grensoverschrijdend-gedrag.yaml")
    assert protocol.timer_index["einde_time_out"][1].after == "5 schooldagen"
    assert protocol.timer_index["einde_schorsing"][1] == base.timer_index["einde_schorsing"][1]
    assert "nazorg" in protocol.spec.steps
    [timeout] = [t for t in protocol.spec.transitions if t.trigger == "time_out_instellen"]
    assert timeout.roles == ["directeur", "intern_begeleider"] and timeout.requires == [
        "motivering",
        "akkoord_directeur",
        "leerling_blijft_op_school",
        "time_out_duur",
    ]
    assert protocol.spec.inputs["time_out_duur"].options[-2:] == ["5 schooldagen", "tot het einde van de week"]
    assert protocol.content_hash != base.content_hash


def test_a_variant_cannot_shorten_the_bezwaar_term_below_the_law() -> None:
    found = problems(
        variant(
            """\
            remedies:
              bezwaar_verwijdering:
                term:
                  after: 4 weken
            """
        )
    )
    assert found == [
        "variant.yaml:7:14: 4 weken is korter dan de wettelijke ondergrens van 6 weken "
        "(Awb 6:7: de termijn voor bezwaar bedraagt zes weken)"
    ]


def test_a_variant_cannot_lengthen_a_schorsing_or_move_the_limit() -> None:
    found = problems(
        variant(
            """\
            steps:
              schorsing:
                timers:
                  - id: einde_schorsing
                    after: 10 dagen
                    ceiling: {after: 2 weken, basis: eigen regel}
            """
        )
    )
    assert any(
        p.startswith("variant.yaml:9:9: een variant kan de wettelijke grens 'ceiling' niet wijzigen") for p in found
    ), found
    assert any("10 dagen is langer dan de wettelijke bovengrens van 1 week (WPO art. 40c" in p for p in found), found


def test_removing_a_step_that_is_still_used_points_at_the_variant_and_says_the_fix() -> None:
    found = problems(variant("remove:\n  steps: [time_out]\n"))
    assert any(
        p.startswith("variant.yaml:5:11: stap 'time_out' is verwijderd, maar actie 'time_out_instellen' verwijst er nog naar")
        and "verwijder of wijzig dat ook in deze variant" in p
        for p in found
    ), found
    # the base file still shows where it is used
    assert any(p.startswith(f"{BUNDLED / 'grensoverschrijdend-gedrag.yaml'}:") for p in found), found


def test_a_variant_keeps_its_own_transitions_with_one_trigger_apart() -> None:
    protocol = load_protocol_text(
        variant(
            """\
            inputs:
              ernstig: {type: akkoord, label: Ernstig incident}
            transitions:
              - trigger: melding_ouders
                label: Ouders informeren (ernstig)
                from: school_en_ouders
                roles: [directeur]
                requires: [ernstig]
                when: {fact: ernstig, equals: ja}
              - trigger: melding_ouders
                label: Ouders informeren
                from: school_en_ouders
                roles: [directeur]
                when:
                  all:
                    - {fact: ernstig, set: false}
                    - {fact: soort_gedrag, set: true}
            """
        ),
        "variant.yaml",
        FILES,
    )
    kept = [t for t in protocol.spec.transitions if t.trigger == "melding_ouders"]
    assert [t.label for t in kept] == ["Ouders informeren (ernstig)", "Ouders informeren"]


def test_a_variant_replaces_a_guard_whole_and_narrows_by_from() -> None:
    protocol = load_protocol_text(
        variant(
            """\
            transitions:
              - trigger: verwijderen
                from: ouders_horen
                when:
                  all:
                    - {fact: school_sector, equals: vo}
                    - {fact: ouders_gehoord, equals: ja}
            """
        ),
        "variant.yaml",
        FILES,
    )
    guards = [t.when for t in protocol.spec.transitions if t.trigger == "verwijderen"]
    assert all(type(g).__name__ == "AllOf" for g in guards), guards  # both base ones share this from


def test_remove_names_what_it_removes() -> None:
    found = problems(variant("remove:\n  transitions: [toveren]\n"))
    assert found == ["variant.yaml:5:17: 'toveren' staat niet in het basisprotocol"]


def test_an_unknown_base_is_named() -> None:
    text = "id: x\nversion: 1\nextends: {id: bestaat-niet, version: 3}\n"
    assert problems(text) == ["variant.yaml:3:10: basisprotocol bestaat-niet versie 3 is niet gevonden"]


def test_diff_shows_a_variant_step_by_step_and_term_by_term() -> None:
    from engine.protocol.diff import diff_protocols

    base = load_protocol_file(BUNDLED / "grensoverschrijdend-gedrag.yaml")
    variant = load_protocol_file(Path(__file__).parents[2] / "docs/examples/gedrag-de-linde.yaml", FILES)
    lines = [str(c) for c in diff_protocols(base, variant)]
    assert "+ stap nazorg: Nazorg na schorsing" in lines
    assert any(line.startswith("~ termijn einde_time_out: after: 5 dagen → 5 schooldagen") for line in lines)
    assert "~ actie schorsing_beeindigen: to: school_en_ouders → nazorg" in lines
    assert "~ actie time_out_instellen: roles: [directeur] → [directeur, intern_begeleider]" in lines
    assert diff_protocols(base, base) == []
