"""Yesterday's phone call can be recorded (issue 26, item 4): a note or attachment carries the
moment it happened beside the moment it was recorded. The chain keeps the order of recording;
the timeline orders by what happened; nothing the protocol acts on moves.

The case opens on Mon 02-03-2026 09:00 UTC, 10:00 in Amsterdam (tests.conftest.START).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from engine.clock import FixedClock
from engine.errors import InputError, InvalidEffectiveDate
from engine.events import EventType
from engine.inputs import effective_moment, fact_moment, parse_day
from engine.protocol.loader import load_protocol_file
from engine.terms import AMSTERDAM
from engine.views import timeline
from tests.conftest import PROEF, START
from tests.memory import MemoryStore, memory_engine
from tests.support import Driver, person

IB = person("mevr.smit", "intern_begeleider")
NOTE_LABEL = "Datum van het gesprek of de gebeurtenis"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def trede(clock: FixedClock) -> Driver:
    driver = Driver(memory_engine(clock, store=MemoryStore(sandbox=True)))
    driver.load_protocol(load_protocol_file(PROEF))
    return driver


def opened(trede: Driver, subject: str = "Leerling-K3") -> str:
    return trede.open_case("proef-escalatie", school="de-linde", subject=subject, actor="juf.anna", role="leerkracht").id


def test_yesterdays_call_after_a_later_action_is_recorded_and_shown_before_it(trede: Driver, clock: FixedClock) -> None:
    case_id = opened(trede)
    clock.set(datetime(2026, 3, 4, 10, 0, tzinfo=AMSTERDAM))  # Wednesday: the report is recorded
    trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
    before = trede.show(case_id).case
    clock.set(datetime(2026, 3, 5, 9, 14, tzinfo=AMSTERDAM))  # Thursday: Tuesday's call is written down
    call = datetime(2026, 3, 3, 15, 30, tzinfo=AMSTERDAM)
    after = trede.engine.notes.add_note(IB, case_id, "De moeder belde: het pesten gaat door.", effective=call)

    events = trede.events(case_id)
    note = events[-1]
    assert (note.seq, note.type) == (3, EventType.NOTE)  # the chain: the order of recording
    assert note.effective_at == call and note.recorded_at == clock.now()
    assert '"effective_at":"2026-03-03T14:30:00.000000+00:00"' in (note.record or "")  # in the hashed record
    assert [e.seq for e in timeline(events)] == [1, 3, 2]  # the timeline: the order things happened
    # a note acts in nothing: the same step, deadlines and time of the case
    assert (after.step, after.deadlines, after.updated_at, after.facts) == (
        before.step,
        before.deadlines,
        before.updated_at,
        before.facts,
    )
    assert trede.verify(case_id).ok


@pytest.mark.parametrize(
    ("stated", "says"),
    [
        (date(2026, 3, 1), f"{NOTE_LABEL}: 01-03-2026 ligt vóór de opening van de zaak (02-03-2026 10:00)"),
        (datetime(2026, 3, 2, 9, 30, tzinfo=AMSTERDAM), f"{NOTE_LABEL}: 02-03-2026 09:30 ligt vóór de opening van de zaak"),
        (date(2026, 3, 6), f"{NOTE_LABEL}: 06-03-2026 ligt in de toekomst"),
        (datetime(2026, 3, 5, 18, 0, tzinfo=AMSTERDAM), f"{NOTE_LABEL}: 05-03-2026 18:00 ligt in de toekomst"),
        (datetime(2026, 3, 4, 12, 0), f"{NOTE_LABEL}: geef een tijd met tijdzone"),
    ],
    ids=["day-before-opening", "hour-before-opening", "tomorrow", "tonight", "no-time-zone"],
)
def test_a_moment_before_the_opening_or_in_the_future_is_refused_by_its_label(
    trede: Driver, clock: FixedClock, stated: date | datetime, says: str
) -> None:
    case_id = opened(trede)
    clock.set(datetime(2026, 3, 5, 9, 14, tzinfo=AMSTERDAM))
    with pytest.raises(InvalidEffectiveDate) as refused:
        trede.engine.notes.add_note(IB, case_id, "Gesprek met de vader.", effective=stated)
    assert refused.value.fields["field"] == "effective"
    assert says in refused.value.message
    assert len(trede.events(case_id)) == 1


def test_an_attachment_names_its_own_date(trede: Driver, clock: FixedClock) -> None:
    case_id = opened(trede)
    clock.set(datetime(2026, 3, 5, 9, 14, tzinfo=AMSTERDAM))
    with pytest.raises(InvalidEffectiveDate, match="Datum van het stuk: 27-02-2026 ligt vóór de opening"):
        trede.engine.notes.attach(IB, case_id, name="brief.txt", content=b"Brief van de ouders", effective=date(2026, 2, 27))
    trede.engine.notes.attach(IB, case_id, name="brief.txt", content=b"Brief van de ouders", effective=date(2026, 3, 3))
    letter = trede.events(case_id)[-1]
    assert letter.effective_at == datetime(2026, 3, 3, 12, 0, tzinfo=AMSTERDAM)  # a bare date: noon that day
    assert trede.verify(case_id).ok


def test_a_note_recorded_before_the_worker_ran_does_not_move_the_next_term(trede: Driver, clock: FixedClock) -> None:
    """Back-dating (or just writing) a note while a term has passed must not date the timer's
    action, and so the terms that follow it, later than the term's own end."""
    plain, noted = opened(trede, "Leerling-A1"), opened(trede, "Leerling-B2")
    for case_id in (plain, noted):
        trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "ernstig"})
        trede.fire(
            case_id, "direct_maatregel", actor="dhr.bos", role="directeur", inputs={"motivering": "slaan", "akkoord_directeur": "ja"}
        )
    due = next(d for d in trede.show(noted).case.active_deadlines() if d.id == "einde_maatregel").due_at
    assert due is not None
    clock.set(due + timedelta(days=2))  # the worker did not run
    trede.engine.notes.add_note(IB, noted, "Gesprek met de ouders over de maatregel.")
    trede.engine.notes.add_note(IB, noted, "Eerder telefoontje.", effective=due + timedelta(days=1))
    trede.run_timers()
    fired = {c: next(e for e in trede.events(c) if e.type == EventType.TIMER_FIRED) for c in (plain, noted)}
    assert fired[noted].effective_at == fired[plain].effective_at == due
    terms = {c: {d.id: d.due_date for d in trede.show(c).case.active_deadlines()} for c in (plain, noted)}
    assert terms[noted] == terms[plain] and "bezwaartermijn" in terms[noted]
    assert trede.verify(noted).ok


