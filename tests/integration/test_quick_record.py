"""Snel vastleggen (issue 29 item 3) on both backends: a quick record is recorded once per
client key, whatever the number of submissions; another user's same key is their own
record and gives nothing of the first; the fact moment is the tap's, bounded by the server."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from adapters.sql.tables import IncidentKeyRow
from engine.access import OPERATOR
from engine.clock import FixedClock
from engine.errors import InputError, InvalidEffectiveDate
from engine.inputs import QUICK_MAX_AGE, QUICK_SKEW
from engine.protocol.loader import load_protocol_file
from engine.pupils import Roster, RosterPupil
from tests.conftest import PROEF, make_trede
from tests.support import Driver, person

ROOT = Path(__file__).parents[2]
ANNA = person("juf.anna", "leerkracht", school="de-linde")
BOB = person("meester.bob", "leerkracht", school="de-linde")
MEES = "Mees J."  # in the register of De Linde (_trede)


def _trede(db: Engine, clock: FixedClock) -> Driver:
    trede = make_trede(db, clock)
    trede.engine.incidents.load_categories(
        OPERATOR, (ROOT / "protocols" / "categorieen" / "incidenten.yaml").read_text(encoding="utf-8"), "incidenten.yaml"
    )
    # a quick record names a pupil from the register, as the phone offers them: a pupil the
    # user may open a case about (a protocol with their role is loaded)
    trede.load_protocol(load_protocol_file(PROEF))
    roster = Roster("2025-2026", ("5a",), (RosterPupil("3001", "Mees", "Jansen", "5a", 2),))
    trede.engine.pupils.import_roster(OPERATOR, "de-linde", roster)
    return trede


def _quick(trede: Driver, who: object, key: str, clock: FixedClock, ago: timedelta = timedelta(minutes=3)) -> tuple[object, bool]:
    return trede.engine.incidents.record_once(
        who,  # type: ignore[arg-type]
        key=key, school="de-linde", kind="pesten", place="plein", seriousness="licht",
        happened=clock.now() - ago, involved=[(MEES, "slachtoffer")],
    )


def _keys(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(IncidentKeyRow.__table__)).scalar_one())  # type: ignore[attr-defined]


def test_the_same_key_twice_records_one_incident(db: Engine, clock: FixedClock) -> None:
    trede = _trede(db, clock)
    key = str(uuid.uuid4())
    first, new = _quick(trede, ANNA, key, clock)
    clock.advance(timedelta(minutes=1))  # the retry after a lost answer, a minute later
    again, again_new = _quick(trede, ANNA, key, clock, ago=timedelta(minutes=4))
    assert (new, again_new) == (True, False)
    assert again == first
    assert len(trede.engine.incidents.at_school(ANNA, "de-linde")) == 1
    assert _keys(db) == 1
    assert first.happened_at == clock.now() - timedelta(minutes=1) - timedelta(minutes=3)  # type: ignore[attr-defined]
    assert first.recorded_at > first.happened_at  # type: ignore[attr-defined]


def test_a_key_reused_by_another_user_is_their_own_record(db: Engine, clock: FixedClock) -> None:
    trede = _trede(db, clock)
    key = str(uuid.uuid4())
    annas, _ = _quick(trede, ANNA, key, clock)
    bobs, new = _quick(trede, BOB, key, clock)
    assert new is True
    assert bobs.id != annas.id  # type: ignore[attr-defined]
    assert bobs.recorded_by == "meester.bob"  # type: ignore[attr-defined]
    assert len(trede.engine.incidents.at_school(ANNA, "de-linde")) == 2


def test_a_refused_record_keeps_no_key(db: Engine, clock: FixedClock) -> None:
    trede = _trede(db, clock)
    key = str(uuid.uuid4())
    with pytest.raises(InputError):
        trede.engine.incidents.record_once(
            ANNA, key=key, school="de-linde", kind="onbekend", place="plein", seriousness="licht",
            happened=clock.now(), involved=[(MEES, "slachtoffer")],
        )
    assert _keys(db) == 0
    _, new = _quick(trede, ANNA, key, clock)
    assert new is True


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (-QUICK_SKEW, True),  # a device clock slightly ahead: clamped to the server's now
        (-QUICK_SKEW - timedelta(seconds=1), False),
        (QUICK_MAX_AGE - timedelta(seconds=1), True),
        (QUICK_MAX_AGE + timedelta(seconds=1), False),
    ],
)
def test_the_fact_moment_is_bounded(db: Engine, clock: FixedClock, offset: timedelta, accepted: bool) -> None:
    trede = _trede(db, clock)
    if accepted:
        incident, _ = _quick(trede, ANNA, str(uuid.uuid4()), clock, ago=offset)
        assert incident.happened_at <= clock.now()  # type: ignore[attr-defined]
    else:
        with pytest.raises(InvalidEffectiveDate):
            _quick(trede, ANNA, str(uuid.uuid4()), clock, ago=offset)


def test_a_key_must_be_a_uuid(db: Engine, clock: FixedClock) -> None:
    trede = _trede(db, clock)
    with pytest.raises(InputError):
        _quick(trede, ANNA, "1; drop table", clock)
