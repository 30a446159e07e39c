"""Verifying every case in parallel processes: the chain, the projection, letters and files
of independent cases, chunk by chunk, one process per core. Each process opens its own
connection and reads each chunk in one snapshot, so a case is always checked against
itself as of one moment."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context, set_forkserver_preload

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
        context = get_context(start_method())
        workers = min(self.processes, len(chunks))
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(self.url,)) as pool:
            return [v for part in pool.map(_verify, [list(c) for c in chunks]) for v in part]


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
    assert _uow is not None
    with _uow(snapshot=True) as uow:
        return verify_chunk(uow, case_ids)
