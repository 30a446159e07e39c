"""Group commit: concurrent writers share one transaction, and so one fsync.

A durable write costs one flush of the log to disk; on a school's server that flush, not
the SQL, bounds how many actions per second trede records. Writers hand their work to one
writer thread per process. While it commits one batch, the next gathers; the writer runs
each piece of work in its own savepoint and answers every writer only after the commit
that holds its rows. A piece that fails is undone alone: the batch is redone with a
savepoint per piece, and its batch-mates commit. A single writer waits for nothing: a
batch starts as soon as the writer is free. Pieces are database work only (no mail, no
files), so redoing one before anything was committed is harmless. A piece may ask to be
committed apart (``apart``): in a batch of such pieces only. A view in a reporting role is:
its row in the melders' log must not share a transaction with the named rows of that
person's other reads (rows of several such views may share one).

A writer either waits in its own thread (``run``) or hands its work over and is told when
it is durable (``submit``, ``Pending.when_done``): an event loop then awaits the commit
without a thread of its own blocked on it.

Lock order. Several processes each run a writer, and a batch holds what it locked until its
commit. A batch therefore first locks every case its pieces name (``run(..., cases=...)``),
all at once and in sorted id order, before any piece runs; and the hash-chained logs are
extended only at the commit (the unit of work defers them), so their lock is always taken
last. Two batches thus take their locks in one order and cannot deadlock; and a piece reads
its case under the lock, so it never loses a race to another process's batch.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from engine.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")
U = TypeVar("U")
Work = Callable[[UnitOfWork], T]

MAX_BATCH = 64  # bounds a batch's transaction (locks held, memory, the cost of a failed commit)
IDLE_SECONDS = 2.0  # an idle writer thread ends; the next write starts a new one


class Pending(Generic[T]):
    """What a write gives once the commit that holds it is durable (or why it failed).
    ``finish`` turns the work's result into the answer, in the thread that asks for it
    (not in the writer's: the writer only writes)."""

    def __init__(self, finish: Callable[[Any], T] | None = None) -> None:
        self._finish = finish
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] | None = []
        self._value: Any = None
        self._error: BaseException | None = None

    def settle(self, value: Any, error: BaseException | None) -> None:
        """Called once: by the writer after the commit (or the failure), or by whoever passes
        another write's outcome on. Then the callbacks run, in the settling thread."""
        with self._lock:
            self._value, self._error = value, error
            callbacks, self._callbacks = self._callbacks or [], None
        self._done.set()
        for callback in callbacks:
            try:
                callback()
            except Exception:  # one failing callback must neither stop the others nor the writer thread
                continue

    def when_done(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (no arguments; it must be quick and must not raise) once settled:
        at once when it already is."""
        with self._lock:
            if self._callbacks is not None:
                self._callbacks.append(callback)
                return
        callback()

    @property
    def error(self) -> BaseException | None:
        return self._error

    @property
    def value(self) -> Any:
        """The work's own result (before ``finish``), once settled without error."""
        return self._value

    def result(self) -> T:
        """The answer, waiting for the commit; the work's (or the commit's) error raised."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._finish(self._value) if self._finish is not None else self._value


@dataclass(eq=False)
class _Job(Generic[T]):
    work: Work[T]
    cases: tuple[str, ...]
    outcome: Pending[T]
    apart: bool = False
    reads: tuple[str, ...] = ()
    result: T | None = None
    error: BaseException | None = None


@dataclass(frozen=True)
class BatchFigures:
    batches: int
    writes: int
    largest: int


class GroupCommit:
    """Runs units of work for many threads in shared transactions (see the module's doc)."""

    def __init__(self, uow: UnitOfWorkFactory, *, max_batch: int = MAX_BATCH, idle_seconds: float = IDLE_SECONDS):
        self._uow = uow
        self._max_batch = max_batch
        self._idle = idle_seconds
        self._queue: queue.SimpleQueue[_Job[object]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running = False
        self._batches = self._writes = self._largest = 0

    def run(self, work: Work[T], *, cases: Collection[str] = (), apart: bool = False) -> T:
        """Run ``work`` in a write unit of work and return its result once it is durable.
        ``work`` must not commit; it raises to undo only what it did. ``cases``: the cases
        it changes, locked for it before it runs (see the module's doc on lock order).
        ``apart``: in a transaction that holds only other such work (see the module's doc)."""
        return self.submit(work, cases=cases, apart=apart).result()

    def submit(
        self,
        work: Work[T],
        *,
        cases: Collection[str] = (),
        finish: Callable[[T], U] | None = None,
        apart: bool = False,
        reads: Collection[str] = (),
    ) -> Pending[U]:
        """Hand ``work`` to the writer (as ``run``) without waiting: its outcome settles once
        the commit that holds it is durable. ``finish``: see ``Pending``. ``reads``: the only
        cases ``work`` reads, when it changes no case (a read and its access-log row): the
        cases of such pieces that follow each other in a batch are read in one statement."""
        outcome: Pending[U] = Pending(finish)
        self._queue.put(_Job(work, tuple(cases), outcome, apart, tuple(reads)))  # type: ignore[arg-type]
        with self._lock:
            if not self._running:
                self._running = True
                threading.Thread(target=self._write_loop, name="trede-group-commit", daemon=True).start()
        return outcome

    def figures(self) -> BatchFigures:
        return BatchFigures(self._batches, self._writes, self._largest)

    def _write_loop(self) -> None:
        with self._uow.held():  # one connection for the writer's life: no pool trip per batch
            self._gather_and_commit()

    def _gather_and_commit(self) -> None:
        after: _Job[object] | None = None  # met while gathering, of the other kind: the next batch's first
        while True:
            if after is not None:
                first, after = after, None
            else:
                try:
                    first = self._queue.get(timeout=self._idle)
                except queue.Empty:
                    with self._lock:  # a writer that queued meanwhile sees _running and waits for us
                        if self._queue.empty():
                            self._running = False
                            return
                    continue
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job.apart != first.apart:  # a batch holds pieces of one kind (``apart``)
                    after = job
                    break
                batch.append(job)
            self._commit(batch)

    def _commit(self, batch: list[_Job[object]]) -> None:
        try:
            # Optimistically as one transaction; should a piece fail, the batch is redone
            # with a savepoint per piece, so that only the failing piece is undone.
            if not self._run_together(batch):
                self._run_isolated(batch)
        except BaseException as exc:  # a lone piece failed, or the commit did: nothing was recorded
            for job in batch:
                job.result, job.error = None, exc
        finally:
            self._batches += 1
            self._writes += len(batch)
            self._largest = max(self._largest, len(batch))
            for job in batch:
                job.outcome.settle(job.result, job.error)

    @staticmethod
    def _lock_cases(uow: UnitOfWork, batch: list[_Job[object]]) -> None:
        named = sorted({case_id for job in batch for case_id in job.cases})
        if named:
            uow.cases.lock(named)

    @staticmethod
    def _read_ahead(uow: UnitOfWork, batch: list[_Job[object]], at: int) -> None:
        """Before the first of a run of reading pieces: their cases, in one statement. No
        piece between this read and theirs changes a case, so each sees what it would have
        read itself."""
        if not batch[at].reads or (at > 0 and batch[at - 1].reads):
            return
        run = list(itertools.takewhile(lambda job: bool(job.reads), batch[at:]))
        if len(run) > 1:
            uow.cases.read_ahead([case_id for job in run for case_id in job.reads])

    def _run_together(self, batch: list[_Job[object]]) -> bool:
        with self._uow(write=True) as uow:
            self._lock_cases(uow, batch)
            if len(batch) == 1:  # alone: its transaction is its savepoint; its error is reported as it is
                batch[0].result = batch[0].work(uow)
                uow.commit()
                return True
            for at, job in enumerate(batch):
                try:
                    self._read_ahead(uow, batch, at)
                    job.result = job.work(uow)
                except Exception:
                    return False  # leaving the unit of work rolls the batch back
            uow.commit()
        return True

    def _run_isolated(self, batch: list[_Job[object]]) -> None:
        with self._uow(write=True) as uow:
            self._lock_cases(uow, batch)
            for at, job in enumerate(batch):
                self._read_ahead(uow, batch, at)
                job.result, job.error = None, None
                try:
                    with uow.savepoint():
                        job.result = job.work(uow)
                except Exception as exc:  # this piece's error is its own; the others go on
                    job.error = exc
            uow.commit()
