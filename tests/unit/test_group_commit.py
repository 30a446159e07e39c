"""Group commit without a database: batching, isolation of a failing piece, and what a
failed commit tells every writer. The SQL behaviour is in tests/integration/test_group_commit.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from engine.commits import GroupCommit
from engine.errors import InputError, StorageError


class FakeUnitOfWork:
    """Records what each transaction wrote; a savepoint left by an exception drops its part."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.pending: list[str] = []

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pending = []

    @contextmanager
    def savepoint(self) -> Iterator[object]:
        mark = len(self.pending)
        try:
            yield None
        except Exception:
            del self.pending[mark:]
            raise

    def write(self, value: str) -> None:
        self.pending.append(value)

    def commit(self) -> None:
        if self.store.fail_commit:
            raise StorageError("De database gaf een fout; er is niets vastgelegd (schijf vol).")
        self.store.commits.append(list(self.pending))
        self.pending = []


class FakeStore:
    def __init__(self) -> None:
        self.commits: list[list[str]] = []
        self.fail_commit = False
        self.held_by: list[str] = []  # the threads that kept a connection, once each

    @contextmanager
    def held(self) -> Iterator[None]:
        self.held_by.append(threading.current_thread().name)
        yield

    def __call__(self, *, write: bool = False, snapshot: bool = False) -> Any:
        assert write, "the group commit only writes"
        return FakeUnitOfWork(self)


def test_a_single_writer_commits_at_once_and_gets_its_result() -> None:
    store = FakeStore()
    commits = GroupCommit(store)
    assert commits.run(lambda uow: uow.write("a") or "klaar") == "klaar"
    assert store.commits == [["a"]]


def test_the_writer_keeps_its_connection_for_its_life() -> None:
    store = FakeStore()
    commits = GroupCommit(store, idle_seconds=60)  # no pause between these runs ends the writer
    for name in "abc":
        commits.run(lambda uow, name=name: uow.write(name))
    assert store.commits == [["a"], ["b"], ["c"]]
    assert store.held_by == ["trede-group-commit"]


def test_concurrent_writers_share_commits_and_a_failing_one_does_not_take_its_batch_down() -> None:
    store = FakeStore()
    commits = GroupCommit(store)
    gate, started = threading.Event(), threading.Event()
    results: dict[int, object] = {}

    def first(uow: Any) -> str:
        started.set()
        gate.wait(5)  # holds the writer, so the others queue up behind it
        uow.write("first")
        return "first"

    def piece(n: int) -> Any:
        def work(uow: Any) -> int:
            uow.write(f"w{n}")
            if n == 3:
                raise InputError("stand", "geen getal")
            return n

        return work

    def writer(n: int) -> None:
        try:
            results[n] = commits.run(piece(n))
        except InputError as exc:
            results[n] = exc

    holder = threading.Thread(target=lambda: commits.run(first))
    holder.start()
    assert started.wait(5)
    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    while _queued(commits) < 8:
        threading.Event().wait(0.001)
    gate.set()
    for t in [holder, *threads]:
        t.join(5)

    assert isinstance(results[3], InputError)
    assert {n: r for n, r in results.items() if n != 3} == {n: n for n in range(8) if n != 3}
    written = [value for batch in store.commits for value in batch]
    assert sorted(written) == sorted(["first"] + [f"w{n}" for n in range(8) if n != 3])
    assert len(store.commits) == 2  # the first alone, then the eight that waited, in one commit
    assert commits.figures().largest == 8


def test_a_failed_commit_tells_every_writer_of_the_batch_that_nothing_was_recorded() -> None:
    store = FakeStore()
    store.fail_commit = True
    commits = GroupCommit(store)
    with pytest.raises(StorageError, match="niets vastgelegd"):
        commits.run(lambda uow: uow.write("a"))
    store.fail_commit = False
    assert commits.run(lambda uow: uow.write("b") or 1) == 1
    assert store.commits == [["b"]]


def test_an_idle_writer_thread_ends_and_the_next_write_starts_another() -> None:
    store = FakeStore()
    commits = GroupCommit(store, idle_seconds=0.01)
    commits.run(lambda uow: uow.write("a"))
    for _ in range(500):
        if not commits._running:  # its own writer ended (other tests' writers may still idle)
            break
        threading.Event().wait(0.01)
    else:
        pytest.fail("the idle writer thread did not end")
    commits.run(lambda uow: uow.write("b"))
    assert store.commits == [["a"], ["b"]]


def _queued(commits: GroupCommit) -> int:
    return commits._queue.qsize()


def test_a_submitted_write_is_told_after_its_commit_and_answers_in_the_asking_thread() -> None:
    store = FakeStore()
    commits = GroupCommit(store)
    gate = threading.Event()
    told: list[list[list[str]]] = []
    finished_in: list[str] = []

    def held(uow: Any) -> str:
        gate.wait(5)  # the writer is busy: the callback cannot have come yet
        uow.write("x")
        return "geschreven"

    def finish(value: str) -> str:
        finished_in.append(threading.current_thread().name)
        return value.upper()

    pending = commits.submit(held, finish=finish)
    pending.when_done(lambda: told.append([list(c) for c in store.commits]))
    assert told == []
    gate.set()
    assert pending.result() == "GESCHREVEN"
    assert told == [[["x"]]]  # the callback saw the commit already made
    assert finished_in == [threading.current_thread().name]  # not the writer's thread
    later: list[bool] = []
    pending.when_done(lambda: later.append(True))  # once settled, a callback runs at once
    assert later == [True]


def test_a_submitted_write_that_fails_is_told_too_and_its_error_raised_by_result() -> None:
    store = FakeStore()
    commits = GroupCommit(store)
    store.fail_commit = True
    pending = commits.submit(lambda uow: uow.write("y"))
    settled = threading.Event()
    pending.when_done(settled.set)
    assert settled.wait(5)
    assert isinstance(pending.error, StorageError)
    with pytest.raises(StorageError):
        pending.result()
    assert store.commits == []


def test_a_failing_callback_neither_keeps_other_writers_waiting_nor_stops_the_writer() -> None:
    store = FakeStore()
    commits = GroupCommit(store)
    gate = threading.Event()
    first = commits.submit(lambda uow: gate.wait(5) and uow.write("a"))
    second = commits.submit(lambda uow: uow.write("b"))

    def broken() -> None:
        raise RuntimeError("the event loop has closed")

    first.when_done(broken)
    told: list[str] = []
    first.when_done(lambda: told.append("a"))
    gate.set()
    first.result()
    second.result()
    assert told == ["a"]
    assert commits.run(lambda uow: uow.write("c") or "verder") == "verder"  # the writer still writes
    assert [v for c in store.commits for v in c] == ["a", "b", "c"]
