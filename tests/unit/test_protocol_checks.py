"""The meaning checks (engine/protocol/checks/) run in a fixed order: a problem found by an
earlier check comes first when two share a position, and the list is cut at the first 100."""

from __future__ import annotations

import textwrap

from engine.protocol.checks import check_meaning
from engine.protocol.schema import ProtocolSpec
from engine.protocol.yamlsource import read_yaml

# One mistake (or a few) for each check, in the file's order rather than the checks'.
MISTAKES = textwrap.dedent(
    """\
    id: mini
    version: 1
    title: Mini
    source: test
    roles:
      leerkracht: {label: Leerkracht}
      systeem: {label: Systeem}
    identity: {visible_to: [melder]}
    need_to_know: {}
    inputs:
      gesprek: {type: tekst, label: Gesprek, future: true}
    initial: begin
    steps:
      begin:
        label: Begin
        timers:
          - {id: klaar, label: Wachten, after: 2 weken, basis: test, on_expiry: {fire: klaar}}
      eind:
        label: Eind
        final: true
    transitions:
      - {trigger: klaar, label: Klaar, from: begin, to: nergens, roles: [leerkracht]}
    letters:
      brief: {label: Brief, template: brief, steps: [weg], roles: [leerkracht]}
    retention:
      after: 52 weken
      basis: test
      decisions: {after: 52 weken, basis: test}
    remedies:
      bezwaar:
        label: Bezwaar
        kind: bezwaar
        basis: test
        term: {id: bezwaartermijn, label: Bezwaartermijn, after: 6 weken, basis: test}
        filed_by: indienen
        filed_on: ontvangen
        decision: []
    """
)


def test_the_checks_report_in_their_order() -> None:
    located, problems = read_yaml(MISTAKES, "p.yaml")
    assert not problems
    found = [str(p) for p in check_meaning(ProtocolSpec.model_validate(located.data), located)]
    assert found == [
        "p.yaml:7:3: 'systeem' is gereserveerd voor timers",  # roles and initial
        "p.yaml:11:50: 'future' hoort alleen bij type 'datum'",  # inputs
        "p.yaml:8:25: onbekende rol 'melder'; bekend: leerkracht, systeem",  # identity
        "p.yaml:22:53: onbekende stap 'nergens'; bekend: begin, eind",  # transitions
        "p.yaml:17:14: id 'klaar' is ook de naam van een actie",  # steps
        "p.yaml:24:50: onbekende stap 'weg'; bekend: begin, eind",  # letters
        "p.yaml:28:14: noem bij 'facts' of 'actions' waaraan een besluit te herkennen is",  # retention
        "p.yaml:34:11: 'binnenkomst' is geen invoerveld van type datum",  # remedies
        "p.yaml:35:15: 'indienen' moet een actie zonder 'to' zijn (het indienen vastleggen)",
        "p.yaml:36:15: 'ontvangen' is geen invoerveld van type datum",
        "p.yaml:37:15: een rechtsmiddel heeft minstens één beslisplicht",
        "p.yaml:11:3: geen actie of brief legt invoerveld 'gesprek' vast; noem het bij 'requires' of 'accepts' "
        "van de actie die het vastlegt (of bij 'asks' van een brief), of haal het weg",  # recordable
        "p.yaml:9:15: noem 'channel' (het kanaal dat de melder koos), 'concerns' (wie de melding betreft) "
        "of beide",  # need to know; the graph is not checked while anything else is wrong
    ]


def test_the_loader_still_exports_what_it_did() -> None:
    from engine.protocol import loader

    for name in ("DEADLINE_STATUSES", "RESERVED_TRIGGERS", "answer_trigger", "compile_protocol", "content_hash"):
        assert hasattr(loader, name), name
    assert loader.answer_trigger("besluit", "ja") == "besluit:ja"
