"""One contract, three backends: every test here runs on SQLite, on PostgreSQL and on the
in-memory unit of work of the fast tests (tests/memory.py), except those about the
database's own guards (``ON_DATABASES``): the in-memory store has none, so they run on the
two databases only."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from adapters.sql import driver as sql_driver
from adapters.sql.database import make_engine
from engine.access import OPERATOR, Membership
from engine.account_ports import NewUser, Notice, PendingLogin, StoredSession
from engine.case import apply
from engine.checkpoints import ACCESS_GENESIS, proposal_chain
from engine.clock import FixedClock
from engine.decisions import Act
from engine.errors import (
    CaseNotFound,
    ConcurrencyConflict,
    GuardFailed,
    IncidentNotFound,
    InputError,
    LetterNotFound,
    MigrationRefused,
    PermissionDenied,
    ProtocolNotFound,
    SandboxRequired,
    TimeTravel,
)
from engine.events import EventType
from engine.ports import AccessEntry, ProposalEntry, ReporterEntry, SchoolRecord
from engine.protocol.loader import load_protocol_text
from engine.protocol.model import Protocol
from engine.throttling import DEVICE_PREFIX, AttemptQuery, Failures
from tests.conftest import BACKENDS, PROEF, fresh_database, make_trede
from tests.memory import MemoryCases, MemoryStore, StoredEvent, Tables, memory_engine
from tests.support import Driver as Trede
from tests.support import person

STORES = [*BACKENDS, pytest.param("memory", marks=pytest.mark.fast)]
# A test about the database's own guards (triggers, rights): the in-memory store has none.
ON_DATABASES = pytest.mark.parametrize("store", BACKENDS, indirect=True)


class Store:
    """A backend under the contract, and what someone with access to its storage can do to it
    (the attacker of the tamper tests)."""

    def driver(self, clock: FixedClock, *, sandbox: bool = True) -> Trede:
        raise NotImplementedError

    def tamper(self, how: str, case_id: str) -> None:
        raise NotImplementedError

    def fail_writing_deadlines(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Make the next write of a case's deadlines fail, after its event and case were written."""
        raise NotImplementedError


_SQL_TAMPERING = {
    "altered": "UPDATE events SET record = replace(record, 'ernstig', 'licht') WHERE case_id = :c AND seq = 2",
    "column-altered": "UPDATE events SET actor = 'iemand anders' WHERE case_id = :c AND seq = 3",
    "removed": "DELETE FROM events WHERE case_id = :c AND seq = 2",
    "last-removed": "DELETE FROM events WHERE case_id = :c AND seq = 3",
    "reordered": (
        "UPDATE events SET seq = 99 WHERE case_id = :c AND seq = 2;"
        "UPDATE events SET seq = 2 WHERE case_id = :c AND seq = 3;"
        "UPDATE events SET seq = 3 WHERE case_id = :c AND seq = 99"
    ),
}


class SqlStore(Store):
    def __init__(self, db: Engine) -> None:
        self.db = db

    def driver(self, clock: FixedClock, *, sandbox: bool = True) -> Trede:
        return make_trede(self.db, clock, sandbox=sandbox)

    def tamper(self, how: str, case_id: str) -> None:
        if how == "projection":
            with self.db.begin() as conn:
                conn.execute(text("UPDATE cases SET step = 'afgesloten' WHERE id = :c"), {"c": case_id})
            return
        if how == "personal-value":
            with self.db.begin() as conn:  # the administrator switches the erase-only guard off
                if self.db.dialect.name == "postgresql":
                    conn.execute(text("ALTER TABLE personal_data DISABLE TRIGGER USER"))
                else:
                    conn.execute(text("DROP TRIGGER personal_data_no_update"))
                conn.execute(_CHANGE_PERSONAL, {"c": case_id})
            return
        with _triggers_disabled(self.db) as conn:
            for statement in _SQL_TAMPERING[how].split(";"):
                conn.execute(text(statement), {"c": case_id})

    def fail_writing_deadlines(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = sql_driver.DriverCases._many

        def broken(self: sql_driver.DriverCases, statement: str, rows: list[list[object]]) -> int:
            if statement == "insert_deadline":  # after the event and the case were written
                raise RuntimeError("disk full")
            return original(self, statement, rows)

        monkeypatch.setattr(sql_driver.DriverCases, "_many", broken)


def _events_of(case_id: str, change: Callable[[list[StoredEvent]], list[StoredEvent]]) -> Callable[[Tables], None]:
    def tamper(t: Tables) -> None:
        t.events[case_id] = tuple(change(list(t.events[case_id])))

    return tamper


def _swapped(events: list[StoredEvent]) -> list[StoredEvent]:
    """Events 2 and 3 trade places, each taking the other's seq column."""
    second, third = events[1], events[2]
    return [events[0], replace(third, seq=2), replace(second, seq=3), *events[3:]]


def _memory_tampering(how: str, case_id: str) -> Callable[[Tables], None]:
    def at(seq: int, change: Callable[[StoredEvent], StoredEvent | None]) -> Callable[[Tables], None]:
        """Change (or, when ``change`` gives None, remove) the event at ``seq``."""

        def edit(events: list[StoredEvent]) -> list[StoredEvent]:
            changed = [change(e) if e.seq == seq else e for e in events]
            return [e for e in changed if e is not None]

        return _events_of(case_id, edit)

    def stored_case(t: Tables) -> None:
        row = t.cases[case_id]
        t.cases[case_id] = replace(row, case=replace(row.case, step="afgesloten"))

    def personal(t: Tables) -> None:
        values = t.personal[(case_id, 3)]
        t.personal[(case_id, 3)] = {**values, "inputs.motivering": ("iets anders", values["inputs.motivering"][1])}

    return {
        "altered": at(2, lambda e: replace(e, record=e.record.replace("ernstig", "licht"))),
        "column-altered": at(3, lambda e: replace(e, actor="iemand anders")),
        "removed": at(2, lambda e: None),
        "last-removed": at(3, lambda e: None),
        "reordered": _events_of(case_id, _swapped),
        "projection": stored_case,
        "personal-value": personal,
    }[how]


class InMemoryStore(Store):
    def __init__(self) -> None:
        self.store: MemoryStore | None = None

    def driver(self, clock: FixedClock, *, sandbox: bool = True) -> Trede:
        if self.store is None:  # one store per test, as one database per test
            self.store = MemoryStore(sandbox=sandbox)
        return Trede(memory_engine(clock, store=self.store))

    def tamper(self, how: str, case_id: str) -> None:
        assert self.store is not None
        with self.store.edit() as tables:
            _memory_tampering(how, case_id)(tables)

    def fail_writing_deadlines(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def broken(self: MemoryCases, t: Tables, case: object, event: object) -> None:
            raise RuntimeError("disk full")  # after the event and the case were written

        monkeypatch.setattr(MemoryCases, "_write_deadlines", broken)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield InMemoryStore()
        return
    db = make_engine(fresh_database(request.param, tmp_path, request))
    yield SqlStore(db)
    db.dispose()


@pytest.fixture
def trede(store: Store, clock: FixedClock, proef: Protocol) -> Trede:
    driver = store.driver(clock)
    driver.load_protocol(proef)
    return driver


@pytest.fixture
def db(store: Store) -> Engine:
    """The database, for a test about the database's own guards."""
    assert isinstance(store, SqlStore), "a test about the database's guards runs on the databases only (ON_DATABASES)"
    return store.db


_CHANGE_PERSONAL = text("UPDATE personal_data SET value = 'iets anders' WHERE case_id = :c AND seq = 3")


def _open(trede: Trede) -> str:
    return trede.open_case(
        "proef-escalatie", school="de-linde", subject="Leerling-K3", actor="juf.anna", role="leerkracht"
    ).id


def _to_maatregel(trede: Trede) -> str:
    case_id = _open(trede)
    trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "ernstig"})
    trede.fire(
        case_id,
        "direct_maatregel",
        actor="dhr.bos",
        role="directeur",
        inputs={"motivering": "slaan op het plein", "akkoord_directeur": "ja"},
    )
    return case_id


