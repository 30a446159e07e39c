"""An action records only what it declares (issue 22): for every action of every bundled
protocol, in every step it starts from and for every role that may take it, an input that
another action declares is refused before anything is decided, whatever the case's facts.
So no role can write a fact (a melder's consent, an approval, "standpunt betwist") through
an action that does not ask for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from engine.case import Case, Deadline, DeadlineStatus
from engine.decisions import Act, Decider
from engine.errors import ProtocolError, RecordedByAction, UndeclaredInput
from engine.events import GENESIS
from engine.protocol.loader import load_protocol_file, load_protocol_text
from engine.protocol.model import Protocol

BUNDLED = sorted((Path(__file__).parents[2] / "protocols").glob("*.yaml"))
NOW = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class NoHolidays:
    def version(self, school: str) -> str:
        return "test"

    def is_feestdag(self, day: date) -> bool:
        return False

    def is_school_holiday(self, day: date, school: str) -> bool:
        return False


DECIDER = Decider(NoHolidays())


def case_in(protocol: Protocol, step: str, deadlines: dict[str, Deadline] | None = None) -> Case:
    return Case(
        id="z1",
        protocol_id=protocol.spec.id,
        protocol_version=protocol.spec.version,
        protocol_hash=protocol.content_hash,
        school="de-linde",
        subject="Leerling-Test",
        step=step,
        group=None,
        closed=False,
        facts={},
        seq=1,
        last_hash=GENESIS,
        opened_at=NOW,
        updated_at=NOW,
        deadlines=deadlines or {},
        opened_by="juf.anna",
    )


def recorded_by_others(protocol: Protocol, declared: set[str]) -> list[str]:
    """The inputs some action or letter records that this action does not declare."""
    others = {name for t in protocol.transitions for name in t.declared()}
    others |= {name for letter in protocol.spec.letters.values() for name in (*letter.asks, *letter.accepts)}
    return sorted(others - declared)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_action_refuses_an_input_of_another_action(path: Path) -> None:
    protocol = load_protocol_file(path)
    tried = 0
    for t in protocol.transitions:
        for step in t.sources:
            for role in sorted(t.roles):
                permitted = [c for c in protocol.candidates(step, t.trigger) if role in c.roles]
                declared = {name for c in permitted for name in c.declared()}
                for extra in recorded_by_others(protocol, declared):
                    act = Act("iemand", role, NOW, NOW)
                    with pytest.raises(UndeclaredInput) as refused:
                        DECIDER.action(protocol, case_in(protocol, step), t.trigger, act, {extra: "ja"})
                    assert refused.value.fields["field"] == extra
                    assert extra in refused.value.message
                    tried += 1
    assert tried > 0, "no action of this protocol was tried"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_recording_an_obligation_records_no_input(path: Path) -> None:
    protocol = load_protocol_file(path)
    for step_id, step in protocol.spec.steps.items():
        for obligation in step.obligations:
            due = Deadline(
                key=f"{obligation.id}@1",
                id=obligation.id,
                kind="obligation",
                step=step_id,
                label=obligation.label,
                status=DeadlineStatus.OPEN,
                basis="",
                rule="",
                duration="",
                start="binnenkomst",
            )
            case = case_in(protocol, step_id, {due.key: due})
            extra = recorded_by_others(protocol, set())[0]
            for role in obligation.roles:
                with pytest.raises((UndeclaredInput, RecordedByAction)):
                    DECIDER.action(protocol, case, obligation.id, Act("iemand", role, NOW, NOW), {extra: "ja"})


def test_a_declared_input_is_still_recorded() -> None:
    """The rule refuses only what is not declared: the consent action records consent."""
    protocol = load_protocol_file(next(p for p in BUNDLED if p.stem == "klokkenluidersregeling-2016"))
    act = Act("mevr.vp", "vertrouwenspersoon", NOW, NOW)
    event = DECIDER.action(
        protocol, case_in(protocol, "vastgelegd"), "identiteit_vrijgeven", act, {"identiteit_delen": "ja"}
    )
    assert event.inputs == {"identiteit_delen": "ja"}


ORPHAN = """\
id: wees
version: 1
title: Een veld zonder actie
source: test
roles:
  leerkracht: {label: Leerkracht}
inputs:
  ernst: {type: keuze, options: [licht, ernstig], label: Ernst}
  geheim_akkoord: {type: akkoord, label: Akkoord}
initial: begin
steps:
  begin: {label: Begin}
  eind: {label: Eind, final: true}
transitions:
  - trigger: klaar
    label: Klaar
    from: begin
    to: eind
    roles: [leerkracht]
    requires: [ernst]
    when: {fact: geheim_akkoord, equals: ja}
"""


def test_the_loader_names_an_input_that_no_action_records() -> None:
    with pytest.raises(ProtocolError) as refused:
        load_protocol_text(ORPHAN, "wees.yaml")
    problems = [str(p) for p in refused.value.problems]
    assert problems == [
        "wees.yaml:9:3: geen actie of brief legt invoerveld 'geheim_akkoord' vast; noem het bij 'requires' "
        "of 'accepts' van de actie die het vastlegt (of bij 'asks' van een brief), of haal het weg"
    ]
