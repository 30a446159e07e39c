"""Legal term computation (termijnberekening).

Rules, in the order they apply:

* Awb 6:8 — a term "binnen N ... na X" starts the day after X; X itself never counts.
* Days, weeks, months and years end on the matching calendar day; a month that lacks
  that day ends on its last day (31 januari + 1 maand = 28/29 februari).
* werkdagen skip Saturdays, Sundays and feestdagen; schooldagen also skip the school's
  holidays. Such terms always end on a day of their own kind.
* Algemene termijnenwet (rule ``atw``, statutory terms only): a term that ends on a
  Saturday, Sunday or feestdag runs to the next day that is none of these (art. 1 lid 1);
  a term of three days or more lasts until it holds at least two such days (art. 2).
  Art. 4 leaves out terms longer than 90 dagen, 12 weken or 3 maanden, and terms in years:
  we read "longer than", so a term of exactly three months is still extended
  (docs/terms.md explains the choice).
* A deadline falls at the end of its day in Europe/Amsterdam.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from engine.calendar import Calendar
from engine.durations import Duration, Unit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class TermRule(str, Enum):
    CALENDAR = "kalender"
    ATW = "atw"
    MEASURE = "maatregel"  # the duration of a measure: starts on its first day and includes it


@dataclass(frozen=True, slots=True)
class ComputedTerm:
    """A due moment and everything needed to explain it to an auditor."""

    start_date: date
    duration: Duration
    rule: TermRule
    calendar_end: date
    due_date: date
    due_at: datetime
    calendar_version: str
    extensions: tuple[str, ...]


def local_date(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in Amsterdam, in UTC: a deadline is met before it."""
    midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=AMSTERDAM)
    return midnight.astimezone(UTC)


def is_workday(day: date, calendar: Calendar) -> bool:
    return day.weekday() < 5 and not calendar.is_feestdag(day)


def is_schoolday(day: date, calendar: Calendar, school: str) -> bool:
    return is_workday(day, calendar) and not calendar.is_school_holiday(day, school)


def compute_term(
    start: date,
    duration: Duration,
    rule: TermRule,
    calendar: Calendar,
    school: str,
) -> ComputedTerm:
    calendar_end = _count(start, duration, calendar, school)
    due = calendar_end
    extensions: list[str] = []
    if rule is TermRule.ATW and _atw_applies(duration):
        due, extensions = _atw_extend(start, calendar_end, calendar)
    return ComputedTerm(
        start_date=start,
        duration=duration,
        rule=rule,
        calendar_end=calendar_end,
        due_date=due,
        due_at=end_of_day(due),
        calendar_version=calendar.version(school),
        extensions=tuple(extensions),
    )


def compute_measure(first_day: date, duration: Duration, calendar: Calendar, school: str) -> ComputedTerm:
    """The last day of a measure that starts on ``first_day`` and includes it.

    One week from Monday 23 November 2026 lasts to and including Sunday 29 November; five
    schooldagen count the first day when it is a schoolday. Not a term: Awb 6:8 and the
    Atw do not apply (a schorsing does not grow because it ends on a Sunday).
    """
    if duration.unit is Unit.WEEK_END:
        last = _last_schoolday_of_week(first_day, calendar, school)
    elif duration.unit in (Unit.WORKDAYS, Unit.SCHOOLDAYS):

        def counts(day: date) -> bool:
            if duration.unit is Unit.WORKDAYS:
                return is_workday(day, calendar)
            return is_schoolday(day, calendar, school)

        already = 1 if counts(first_day) else 0
        last = _nth_day(first_day, duration.amount - already, counts) if duration.amount > already else first_day
    else:
        last = _count(first_day, duration, calendar, school) - timedelta(days=1) if duration.amount else first_day
    return ComputedTerm(
        start_date=first_day,
        duration=duration,
        rule=TermRule.MEASURE,
        calendar_end=last,
        due_date=last,
        due_at=end_of_day(last),
        calendar_version=calendar.version(school),
        extensions=(),
    )


WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")
LAST_SCHOOLDAY = "laatste schooldag"


def anchored(day: date, anchor: str, calendar: Calendar, school: str, after: date | None = None) -> date:
    """The first ``anchor`` on or after ``day``: a weekday, or the last schooldag of a week
    (a week without schooldagen, a holiday week, is skipped).

    The last schooldag of the week ``day`` falls in counts even when it lies before ``day``
    (a Friday that is a feestdag: the Thursday), provided ``day`` is a weekday and that
    schooldag comes after ``after`` (the start of the term): the week is not skipped."""
    if anchor in WEEKDAYS:
        return day + timedelta(days=(WEEKDAYS.index(anchor) - day.weekday()) % 7)
    monday = day - timedelta(days=day.weekday())
    earliest = min(day, after + timedelta(days=1)) if after is not None and day.weekday() < 5 else day
    return _last_schoolday_from_week(monday, earliest, calendar, school)


