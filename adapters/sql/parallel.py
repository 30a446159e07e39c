"""Verifying every case in parallel processes: the chain, the projection, letters and files
of independent cases, chunk by chunk, one process per core. Each process opens its own
connection and reads each chunk in one snapshot, so a case is always checked against
itself as of one moment."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context, set_forkserver_preload

from sqlalchemy.engine import make_url

from adapters.sql.database import make_engine
from adapters.sql.uow import SqlUnitOfWorkFactory
from engine.audit import Verification
from engine.usecases.reads import verify_chunk

_uow: SqlUnitOfWorkFactory | None = None  # the process's own, made by _start


class ProcessVerifier:
    def __init__(self, url: str, processes: int | None = None) -> None:
        self.url = url
        self.processes = processes or os.cpu_count() or 1

    def __call__(self, chunks: Sequence[Sequence[str]]) -> list[Verification]:
        read_ahead(self.url)
        context = get_context(start_method())
        workers = min(self.processes, len(chunks))
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(self.url,)) as pool:
            return [v for part in pool.map(_verify, [list(c) for c in chunks]) for v in part]


READ_AHEAD_STEP = 8 << 20  # the most the kernel reads ahead for one request


def read_ahead(url: str) -> None:
    """SQLite: verification reads nearly every page of the file, in the order of the cases,
    which on disk is scattered (events are appended as cases go). From a cold page cache
    that is read page by page (about 30 s on the 3 GB board); asked for ahead, the kernel
    reads the whole file in order at disk speed (about 3 s), while the workers start. Only
    when the file fits in memory twice over: else it would push out its own pages."""
    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:" or not hasattr(os, "posix_fadvise"):
        return
    for name in (path, f"{path}-wal"):
        try:
            fd = os.open(name, os.O_RDONLY)
        except OSError:
            continue
        try:
            size = os.fstat(fd).st_size
            if 2 * size <= _available_memory():
                for offset in range(0, size, READ_AHEAD_STEP):
                    os.posix_fadvise(fd, offset, READ_AHEAD_STEP, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(fd)


def _available_memory() -> int:
    """Memory the page cache may use without swapping (Linux: MemAvailable); 0 if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def start_method() -> str:
    """fork where it is safe, as in the command line (one thread): a worker starts in
    milliseconds. With other threads running (the web server), forking could copy a lock
    some thread holds: forkserver forks from a clean process (its first start costs an
    import of trede). The workers never use the parent's connections: each opens its own."""
    methods = get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    if "forkserver" in methods:
        set_forkserver_preload([__name__])
        return "forkserver"
    return "spawn"


def _start(url: str) -> None:
    global _uow
    _uow = SqlUnitOfWorkFactory(make_engine(url))


def _verify(case_ids: list[str]) -> list[Verification]:
    """One chunk in a worker process, its cyclic garbage collector paused meanwhile: a
    chunk's events, cases and their dicts all live until its end, so the collector's
    passes over them (a third of the time) free nothing."""
    assert _uow is not None
    collecting = gc.isenabled()
    gc.disable()
    try:
        with _uow(snapshot=True) as uow:
            return verify_chunk(uow, case_ids)
    finally:
        if collecting:
            gc.enable()
