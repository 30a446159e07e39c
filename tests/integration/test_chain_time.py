"""Time is part of the chain (issue 24): backdated forgeries and the smaller verification defects.

Each attack is played on SQLite and PostgreSQL. Where the guards stay on, the forger on
PostgreSQL is the application's own role (which may append), as in test_privileges.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from adapters.sql.driver import CASE_COLUMNS, EVENT_COLUMNS, DriverCases, names
from engine.access import OPERATOR
from engine.clock import FixedClock
from engine.errors import ClockBehind
from engine.events import Event, EventType
from engine.protocol.model import Protocol
from tests.integration.helpers import application_role
from tests.integration.test_tamper import Trail, found, guards_off


@contextmanager
def as_the_application(db: Engine) -> Iterator[Engine]:
    """The forger with the guards on: on PostgreSQL the application's own role (it may append
    to the trail and update projections, nothing more); on SQLite the file itself."""
    if db.dialect.name != "postgresql":
        yield db
        return
    with application_role(db, "trede_forger") as app:
        yield app


def _note_after(last: Event, recorded_at: object) -> Event:
    """An event that moves nothing, chained onto ``last`` (its projection changes only in seq and hash)."""
    return replace(
        last,
        seq=last.seq + 1,
        type=EventType.FACTS,
        recorded_at=recorded_at,
        trigger=None,
        from_step=last.to_step,
        to_step=None,
        inputs={},
        data={},
        prev_hash=last.hash,
        record=None,
        hash="",
        personal={},
    ).sealed()


def _append(conn: Connection, event: Event) -> None:
    """Append as a forger would, in plain SQL (the row as trede writes it)."""
    driver = DriverCases(conn)
    values = driver._event_values(event)
    conn.execute(text(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join(':' + c for c in EVENT_COLUMNS)})"), values)
    for case_id, seq, ref, value, salt in driver._personal_rows(event):
        conn.execute(
            text("INSERT INTO personal_data (case_id, seq, ref, value, salt) VALUES (:c, :s, :r, :v, :salt)"),
            {"c": case_id, "s": seq, "r": ref, "v": value, "salt": salt},
        )
    conn.execute(
        text("UPDATE cases SET seq = :s, last_hash = :h WHERE id = :c"),
        {"s": event.seq, "h": event.hash, "c": event.case_id},
    )


@pytest.fixture
def trail(db: Engine, clock: FixedClock, proef: Protocol) -> Trail:
    """The trail of test_tamper, its checkpoint made a day after its events."""
    made = Trail(db, clock, proef)
    clock.advance(timedelta(days=1))
    made.checkpoint = made.trede.engine.checkpoints.make(OPERATOR, made.signer)
    clock.advance(timedelta(hours=1))
    return made


def test_an_untouched_trail_with_events_after_the_checkpoint_is_in_order(trail: Trail) -> None:
    a = trail.ids[0]
    trail.trede.fire(a, "onderzoek_afronden", actor="mevr.ib", role="intern_begeleider", inputs={"motivering": "klaar"})
    assert trail.against_checkpoint().ok and trail.without_checkpoint() == []


def test_an_event_dated_before_the_previous_one_is_refused_by_the_database(trail: Trail) -> None:
    a = trail.ids[0]
    last = trail.trede.events(a)[-1]
    forged = _note_after(last, last.recorded_at - timedelta(days=1))
    with as_the_application(trail.db) as app, pytest.raises(DBAPIError, match="trede"), app.begin() as conn:
        _append(conn, forged)
    assert trail.against_checkpoint().ok


def test_an_event_dated_before_the_previous_one_is_named_with_and_without_checkpoint(trail: Trail) -> None:
    """The guards off: appended after the checkpoint, dated a day before it and before its predecessor."""
    a = trail.ids[0]
    last = trail.trede.events(a)[-1]
    forged = _note_after(last, last.recorded_at - timedelta(days=1))
    with guards_off(trail.db) as conn:
        _append(conn, forged)
    named = f"gebeurtenis {forged.seq} is vastgelegd vóór gebeurtenis {last.seq}"
    assert any(p.startswith(a) and named in p for p in trail.without_checkpoint())
    report = trail.against_checkpoint()
    assert found(report, a, named)
    assert found(report, a, f"gebeurtenis {forged.seq} valt na het controlepunt", "daarvóór")


def test_an_appended_event_dated_before_the_checkpoint_is_named_against_it(trail: Trail) -> None:
    """In order within the case, so the database takes it and the chain verifies: only the
    checkpoint's made_at tells that it was not there when the checkpoint was made."""
    a = trail.ids[0]
    last = trail.trede.events(a)[-1]
    forged = _note_after(last, last.recorded_at + timedelta(hours=1))  # 23 hours before the checkpoint
    with as_the_application(trail.db) as app, app.begin() as conn:
        _append(conn, forged)
    assert trail.without_checkpoint() == []
    assert found(trail.against_checkpoint(), a, f"gebeurtenis {forged.seq} valt na het controlepunt", "daarvóór")