def test_a_note_written_today_does_not_stop_dating_an_action_back(trede: Driver, clock: FixedClock) -> None:
    """The case's time follows the protocol's acts only: yesterday's decision can still be
    recorded after today's note, as it could before the note."""
    case_id = opened(trede)
    trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
    clock.set(datetime(2026, 3, 4, 16, 0, tzinfo=AMSTERDAM))
    trede.engine.notes.add_note(IB, case_id, "Onderzoek besproken met de leerkracht.")
    case = trede.fire(
        case_id, "onderzoek_afronden", actor="mevr.smit", role="intern_begeleider",
        inputs={"motivering": "afgerond"}, effective=date(2026, 3, 3),
    )
    assert case.step == "beoordeling"
    assert trede.events(case_id)[-1].effective_at == datetime(2026, 3, 3, 12, 0, tzinfo=AMSTERDAM)
    assert trede.verify(case_id).ok


@pytest.mark.parametrize(
    "stated",
    [date(9999, 12, 31), datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))), datetime(9999, 12, 31, 23, 59, tzinfo=timezone(-timedelta(hours=1)))],
    ids=["date-9999", "datetime-0001", "datetime-9999"],
)
def test_a_moment_outside_the_calendar_is_refused_by_its_label_not_an_overflow(stated: date) -> None:
    """A year trede does not reckon with is refused before anything is computed from it; an
    OverflowError would reach the user as a server error."""
    with pytest.raises(InvalidEffectiveDate, match=rf"{NOTE_LABEL}: het jaar {stated.year} kan niet"):
        fact_moment(stated, START, START, NOTE_LABEL)
    with pytest.raises(InvalidEffectiveDate, match=f"het jaar {stated.year} kan niet"):
        effective_moment(stated, START, START)


def test_a_typed_date_names_a_year_between_1900_and_2200() -> None:
    assert parse_day("datum", "31-12-2200") == date(2200, 12, 31)
    with pytest.raises(InputError, match="Datum: het jaar 2201 kan niet"):
        parse_day("datum", "01-01-2201", "Datum")
    with pytest.raises(InputError, match="het jaar 1899 kan niet"):
        parse_day("datum", "1899-12-31")
