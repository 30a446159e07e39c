"""Group commit on SQLite and PostgreSQL: concurrent fires share a commit, a failing fire is
undone alone by its savepoint, and every answer comes after the commit that holds it."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

from adapters.sql.driver import DriverCases
from adapters.sql.parallel import ProcessVerifier
from engine.access import OPERATOR
from engine.errors import CaseNotFound, ConcurrencyConflict, InputError, StorageError, TredeError
from engine.ports import UnitOfWork
from engine.usecases.cases import Firing
from tests.integration.test_store_contract import _triggers_disabled
from tests.support import Driver as Trede
from tests.support import person

TEACHER = person("juf.anna", "leerkracht", school="de-linde")


def _open_cases(trede: Trede, n: int) -> list[str]:
    return [
        trede.open_case(
            "proef-escalatie", school="de-linde", subject=f"Leerling-G{i}", actor="juf.anna", role="leerkracht"
        ).id
        for i in range(n)
    ]


def _hold_the_writer(trede: Trede) -> tuple[threading.Event, threading.Thread]:
    """A piece of work that keeps the writer busy until released, so that the fires
    started meanwhile queue up and go into one batch."""
    started, release = threading.Event(), threading.Event()

    def hold(uow: UnitOfWork) -> None:
        started.set()
        release.wait(10)

    holder = threading.Thread(target=trede.engine.services.commits.run, args=(hold,))
    holder.start()
    assert started.wait(10)
    return release, holder


def _wait_queued(trede: Trede, n: int) -> None:
    queue = trede.engine.services.commits._queue
    for _ in range(2000):
        if queue.qsize() >= n:
            return
        threading.Event().wait(0.005)
    raise AssertionError(f"{queue.qsize()} of {n} fires queued")


class TestGroupCommit:
    def test_concurrent_fires_share_one_commit_and_a_failing_fire_leaves_its_batch_mates_recorded(
        self, trede: Trede
    ) -> None:
        cases = _open_cases(trede, 6)
        outcomes: dict[int, Any] = {}

        def fire(n: int) -> None:
            # case 2 is asked at a version it is no longer at; a fire on a case that does not exist fails too
            request = Firing("melden", "leerkracht", {"ernst": "licht"}, expected_seq=5 if n == 2 else None)
            case_id = cases[n] if n < len(cases) else "bestaat-niet"
            try:
                outcomes[n] = trede.engine.cases.fire_and_show(TEACHER, case_id, request).case.seq
            except (ConcurrencyConflict, CaseNotFound) as exc:
                outcomes[n] = type(exc).__name__

        before = trede.engine.services.commits.figures()
        release, holder = _hold_the_writer(trede)
        threads = [threading.Thread(target=fire, args=(n,)) for n in range(7)]
        for t in threads:
            t.start()
        _wait_queued(trede, 7)
        assert outcomes == {}  # nobody is answered before their commit
        release.set()
        for t in [holder, *threads]:
            t.join(10)

        assert outcomes == {0: 2, 1: 2, 2: "ConcurrencyConflict", 3: 2, 4: 2, 5: 2, 6: "CaseNotFound"}
        after = trede.engine.services.commits.figures()
        assert after.batches - before.batches == 2  # the holder, then all seven fires together
        assert after.largest == 7
        for n, case_id in enumerate(cases):
            assert len(trede.events(case_id)) == (1 if n == 2 else 2)
            assert trede.verify(case_id).ok
        with trede.uow() as uow:
            logged = [e.case_id for e in uow.access_log.list(None) if e.what == "api"]
        assert sorted(logged) == sorted(c for n, c in enumerate(cases) if n != 2)

    def test_two_fires_on_one_case_in_one_batch_the_second_sees_the_first(self, trede: Trede) -> None:
        """A batch reads its locked cases once; a case written since is read again, so the
        second fire meets the step the first moved it to (not a stale copy)."""
        (case_id,) = _open_cases(trede, 1)
        outcomes: list[object] = []

        def fire() -> None:
            try:
                shown = trede.engine.cases.fire_and_show(TEACHER, case_id, Firing("melden", "leerkracht", {"ernst": "licht"}))
                outcomes.append(shown.case.seq)
            except TredeError as exc:
                outcomes.append(type(exc).__name__)

        before = trede.engine.services.commits.figures()
        release, holder = _hold_the_writer(trede)
        threads = [threading.Thread(target=fire) for _ in range(2)]
        for n, t in enumerate(threads, start=1):
            t.start()
            _wait_queued(trede, n)
        release.set()
        for t in [holder, *threads]:
            t.join(10)

        assert sorted(map(str, outcomes)) == ["2", "TransitionNotAllowed"]
        # the holder, then both fires together: no conflict on a stale copy, and so no retry
        assert trede.engine.services.commits.figures().batches - before.batches == 2
        assert len(trede.events(case_id)) == 2 and trede.verify(case_id).ok

    def test_what_a_failing_piece_wrote_before_it_failed_is_undone_by_its_savepoint(self, trede: Trede) -> None:
        cases = _open_cases(trede, 2)
        commits = trede.engine.services.commits
        errors: list[Exception] = []

        def writes_then_fails(uow: UnitOfWork) -> None:
            case = uow.cases.get(cases[0])
            uow.settings.note("half", "geschreven")
            raise InputError("stand", f"geen getal in {case.id}")

        def fails() -> None:
            try:
                commits.run(writes_then_fails)
            except InputError as exc:
                errors.append(exc)

        release, holder = _hold_the_writer(trede)
        failing = threading.Thread(target=fails)
        failing.start()
        _wait_queued(trede, 1)
        firing = threading.Thread(
            target=trede.engine.cases.fire_and_show,
            args=(TEACHER, cases[1], Firing("melden", "leerkracht", {"ernst": "licht"})),
        )
        firing.start()
        _wait_queued(trede, 2)
        release.set()
        for t in (holder, failing, firing):
            t.join(10)

        assert [e.fields["field"] for e in errors] == ["stand"]
        with trede.uow() as uow:
            assert uow.settings.noted("half") is None
        assert len(trede.events(cases[1])) == 2 and trede.verify(cases[1]).ok

    def test_a_read_is_answered_after_its_access_log_row_is_committed(self, trede: Trede) -> None:
        (case_id,) = _open_cases(trede, 1)
        shown: list[str] = []
        release, holder = _hold_the_writer(trede)
        reader = threading.Thread(target=lambda: shown.append(trede.engine.reads.case(TEACHER, case_id).case.id))
        reader.start()
        _wait_queued(trede, 1)
        assert shown == []  # the view waits for its log row
        with trede.uow() as uow:
            assert [e for e in uow.access_log.list(None, case_id) if e.what == "zaak"] == []
        release.set()
        for t in (holder, reader):
            t.join(10)
        assert shown == [case_id]
        with trede.uow() as uow:
            assert [e.username for e in uow.access_log.list(None, case_id) if e.what == "zaak"] == ["juf.anna"]


    def test_the_writer_keeps_one_connection_across_batches_and_takes_a_fresh_one_after_a_failure(
        self, trede: Trede, db: Engine
    ) -> None:
        cases = _open_cases(trede, 3)
        commits = trede.engine.services.commits
        checkouts: list[str] = []

        def checked_out(*_: Any) -> None:
            checkouts.append(threading.current_thread().name)

        def broken(uow: UnitOfWork) -> None:
            uow.settings.note("eerst", "x")
            raise OperationalError("SELECT", {}, Exception("verbinding verbroken"))

        event.listen(db, "checkout", checked_out)
        try:
            commits.run(lambda uow: None)  # the writer starts (and may have to open its connection)
            checkouts.clear()
            for case_id in cases:  # three batches, one after another
                commits.run(lambda uow, case_id=case_id: uow.cases.get(case_id))
            kept = [name for name in checkouts if name == "trede-group-commit"]
            with pytest.raises(StorageError):
                commits.run(broken)
            commits.run(lambda uow: uow.settings.note("daarna", "y"))
            after_failure = [name for name in checkouts if name == "trede-group-commit"]
        finally:
            event.remove(db, "checkout", checked_out)
        assert kept == []  # no trip to the pool per batch
        assert len(after_failure) == 1  # the failed batch's connection was not used again
        with trede.uow() as uow:
            assert uow.settings.noted("eerst") is None and uow.settings.noted("daarna") == "y"


    def test_reads_side_by_side_in_a_batch_read_their_cases_together_and_see_a_fire_before_them(
        self, trede: Trede, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        cases = _open_cases(trede, 3)
        statements: list[list[str]] = []
        get_many = DriverCases.get_many

        def counted(driver: DriverCases, case_ids: Sequence[str]) -> dict[str, Any]:
            statements.append(sorted(case_ids))
            return get_many(driver, case_ids)

        monkeypatch.setattr(DriverCases, "get_many", counted)
        release, holder = _hold_the_writer(trede)
        fired = trede.engine.cases.fire_and_show_pending(TEACHER, cases[0], Firing("melden", "leerkracht", {"ernst": "licht"}))
        reads = [trede.engine.reads.case_pending(TEACHER, case_id) for case_id in cases]
        refused = trede.engine.reads.case_pending(person("meester.erik", "leerkracht", school="het-anker"), cases[1])
        _wait_queued(trede, 5)
        statements.clear()
        release.set()
        holder.join(10)

        assert fired.result().case.seq == 2
        assert [r.result().case.seq for r in reads] == [2, 1, 1]  # the first read sees the fire before it
        with pytest.raises(CaseNotFound):
            refused.result()
        assert sorted(cases) in statements  # the run of reads: one statement for its cases
        assert [cases[2]] not in statements
        assert statements.count([cases[1]]) == 1  # read twice in the run: the second read is its own
        with trede.uow() as uow:
            logged = [e.case_id for e in uow.access_log.list(None, None) if e.what == "zaak"]
        assert sorted(logged) == sorted(cases)  # a row per read shown, none for the refused one


class TestParallelVerification:
    def test_every_case_verified_in_worker_processes_finds_the_same_altered_case(
        self, trede: Trede, db: Engine
    ) -> None:
        cases = _open_cases(trede, 9)
        for case_id in cases:
            trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
        with _triggers_disabled(db) as conn:
            conn.execute(text("UPDATE events SET actor = 'vervalst' WHERE case_id = :c AND seq = 2"), {"c": cases[4]})
        services = trede.engine.services
        in_process = [(r.case_id, r.ok, r.first_bad_seq) for r in trede.engine.reads.verify_all(OPERATOR, chunk=2)]
        services.parallel_verifier = ProcessVerifier(db.url.render_as_string(hide_password=False), processes=2)
        in_parallel = [(r.case_id, r.ok, r.first_bad_seq) for r in trede.engine.reads.verify_all(OPERATOR, chunk=2)]
        assert in_parallel == in_process  # five chunks over two processes, results in the same order
        assert [(c, seq) for c, ok, seq in in_parallel if not ok] == [(cases[4], 2)]
        assert len(in_parallel) == 9


def test_a_connection_starts_with_trede_s_settings(db: Engine) -> None:
    """PostgreSQL: no JIT compilation (it cost the yearly report more than it saved,
    adapters/sql/database.py). SQLite: WAL, a busy timeout and foreign keys."""
    with db.connect() as conn:
        if db.dialect.name == "postgresql":
            assert conn.execute(text("SHOW jit")).scalar_one() == "off"
        else:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 30000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
