"""engine.case.apply, the projection: a case is what its events recorded, read back and
never recomputed. Events are made by hand here, so each test says exactly what was recorded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from engine.case import COUNT_PREFIX, TRACK_PREFIX, Case, DeadlineStatus, apply, replay
from engine.events import ERASED, GENESIS, Event, EventType

OPENED_AT = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)


def event(case: Case | None, kind: str, **fields: Any) -> Event:
    """The next event of ``case`` (the opening one when None), sealed onto its chain."""
    at = fields.pop("at", OPENED_AT if case is None else case.updated_at + timedelta(hours=1))
    values: dict[str, Any] = {
        "case_id": "z1",
        "seq": 1 if case is None else case.seq + 1,
        "type": kind,
        "recorded_at": fields.pop("recorded_at", at),
        "effective_at": at,
        "actor": "juf.anna",
        "role": "leerkracht",
        "trigger": None,
        "from_step": None if case is None else case.step,
        "to_step": None,
        "protocol_hash": "p1",
        "calendar_version": "test",
        "prev_hash": GENESIS if case is None else case.last_hash,
        **fields,
    }
    return Event(**values).sealed()


def opened(**data: Any) -> Case:
    return apply(
        None,
        event(
            None,
            EventType.OPENED,
            to_step="melding",
            data={"protocol_id": "proef", "protocol_version": 1, "school": "de-linde", "subject": "Leerling-K3", **data},
        ),
    )


def schedule(key: str, kind: str = "timer", **extra: Any) -> dict[str, Any]:
    return {
        "schedule": {
            "key": key,
            "id": key.split("@")[0],
            "kind": kind,
            "step": "onderzoek",
            "label": key,
            "status": DeadlineStatus.OPEN,
            "basis": "test",
            "rule": "kalender",
            "duration": "1 week",
            "start": "binnenkomst",
            "start_date": "2026-03-23",
            "due_date": "2026-03-30",
            "due_at": "2026-03-30T22:00:00+00:00",
            **extra,
        }
    }


def test_the_opening_event_makes_the_case_as_it_recorded_it() -> None:
    case = opened(group="5a", school_context={"school_denominatie": "openbaar"})
    assert (case.id, case.protocol_id, case.protocol_version, case.protocol_hash) == ("z1", "proef", 1, "p1")
    assert (case.school, case.subject, case.group, case.step) == ("de-linde", "Leerling-K3", "5a", "melding")
    assert case.opened_by == "juf.anna"  # a melder sees only the reports they opened
    assert case.facts == {"school_denominatie": "openbaar"}
    assert (case.seq, case.opened_at, case.updated_at, case.closed) == (1, OPENED_AT, OPENED_AT, False)
    assert case.last_hash != GENESIS and len(case.last_hash) == 64


def test_an_event_that_does_not_follow_the_case_is_refused() -> None:
    case = opened()
    follows = event(case, EventType.TRANSITION, trigger="melden", to_step="onderzoek")
    with pytest.raises(ValueError, match="does not follow"):
        apply(case, replace(follows, prev_hash=GENESIS))
    with pytest.raises(ValueError, match="does not follow"):
        apply(case, replace(follows, seq=3))
    with pytest.raises(ValueError, match="opens only once"):
        apply(case, event(None, EventType.OPENED, data={}))
    with pytest.raises(ValueError, match="has not been opened"):
        apply(None, follows)


def test_inputs_become_facts_but_a_motivation_stays_with_its_event() -> None:
    case = opened()
    moved = apply(
        case,
        event(case, EventType.TRANSITION, trigger="melden", to_step="onderzoek", inputs={"ernst": "licht", "motivering": "x"}),
    )
    assert moved.step == "onderzoek" and moved.facts == {"ernst": "licht"}
    stayed = apply(moved, event(moved, EventType.FACTS, trigger="aanvullen", inputs={"ernst": "ernstig"}))
    assert stayed.step == "onderzoek" and stayed.facts == {"ernst": "ernstig"}
    assert stayed.counts == {"melden": 1, "aanvullen": 1}
    assert stayed.guard_facts()[f"{COUNT_PREFIX}melden"] == 1


def test_an_answer_and_a_track_are_recorded_as_facts() -> None:
    case = opened()
    answered = apply(
        case,
        event(
            case,
            EventType.DECISION,
            trigger="beoordeling:gegrond",
            to_step="maatregel",
            data={"answer": {"step": "beoordeling", "answer": "gegrond", "question": "?"}, "tracks": {"ouders": "open"}},
        ),
    )
    assert answered.facts == {"beoordeling": "gegrond", f"{TRACK_PREFIX}ouders": "open"}


def test_deadlines_are_scheduled_and_settled_as_recorded_and_never_recomputed() -> None:
    case = opened()
    scheduled = apply(case, event(case, EventType.TRANSITION, to_step="onderzoek", data={"deadlines": [schedule("termijn@2")]}))
    term = scheduled.deadlines["termijn@2"]
    assert (term.status, term.due_date, term.closed_seq) == (DeadlineStatus.OPEN, "2026-03-30", None)
    assert term.due_at == datetime(2026, 3, 30, 22, 0, tzinfo=UTC)
    moved = {"key": "termijn@2", "status": DeadlineStatus.OPEN, "due_date": "2026-04-02", "due_at": "2026-04-02T22:00:00+00:00"}
    later = apply(scheduled, event(scheduled, EventType.LETTER, data={"deadlines": [moved]}))
    assert later.deadlines["termijn@2"].due_date == "2026-04-02" and later.deadlines["termijn@2"].closed_seq is None
    done = apply(later, event(later, EventType.OVERDUE, data={"deadlines": [{"key": "termijn@2", "status": "verlopen"}]}))
    assert done.deadlines["termijn@2"].closed_seq is None  # overdue is still active
    met = apply(done, event(done, EventType.OBLIGATION, data={"deadlines": [{"key": "termijn@2", "status": "vervuld"}]}))
    assert (met.deadlines["termijn@2"].status, met.deadlines["termijn@2"].closed_seq) == ("vervuld", met.seq)
    assert met.deadlines["termijn@2"].due_date == "2026-04-02"


def test_a_fact_dated_back_does_not_move_the_case_back_in_time_and_closing_is_dated() -> None:
    case = opened()
    moved = apply(case, event(case, EventType.TRANSITION, to_step="onderzoek", at=OPENED_AT + timedelta(days=2)))
    back = apply(moved, event(moved, EventType.FACTS, at=OPENED_AT + timedelta(days=1)))
    assert back.updated_at == OPENED_AT + timedelta(days=2)
    assert back.recorded_at == OPENED_AT + timedelta(days=1)  # when it was recorded, as recorded
    closing_at = OPENED_AT + timedelta(days=3)
    closed = apply(back, event(back, EventType.TRANSITION, to_step="afgesloten", data={"final": True}, at=closing_at))
    assert closed.closed and closed.closed_at == closing_at


def test_anonymisation_erases_the_pseudonym_free_text_facts_and_the_opener() -> None:
    case = opened()
    case = apply(case, event(case, EventType.FACTS, inputs={"toelichting": "Piet sloeg", "ernst": "licht"}))
    anonymised = apply(
        case, event(case, EventType.ANONYMISED, data={"erased_facts": ["toelichting"], "erased_actors": True})
    )
    assert anonymised.subject == ERASED and anonymised.opened_by == ERASED
    assert anonymised.facts == {"toelichting": ERASED, "ernst": "licht"}


def test_a_migration_moves_the_case_to_the_other_version() -> None:
    case = opened()
    migrated = apply(case, event(case, EventType.MIGRATED, protocol_hash="p2", data={"to_version": 2}))
    assert (migrated.protocol_version, migrated.protocol_hash) == (2, "p2")
    noted = apply(migrated, event(migrated, EventType.NOTE, protocol_hash="p2"))
    assert noted.protocol_hash == "p2" and noted.counts == {}  # a note is not an action


def test_replay_gives_what_applying_one_by_one_gives() -> None:
    data = {"protocol_id": "proef", "protocol_version": 1, "school": "s", "subject": "L"}
    events = [event(None, EventType.OPENED, to_step="melding", data=data)]
    case = apply(None, events[0])
    for trigger in ("a", "b"):
        events.append(event(case, EventType.FACTS, trigger=trigger, inputs={trigger: "ja"}))
        case = apply(case, events[-1])
    assert replay(events) == case
    with pytest.raises(ValueError):
        replay([])
