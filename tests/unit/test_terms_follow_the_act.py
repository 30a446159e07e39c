"""Terms follow the act (issue 23): sending dates, re-issued letters, guards at the act's moment.

Dates worked out by hand: a deadline's due moment is the end of its last day in Amsterdam
(the first instant of the next day), so a term ending Mon 23-11-2026 is due at
2026-11-24T00:00+01:00 = 2026-11-23T23:00Z.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.case import Deadline, DeadlineStatus, apply
from engine.decisions import Act, Draft
from engine.errors import GuardFailed, ProtocolError
from engine.events import Event, EventType
from engine.protocol.loader import load_protocol_file, load_protocol_text
from engine.views import actions_for, deadline_moves
from tests.unit.test_declared_inputs import DECIDER, case_in

BUNDLED = Path(__file__).parents[2] / "protocols"
DUE_23_11 = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # end of Mon 23-11-2026 in Amsterdam


def deadline(id_: str, kind: str, status: str = DeadlineStatus.OPEN, **extra: object) -> Deadline:
    fields: dict[str, object] = {
        "key": f"{id_}@2",
        "id": id_,
        "kind": kind,
        "step": "vastgelegd",
        "label": id_,
        "status": status,
        "basis": "test",
        "rule": "kalender",
        "duration": "6 weken",
        "start": "ontvangen_op",
        "start_date": "2026-10-12",
        "due_date": "2026-11-23",
        "due_at": DUE_23_11,
        **extra,
    }
    return Deadline(**fields)  # type: ignore[arg-type]


# --- guards at the act's moment ------------------------------------------------------


def test_an_open_term_counts_as_passed_from_its_due_moment_on() -> None:
    d = deadline("standpunt_binnen_zes_weken", "obligation")
    case = replace(
        case_in(load_protocol_file(BUNDLED / "klokkenluidersregeling-2016.yaml"), "onderzoek"), deadlines={d.key: d}
    )
    assert case.guard_facts()["standpunt_binnen_zes_weken"] == "open"  # as stored
    assert case.guard_facts(DUE_23_11.replace(minute=0, hour=22))["standpunt_binnen_zes_weken"] == "open"
    assert case.guard_facts(DUE_23_11)["standpunt_binnen_zes_weken"] == "verlopen"  # at the moment itself
    done = replace(d, status=DeadlineStatus.FULFILLED)
    assert replace(case, deadlines={d.key: done}).guard_facts(DUE_23_11)["standpunt_binnen_zes_weken"] == "vervuld"


def test_a_late_postponement_is_refused_and_external_reporting_allowed_without_the_worker() -> None:
    protocol = load_protocol_file(BUNDLED / "klokkenluidersregeling-2016.yaml")
    d = deadline("standpunt_binnen_zes_weken", "obligation")
    case = replace(case_in(protocol, "onderzoek"), deadlines={d.key: d}, facts={"ontvangen_op": "2026-10-12"})
    late = datetime(2026, 12, 17, 9, 0, tzinfo=UTC)  # 24 days after 23-11-2026
    act = Act("dhr.bestuur", "bevoegd_gezag", late, late)
    with pytest.raises(GuardFailed):
        DECIDER.action(
            protocol, case, "standpunt_uitstellen", act, {"motivering": "te laat", "nieuwe_termijn": "2027-01-29"}
        )
    assert "standpunt_uitstellen" not in [a.trigger for a in actions_for(protocol, case, "bevoegd_gezag", late)]
    assert "standpunt_uitstellen" in [a.trigger for a in actions_for(protocol, case, "bevoegd_gezag")]  # stored
    melder = Act("melder", "melder", late, late)
    event = DECIDER.action(protocol, case, "extern_melden", melder, {"motivering": "geen standpunt"})
    assert event.to_step == "extern_gemeld"


def test_an_act_dated_within_the_term_but_recorded_after_it_is_in_time_and_says_so() -> None:
    protocol = load_protocol_file(BUNDLED / "klokkenluidersregeling-2016.yaml")
    d = deadline("standpunt_binnen_zes_weken", "obligation")
    case = replace(case_in(protocol, "onderzoek"), deadlines={d.key: d})
    dated = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    recorded = datetime(2026, 12, 17, 9, 0, tzinfo=UTC)
    event = DECIDER.action(
        protocol,
        case,
        "standpunt_uitstellen",
        Act("b", "bevoegd_gezag", recorded, dated),
        {"motivering": "m", "nieuwe_termijn": "2027-01-29"},
    )
    change = next(c for c in event.data["deadlines"] if c.get("key") == d.key)
    assert change == {"key": d.key, "status": "vervuld", "recorded_after_due": True}
    in_time = DECIDER.action(
        protocol,
        case,
        "standpunt_uitstellen",
        Act("b", "bevoegd_gezag", dated, dated),
        {"motivering": "m", "nieuwe_termijn": "2027-01-29"},
    )
    assert "recorded_after_due" not in next(c for c in in_time.data["deadlines"] if c.get("key") == d.key)


def test_a_quiet_timer_passed_before_leaving_its_step_is_missed_not_cancelled() -> None:
    """The bezwaartermijn only escalates; its moment passed before the case moved on, so
    it is shown as missed whether or not the worker recorded it first."""
    protocol = load_protocol_file(BUNDLED / "grensoverschrijdend-gedrag.yaml")
    timer = replace(deadline("bezwaartermijn_schorsing", "timer"), step="schorsing")
    case = replace(case_in(protocol, "schorsing"), deadlines={timer.key: timer})
    after, before = DUE_23_11.replace(day=24), DUE_23_11.replace(day=20)
    for moment, status in ((after, DeadlineStatus.MISSED), (before, DeadlineStatus.CANCELLED)):
        event = DECIDER.action(protocol, case, "schorsing_beeindigen", Act("d", "directeur", moment, moment), {})
        assert {"key": timer.key, "status": status} in event.data["deadlines"]


# --- sending dates ---------------------------------------------------------------------

LETTER = textwrap.dedent(
    """\
    id: brief
    version: 1
    title: Brief
    source: test
    roles:
      directeur: {label: Directeur}
    inputs:
      verzonden_op: {type: datum, future: true, dispatch: true, label: Verzonden op}
    initial: begin
    steps:
      begin: {label: Begin}
      eind: {label: Eind, final: true}
    letters:
      besluit: {label: Besluit, template: besluit, steps: [begin], roles: [directeur], asks: [verzonden_op]}
    transitions:
      - {trigger: klaar, label: Klaar, from: begin, to: eind, roles: [directeur]}
    """
)


def problems(text: str) -> list[str]:
    with pytest.raises(ProtocolError) as caught:
        load_protocol_text(text, "p.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_sending_date_is_a_datum_asked_by_a_letter_and_recorded_by_no_action() -> None:
    assert load_protocol_text(LETTER, "p.yaml").inputs()["verzonden_op"].dispatch
    assert any(
        "hoort alleen bij type 'datum'" in p
        for p in problems(LETTER.replace("{type: datum, future: true, dispatch: true", "{type: tekst, dispatch: true"))
    )
    assert any(
        "geen brief vraagt 'verzonden_op'" in p
        for p in problems(
            LETTER.replace("asks: [verzonden_op]", "asks: []").replace(
                "roles: [directeur]}\n", "roles: [directeur], requires: [verzonden_op]}\n"
            )
        )
    )
    recorded = LETTER.replace("roles: [directeur]}\n", "roles: [directeur], requires: [verzonden_op]}\n")
    assert any("niet een actie (klaar)" in p for p in problems(recorded))


def test_dispatch_leaves_the_content_hash_of_protocols_without_it_alone() -> None:
    """The new key is left out of the canonical form when unset: stored protocols keep their hash."""
    without = load_protocol_text(LETTER.replace(", dispatch: true", ""), "p.yaml")
    assert '"dispatch"' not in without.spec.model_dump_json(by_alias=True, exclude_none=False)


@pytest.mark.parametrize(
    ("protocol_id", "name"),
    [
        ("grensoverschrijdend-gedrag", "schorsingsbesluit_verzonden_op"),
        ("grensoverschrijdend-gedrag", "verwijderingsbesluit_verzonden_op"),
        ("inzageverzoek", "besluit_verzonden_op"),
    ],
)
def test_the_bundled_decision_letters_mark_their_sending_date(protocol_id: str, name: str) -> None:
    protocol = load_protocol_file(BUNDLED / f"{protocol_id}.yaml")
    assert protocol.inputs()[name].dispatch
    received = [n for n, spec in protocol.inputs().items() if n.endswith("ontvangen_op")]
    assert received and not any(protocol.inputs()[n].dispatch for n in received)


# --- a letter sent again -----------------------------------------------------------------


def test_sending_again_moves_running_terms_and_leaves_met_ones() -> None:
    """Removal decision first sent Thu 3-12-2026, sent again Wed 9-12-2026: the bezwaartermijn
    (6 weken, Atw) runs 10-12-2026 .. Wed 20-1-2027; the Awb 7:10 duty (12 weken) to Wed 3-3-2027.
    A met obligation and one still waiting are not touched."""
    protocol = load_protocol_file(BUNDLED / "grensoverschrijdend-gedrag.yaml")
    first = {"start": "verwijderingsbesluit_verzonden_op", "start_date": "2026-12-03", "step": "andere_school_zoeken"}
    timer = replace(
        deadline("bezwaartermijn", "timer", due_date="2027-01-14", **first), target_date="2027-01-13"
    )  # as if the Atw had extended it: the target goes
    duty = replace(
        deadline("beslissing_op_bezwaar_awb", "obligation", due_date="2027-02-25", **first),
        key="beslissing_op_bezwaar_awb@3",
        duration="12 weken",
    )
    met = replace(duty, key="beslissing_op_bezwaar_awb@1", status=DeadlineStatus.FULFILLED)
    waiting = replace(
        deadline("beslissing_op_bezwaar", "obligation", status=DeadlineStatus.WAITING),
        start="bezwaar_ontvangen_op",
        start_date=None,
        due_date=None,
        due_at=None,
    )
    case = replace(case_in(protocol, "andere_school_zoeken"), deadlines={d.key: d for d in (timer, duty, met, waiting)})
    changes = DECIDER.scheduler.follow_dispatch(protocol, case, {"verwijderingsbesluit_verzonden_op": "2026-12-09"})
    moved = {c["key"]: (c["moved"]["due_date"], c["due_date"], c["status"]) for c in changes}
    assert moved == {
        timer.key: ("2027-01-14", "2027-01-20", "open"),
        duty.key: ("2027-02-25", "2027-03-03", "open"),
    }
    assert all(c["target_date"] is None for c in changes)
    assert DECIDER.scheduler.follow_dispatch(protocol, case, {"verwijderingsbesluit_verzonden_op": "2026-12-03"}) == []

    event = DECIDER.seal(protocol, case, Act("r", "bevoegd_gezag", DUE_23_11, DUE_23_11), _letter_draft(changes))
    after = apply(replace(case, seq=event.seq - 1), event)
    assert after.deadlines[timer.key].due_date == "2027-01-20" and after.deadlines[timer.key].target_date is None
    assert after.deadlines[met.key] == met and after.deadlines[waiting.key] == waiting
    assert deadline_moves(protocol, event) == [
        "termijn verplaatst door nieuwe verzending: Einde bezwaartermijn van 14 januari 2027 naar 20 januari 2027",
        "termijn verplaatst door nieuwe verzending: Beslissing op het bezwaarschrift (openbaar onderwijs) "
        "van 25 februari 2027 naar 3 maart 2027",
    ]


def _letter_draft(changes: list[dict[str, object]]) -> Draft:
    data = {
        "letter": "besluit_verwijdering",
        "template": "t",
        "sha256_html": "",
        "sha256_pdf": "",
        "deadlines": changes,
    }
    return Draft(EventType.LETTER, values={"verwijderingsbesluit_verzonden_op": "2026-12-09"}, data=data)


def test_events_without_moves_show_none() -> None:
    protocol = load_protocol_file(BUNDLED / "grensoverschrijdend-gedrag.yaml")
    event = Event(
        "z",
        1,
        "transition",
        DUE_23_11,
        DUE_23_11,
        "a",
        "r",
        None,
        None,
        None,
        "h",
        "c",
        data={"deadlines": [{"key": "x@1", "status": "open"}]},
    )
    assert deadline_moves(protocol, event) == []
