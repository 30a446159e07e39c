"""The protocol loader: every kind of mistake is named with file:line:column."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine.errors import ProtocolError
from engine.protocol.loader import load_protocol_text
from tests.conftest import MINIMAL, PROEF


def problems(text: str) -> list[str]:
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(text, "p.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_minimal_protocol_loads() -> None:
    protocol = load_protocol_text(MINIMAL, "p.yaml")
    assert protocol.id == "mini" and len(protocol.content_hash) == 64


def test_the_test_protocol_loads() -> None:
    assert load_protocol_text(PROEF.read_text(encoding="utf-8"), str(PROEF)).version == 1


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("version: 1", "version: [1", "p.yaml:3:6: YAML-fout"),
        ("title: Mini", "title: Mini\nkleur: rood", "p.yaml:4:1: onbekende sleutel 'kleur'"),
        ("version: 1", "version: een", "p.yaml:2:10: 'version' moet een geheel getal zijn"),
        ("final: true", "final: ja", "p.yaml:19:12: 'final' moet true of false zijn (gevonden: 'ja')"),
        ("to: eind", "to: einde", "p.yaml:24:9: onbekende stap 'einde'"),
        ("roles: [leerkracht]", "roles: [concierge]", "p.yaml:25:13: onbekende rol 'concierge'"),
        ("after: 2 weken", "after: 2 wekken", "p.yaml:14:16: onbekende eenheid 'wekken'"),
        ("after: 2 weken", "after: tot het einde van de week", "p.yaml:14:16: 'tot het einde van de week' kan alleen bij een maatregel"),
        (
            "on_expiry: {fire: klaar}",
            "on_expiry: {fire: weg}",
            "p.yaml:16:27: actie 'weg' kan niet vanuit stap 'begin'",
        ),
        ("initial: begin", "initial: start", "p.yaml:7:10: beginstap 'start' bestaat niet"),
        ("  eind:\n", "  begin:\n", "p.yaml:17:3: 'begin' staat hier dubbel (eerder op regel 9)"),
    ],
    ids=[
        "yaml-syntax",
        "unknown-key",
        "wrong-type",
        "yaml11-boolean",
        "unknown-step",
        "unknown-role",
        "bad-duration",
        "week-end-only-for-a-measure",
        "timer-trigger-invalid",
        "unknown-initial",
        "duplicate-id",
    ],
)
def test_mistakes_are_located(old: str, new: str, expected: str) -> None:
    assert old in MINIMAL
    found = problems(MINIMAL.replace(old, new, 1))
    assert any(p.startswith(expected) for p in found), found


def test_unreachable_steps_and_dead_ends() -> None:
    text = MINIMAL + "  - {trigger: verder, label: Verder, from: los, to: eind, roles: [leerkracht]}\n"
    text = text.replace("  eind:\n", "  los:\n    label: Los\n  vast:\n    label: Vast\n  eind:\n")
    found = problems(text)
    assert any(p.startswith("p.yaml:17:3: stap 'los' is vanaf 'begin' niet te bereiken") for p in found), found
    assert any(p.startswith("p.yaml:19:3: stap 'vast' is geen eindstap maar heeft geen uitgang") for p in found), found


def test_every_problem_is_reported_at_once() -> None:
    text = MINIMAL.replace("to: eind", "to: nergens").replace("roles: [leerkracht]", "roles: [niemand]")
    assert len(problems(text)) == 2


def test_yaml11_booleans_stay_text() -> None:
    text = MINIMAL.replace("label: Klaar", "label: ja").replace("title: Mini", "title: no")
    protocol = load_protocol_text(text, "p.yaml")
    assert protocol.spec.title == "no"
    assert protocol.transitions[0].label == "ja"


def test_unknown_input_and_fact_in_guard() -> None:
    text = MINIMAL.replace(
        "roles: [leerkracht]\n", "roles: [leerkracht]\n    requires: [datum_x]\n    when: {fact: ernst, equals: hoog}\n"
    )
    found = problems(text)
    assert any("onbekend invoerveld 'datum_x'" in p for p in found), found
    assert any("onbekend feit 'ernst'" in p for p in found), found


def test_optional_inputs_are_checked_and_offered() -> None:
    text = MINIMAL.replace("roles: [leerkracht]\n", "roles: [leerkracht]\n    accepts: [motivering, toelichting_x]\n")
    found = problems(text)
    assert found == ["p.yaml:26:27: onbekend invoerveld 'toelichting_x'; bekend: motivering"]
    protocol = load_protocol_text(text.replace(", toelichting_x", ""), "p.yaml")
    assert protocol.transitions[0].accepts == ("motivering",) and protocol.transitions[0].requires == ()


def test_the_content_hash_ignores_layout_but_not_meaning() -> None:
    a = load_protocol_text(MINIMAL, "a.yaml")
    reformatted = "# een opmerking\n" + MINIMAL.replace("roles: [leerkracht]", "roles:\n      - leerkracht")
    b = load_protocol_text(reformatted, "b.yaml")
    c = load_protocol_text(MINIMAL.replace("2 weken", "3 weken"), "c.yaml")
    assert a.content_hash == b.content_hash != c.content_hash


def test_not_a_mapping() -> None:
    assert problems("- a\n- b\n")[0].startswith("p.yaml:1:1:")


def test_empty_file() -> None:
    assert problems("")[0].startswith("p.yaml:1:1: het bestand is leeg")
    assert problems("~\n")[0].startswith("p.yaml:1:1: het bestand is leeg")


@pytest.mark.parametrize(
    ("timer", "expected"),
    [
        # a standalone protocol, not a variant: the article it cites sets the limit
        ("after: 4 weken\n        basis: Awb 6:7", "4 weken is korter dan de wettelijke ondergrens van 6 weken (Awb 6:7"),
        ("after: 10 dagen\n        basis: WPO art. 40c", "10 dagen is langer dan de wettelijke bovengrens van 1 week"),
        ("after: 4 maanden\n        basis: AVG art. 12 lid 3", "4 maanden is langer dan de wettelijke bovengrens van 3 maanden"),
        ("after: 8 weken\n        wettelijk: awb_bezwaar\n        basis: eigen regeling", "rekent met de Algemene termijnenwet; zet rule: atw"),
        ("after: 8 weken\n        wettelijk: awb_beroep\n        basis: x", "onbekende wettelijke termijn 'awb_beroep'"),
    ],
)
def test_statutory_terms_bind_every_protocol(timer: str, expected: str) -> None:
    found = problems(MINIMAL.replace("after: 2 weken\n        basis: test", timer, 1))
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(
    "timer",
    [
        "after: 8 weken\n        rule: atw\n        wettelijk: awb_bezwaar\n        basis: eigen regeling",
        "after: 6 weken\n        rule: atw\n        basis: Awb 6:7 en 6:8",
        "after: 3 dagen\n        basis: 'WPO art. 40c lid 3, inspectie'",  # lid 3 is not the week
    ],
)
def test_terms_within_the_law_pass(timer: str) -> None:
    assert load_protocol_text(MINIMAL.replace("after: 2 weken\n        basis: test", timer, 1), "p.yaml")


def test_the_statutory_catalogue_is_documented() -> None:
    from engine.protocol.statutory import CATALOGUE, CATALOGUE_VERSION

    page = (Path(__file__).parents[2] / "docs" / "protocol-format.md").read_text(encoding="utf-8")
    assert f"catalogue version {CATALOGUE_VERSION}" in page
    assert all(f"| `{key}` |" in page for key in CATALOGUE)


@pytest.mark.parametrize(
    ("timer", "expected"),
    [
        ("after: 2 weken\n        times: 3\n        basis: test", "'times' hoort bij een terugkerende timer"),
        ("after: 2 weken\n        every: 1 week\n        rule: atw\n        basis: test", "een terugkerende timer telt in de kalender"),
        ("after: 2 weken\n        every: 1 week\n        until: wacht\n        basis: test", "'wacht' is geen invoerveld van type datum"),
    ],
)
def test_recurrence_mistakes(timer: str, expected: str) -> None:
    found = problems(MINIMAL.replace("after: 2 weken\n        basis: test", timer, 1))
    assert any(expected in p for p in found), found


NEED_TO_KNOW = MINIMAL.replace("    roles: [leerkracht]\n", "    roles: [leerkracht]\n    accepts: [notitie]\n").replace(
    "roles:\n  leerkracht: {label: Leerkracht}\n",
    textwrap.dedent(
        """\
        roles:
          leerkracht: {label: Leerkracht}
          melder: {label: Melder}
          bestuur: {label: Bestuur}
          toezicht: {label: Toezicht}
        need_to_know:
          channel: kanaal
          channels:
            leerkracht: {roles: [leerkracht, bestuur]}
            toezicht: {roles: [toezicht]}
          concerns: betreft
          stand_in: {bestuur: toezicht}
        inputs:
          kanaal: {type: keuze, label: Kanaal, options: [leerkracht, toezicht]}
          betreft: {type: keuze, label: Betreft, options: [niemand, directeur, bestuur]}
          notitie: {type: tekst, label: Notitie}
        """
    ),
)


def test_need_to_know_loads() -> None:
    rule = load_protocol_text(NEED_TO_KNOW, "p.yaml").spec.need_to_know
    assert rule is not None and rule.opening_facts() == ["kanaal", "betreft"]


def test_need_to_know_leaves_other_protocols_hash_alone() -> None:
    """Added later: a protocol without it keeps the content hash it was stored with."""
    spec = load_protocol_text(MINIMAL, "p.yaml").spec
    assert "need_to_know" not in spec.model_dump(mode="json", by_alias=True)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("channel: kanaal", "channel: notitie", "p.yaml:11:12: 'notitie' is geen invoerveld van type keuze"),
        ("    toezicht: {roles: [toezicht]}\n", "", "p.yaml:13:5: kanaal 'toezicht' (een keuze van 'kanaal') ontbreekt hier"),
        ("toezicht: {roles: [toezicht]}", "elders: {roles: [toezicht]}", "p.yaml:14:5: 'elders' is geen keuze van 'kanaal'"),
        ("[leerkracht, bestuur]}", "[leerkracht, ouder]}", "onbekende rol 'ouder'"),
        ("toezicht: {roles: [toezicht]}", "toezicht: {roles: []}", "noem minstens één rol die meldingen via dit kanaal ziet"),
        ("concerns: betreft", "concerns: kanaal", "p.yaml:15:13: 'kanaal' is geen eigen invoerveld van type keuze"),
        ("[niemand, directeur, bestuur]", "[niemand, De Directeur, bestuur]", "keuze 'De Directeur' is geen rolnaam"),
        ("stand_in: {bestuur: toezicht}", "stand_in: {bestuur: ouder}", "p.yaml:16:23: 'ouder' is geen andere rol"),
        ("stand_in: {bestuur: toezicht}", "stand_in: {leerling: toezicht}", "p.yaml:16:14: 'leerling' is geen keuze van 'concerns'"),
        ("concerns: betreft", "concerns: betreft\n  wie: iedereen", "p.yaml:16:3: onbekende sleutel 'wie'"),
        (
            "    accepts: [notitie]\n",
            "    accepts: [notitie, kanaal]\n",
            "'kanaal' wordt bij het openen van de zaak vastgelegd (need_to_know) en kan niet later worden gewijzigd",
        ),
    ],
)
def test_need_to_know_mistakes_are_located(old: str, new: str, expected: str) -> None:
    text = NEED_TO_KNOW.replace(old, new)
    assert text != NEED_TO_KNOW
    found = problems(text)
    assert any(expected in p for p in found), found


CONCERNS_ONLY = NEED_TO_KNOW.replace(
    textwrap.dedent(
        """\
        need_to_know:
          channel: kanaal
          channels:
            leerkracht: {roles: [leerkracht, bestuur]}
            toezicht: {roles: [toezicht]}
          concerns: betreft
        """
    ),
    textwrap.dedent(
        """\
        need_to_know:
          concerns: betreft
        """
    ),
).replace("  kanaal: {type: keuze, label: Kanaal, options: [leerkracht, toezicht]}\n", "")


def test_need_to_know_without_a_channel_loads() -> None:
    """The concerns-only form (the Wbk protocol): no channel, only whom the report concerns."""
    assert CONCERNS_ONLY != NEED_TO_KNOW and "channel" not in CONCERNS_ONLY
    rule = load_protocol_text(CONCERNS_ONLY, "p.yaml").spec.need_to_know
    assert rule is not None and rule.channel is None and rule.opening_facts() == ["betreft"]
    assert rule.stand_in == {"bestuur": "toezicht"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  concerns: betreft\n  stand_in: {bestuur: toezicht}\n", "  stand_in: {bestuur: toezicht}\n", "noem 'channel'"),
        ("  concerns: betreft\n", "  concerns: betreft\n  channels:\n    x: {roles: [toezicht]}\n", "'channels' hoort bij 'channel'"),
        ("  concerns: betreft\n", "  concerns: notitie\n", "'notitie' is geen eigen invoerveld van type keuze"),
        ("    accepts: [notitie]\n", "    accepts: [notitie, betreft]\n", "'betreft' wordt bij het openen van de zaak vastgelegd"),
    ],
)
def test_need_to_know_without_a_channel_mistakes_are_located(old: str, new: str, expected: str) -> None:
    text = CONCERNS_ONLY.replace(old, new)
    assert text != CONCERNS_ONLY
    found = problems(text)
    assert any(expected in p and p.startswith("p.yaml:") for p in found), found


LETTER_TO_MELDER = CONCERNS_ONLY.replace(
    "need_to_know:\n",
    textwrap.dedent(
        """\
        identity:
          visible_to: [toezicht]
        letters:
          brief:
            label: Brief aan de melder
            template: standpunt
            steps: [begin]
            roles: [toezicht]
            to: melder
        need_to_know:
        """
    ),
)


def test_a_letter_to_the_melder_loads_when_only_roles_that_know_the_melder_make_it() -> None:
    letter = load_protocol_text(LETTER_TO_MELDER, "p.yaml").spec.letters["brief"]
    assert letter.to == "melder"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    roles: [toezicht]\n    to: melder", "    roles: [toezicht, leerkracht]\n    to: melder", "'leerkracht' mag de melder niet kennen"),
        ("identity:\n  visible_to: [toezicht]\n", "", "een brief aan de melder hoort bij een protocol dat de identiteit beschermt"),
        ("to: melder", "to: ouders", "p.yaml:"),
    ],
)
def test_letter_to_the_melder_mistakes(old: str, new: str, expected: str) -> None:
    text = LETTER_TO_MELDER.replace(old, new)
    assert text != LETTER_TO_MELDER
    found = problems(text)
    assert any(expected in p for p in found), found


def test_decisions_kept_by_action_name_an_existing_action() -> None:
    retention = textwrap.dedent(
        """\
        retention:
          after: 1 jaar
          basis: test
          decisions: {after: 2 jaren, basis: test, actions: [klaar, schorsen]}
        """
    )
    [problem] = problems(MINIMAL + retention)
    assert "onbekende actie 'schorsen'" in problem
    empty = retention.replace("actions: [klaar, schorsen]", "actions: []")
    assert any("noem bij 'facts' of 'actions'" in p for p in problems(MINIMAL + empty))
    ok = retention.replace(", schorsen", "")
    assert load_protocol_text(MINIMAL + ok, "p.yaml").spec.retention is not None


def test_a_letter_accepts_only_known_inputs_not_also_asked() -> None:
    letters = textwrap.dedent(
        """\
        inputs:
          naam: {type: tekst, label: Naam}
        letters:
          brief:
            label: Brief
            template: schorsing
            steps: [begin]
            roles: [leerkracht]
            asks: [naam]
            accepts: [naam, leeftijd]
        """
    )
    found = problems(MINIMAL + letters)
    assert any("onbekend invoerveld 'leeftijd'" in p for p in found)
    assert any("'naam' staat al bij 'asks'" in p for p in found)
