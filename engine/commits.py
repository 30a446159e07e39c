"""Group commit: concurrent writers share one transaction, and so one fsync.

A durable write costs one flush of the log to disk; on a school's server that flush, not
the SQL, bounds how many actions per second trede records. Writers hand their work to one
writer thread per process. While it commits one batch, the next gathers; the writer runs
each piece of work in its own savepoint and answers every writer only after the commit
that holds its rows. A piece that fails is undone alone: the batch is redone with a
savepoint per piece, and its batch-mates commit. A single writer waits for nothing: a
batch starts as soon as the writer is free. Pieces are database work only (no mail, no
files), so redoing one before anything was committed is harmless.

Lock order. Several processes each run a writer, and a batch holds what it locked until its
commit. A batch therefore first locks every case its pieces name (``run(..., cases=...)``),
all at once and in sorted id order, before any piece runs; and the hash-chained logs are
extended only at the commit (the unit of work defers them), so their lock is always taken
last. Two batches thus take their locks in one order and cannot deadlock; and a piece reads
its case under the lock, so it never loses a race to another process's batch.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from engine.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")
Work = Callable[[UnitOfWork], T]

MAX_BATCH = 64  # bounds a batch's transaction (locks held, memory, the cost of a failed commit)
IDLE_SECONDS = 2.0  # an idle writer thread ends; the next write starts a new one


@dataclass(eq=False)
class _Job(Generic[T]):
    work: Work[T]
    cases: tuple[str, ...] = ()
    done: threading.Event = field(default_factory=threading.Event)
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

    def run(self, work: Work[T], *, cases: Collection[str] = ()) -> T:
        """Run ``work`` in a write unit of work and return its result once it is durable.
        ``work`` must not commit; it raises to undo only what it did. ``cases``: the cases
        it changes, locked for it before it runs (see the module's doc on lock order)."""
        job: _Job[T] = _Job(work, tuple(cases))
        self._queue.put(job)  # type: ignore[arg-type]
        with self._lock:
            if not self._running:
                self._running = True
                threading.Thread(target=self._write_loop, name="trede-group-commit", daemon=True).start()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def figures(self) -> BatchFigures:
        return BatchFigures(self._batches, self._writes, self._largest)

    def _write_loop(self) -> None:
        while True:
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
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
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
                job.done.set()

    @staticmethod
    def _lock_cases(uow: UnitOfWork, batch: list[_Job[object]]) -> None:
        named = sorted({case_id for job in batch for case_id in job.cases})
        if named:
            uow.cases.lock(named)

    def _run_together(self, batch: list[_Job[object]]) -> bool:
        with self._uow(write=True) as uow:
            self._lock_cases(uow, batch)
            if len(batch) == 1:  # alone: its transaction is its savepoint; its error is reported as it is
                batch[0].result = batch[0].work(uow)
                uow.commit()
                return True
            for job in batch:
                try:
                    job.result = job.work(uow)
                except Exception:
                    return False  # leaving the unit of work rolls the batch back
            uow.commit()
        return True

    def _run_isolated(self, batch: list[_Job[object]]) -> None:
        with self._uow(write=True) as uow:
            self._lock_cases(uow, batch)
            for job in batch:
                job.result, job.error = None, None
                try:
                    with uow.savepoint():
                        job.result = job.work(uow)
                except Exception as exc:  # this piece's error is its own; the others go on
                    job.error = exc
            uow.commit()