def anchored_every(previous: date, every: Duration, calendar: Calendar, school: str) -> date:
    """A recurrence on the last schooldag of the week: the week ``every`` after the week of
    the previous occurrence (a recurrence in days, werkdagen or schooldagen counts whole
    weeks: 5 schooldagen is one week), on that week's last schooldag, also when its Friday
    is a feestdag (then the Thursday); a week without schooldagen is skipped. Terms in
    months or years reach the week their calendar end falls in."""
    per_week = {Unit.WEEKS: 1, Unit.DAYS: 7, Unit.WORKDAYS: 5, Unit.SCHOOLDAYS: 5}
    monday = previous - timedelta(days=previous.weekday())
    if every.unit in per_week:
        weeks = max(1, every.amount // per_week[every.unit])
        target = monday + timedelta(weeks=weeks)
    else:
        due = _count(previous, every, calendar, school)
        target = due - timedelta(days=due.weekday())
    return _last_schoolday_from_week(target, previous + timedelta(days=1), calendar, school)


def _last_schoolday_from_week(monday: date, earliest: date, calendar: Calendar, school: str) -> date:
    """The last schooldag of the first week from ``monday`` that has one on or after ``earliest``."""
    for week in range(60):  # a year of holidays cannot hide every week
        start = monday + timedelta(weeks=week)
        last = _last_schoolday_of_week(start, calendar, school)
        if last >= earliest and is_schoolday(last, calendar, school):
            return last
    raise ValueError(f"geen schooldag gevonden na {earliest.isoformat()}")


def _last_schoolday_of_week(first_day: date, calendar: Calendar, school: str) -> date:
    """"Tot het einde van de week": the last schoolday of the week in which the measure
    starts (a Friday, or earlier before a holiday); the first day when none follows."""
    last = first_day
    for offset in range(1, 7 - first_day.weekday()):
        day = first_day + timedelta(days=offset)
        if is_schoolday(day, calendar, school):
            last = day
    return last


def _count(start: date, duration: Duration, calendar: Calendar, school: str) -> date:
    n = duration.amount
    match duration.unit:
        case Unit.DAYS:
            return start + timedelta(days=n)
        case Unit.WEEKS:
            return start + timedelta(weeks=n)
        case Unit.MONTHS:
            return start + relativedelta(months=n)
        case Unit.YEARS:
            return start + relativedelta(years=n)
        case Unit.WORKDAYS:
            return _nth_day(start, n, lambda d: is_workday(d, calendar))
        case Unit.SCHOOLDAYS:
            return _nth_day(start, n, lambda d: is_schoolday(d, calendar, school))
        case Unit.WEEK_END:  # the loader allows it only for measures
            return start + timedelta(days=6 - start.weekday())
    raise AssertionError(duration.unit)  # pragma: no cover


_MAX_SCAN = 3 * 366  # a year of school holidays can not hide 3 years of schooldays


def _nth_day(start: date, n: int, counts: Any) -> date:
    day = start
    seen = 0
    for _ in range(_MAX_SCAN + n * 7):
        day += timedelta(days=1)
        if counts(day):
            seen += 1
            if seen == n:
                return day
    raise ValueError(f"geen {n} tellende dagen gevonden na {start.isoformat()}")


def _atw_applies(duration: Duration) -> bool:
    """Atw art. 4: long terms are not extended (our reading: strictly longer than)."""
    limits = {Unit.DAYS: 90, Unit.WEEKS: 12, Unit.MONTHS: 3, Unit.WORKDAYS: 90, Unit.SCHOOLDAYS: 90}
    limit = limits.get(duration.unit)
    return limit is not None and duration.amount <= limit


def _atw_extend(start: date, end: date, calendar: Calendar) -> tuple[date, list[str]]:
    reasons: list[str] = []
    due = end
    while not is_workday(due, calendar):
        due += timedelta(days=1)
    if due != end:
        reasons.append(f"Atw art. 1: {end.isoformat()} is geen werkdag, verlengd tot {due.isoformat()}")
    if (end - start).days >= 3:
        workdays = sum(1 for i in range(1, (due - start).days + 1) if is_workday(start + timedelta(days=i), calendar))
        before = due
        while workdays < 2:
            due += timedelta(days=1)
            if is_workday(due, calendar):
                workdays += 1
        if due != before:
            reasons.append(f"Atw art. 2: termijn bevat minder dan twee werkdagen, verlengd tot {due.isoformat()}")
    return due, reasons


def workdays_before(day: date, n: int, calendar: Calendar) -> date:
    """The n-th werkdag before ``day`` (for reminders "2 werkdagen before it is due")."""
    current, seen = day, 0
    while seen < n:
        current -= timedelta(days=1)
        if is_workday(current, calendar):
            seen += 1
    return current
