"""Term computation: worked examples and invariants (real Dutch calendar data)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.calendar_nl import DutchCalendar, SchoolCalendarSettings, date_range, load_school_settings
from engine.durations import Duration, DurationSyntaxError, Unit
from engine.terms import TermRule, anchored, compute_measure, compute_term, end_of_day, is_schoolday, is_workday

CAL = DutchCalendar()
SCHOOL = "de-linde"


def due(start: str, duration: str, rule: str = "atw", calendar: DutchCalendar = CAL) -> str:
    return compute_term(
        date.fromisoformat(start), Duration.parse(duration), TermRule(rule), calendar, SCHOOL
    ).due_date.isoformat()


@pytest.mark.parametrize(
    ("start", "duration", "rule", "expected", "why"),
    [
        ("2026-03-24", "6 weken", "kalender", "2026-05-05", "DESIGN.md: calendar end of the bezwaar term"),
        ("2026-03-24", "6 weken", "atw", "2026-05-06", "DESIGN.md: 5 mei is a feestdag, so Wednesday"),
        ("2026-04-03", "6 weken", "atw", "2026-05-18", "DESIGN.md: 15 mei 2026 is a decree day, then a weekend"),
        ("2026-01-31", "1 maand", "kalender", "2026-02-28", "month end: no 31 February"),
        ("2028-01-31", "1 maand", "kalender", "2028-02-29", "month end in a leap year"),
        ("2026-01-31", "1 maand", "atw", "2026-03-02", "28 Feb 2026 is a Saturday"),
        ("2026-04-30", "5 werkdagen", "kalender", "2026-05-08", "werkdagen skip the weekend and 5 mei"),
        ("2026-03-02", "14 dagen", "kalender", "2026-03-16", "Awb 6:8: the day of the fact does not count"),
        ("2026-03-07", "0 dagen", "kalender", "2026-03-07", "'direct': by the end of the same day"),
        ("2026-03-02", "1 week", "kalender", "2026-03-09", "a maximum duration is never extended"),
        ("2026-03-04", "3 dagen", "kalender", "2026-03-07", "kalender keeps a Saturday end"),
        ("2026-03-04", "3 dagen", "atw", "2026-03-09", "Atw art. 1: Saturday becomes Monday"),
        ("2026-12-31", "3 dagen", "atw", "2027-01-05", "Atw art. 2: only one werkdag in the term, one more"),
        ("2026-05-13", "3 dagen", "atw", "2026-05-19", "Atw art. 2 over Hemelvaart and its decree Friday"),
        ("2026-03-04", "4 maanden", "atw", "2026-07-04", "Atw art. 4: long terms are not extended (Saturday)"),
        ("2026-01-31", "13 weken", "atw", "2026-05-02", "Atw art. 4: longer than 12 weeks, not extended (Saturday)"),
        (
            "2026-04-04",
            "3 maanden",
            "atw",
            "2026-07-06",
            "our reading of art. 4: exactly three months is still extended",
        ),
        ("2026-10-16", "5 schooldagen", "kalender", "2026-10-30", "schooldagen skip the herfstvakantie (midden)"),
    ],
)
def test_worked_examples(start: str, duration: str, rule: str, expected: str, why: str) -> None:
    assert due(start, duration, rule) == expected, why


def test_atw_extension_is_explained() -> None:
    term = compute_term(date(2026, 3, 24), Duration.parse("6 weken"), TermRule.ATW, CAL, SCHOOL)
    assert term.calendar_end == date(2026, 5, 5)
    assert term.extensions and "Atw art. 1" in term.extensions[0]
    assert term.calendar_version.startswith("kb-2026.1/holidays-")


def test_deadline_falls_at_the_end_of_the_day_in_amsterdam() -> None:
    assert end_of_day(date(2026, 5, 6)) == datetime(2026, 5, 6, 22, 0, tzinfo=UTC)  # CEST
    assert end_of_day(date(2026, 3, 9)) == datetime(2026, 3, 9, 23, 0, tzinfo=UTC)  # CET


def test_school_overrides_change_schooldagen_and_the_calendar_version() -> None:
    school_cal = DutchCalendar(
        schools={
            SCHOOL: SchoolCalendarSettings(
                region="noord",
                extra_free_days=date_range(date(2026, 3, 9), date(2026, 3, 10)),
            )
        }
    )
    assert due("2026-03-06", "2 schooldagen", "kalender", school_cal) == "2026-03-12"
    assert due("2026-03-06", "2 schooldagen", "kalender") == "2026-03-10"
    assert school_cal.version(SCHOOL) != CAL.version(SCHOOL)
    assert school_cal.version(SCHOOL).split("/")[-1].startswith("noord+")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6 weken", Duration(6, Unit.WEEKS)),
        ("1 maand", Duration(1, Unit.MONTHS)),
        ("5 Werkdagen", Duration(5, Unit.WORKDAYS)),
        ("tot het einde van de week", Duration(1, Unit.WEEK_END)),
        ("Tot einde van de week", Duration(1, Unit.WEEK_END)),
    ],
)
def test_durations_parse(text: str, expected: Duration) -> None:
    assert Duration.parse(text) == expected


@pytest.mark.parametrize("text", ["6", "zes weken", "6 wekken", "0 weken", "6 uur", "tot het einde van de maand", "1 einde"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(DurationSyntaxError):
        Duration.parse(text)


starts = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 10, 31))
durations = st.one_of(
    st.builds(Duration, st.integers(1, 90), st.just(Unit.DAYS)),
    st.builds(Duration, st.integers(1, 12), st.just(Unit.WEEKS)),
    st.builds(Duration, st.integers(1, 3), st.just(Unit.MONTHS)),
    st.builds(Duration, st.integers(1, 30), st.just(Unit.WORKDAYS)),
)


@settings(max_examples=400, deadline=None)
@given(starts, durations)
def test_an_atw_deadline_is_never_a_weekend_or_feestdag(start: date, duration: Duration) -> None:
    term = compute_term(start, duration, TermRule.ATW, CAL, SCHOOL)
    assert is_workday(term.due_date, CAL)


@settings(max_examples=400, deadline=None)
@given(starts, durations)
def test_an_atw_deadline_is_never_earlier_than_the_calendar_one(start: date, duration: Duration) -> None:
    atw = compute_term(start, duration, TermRule.ATW, CAL, SCHOOL)
    plain = compute_term(start, duration, TermRule.CALENDAR, CAL, SCHOOL)
    assert atw.due_date >= plain.due_date == plain.calendar_end
    assert (atw.due_date - plain.due_date).days <= 9  # the longest run of non-werkdagen plus art. 2


@settings(max_examples=400, deadline=None)
@given(starts, durations)
def test_an_atw_term_of_three_days_or_more_holds_two_werkdagen(start: date, duration: Duration) -> None:
    term = compute_term(start, duration, TermRule.ATW, CAL, SCHOOL)
    if (term.calendar_end - start).days >= 3:
        days = [start + timedelta(days=i) for i in range(1, (term.due_date - start).days + 1)]
        assert sum(is_workday(d, CAL) for d in days) >= 2


@settings(max_examples=300, deadline=None)
@given(starts, st.integers(1, 30))
def test_werkdagen_count_exactly_n_werkdagen_after_the_fact(start: date, n: int) -> None:
    term = compute_term(start, Duration(n, Unit.WORKDAYS), TermRule.CALENDAR, CAL, SCHOOL)
    days = [start + timedelta(days=i) for i in range(1, (term.due_date - start).days + 1)]
    assert is_workday(term.due_date, CAL)
    assert sum(is_workday(d, CAL) for d in days) == n


@settings(max_examples=200, deadline=None)
@given(starts, durations)
def test_the_day_of_the_fact_never_counts(start: date, duration: Duration) -> None:
    term = compute_term(start, duration, TermRule.CALENDAR, CAL, SCHOOL)
    assert term.due_date > start


def test_a_schools_file_sets_region_and_deviations(tmp_path: Path) -> None:
    path = tmp_path / "schools.yaml"
    path.write_text('de-linde:\n  regio: noord\n  vrij: ["2026-03-09..2026-03-10"]\n  schooldagen: ["2026-02-16"]\n')
    settings = load_school_settings(path)["de-linde"]
    assert settings.region == "noord"
    assert settings.extra_free_days == {date(2026, 3, 9), date(2026, 3, 10)}
    assert settings.extra_school_days == {date(2026, 2, 16)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("de-linde:\n  regio: oost\n", "school de-linde: onbekende regio 'oost'"),
        ("de-linde:\n  vrij: [9-3-2026]\n", "'9-3-2026' is geen datum"),
        ("de-linde:\n  kleur: rood\n", "onbekend veld kleur"),
    ],
)
def test_a_bad_schools_file_is_explained(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "schools.yaml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_school_settings(path)


@pytest.mark.parametrize(
    ("first", "last", "why"),
    [
        ("2026-03-04", "2026-03-06", "woensdag: de laatste schooldag van die week is vrijdag"),
        ("2026-03-06", "2026-03-06", "vrijdag: alleen die dag"),
        ("2026-03-07", "2026-03-07", "zaterdag: geen schooldag meer in die week, de eerste dag zelf"),
        ("2026-05-12", "2026-05-13", "Hemelvaartsdag (do 14 mei) en de vrijdag erna (bij besluit gelijkgesteld) tellen niet"),
        ("2026-12-15", "2026-12-18", "vrijdag 18 december: de kerstvakantie begint daarna"),
    ],
)
def test_a_measure_to_the_end_of_the_week_ends_on_its_last_schoolday(first: str, last: str, why: str) -> None:
    term = compute_measure(date.fromisoformat(first), Duration(1, Unit.WEEK_END), CAL, SCHOOL)
    assert term.due_date.isoformat() == last, why


@given(starts)
@settings(max_examples=200, deadline=None)
def test_the_end_of_the_week_never_leaves_the_week_and_is_a_schoolday_when_one_follows(start: date) -> None:
    end = compute_measure(start, Duration(1, Unit.WEEK_END), CAL, SCHOOL).due_date
    assert start <= end and end.isocalendar()[:2] == start.isocalendar()[:2]
    later = [start + timedelta(days=i) for i in range(1, 7 - start.weekday())]
    if any(is_schoolday(d, CAL, SCHOOL) for d in later):
        assert is_schoolday(end, CAL, SCHOOL) and not any(is_schoolday(d, CAL, SCHOOL) for d in later if d > end)


@pytest.mark.parametrize(
    ("day", "anchor", "expected"),
    [
        ("2026-02-02", "laatste schooldag", "2026-02-06"),
        ("2026-02-14", "laatste schooldag", "2026-02-27"),  # voorjaarsvakantie midden: the holiday week is skipped
        ("2026-05-12", "laatste schooldag", "2026-05-13"),  # Hemelvaart and the Friday after
        ("2026-02-02", "woensdag", "2026-02-04"),
        ("2026-02-04", "woensdag", "2026-02-04"),
        ("2026-02-05", "maandag", "2026-02-09"),
    ],
)
def test_anchors(day: str, anchor: str, expected: str) -> None:
    assert anchored(date.fromisoformat(day), anchor, CAL, SCHOOL).isoformat() == expected
