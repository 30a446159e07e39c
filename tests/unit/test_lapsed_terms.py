"""A term whose moment passes lapses: a remedy's term is ``verstreken`` (no filing came and
nobody is late), any other term ``verlopen``. The guards and the case page (``status_at``)
and the worker (``Decider.expiry``) ask the deadline, so they cannot disagree."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from engine.case import Deadline, DeadlineStatus
from engine.events import EventType
from engine.protocol.loader import load_protocol_file
from tests.unit.test_declared_inputs import DECIDER, case_in
from tests.unit.test_terms_follow_the_act import DUE_23_11, deadline

GEDRAG = load_protocol_file(Path(__file__).parents[2] / "protocols" / "grensoverschrijdend-gedrag.yaml")
REMEDY_TERM = deadline("bezwaartermijn_schorsing", "timer", step="rechtsmiddel:bezwaar_schorsing")
DECISION_DUTY = deadline("beslissing_op_bezwaar_awb", "obligation", step="rechtsmiddel:bezwaar_verwijdering")


@pytest.mark.parametrize(
    ("kind", "step", "lapsed"),
    [
        ("timer", "rechtsmiddel:bezwaar_schorsing", "verstreken"),
        ("timer", "vastgelegd", "verlopen"),
        ("obligation", "rechtsmiddel:bezwaar_verwijdering", "verlopen"),  # deciding on a filing can be late
        ("obligation", "vastgelegd", "verlopen"),
    ],
)
def test_only_a_remedys_term_passes_every_other_term_is_overdue(kind: str, step: str, lapsed: str) -> None:
    term = deadline("termijn", kind, step=step)
    assert term.lapsed_status() == lapsed
    assert term.status_at(DUE_23_11 - timedelta(microseconds=1)) == DeadlineStatus.OPEN
    assert term.status_at(DUE_23_11) == lapsed


@pytest.mark.parametrize(
    ("term", "recorded"), [(REMEDY_TERM, EventType.TIMER_FIRED), (DECISION_DUTY, EventType.OVERDUE)]
)
def test_the_worker_records_the_lapse_the_case_page_shows(term: Deadline, recorded: str) -> None:
    case = case_in(GEDRAG, GEDRAG.spec.initial, {term.key: term})
    event = DECIDER.expiry(GEDRAG, case, term, DUE_23_11)
    assert event.type == recorded
    assert event.data["deadlines"] == [{"key": term.key, "status": term.status_at(DUE_23_11)}]