class TestCaseStore:
    def test_a_fire_is_stored_with_its_event_and_deadlines(self, trede: Trede) -> None:
        case_id = _to_maatregel(trede)
        view = trede.show(case_id, "directeur")
        assert view.case.step == "maatregel"
        assert view.case.seq == 3
        assert [e.type for e in trede.events(case_id)] == [EventType.OPENED, EventType.TRANSITION, EventType.TRANSITION]
        statuses = {d.id: d.status for d in view.case.deadlines.values()}
        assert statuses == {
            "ouders_geinformeerd": "open",
            "onderzoek_termijn": "geannuleerd",
            "einde_maatregel": "open",
        }
        end = next(d for d in view.case.deadlines.values() if d.id == "einde_maatregel")
        assert end.due_date == "2026-03-09" and end.rule == "kalender"
        assert end.calendar_version and end.calendar_version.startswith("kb-")

    def test_unknown_case(self, trede: Trede) -> None:
        with pytest.raises(CaseNotFound):
            trede.show("bestaat-niet")

    def test_replay_equals_the_stored_projection(self, trede: Trede, clock: FixedClock) -> None:
        case_id = _to_maatregel(trede)
        clock.advance(timedelta(days=9))
        trede.run_timers()
        steps = trede.replay(case_id)
        assert steps[-1].after == trede.show(case_id).case.to_dict()
        assert steps[0].before is None and steps[1].before == steps[0].after
        assert trede.verify(case_id).ok

    @ON_DATABASES
    def test_events_are_append_only_in_the_database(self, trede: Trede, db: Engine) -> None:
        case_id = _open(trede)
        for statement in (
            "UPDATE events SET actor = 'iemand' WHERE case_id = :c",
            "DELETE FROM events WHERE case_id = :c",
        ):
            with pytest.raises(DBAPIError, match="niet toegestaan"), db.begin() as conn:
                conn.execute(text(statement), {"c": case_id})
        with pytest.raises(DBAPIError, match="niet toegestaan"), db.begin() as conn:
            conn.execute(text("UPDATE protocol_versions SET title = 'x'"))
        assert len(trede.events(case_id)) == 1

    @pytest.mark.parametrize(
        ("tamper", "first_bad"),
        [("altered", 2), ("column-altered", 3), ("removed", 2), ("last-removed", 3), ("reordered", 2)],
        ids=["altered", "column-altered", "removed", "last-removed", "reordered"],
    )
    def test_verify_names_the_first_tampered_event(self, trede: Trede, store: Store, tamper: str, first_bad: int) -> None:
        case_id = _to_maatregel(trede)
        other = _to_maatregel(trede)
        store.tamper(tamper, case_id)
        result = trede.verify(case_id)
        assert not result.ok
        assert result.first_bad_seq == first_bad
        assert trede.verify(other).ok

    def test_personal_values_stay_out_of_the_record_and_are_checked(self, trede: Trede, store: Store) -> None:
        case_id = _to_maatregel(trede)
        events = trede.events(case_id)
        assert events[0].data["subject"] == "Leerling-K3" and "Leerling-K3" not in (events[0].record or "")
        assert events[2].inputs["motivering"] == "slaan op het plein" and "slaan" not in (events[2].record or "")
        store.tamper("personal-value", case_id)
        result = trede.verify(case_id)
        assert not result.ok and result.first_bad_seq == 3 and "persoonsgegevens" in (result.problem or "")

    @ON_DATABASES
    def test_personal_values_may_only_be_erased_in_the_database(self, trede: Trede, db: Engine) -> None:
        case_id = _to_maatregel(trede)
        with pytest.raises(DBAPIError, match="trede"), db.begin() as conn:  # the guard: erase only
            conn.execute(_CHANGE_PERSONAL, {"c": case_id})
        assert trede.verify(case_id).ok

    def test_verify_notices_a_changed_projection(self, trede: Trede, store: Store) -> None:
        case_id = _to_maatregel(trede)
        store.tamper("projection", case_id)
        result = trede.verify(case_id)
        assert not result.ok and "wijkt af" in (result.problem or "")

    def test_a_failure_midway_writes_nothing(self, trede: Trede, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        case_id = _open(trede)
        store.fail_writing_deadlines(monkeypatch)
        with pytest.raises(RuntimeError):
            trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
        monkeypatch.undo()
        case = trede.show(case_id).case
        assert case.step == "melding" and case.seq == 1 and not case.deadlines
        assert len(trede.events(case_id)) == 1
        assert trede.verify(case_id).ok

    def test_stale_fire_is_a_conflict(self, trede: Trede) -> None:
        case_id = _open(trede)
        trede.fire(case_id, "melden", actor="a", role="leerkracht", inputs={"ernst": "licht"}, expected_seq=1)
        with pytest.raises(ConcurrencyConflict) as caught:
            trede.fire(
                case_id, "afsluiten", actor="b", role="directeur", inputs={"motivering": "klaar"}, expected_seq=1
            )
        assert caught.value.fields["expected"] == 1 and caught.value.fields["actual"] == 2

    def test_concurrent_fires_exactly_one_wins(self, trede: Trede) -> None:
        case_id = _open(trede)
        start = threading.Barrier(4)
        outcomes: list[str] = []

        def fire(n: int) -> None:
            start.wait()
            try:
                trede.fire(
                    case_id,
                    "melden",
                    actor=f"leerkracht{n}",
                    role="leerkracht",
                    inputs={"ernst": "licht"},
                    expected_seq=1,
                )
                outcomes.append("won")
            except ConcurrencyConflict:
                outcomes.append("conflict")

        threads = [threading.Thread(target=fire, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(outcomes) == ["conflict", "conflict", "conflict", "won"]
        assert len(trede.events(case_id)) == 2
        assert trede.verify(case_id).ok

    def test_concurrent_database_race_without_expected_seq(self, trede: Trede) -> None:
        """Two units of work that read the same version: the database lets one commit."""
        case_id = _open(trede)
        case = trede.show(case_id).case
        first = trede.fire(case_id, "melden", actor="a", role="leerkracht", inputs={"ernst": "licht"})
        stale_event = trede.events(case_id)[-1]
        with trede.uow(write=True) as uow, pytest.raises(ConcurrencyConflict):
            uow.cases.record(case, first, stale_event)
        assert len(trede.events(case_id)) == 2

    def test_a_stale_projection_is_a_conflict_even_when_the_seq_is_free(self, trede: Trede, clock: FixedClock) -> None:
        """The second guard: the stored case must still be the one the writer read (UPDATE ...
        WHERE seq = n), also when the event's own seq is not taken."""
        case_id = _open(trede)
        stale = trede.show(case_id).case
        current = trede.fire(case_id, "melden", actor="a", role="leerkracht", inputs={"ernst": "ernstig"})
        act = Act("dhr.bos", "directeur", clock.now(), clock.now())
        inputs = {"motivering": "klaar"}
        event = trede.engine.services.decider.action(trede.protocol(current.protocol_hash), current, "afsluiten", act, inputs)
        with trede.uow(write=True) as uow, pytest.raises(ConcurrencyConflict):
            uow.cases.record(stale, apply(current, event), event)
        assert trede.show(case_id).case.seq == 2 and len(trede.events(case_id)) == 2

    def test_timers_fire_once_in_due_order(self, trede: Trede, clock: FixedClock) -> None:
        a = _to_maatregel(trede)
        clock.advance(timedelta(days=1))
        b = _to_maatregel(trede)
        clock.advance(timedelta(days=30))
        fired = trede.run_timers()
        assert [(e.case_id, e.data["deadline"].split("@")[0]) for e in fired] == [
            (a, "ouders_geinformeerd"),
            (b, "ouders_geinformeerd"),
            (a, "einde_maatregel"),
            (b, "einde_maatregel"),
        ]
        timer = next(e for e in fired if e.type == EventType.TIMER_FIRED)
        assert timer.to_step == "bezwaar" and timer.data["due_at"] < timer.data["fired_at"]
        assert trede.run_timers() == []

    def test_guard_failure_is_recorded_as_expired_timer(self, trede: Trede, clock: FixedClock) -> None:
        case_id = _to_maatregel(trede)
        clock.advance(timedelta(days=8))
        trede.run_timers()
        trede.fire(
            case_id,
            "bezwaar_ontvangen",
            actor="dhr.bos",
            role="directeur",
            inputs={"bezwaar_ontvangen_op": "2026-03-10"},
        )
        with pytest.raises(GuardFailed):
            trede.fire(case_id, "bezwaartermijn_verstreken", actor="dhr.bos", role="directeur")
        clock.advance(timedelta(days=60))
        types = [e.type for e in trede.run_timers()]
        assert EventType.TIMER_EXPIRED in types and EventType.OVERDUE in types
        assert trede.show(case_id).case.step == "bezwaar"

    def test_simulated_time_only_in_a_sandbox(self, store: Store, clock: FixedClock) -> None:
        trede = store.driver(clock, sandbox=False)
        with pytest.raises(SandboxRequired):
            trede.run_timers(until=clock.now() + timedelta(days=1))

    def test_simulated_time_moves_forward_only(self, trede: Trede, clock: FixedClock) -> None:
        trede.advance_clock(clock.now() + timedelta(days=3))
        assert trede.clock.now() == clock.now() + timedelta(days=3)
        with pytest.raises(TimeTravel):
            trede.advance_clock(clock.now())

    def test_changed_content_becomes_the_next_version(self, trede: Trede) -> None:
        changed = PROEF.read_text(encoding="utf-8").replace("Proefprotocol escalatie", "Ander protocol")
        stored, created = trede.load_protocol(load_protocol_text(changed, "changed.yaml"))
        assert created and stored.version == 2
        again, created_again = trede.load_protocol(load_protocol_text(changed, "again.yaml"))
        assert not created_again and again.version == 2

    def test_migrate_moves_a_case_on_the_record(self, trede: Trede) -> None:
        case_id = _to_maatregel(trede)
        renamed = PROEF.read_text(encoding="utf-8").replace("Stap 4: Maatregel", "Stap 4: Tijdelijke maatregel")
        trede.load_protocol(load_protocol_text(renamed, "v2.yaml"))
        case = trede.migrate(case_id, 2, actor="mevr.raad", role="directeur")
        assert case.protocol_version == 2 and case.step == "maatregel"
        assert trede.events(case_id)[-1].type == EventType.MIGRATED
        assert trede.show(case_id).protocol.step("maatregel").label == "Stap 4: Tijdelijke maatregel"
        assert trede.verify(case_id).ok

    def test_a_leerkracht_may_not_migrate_a_case(self, trede: Trede) -> None:
        """Moving a case to another version changes the rules it runs by: the roles that lead
        the case decide it (here the directeur), not a leerkracht who takes steps in it."""
        case_id = _to_maatregel(trede)
        renamed = PROEF.read_text(encoding="utf-8").replace("Stap 4: Maatregel", "Stap 4: Tijdelijke maatregel")
        trede.load_protocol(load_protocol_text(renamed, "v2.yaml"))
        with pytest.raises(PermissionDenied) as caught:
            trede.migrate(case_id, 2, actor="juf.anna", role="leerkracht")
        assert caught.value.message.startswith(
            "Alleen de directeur mag deze zaak naar een andere versie van het protocol overzetten; u werkt hier als leerkracht"
        )
        assert trede.show(case_id).case.protocol_version == 1
        assert trede.migrate(case_id, 2, actor="mevr.raad", role="directeur").protocol_version == 2

    def test_migrate_refuses_a_version_without_the_current_step_or_timer(self, trede: Trede) -> None:
        case_id = _to_maatregel(trede)
        without_timer = PROEF.read_text(encoding="utf-8").replace("einde_maatregel", "einde_sanctie")
        trede.load_protocol(load_protocol_text(without_timer, "v2.yaml"))
        with pytest.raises(MigrationRefused) as caught:
            trede.migrate(case_id, 2, actor="a", role="directeur")
        assert caught.value.fields["deadlines"] == ["einde_maatregel"]
        without_step = PROEF.read_text(encoding="utf-8").replace("maatregel", "sanctie")
        trede.load_protocol(load_protocol_text(without_step, "v3.yaml"))
        with pytest.raises(MigrationRefused) as caught:
            trede.migrate(case_id, 3, actor="a", role="directeur")
        assert caught.value.fields["step"] == "maatregel"
        assert trede.show(case_id).case.protocol_version == 1

    def test_open_case_stays_on_its_protocol_version(self, trede: Trede) -> None:
        case_id = _open(trede)
        bumped = (
            PROEF.read_text(encoding="utf-8")
            .replace("version: 1", "version: 2")
            .replace("Stap 1: Melding", "Stap 1: Signaal")
        )
        trede.load_protocol(load_protocol_text(bumped, "v2.yaml"))
        assert trede.show(case_id).case.protocol_version == 1
        newer = trede.open_case(
            "proef-escalatie", school="de-linde", subject="Leerling-Q9", actor="a", role="leerkracht"
        )
        assert newer.protocol_version == 2
        assert trede.show(newer.id).protocol.step("melding").label == "Stap 1: Signaal"

    def test_effective_date_of_a_past_day(self, trede: Trede) -> None:
        case = trede.open_case(
            "proef-escalatie",
            school="de-linde",
            subject="Leerling-K3",
            actor="a",
            role="leerkracht",
            effective=date(2026, 2, 27),
        )
        assert case.opened_at.date() == date(2026, 2, 27)


def _school(school_id: str) -> SchoolRecord:
    return SchoolRecord(school_id, f"School {school_id}", "stichting-demo", "midden")


def _entry(clock: FixedClock, case_id: str, minutes: int = 0, what: str = "zaak") -> AccessEntry:
    return AccessEntry(clock.now() + timedelta(minutes=minutes), "juf.anna", "leerkracht", case_id, "de-linde", what)


class TestUnitOfWork:
    """What the engine relies on from every unit of work: transactions, savepoints, snapshots,
    the access logs' chains, and the errors and orderings of its repositories."""

    def test_only_a_commit_changes_anything(self, trede: Trede) -> None:
        with trede.uow(write=True) as uow:
            uow.schools.save(_school("niet-bewaard"))
        with pytest.raises(RuntimeError), trede.uow(write=True) as uow:
            uow.schools.save(_school("afgebroken"))
            uow.commit()
            uow.schools.save(_school("na-de-commit"))
            raise RuntimeError("halverwege")
        with trede.uow() as uow:
            assert uow.schools.get("niet-bewaard") is None and uow.schools.get("na-de-commit") is None
            assert uow.schools.get("afgebroken") is not None

    def test_a_savepoint_undoes_only_its_own_part(self, trede: Trede, clock: FixedClock) -> None:
        case_id = _open(trede)
        with trede.uow(write=True) as uow:
            uow.schools.save(_school("ervoor"))
            uow.access_log.add_many([_entry(clock, case_id, what="ervoor")])
            with pytest.raises(RuntimeError), uow.savepoint():
                uow.schools.save(_school("erin"))
                uow.access_log.add_many([_entry(clock, case_id, what="erin")])
                raise RuntimeError("dit deel niet")
            with uow.savepoint():
                uow.schools.save(_school("erna"))
            uow.commit()
        with trede.uow() as uow:
            assert [uow.schools.get(s) is not None for s in ("ervoor", "erin", "erna")] == [True, False, True]
            assert [row.entry.what for row in uow.access_log.chain()] == ["ervoor"]

    def test_a_snapshot_does_not_see_what_is_committed_after_its_first_read(self, trede: Trede, clock: FixedClock) -> None:
        first = _open(trede)
        with trede.engine.services.uow(snapshot=True) as snapshot:
            assert snapshot.cases.ids() == [first]
            clock.advance(timedelta(minutes=1))  # cases are listed oldest first
            second = _open(trede)
            assert snapshot.cases.ids() == [first]
            assert snapshot.cases.get_many([first, second]).keys() == {first}
        with trede.uow() as uow:
            assert uow.cases.ids() == [first, second]

    def test_the_access_logs_are_chained_at_the_commit_and_their_time_never_goes_back(
        self, trede: Trede, clock: FixedClock
    ) -> None:
        case_id = _open(trede)
        with trede.uow(write=True) as uow:
            uow.access_log.add_many([_entry(clock, case_id, 2), _entry(clock, case_id, 1)])
            assert uow.access_log.chain() == []  # appended at the commit, not before
            uow.reporter_log.add_many([_reporter(clock, case_id, 1), _reporter(clock, case_id, 0)])
            uow.commit()
        with trede.uow(write=True) as uow:
            uow.access_log.add_many([_entry(clock, case_id, 0, what="later")])
            uow.commit()
        with trede.uow() as uow:
            chain = uow.access_log.chain()
            reporting = uow.reporter_log.chain()
            newest = uow.access_log.list(None, case_id, limit=2)
        at = clock.now() + timedelta(minutes=2)
        assert [row.entry.at for row in chain] == [at, at, at]  # clamped to the row before
        assert [row.prev_hash for row in chain] == [ACCESS_GENESIS, chain[0].hash, chain[1].hash]
        assert [row.entry.day for row in reporting] == [date(2026, 3, 3)] * 2
        assert [e.what for e in newest] == ["later", "zaak"]
        assert trede.engine.checkpoints.verify_store(OPERATOR).ok

    def test_unknown_things_are_named_errors(self, trede: Trede) -> None:
        case_id = _open(trede)
        with trede.uow() as uow:
            with pytest.raises(ProtocolNotFound):
                uow.protocols.get("bestaat-niet")
            with pytest.raises(ProtocolNotFound):
                uow.protocols.get("proef-escalatie", 7)
            with pytest.raises(ProtocolNotFound):
                uow.protocols.by_hash("0" * 64)
            with pytest.raises(LetterNotFound):
                uow.letters.get(case_id, "geen-brief")
            with pytest.raises(CaseNotFound):
                uow.cases.get("bestaat-niet")
            assert uow.cases.get_many(["bestaat-niet"]) == {}
            assert uow.cases.events("bestaat-niet") == []

    def test_cases_are_listed_oldest_first_and_closed_ones_await_retention(self, trede: Trede, clock: FixedClock) -> None:
        later = _open(trede)
        earlier = trede.open_case(
            "proef-escalatie", school="het-anker", subject="Leerling-Q1", actor="a", role="leerkracht",
            effective=date(2026, 2, 27),
        ).id
        trede.fire(later, "afsluiten", actor="dhr.bos", role="directeur", inputs={"motivering": "klaar"})
        trede.record_departure("de-linde", "Leerling-K3", date(2026, 3, 2), actor="dhr.bos")
        with trede.uow() as uow:
            assert uow.cases.ids() == [earlier, later]
            assert uow.cases.ids(["het-anker"]) == [earlier]
            assert [(c.case_id, c.left_on) for c in uow.cases.closed_unanonymised()] == [(later, date(2026, 3, 2))]
            heads = uow.cases.heads()
        assert [h.case_id for h in heads] == sorted([earlier, later])
        assert {h.case_id: h.seq for h in heads} == {earlier: 1, later: 2}


def _reporter(clock: FixedClock, case_id: str, days: int) -> ReporterEntry:
    return ReporterEntry(clock.now().date() + timedelta(days=days), "lezer", "melder", case_id, "de-linde", "zaak")


class _triggers_disabled:
    """Play the attacker with database access: switch the append-only guard off."""

    def __init__(self, db: Engine) -> None:
        self.db = db

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.ctx = self.db.begin()
        conn = self.ctx.__enter__()
        if self.db.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE events DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER events_no_update"))
            conn.execute(text("DROP TRIGGER events_no_delete"))
        return conn

    def __exit__(self, *exc):  # type: ignore[no-untyped-def]
        return self.ctx.__exit__(*exc)


class TestProposalStore:
    """The protocol proposals log (four eyes): only added to, read back as written, in the
    order recorded, every step chained to the one before it in the whole log."""

    def _step(self, clock: FixedClock, proposal_id: str, kind: str, **kw: object) -> ProposalEntry:
        return ProposalEntry(proposal_id, kind, "proef-escalatie", kw.pop("scope", None), "anna", "protocol_eigenaar", clock.now(), **kw)  # type: ignore[arg-type]

    def test_steps_are_read_back_as_written_in_order_and_chained(self, trede: Trede, clock: FixedClock) -> None:
        first = self._step(clock, "p1", "voorgesteld", text="id: x\n", file="x.yaml", content_hash="c" * 64)
        other = self._step(clock, "p2", "voorgesteld", scope="de-linde", text="id: y\n", file="y.yaml")
        clock.advance(timedelta(minutes=1))
        decided = replace(self._step(clock, "p1", "goedgekeurd", effective_on=date(2026, 3, 9)), actor="bert")
        published = self._step(clock, "p1", "gepubliceerd", version=2, reason="")
        with trede.uow(write=True) as uow:
            for entry in (first, other, decided, published):
                uow.proposals.add(entry)
            uow.commit()
        with trede.uow() as uow:
            everything = uow.proposals.entries()
            one = uow.proposals.entries("p1")
            assert uow.proposals.entries("onbekend") == []
        assert [(e.proposal_id, e.kind) for e in everything] == [
            ("p1", "voorgesteld"), ("p2", "voorgesteld"), ("p1", "goedgekeurd"), ("p1", "gepubliceerd")
        ]
        assert [e.kind for e in one] == ["voorgesteld", "goedgekeurd", "gepubliceerd"]
        assert replace(everything[0], prev_hash="", hash="") == first
        assert everything[1].scope == "de-linde" and everything[2].effective_on == date(2026, 3, 9)
        assert everything[2].actor == "bert" and everything[3].version == 2 and everything[0].at == clock.now() - timedelta(minutes=1)
        assert everything[0].prev_hash == ACCESS_GENESIS
        assert [e.prev_hash for e in everything[1:]] == [e.hash for e in everything[:-1]]
        assert all(e.hash == proposal_chain(e.prev_hash, e) for e in everything)

    def test_a_step_not_committed_is_not_there(self, trede: Trede, clock: FixedClock) -> None:
        with trede.uow(write=True) as uow:
            uow.proposals.add(self._step(clock, "p1", "voorgesteld"))
        with trede.uow() as uow:
            assert uow.proposals.entries() == []

    def test_the_chain_goes_on_across_transactions(self, trede: Trede, clock: FixedClock) -> None:
        for proposal_id in ("p1", "p2"):
            with trede.uow(write=True) as uow:
                uow.proposals.add(self._step(clock, proposal_id, "voorgesteld"))
                uow.commit()
        with trede.uow() as uow:
            first, second = uow.proposals.entries()
        assert second.prev_hash == first.hash != ""

    @ON_DATABASES
    def test_the_database_refuses_changing_or_removing_a_step(self, trede: Trede, clock: FixedClock, db: Engine) -> None:
        with trede.uow(write=True) as uow:
            uow.proposals.add(self._step(clock, "p1", "voorgesteld"))
            uow.commit()
        for attack in ("UPDATE protocol_proposals SET actor = 'bert'", "DELETE FROM protocol_proposals"):
            with pytest.raises(DBAPIError), db.begin() as conn:
                conn.execute(text(attack))


# --- who is asking: the account repositories inside the unit of work ---------------------


def _user(trede: Trede, username: str, *memberships: Membership, email: str | None = None) -> None:
    with trede.uow(write=True) as uow:
        uow.users.add(NewUser(username, username.title(), "b", "$argon2id$stub", memberships, None, email))
        uow.commit()


@ON_DATABASES  # the in-memory store of the fast tests keeps no accounts
class TestAccountStore:
    def test_repositories_never_commit_on_their_own(self, trede: Trede, clock: FixedClock) -> None:
        with trede.uow(write=True) as uow:
            uow.users.add(NewUser("juf.weg", "Weg", "b", "x"))
            uow.sessions.add(StoredSession("h" * 64, "juf.weg", "csrf", clock.now(), clock.now(), True))
            uow.login_attempts.add("juf.weg", "10.0.0.1", clock.now())
        with trede.uow() as uow:  # left without commit: nothing stays
            assert uow.users.account("juf.weg") is None and uow.sessions.get("h" * 64) is None
            assert uow.login_attempts.failures(AttemptQuery(clock.now() - timedelta(hours=1))).count == 0

    def test_users_memberships_and_their_settings(self, trede: Trede) -> None:
        _user(trede, "juf.anna", Membership("leerkracht", "de-linde", frozenset({"5b", "5a"})), Membership("directeur", "de-linde"), email="Anna@School.example")
        _user(trede, "juf.annabel")
        with trede.uow(write=True) as uow:
            users = uow.users
            found = users.account("juf.anna")
            assert found is not None and found.board == "b" and found.display_name == "Juf.Anna"
            assert found.memberships == (
                Membership("leerkracht", "de-linde", frozenset({"5a", "5b"})),
                Membership("directeur", "de-linde"),
            )
            assert users.account("niemand") is None and users.password_hash("niemand") is None
            assert users.password_hash("juf.anna") == "$argon2id$stub"
            assert users.has_users() and [a.username for a in users.accounts()] == ["juf.anna", "juf.annabel"]
            assert users.accounts() == [found, users.account("juf.annabel")]  # the same as one by one
            assert [a.username for a in users.accounts(holding={"directeur"})] == ["juf.anna"]
            assert users.accounts(holding={"auditor"}) == []
            assert users.names_starting("juf.anna") == {"juf.anna", "juf.annabel"}
            assert users.display_names() == {"juf.anna": "Juf.Anna", "juf.annabel": "Juf.Annabel"}
            assert users.with_email("anna@school.EXAMPLE") == ["juf.anna"] and users.with_email("x@y") == []
            users.set_email("juf.annabel", "anna@school.example")
            assert sorted(users.with_email("anna@school.example")) == ["juf.anna", "juf.annabel"]
            assert users.emails() == {"juf.anna": "Anna@School.example", "juf.annabel": "anna@school.example"}
            assert not users.mail_digest("juf.anna") and users.digest_users() == set()
            users.set_mail_digest("juf.anna", True)
            assert users.mail_digest("juf.anna") and users.digest_users() == {"juf.anna"}
            today = date(2026, 3, 2)
            assert users.claim_digest("juf.anna", today) and not users.claim_digest("juf.anna", today)
            assert users.claim_digest("juf.anna", today + timedelta(days=1))
            uow.commit()

    def test_a_one_time_code_step_is_used_once(self, trede: Trede) -> None:
        _user(trede, "mevr.twee")
        with trede.uow(write=True) as uow:
            assert uow.users.totp_secret("mevr.twee") is None
            assert uow.users.use_totp_step("mevr.twee", 100)
            assert not uow.users.use_totp_step("mevr.twee", 100)  # replayed
            assert not uow.users.use_totp_step("mevr.twee", 99)  # older
            assert uow.users.use_totp_step("mevr.twee", 101)
            uow.commit()

    def test_an_import_sets_the_groups_of_a_leerkracht_role(self, trede: Trede) -> None:
        _user(trede, "juf.anna", Membership("leerkracht", "de-linde", frozenset({"5a"})), Membership("leerkracht", "het-anker"))
        _user(trede, "dhr.bos", Membership("directeur", "de-linde"))
        with trede.uow(write=True) as uow:
            roles = uow.users.teacher_roles("de-linde")
            assert list(roles) == ["juf.anna"]
            uow.users.set_groups(roles["juf.anna"], {"6b", "6a"})
            uow.commit()
        with trede.uow() as uow:
            found = uow.users.account("juf.anna")
        assert found is not None and found.memberships[0].groups == {"6a", "6b"} and found.memberships[1].groups == frozenset()

    def test_sessions_by_the_hash_of_their_token_with_a_flash(self, trede: Trede, clock: FixedClock) -> None:
        _user(trede, "juf.anna")
        now = clock.now()
        with trede.uow(write=True) as uow:
            uow.sessions.add(StoredSession("a" * 64, "juf.anna", "csrf-1", now, now, False))
            uow.sessions.seen("a" * 64, now + timedelta(minutes=5))
            uow.sessions.set_flash("a" * 64, {"message": "Vastgelegd: één notitie.", "field": "", "kind": "notice"})
            uow.commit()
        with trede.uow(write=True) as uow:
            found = uow.sessions.get("a" * 64)
            assert found is not None and found.username == "juf.anna" and found.csrf_token == "csrf-1"
            assert found.last_seen == now + timedelta(minutes=5) and found.created_at == now and not found.second_factor_done
            assert found.flash == {"message": "Vastgelegd: één notitie.", "field": "", "kind": "notice"}
            uow.sessions.set_flash("a" * 64, None)
            assert uow.sessions.get("a" * 64).flash is None  # type: ignore[union-attr]
            assert uow.sessions.get("b" * 64) is None
            assert uow.sessions.remove("a" * 64) and not uow.sessions.remove("a" * 64)
            uow.commit()

    def test_api_tokens_live_until_they_expire_or_are_revoked(self, trede: Trede, clock: FixedClock) -> None:
        _user(trede, "juf.anna", Membership("leerkracht", "de-linde"), Membership("directeur", "de-linde"))
        _user(trede, "dhr.bos")
        now = clock.now()
        with trede.uow(write=True) as uow:
            tokens = uow.api_tokens
            tokens.add("abc%_" + "1" * 59, "juf.anna", "koppeling", now, now + timedelta(days=1))
            tokens.add("abcdef" + "2" * 58, "juf.anna", "tweede", now + timedelta(seconds=1), now + timedelta(days=90))
            found = tokens.account("abc%_" + "1" * 59, now)
            assert found is not None and found.username == "juf.anna"
            assert found.memberships == (Membership("leerkracht", "de-linde"), Membership("directeur", "de-linde"))
            assert tokens.account("abc%_" + "1" * 59, now + timedelta(days=1)) is None  # expired
            assert tokens.account("0" * 64, now) is None
            assert [(t.id, t.label) for t in tokens.list("juf.anna")] == [("abc%_" + "1" * 7, "koppeling"), ("abcdef222222", "tweede")]
            assert not tokens.revoke("dhr.bos", "abcdef22")  # someone else's
            assert not tokens.revoke("juf.anna", "abc_ef22")  # no wildcard: "_" is a character here
            assert tokens.revoke("juf.anna", "abcdef22") and tokens.account("abcdef" + "2" * 58, now) is None
            assert [t.revoked for t in tokens.list("juf.anna")] == [False, True]
            uow.commit()

    def test_one_live_calendar_feed_per_user(self, trede: Trede, clock: FixedClock) -> None:
        _user(trede, "dhr.bos")
        with trede.uow(write=True) as uow:
            uow.feeds.replace("f1", "dhr.bos", clock.now())
            assert uow.feeds.owner("f1") == "dhr.bos"
            uow.feeds.replace("f2", "dhr.bos", clock.now())
            assert uow.feeds.owner("f1") is None and uow.feeds.owner("f2") == "dhr.bos"
            uow.feeds.revoke_all("dhr.bos")
            assert uow.feeds.owner("f2") is None
            uow.commit()

    def test_identities_link_once_and_pending_logins_are_taken_once(self, trede: Trede, clock: FixedClock) -> None:
        _user(trede, "juf.anna")
        now = clock.now()
        with trede.uow(write=True) as uow:
            ids = uow.identities
            assert ids.linked_user("https://idp", "sub-1") is None
            ids.link("https://idp", "sub-1", "juf.anna", "e-mail", now)
            assert ids.linked_user("https://idp", "sub-1") == "juf.anna" and ids.linked_user("https://other", "sub-1") is None
            assert ids.subject_of("https://idp", "juf.anna") == "sub-1"
            ids.unlink("https://idp", "sub-1")
            assert ids.linked_user("https://idp", "sub-1") is None
            pending = uow.pending_logins
            pending.add(PendingLogin("s1", "nonce", "verifier", "/zaken", now - timedelta(minutes=20)))
            pending.add(PendingLogin("s2", "nonce2", "verifier2", "/", now))
            assert pending.take("s2") == PendingLogin("s2", "nonce2", "verifier2", "/", now)
            assert pending.take("s2") is None  # a state works once
            pending.forget_before(now - timedelta(minutes=10))
            assert pending.take("s1") is None
            uow.commit()

    def test_login_attempts_are_counted_by_client_name_and_trust(self, trede: Trede, clock: FixedClock) -> None:
        now = clock.now()
        device = DEVICE_PREFIX + "abc"
        with trede.uow(write=True) as uow:
            attempts = uow.login_attempts
            attempts.lock()
            first = attempts.add("juf.anna", "10.0.0.1", now - timedelta(minutes=1))
            attempts.add("juf.anna", "10.0.0.1", now)
            attempts.add("juf.anna", device, now)
            attempts.add("dhr.bos", "10.0.0.1", now)
            attempts.add("juf.anna", "10.0.0.2", now - timedelta(hours=1))  # outside the window
            since = now - timedelta(minutes=15)
            assert attempts.failures(AttemptQuery(since)) == Failures(4, now)
            assert attempts.failures(AttemptQuery(since, client="10.0.0.1", username="juf.anna")).count == 2
            assert attempts.failures(AttemptQuery(since, client="10.0.0.1")).count == 3
            assert attempts.failures(AttemptQuery(since, username="juf.anna", untrusted=True)).count == 2
            assert attempts.failures(AttemptQuery(since, client=device)).count == 1
            attempts.succeeded(first)
            assert attempts.failures(AttemptQuery(since, client="10.0.0.1", username="juf.anna")) == Failures(1, now)
            assert attempts.failures(AttemptQuery(since, client="10.9.9.9")) == Failures(0, None)
            uow.commit()

    def test_notifications_are_recorded_once_and_sent_once(self, trede: Trede, clock: FixedClock) -> None:
        case_id = _open(trede)
        _user(trede, "juf.anna")
        _user(trede, "dhr.bos")
        now = clock.now()
        notices = [
            Notice(case_id, "t@1", "verlopen", "juf.anna", "mail", "2026-03-03"),
            Notice(case_id, "t@1", "verlopen", "dhr.bos", "mail", "2026-03-03"),
            Notice(case_id, "t@1", "verlopen", "juf.anna", "app", "2026-03-03"),
        ]
        with trede.uow() as uow:
            assert uow.notifications.record([*notices, notices[0]], now) == 3
            assert uow.notifications.record(notices, now) == 0
            assert uow.notifications.record([], now) == 0
            uow.commit()
        with trede.uow() as uow:
            first = uow.notifications.next_unsent("mail", skip={"dhr.bos"})
            assert first is not None and (first.username, first.channel, first.created_at) == ("juf.anna", "mail", now)
            uow.notifications.mark_sent([first.id], now)
            second = uow.notifications.next_unsent("mail")
            assert second is not None and second.username == "dhr.bos"
            assert [n.username for n in uow.notifications.unsent("dhr.bos", "mail")] == ["dhr.bos"]
            uow.notifications.mark_sent([n.id for n in uow.notifications.unsent("dhr.bos", "mail")], now)
            assert uow.notifications.next_unsent("mail") is None and uow.notifications.next_unsent("app") is not None
            assert [n.channel for n in uow.notifications.of_user("juf.anna", "app", 10)] == ["app"]
            uow.commit()


# --- incident registration (issue 28) ------------------------------------------------------

INCIDENT_CATEGORIES = Path(__file__).parents[2] / "protocols" / "categorieen" / "incidenten.yaml"
REPORT_PROTOCOL = Path(__file__).parents[2] / "protocols" / "melding-ernstig-incident.yaml"


def _incidents_ready(trede: Trede) -> None:
    trede.engine.incidents.load_categories(OPERATOR, INCIDENT_CATEGORIES.read_text(encoding="utf-8"), "incidenten.yaml")
    trede.load_protocol(load_protocol_text(REPORT_PROTOCOL.read_text(encoding="utf-8"), str(REPORT_PROTOCOL)))


def test_an_incident_is_recorded_on_its_own_listed_and_linked_to_a_case_later(trede: Trede) -> None:
    _incidents_ready(trede)
    anna = person("juf.anna", "leerkracht", school="de-linde")
    incident = trede.engine.incidents.record(
        anna, school="de-linde", kind="pesten", place="plein", seriousness="middel", happened=date(2026, 3, 2),
        involved=[("Leerling-Mees", "slachtoffer"), ("Leerling-Bram", "dader")],
    )
    assert incident.cases == () and incident.report_case is None and not incident.serious
    assert incident.categories_version == 1 and incident.recorded_by == "juf.anna"
    assert [i.id for i in trede.engine.incidents.at_school(anna, "de-linde")] == [incident.id]
    case = trede.open_case("proef-escalatie", school="de-linde", subject="Leerling-Mees", actor="juf.anna", role="leerkracht")
    everyone = trede.everyone()
    linked = trede.engine.incidents.link(person("juf.anna", "leerkracht", *everyone.roles(), school="de-linde"), incident.id, case.id)
    assert linked.cases == (case.id,)
    assert [i.id for i in trede.engine.reads.detail(everyone, case.id).incidents] == [incident.id]  # the case page
    with trede.uow() as uow:
        logged = [e for e in uow.access_log.list(None) if e.case_id == f"incident:{incident.id}"]
    assert {e.what for e in logged} >= {"incidenten", "incident", "zaak-incidenten"}
    assert all(e.school == "de-linde" for e in logged)


def test_a_teacher_of_another_school_sees_no_incident_and_records_none_there(trede: Trede) -> None:
    _incidents_ready(trede)
    anna = person("juf.anna", "leerkracht", school="de-linde")
    incident = trede.engine.incidents.record(
        anna, school="de-linde", kind="pesten", place="klas", seriousness="licht", happened=date(2026, 3, 2)
    )
    piet = person("meester.piet", "leerkracht", school="het-anker")
    with pytest.raises(PermissionDenied):
        trede.engine.incidents.at_school(piet, "de-linde")
    with pytest.raises(IncidentNotFound):
        trede.engine.incidents.get(piet, incident.id)
    with pytest.raises(PermissionDenied):
        trede.engine.incidents.record(piet, school="de-linde", kind="pesten", place="klas", seriousness="licht", happened=date(2026, 3, 2))
    assert trede.engine.incidents.at_school(piet, "het-anker") == []


def test_a_serious_incident_without_its_report_protocol_is_refused_and_nothing_is_recorded(trede: Trede) -> None:
    trede.engine.incidents.load_categories(OPERATOR, INCIDENT_CATEGORIES.read_text(encoding="utf-8"), "incidenten.yaml")
    trede.engine.incidents.switch_bill(OPERATOR, "stichting-demo", True)
    anna = person("juf.anna", "leerkracht", school="de-linde")
    with pytest.raises(InputError) as refused:
        trede.engine.incidents.record(
            anna, school="de-linde", kind="fysiek_geweld_letsel", place="plein", seriousness="ernstig", happened=date(2026, 3, 2)
        )
    assert refused.value.fields["field"] == "protocol" and "melding-ernstig-incident" in refused.value.message
    assert trede.engine.incidents.at_school(anna, "de-linde") == []


def test_a_serious_incident_opens_its_report_only_when_the_board_switched_the_bill_on(trede: Trede) -> None:
    _incidents_ready(trede)
    anna = person("juf.anna", "leerkracht", school="de-linde")
    off = trede.engine.incidents.record(
        anna, school="de-linde", kind="fysiek_geweld_letsel", place="plein", seriousness="ernstig", happened=date(2026, 3, 2)
    )
    assert off.serious and off.report_case is None and "staat voor dit bestuur uit" in off.report_none_because
    trede.engine.incidents.switch_bill(OPERATOR, "stichting-demo", True)
    on = trede.engine.incidents.record(
        anna, school="de-linde", kind="fysiek_geweld_letsel", place="plein", seriousness="ernstig", happened=date(2026, 3, 2),
        involved=[("Leerling-Mees", "slachtoffer")],
    )
    assert on.report_case is None  # the teacher may not open the report case: it is not named to her
    on = trede.engine.incidents.get(person("dhr.bos", "directeur", school="de-linde"), on.id)
    assert on.report_case is not None
    case = trede.show(on.report_case).case
    assert case.step == "te_melden" and case.facts["meldtermijn"] == "5 werkdagen"
    assert "Leerling-Mees" not in json_dump(case.facts)  # the report carries counts, not pseudonyms
    due = {d.id: d.due_date for d in case.deadlines.values()}
    # recorded Monday 2-3-2026; five werkdagen from the day after: Tue 3 .. Mon 9 March
    assert str(due["melding_ernstig_incident"]) == "2026-03-09"


def test_the_incident_log_chains_and_new_categories_are_a_new_version(trede: Trede) -> None:
    _incidents_ready(trede)
    text_v2 = INCIDENT_CATEGORIES.read_text(encoding="utf-8").replace("label: Pesten,", "label: Pesten of buitensluiten,")
    loaded, new = trede.engine.incidents.load_categories(OPERATOR, text_v2, "v2.yaml")
    assert new and loaded.version == 2 and loaded.kinds["pesten"].label == "Pesten of buitensluiten"
    assert trede.engine.incidents.load_categories(OPERATOR, text_v2, "v2.yaml")[1] is False
    anna = person("juf.anna", "leerkracht", school="de-linde")
    incident = trede.engine.incidents.record(anna, school="de-linde", kind="pesten", place="klas", seriousness="licht", happened=date(2026, 3, 2))
    assert incident.categories_version == 2
    report = trede.engine.checkpoints.verify_store(OPERATOR)
    assert report.ok, report.problems


def json_dump(value: object) -> str:
    return json.dumps(value)


def test_report_counts_are_the_cases_counted_one_by_one(trede: Trede, clock: FixedClock) -> None:
    """The report's counts per (protocol version, school, group): cases per step and closed,
    deadlines per due month and status, the times a step was left and the microseconds spent
    in it, as counting each stored case and its events gives them."""
    opened = [_to_maatregel(trede) for _ in range(2)]
    clock.advance(timedelta(days=1, seconds=7, microseconds=123))
    opened.append(_open(trede))
    trede.fire(opened[-1], "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
    clock.advance(timedelta(days=9))
    trede.run_timers()
    services = trede.engine.services
    with services.uow() as uow:
        cases = uow.cases.get_many(opened)
        events = uow.cases.events_many(opened)
        hashes = {c.protocol_hash for c in cases.values()}
        counted = uow.cases.report_counts(None, hashes)
        at_school = uow.cases.report_counts({"de-linde"}, hashes)
        elsewhere = uow.cases.report_counts({"het-anker"}, hashes)
        other_protocol = uow.cases.report_counts(None, {"0" * 64})
    steps: dict[object, int] = {}
    deadlines: dict[object, int] = {}
    times: dict[object, tuple[int, int]] = {}
    for case in cases.values():
        key = (case.protocol_hash, case.school, case.group)
        steps[(key, case.step, case.closed)] = steps.get((key, case.step, case.closed), 0) + 1
        for d in case.deadlines.values():
            if d.due_date:
                deadlines[(key, d.due_date[:7], d.status)] = deadlines.get((key, d.due_date[:7], d.status), 0) + 1
        entered = None
        for e in events[case.id]:
            if e.to_step and e.to_step != e.from_step:
                if entered is not None and e.from_step:
                    n, spent = times.get((key, e.from_step), (0, 0))
                    times[(key, e.from_step)] = (n + 1, spent + (e.effective_at - entered) // timedelta(microseconds=1))
                entered = e.effective_at
    assert counted.steps == at_school.steps == steps and len(steps) >= 2
    assert counted.deadlines == at_school.deadlines == deadlines and deadlines
    assert counted.step_times == at_school.step_times == times and times
    assert elsewhere.steps == elsewhere.deadlines == elsewhere.step_times == {}
    assert other_protocol.steps == {}