def test_a_whole_case_dated_a_week_before_the_checkpoint_is_named_against_it(trail: Trail) -> None:
    a = trail.ids[0]
    opening = trail.trede.events(a)[0]
    week_before = opening.recorded_at - timedelta(days=6)
    new_id = "zaak-ingevoegd"
    forged = replace(
        opening, case_id=new_id, recorded_at=week_before, effective_at=week_before, record=None, hash="", personal={}
    ).sealed()
    columns = names(CASE_COLUMNS)
    copied = ", ".join(":id" if c == "id" else names([c]) for c in CASE_COLUMNS)
    with as_the_application(trail.db) as app, app.begin() as conn:
        conn.execute(text(f"INSERT INTO cases ({columns}) SELECT {copied} FROM cases WHERE id = :a"), {"id": new_id, "a": a})
        _append(conn, forged)
    report = trail.against_checkpoint()
    assert found(report, new_id, "staat niet in het controlepunt", "gebeurtenis 1 is vastgelegd op", "daarvóór")


def test_the_engine_clamps_a_clock_gone_back_a_little_and_refuses_beyond(trail: Trail, clock: FixedClock) -> None:
    a = trail.ids[0]
    trail.trede.engine.notes.add_note(trail.viewer, a, "op tijd")
    last = trail.trede.events(a)[-1]
    clock.set(last.recorded_at - timedelta(minutes=1))
    opened = trail.trede.events(a)[0].effective_at  # a note may be dated back to the opening
    trail.trede.engine.notes.add_note(trail.viewer, a, "de klok liep een minuut terug", effective=opened)
    after = trail.trede.events(a)[-1]
    assert after.seq == last.seq + 1 and after.recorded_at == last.recorded_at
    clock.set(after.recorded_at - timedelta(hours=1))
    with pytest.raises(ClockBehind):
        trail.trede.engine.notes.add_note(trail.viewer, a, "te vroeg", effective=opened)
    assert trail.trede.events(a)[-1].seq == after.seq
    assert trail.trede.verify(a).ok


def test_a_deleted_middle_event_is_named(db: Engine, clock: FixedClock, proef: Protocol) -> None:
    made = Trail(db, clock, proef)
    a = made.ids[0]
    made.trede.engine.notes.add_note(made.viewer, a, "eerste notitie")
    made.trede.engine.notes.add_note(made.viewer, a, "tweede notitie")
    made.checkpoint = made.trede.engine.checkpoints.make(OPERATOR, made.signer)
    with guards_off(db) as conn:
        conn.execute(text("DELETE FROM personal_data WHERE case_id = :a AND seq = 3"), {"a": a})
        conn.execute(text("DELETE FROM events WHERE case_id = :a AND seq = 3"), {"a": a})
    assert any(p.startswith(a) and "gebeurtenis 3 ontbreekt" in p for p in made.without_checkpoint())
    report = made.against_checkpoint()
    assert found(report, a, "gebeurtenis 3 ontbreekt")
    assert not any("tot en met" in p for p in report.problems)


def test_every_problem_of_the_access_log_is_named(trail: Trail) -> None:
    """An edit early in the log does not hide a later removal."""
    with guards_off(trail.db) as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM access_log ORDER BY id")).all()]
        assert len(ids) >= 3
        conn.execute(text("UPDATE access_log SET username = 'niemand' WHERE id = :i"), {"i": ids[0]})
        conn.execute(text("DELETE FROM access_log WHERE id = :i"), {"i": ids[1]})
    problems = trail.trede.engine.checkpoints.verify_store(OPERATOR).problems
    assert "toegangslog: regel 1 is gewijzigd" in problems
    assert any("toegangslog: regel 2 sluit niet aan" in p for p in problems)
    assert found(trail.against_checkpoint(), "toegangslog: regel 2 sluit niet aan")


def test_an_access_log_row_dated_back_is_refused_and_named(trail: Trail) -> None:
    with trail.db.connect() as conn:
        row = conn.execute(text("SELECT * FROM access_log ORDER BY id DESC LIMIT 1")).mappings().one()
    values = {k: v for k, v in row.items() if k != "id"}
    columns = ", ".join(values)
    insert = text(f"INSERT INTO access_log ({columns}) VALUES ({', '.join(':' + k for k in values)})")
    earlier = {**values, "at": _earlier(values["at"])}
    with as_the_application(trail.db) as app, pytest.raises(DBAPIError, match="trede"), app.begin() as conn:
        conn.execute(insert, earlier)
    with guards_off(trail.db) as conn:
        conn.execute(insert, earlier)
    problems = trail.trede.engine.checkpoints.verify_store(OPERATOR).problems
    assert any("toegangslog: regel" in p and "is vastgelegd vóór regel" in p for p in problems)


def _earlier(at: object) -> object:
    if isinstance(at, str):  # SQLite keeps the moment as text
        return "2000-01-01 00:00:00.000000"
    return at - timedelta(days=1)  # type: ignore[operator]


def test_verify_all_names_events_whose_case_is_gone(trail: Trail) -> None:
    b = trail.ids[1]
    count = len(trail.trede.events(b))
    if trail.db.dialect.name == "postgresql":
        with guards_off(trail.db) as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # the foreign keys too
            conn.execute(text("DELETE FROM deadlines WHERE case_id = :b"), {"b": b})
            conn.execute(text("DELETE FROM cases WHERE id = :b"), {"b": b})
    else:  # the file, opened without foreign keys
        raw = sqlite3.connect(str(trail.db.url.database), isolation_level=None)
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("DELETE FROM deadlines WHERE case_id = ?", (b,))
        raw.execute("DELETE FROM cases WHERE id = ?", (b,))
        raw.close()
    results = [r for r in trail.trede.verify_all() if not r.ok]
    assert [(r.case_id, r.problem) for r in results] == [
        (b, f"de zaak ontbreekt, maar {count} gebeurtenis(sen) ervan zijn er nog")
    ]
    assert found(trail.against_checkpoint(), b, "ontbreekt")
