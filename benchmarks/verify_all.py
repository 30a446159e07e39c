"""`trede audit verify --all` on an existing database, timed: wall time and events/s.

Runs the command line as a subprocess from one or more source trees (e.g. a checkout of
the commit before a change, and this one), interleaved, so that the figures of a shared,
noisy machine are compared within one run. ``--cold`` first drops the SQLite file from the
page cache (posix_fadvise DONTNEED on that file only; nothing else is evicted).

    .venv/bin/python benchmarks/verify_all.py --db sqlite:////tmp/me/board.db \\
        [--tree /tmp/before --tree .] [--rounds 2] [--cold]

Prints one row per run (wall time, events/s, and the CPU time of all the run's processes:
on a shared machine the figure that does not depend on the others' load; PostgreSQL's own
server processes are not in it) and a median per tree and cache state. The database is only read
(verify writes its summary note only when an audit key is configured).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


def evict(url: str) -> None:
    """Drop a SQLite file (and its WAL) from the page cache; PostgreSQL's own cache stays."""
    if not url.startswith("sqlite:///"):
        return
    path = url.removeprefix("sqlite:///")
    for name in (path, f"{path}-wal"):
        if os.path.exists(name):
            fd = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def events(url: str) -> int:
    with create_engine(url).connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM events")).scalar_one())


def run(tree: Path, url: str) -> tuple[float, float, bool]:
    """Wall time, CPU time (user + system, all processes of the run) and whether it passed."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [str(PYTHON), "-c", "from api.cli import main; main()", "--db", url, "audit", "verify", "--all"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if done.returncode not in (0, 2):
        sys.exit(f"{tree}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return wall, cpu, done.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, action="append", help="database URL (repeatable)")
    parser.add_argument("--tree", action="append", type=Path, help="source tree to run (repeatable; default: this one)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--cold", action="store_true", help="also a run with the SQLite file out of the page cache")
    args = parser.parse_args()
    trees = [t.resolve() for t in args.tree or [ROOT]]
    states = ["cold", "warm"] if args.cold else ["warm"]
    figures: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    print(f"load average at the start: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} cores)")
    print("| database | tree | cache | wall s | events/s | CPU s (all processes) | load | ok |")
    print("|---|---|---|---|---|---|---|---|")
    for url in args.db:
        count = events(url)
        for _ in range(args.rounds):
            for tree in trees:
                for state in states:
                    if state == "cold":
                        evict(url)
                    elif not figures:
                        run(tree, url)  # the first warm run of all warms the cache
                    wall, cpu, ok = run(tree, url)
                    figures.setdefault((url, str(tree), state), []).append((wall, cpu))
                    load = os.getloadavg()[0]
                    print(f"| {url} | {tree} | {state} | {wall:.1f} | {count / wall:,.0f} | {cpu:.1f} | {load:.1f} | {ok} |", flush=True)
    print("\n| database | tree | cache | median wall s | events/s | median CPU s |")
    print("|---|---|---|---|---|---|")
    for (url, tree, state), runs in figures.items():
        wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        print(f"| {url} | {tree} | {state} | {wall:.1f} | {events(url) / wall:,.0f} | {cpu:.1f} |")


if __name__ == "__main__":
    main()
