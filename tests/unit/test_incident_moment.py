"""When a recorded incident happened (issue 28 holes, item 1): not in the future beyond a
small clock skew, and not more than three months back, whatever the edge (the page, REST and
the command line all call ``Incidents.record``, which bounds it with ``incident_moment``).

Now is Mon 02-03-2026 09:00 UTC, 10:00 in Amsterdam (tests.conftest.START)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engine.errors import InvalidEffectiveDate
from engine.inputs import HAPPENED, HAPPENED_LABEL, QUICK_SKEW, incident_moment
from engine.terms import AMSTERDAM
from tests.conftest import START


def test_today_is_now_and_an_earlier_day_is_noon() -> None:
    assert incident_moment(date(2026, 3, 2), START) == START
    assert incident_moment(date(2026, 2, 27), START) == datetime(2026, 2, 27, 12, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("stated", "why"),
    [
        (date(1900, 1, 1), "meer dan 3 maanden geleden"),
        (date(2025, 12, 1), "meer dan 3 maanden geleden (vóór 02-12-2025)"),
        (datetime(2025, 12, 1, 23, 59, tzinfo=AMSTERDAM), "meer dan 3 maanden geleden"),
        (date(2026, 3, 3), "ligt in de toekomst"),
        (START + QUICK_SKEW + timedelta(seconds=1), "ligt in de toekomst"),
        (datetime(2026, 3, 2, 9, 0), "tijdzone"),
        (date(1899, 12, 31), "het jaar 1899 kan niet"),
    ],
    ids=["1900", "a-day-too-early", "a-moment-too-early", "tomorrow", "beyond-the-skew", "naive", "out-of-years"],
)
def test_refused_moments_name_the_field_wanneer_gebeurd(stated: date | datetime, why: str) -> None:
    with pytest.raises(InvalidEffectiveDate) as refused:
        incident_moment(stated, START)
    assert refused.value.fields["field"] == HAPPENED
    assert refused.value.message.startswith(f"{HAPPENED}: {HAPPENED_LABEL}: ") and why in refused.value.message


def test_the_bounds_themselves_are_accepted() -> None:
    assert incident_moment(date(2025, 12, 2), START) == datetime(2025, 12, 2, 12, 0, tzinfo=AMSTERDAM)
    earliest = datetime(2025, 12, 2, 0, 0, tzinfo=AMSTERDAM)
    assert incident_moment(earliest, START) == earliest.astimezone(UTC)
    # a clock a little ahead: the fact is the server's now, never after its record
    assert incident_moment(START + QUICK_SKEW, START) == START
