"""engine/decisions.py decides what an action, an obligation or an expiry records: tested
directly, on the test protocol (tests/protocols/proef.yaml) and a calendar without holidays.

Dates worked out by hand: the case opens on Mon 23-03-2026. "5 werkdagen" from it ends on
Mon 30-03 (Tue, Wed, Thu, Fri, Mon); summer time starts on Sun 29-03, so its due moment, the
end of that day in Amsterdam, is 2026-03-30T22:00Z. "1 dag" ends on Tue 24-03, still winter
time: due at 2026-03-24T23:00Z.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from engine.case import Case, DeadlineStatus, apply
from engine.decisions import CLOCK_DRIFT, Act, recording_moment
from engine.errors import (
    CaseClosed,
    ClockBehind,
    GuardFailed,
    InputError,
    MissingInput,
    PermissionDenied,
    TransitionNotAllowed,
    UndeclaredInput,
)
from engine.events import EventType
from engine.protocol.loader import load_protocol_file
from engine.protocol.model import SYSTEM_ROLE
from tests.conftest import PROEF
from tests.unit.test_declared_inputs import DECIDER, NOW, case_in

PROTOCOL = load_protocol_file(PROEF)


def act(role: str = "leerkracht", *, now: datetime = NOW, effective: datetime | None = None) -> Act:
    return Act(f"iemand.{role}", role, now, effective or now)


def reported(ernst: str = "licht", *, at: datetime = NOW) -> Case:
    """The case after the leerkracht's report, in step onderzoek with its two terms running."""
    case = case_in(PROTOCOL, "melding")
    return apply(case, DECIDER.action(PROTOCOL, case, "melden", act(now=at), {"ernst": ernst}))


def schedules(event_data: dict[str, object]) -> dict[str, dict[str, str]]:
    changes = event_data["deadlines"]
    assert isinstance(changes, list)
    return {c["schedule"]["id"]: c["schedule"] for c in changes if "schedule" in c}


# --- an action --------------------------------------------------------------------


def test_a_transition_records_the_move_its_inputs_and_the_terms_of_the_step_it_enters() -> None:
    case = case_in(PROTOCOL, "melding")
    event = DECIDER.action(PROTOCOL, case, "melden", act(), {"ernst": "licht"})
    assert (event.type, event.trigger, event.from_step, event.to_step) == (
        EventType.TRANSITION,
        "melden",
        "melding",
        "onderzoek",
    )
    assert event.inputs == {"ernst": "licht"} and event.role == "leerkracht"
    assert (event.seq, event.prev_hash) == (case.seq + 1, case.last_hash)
    assert event.hash == event.compute_hash() and event.record is not None
    terms = schedules(event.data)
    assert terms["onderzoek_termijn"]["due_date"] == "2026-03-30"
    assert terms["onderzoek_termijn"]["due_at"] == "2026-03-30T22:00:00+00:00"
    assert terms["ouders_geinformeerd"]["due_at"] == "2026-03-24T23:00:00+00:00"
    assert event.data["final"] is False


def test_a_term_runs_from_the_moment_of_the_act_not_from_when_it_is_recorded() -> None:
    case = case_in(PROTOCOL, "melding")
    three_days_later = NOW + timedelta(days=3)
    dated_back = DECIDER.action(PROTOCOL, case, "melden", act(now=three_days_later, effective=NOW), {"ernst": "licht"})
    assert dated_back.recorded_at == three_days_later and dated_back.effective_at == NOW
    term = schedules(dated_back.data)["ouders_geinformeerd"]
    assert (term["start_date"], term["due_date"]) == ("2026-03-23", "2026-03-24")
    recorded_then = DECIDER.action(PROTOCOL, case, "melden", act(now=three_days_later), {"ernst": "licht"})
    assert schedules(recorded_then.data)["ouders_geinformeerd"]["due_date"] == "2026-03-27"


def test_a_guard_refuses_and_names_its_condition() -> None:
    light = reported("licht")
    inputs = {"motivering": "slaan", "akkoord_directeur": "ja"}
    with pytest.raises(GuardFailed) as refused:
        DECIDER.action(PROTOCOL, light, "direct_maatregel", act("directeur"), inputs)
    assert "ernst" in refused.value.fields["condition"]
    assert "direct_maatregel" not in refused.value.fields["allowed"]
    serious = reported("ernstig")
    event = DECIDER.action(PROTOCOL, serious, "direct_maatregel", act("directeur"), inputs)
    assert event.to_step == "maatregel"


def test_an_undeclared_input_is_refused_whatever_the_facts() -> None:
    case = case_in(PROTOCOL, "melding")
    with pytest.raises(UndeclaredInput) as refused:
        DECIDER.action(PROTOCOL, case, "melden", act(), {"ernst": "licht", "akkoord_directeur": "ja"})
    assert refused.value.fields["field"] == "akkoord_directeur"
    with pytest.raises(InputError) as unknown:
        DECIDER.action(PROTOCOL, case, "melden", act(), {"ernst": "licht", "bestaat_niet": "x"})
    assert unknown.value.fields["field"] == "bestaat_niet"


def test_a_required_input_a_role_or_a_step_that_does_not_fit_is_refused() -> None:
    case = case_in(PROTOCOL, "melding")
    with pytest.raises(MissingInput) as missing:
        DECIDER.action(PROTOCOL, case, "melden", act(), {})
    assert missing.value.fields["field"] == "ernst"
    with pytest.raises(PermissionDenied):
        DECIDER.action(PROTOCOL, case, "melden", act("directeur"), {"ernst": "licht"})
    with pytest.raises(TransitionNotAllowed) as elsewhere:
        DECIDER.action(PROTOCOL, case, "maatregel_voorbij", act("directeur"), {})
    assert not isinstance(elsewhere.value, GuardFailed)
    closed = replace(case, closed=True)
    with pytest.raises(CaseClosed):
        DECIDER.action(PROTOCOL, closed, "melden", act(), {"ernst": "licht"})


def test_leaving_a_step_ends_its_timers_an_overdue_one_as_missed_and_its_obligations_outlive_it() -> None:
    case = reported("ernstig")
    overdue_key = next(k for k, d in case.deadlines.items() if d.id == "onderzoek_termijn")
    case = replace(
        case, deadlines={**case.deadlines, overdue_key: replace(case.deadlines[overdue_key], status=DeadlineStatus.OVERDUE)}
    )
    event = DECIDER.action(
        PROTOCOL, case, "direct_maatregel", act("directeur"), {"motivering": "slaan", "akkoord_directeur": "ja"}
    )
    closed = {c["key"].split("@")[0]: c["status"] for c in event.data["deadlines"] if "status" in c}
    assert closed == {"onderzoek_termijn": DeadlineStatus.MISSED}  # a duty to inform does not lapse
    assert set(schedules(event.data)) == {"einde_maatregel"}
    running = reported("ernstig")
    event = DECIDER.action(
        PROTOCOL, running, "direct_maatregel", act("directeur"), {"motivering": "slaan", "akkoord_directeur": "ja"}
    )
    closed = {c["key"].split("@")[0]: c["status"] for c in event.data["deadlines"] if "status" in c}
    assert closed == {"onderzoek_termijn": DeadlineStatus.CANCELLED}


# --- an obligation ------------------------------------------------------------------


def test_recording_an_obligation_settles_it_and_records_no_facts() -> None:
    case = reported("licht")
    event = DECIDER.action(PROTOCOL, case, "ouders_geinformeerd", act(), {})
    assert event.type == EventType.OBLIGATION and event.to_step is None and event.inputs == {}
    assert event.data["late"] is False
    after = apply(case, event)
    assert after.step == case.step and after.facts == case.facts
    settled = next(d for d in after.deadlines.values() if d.id == "ouders_geinformeerd")
    assert settled.status == DeadlineStatus.FULFILLED and settled.closed_seq == event.seq
    with pytest.raises(UndeclaredInput):
        DECIDER.action(PROTOCOL, case, "ouders_geinformeerd", act(), {"ernst": "ernstig"})


def test_an_obligation_recorded_after_its_term_is_late() -> None:
    case = reported("licht")
    two_days_later = NOW + timedelta(days=2)
    event = DECIDER.action(PROTOCOL, case, "ouders_geinformeerd", act(now=two_days_later), {})
    assert event.data["late"] is True
    assert event.data["deadlines"][0]["status"] == DeadlineStatus.LATE


# --- an expiry ----------------------------------------------------------------------


def test_a_timer_that_only_escalates_makes_its_term_overdue_at_its_due_moment() -> None:
    case = reported("licht")
    term = next(d for d in case.deadlines.values() if d.id == "onderzoek_termijn")
    assert term.due_at is not None
    worker_ran = term.due_at + timedelta(hours=5)
    event = DECIDER.expiry(PROTOCOL, case, term, worker_ran)
    assert event.type == EventType.OVERDUE and (event.actor, event.role) == (SYSTEM_ROLE, SYSTEM_ROLE)
    assert event.effective_at == term.due_at and event.recorded_at == worker_ran
    assert event.data["escalate"] == ["directeur"]
    assert event.data["deadlines"] == [{"key": term.key, "status": DeadlineStatus.OVERDUE}]


def test_a_timer_that_fires_an_action_moves_the_case() -> None:
    case = reported("ernstig")
    case = apply(
        case,
        DECIDER.action(PROTOCOL, case, "direct_maatregel", act("directeur"), {"motivering": "x", "akkoord_directeur": "ja"}),
    )
    term = next(d for d in case.deadlines.values() if d.id == "einde_maatregel")
    assert term.due_at is not None
    event = DECIDER.expiry(PROTOCOL, case, term, term.due_at)
    assert (event.type, event.trigger, event.to_step) == (EventType.TIMER_FIRED, "maatregel_voorbij", "bezwaar")
    after = apply(case, event)
    assert after.step == "bezwaar" and after.deadlines[term.key].status == DeadlineStatus.FIRED
    assert {d.id: d.status for d in after.active_deadlines()} == {
        "bezwaartermijn": DeadlineStatus.OPEN,
        "beslissing_op_bezwaar": DeadlineStatus.WAITING,  # from a date not known yet
        "ouders_geinformeerd": DeadlineStatus.OPEN,
    }


# --- the moment of recording ------------------------------------------------------------


def test_a_clock_a_little_behind_records_at_the_last_moment_and_further_behind_records_nothing() -> None:
    last = datetime(2026, 3, 23, 12, 0, tzinfo=UTC)
    case = replace(case_in(PROTOCOL, "melding"), recorded_at=last)
    assert recording_moment(case, last + timedelta(seconds=1)) == last + timedelta(seconds=1)
    assert recording_moment(case, last - CLOCK_DRIFT) == last
    with pytest.raises(ClockBehind):
        recording_moment(case, last - CLOCK_DRIFT - timedelta(seconds=1))
