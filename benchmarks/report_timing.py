"""The yearly report on a generated board (issue 30): two source trees (before and after a
change), each on its own copy of the board, interleaved on one machine; prints a table.

Per backend, reader (``--reader``; default ``bestuur``) and tree:
- engine: ``Engine.reports.tables`` for the reader in a fresh process,
  one warm-up (protocols loaded, caches filled), then ``--runs`` timed calls;
- HTTP: GET /rapportages/rapportage.pdf with the reader's session cookie on ``trede serve``
  (one process, no worker), one warm-up, then ``--runs`` timed requests, to the last byte.
The trees run alternately (before, after, before, after...), ``--rounds`` times; the table
holds the median and the fastest of every timed run. Both copies must hold the board's users
(benchmarks/board.py accounts()); a copy is migrated by the tree that serves it, so the copy
of the older tree must not be shared with the newer one.

    .venv/bin/python benchmarks/report_timing.py --before /work/main --after . \\
        --sqlite /tmp/x/before.db /tmp/x/after.db --postgresql trede_before trede_after
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_load import _started, free_port

PG = "postgresql+psycopg://127.0.0.1:5432/"

# run in the measured tree (PYTHONPATH): the report use case alone, timed in the process
ENGINE = """
import json, sys, time
from adapters.calendar_nl import DutchCalendar
from adapters.clock import SystemClock
from adapters.sql.database import make_engine
from adapters.sql.uow import SqlUnitOfWorkFactory
from engine.usecases import Engine

url, runs, reader = sys.argv[1], int(sys.argv[2]), sys.argv[3]
trede = Engine.create(uow=SqlUnitOfWorkFactory(make_engine(url)), clock=SystemClock(), calendar=DutchCalendar())
principal = trede.users.principal(reader)
tables = trede.reports.tables(principal)
times = []
for _ in range(runs):
    started = time.perf_counter()
    trede.reports.tables(principal)
    times.append(time.perf_counter() - started)
print(json.dumps({"times": times, "tables": [[t.title, t.rows] for t in tables]}, default=str))
"""

# a session for the reader, made by the measured tree without migrating its copy
SESSION = """
import sys
from adapters.calendar_nl import DutchCalendar
from adapters.clock import SystemClock
from adapters.sql.database import make_engine
from adapters.sql.uow import SqlUnitOfWorkFactory
from engine.usecases import Engine

trede = Engine.create(uow=SqlUnitOfWorkFactory(make_engine(sys.argv[1])), clock=SystemClock(), calendar=DutchCalendar())
print(trede.sessions.start(sys.argv[2], True)[0])
"""


def python(tree: Path) -> str:
    return str(tree / ".venv" / "bin" / "python")


def env(tree: Path, url: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "TREDE_DATABASE_URL": url}


def run(tree: Path, url: str, code: str, *args: str) -> str:
    done = subprocess.run(
        [python(tree), "-c", code, url, *args], cwd=tree, env=env(tree, url), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {done.stderr[-2000:]}")
    return done.stdout


def migrate(tree: Path, url: str) -> None:
    """The tree's own schema on its copy (as `trede serve` would on starting)."""
    code = "import sys\nfrom adapters.sql.database import init_database, make_engine\ninit_database(make_engine(sys.argv[1]))"
    run(tree, url, code)


def engine_times(tree: Path, url: str, runs: int, reader: str) -> tuple[list[float], list[list[object]]]:
    out = json.loads(run(tree, url, ENGINE, str(runs), reader))
    return out["times"], out["tables"]


def http_times(tree: Path, url: str, runs: int, reader: str) -> list[float]:
    port = free_port()
    command = [python(tree), "-m", "api.cli", "serve", "--no-worker", "--port", str(port), "--processes", "1"]
    server = _started(
        subprocess.Popen(command, cwd=tree, env=env(tree, url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        port,
        "/api/v1/health",
    )
    try:
        cookie = run(tree, url, SESSION, reader).strip()
        times = []
        for n in range(runs + 1):  # the first warms the process (fonts, protocols)
            started = time.perf_counter()
            answer = httpx.get(
                f"http://127.0.0.1:{port}/rapportages/rapportage.pdf",
                headers={"Cookie": f"trede_sessie={cookie}"},
                timeout=600,
            )
            elapsed = time.perf_counter() - started
            assert answer.status_code == 200 and answer.content.startswith(b"%PDF"), (answer.status_code, answer.text[:300])
            if n:
                times.append(elapsed)
        return times
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="the tree before the change")
    parser.add_argument("--after", type=Path, required=True, help="the tree after the change")
    parser.add_argument("--sqlite", nargs=2, metavar=("BEFORE_DB", "AFTER_DB"), help="copies of the board's SQLite file")
    parser.add_argument("--postgresql", nargs=2, metavar=("BEFORE_DB", "AFTER_DB"), help="copies of the board's database")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument(
        "--reader", action="append", help="user names (repeatable; default: bestuur, board-wide and directeur of s0)"
    )
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    setups = []
    if args.sqlite:
        setups.append(("sqlite", {w: f"sqlite:///{Path(p).resolve()}" for w, p in zip(trees, args.sqlite, strict=True)}))
    if args.postgresql:
        setups.append(("postgresql", {w: PG + name for w, name in zip(trees, args.postgresql, strict=True)}))
    rows = []
    for backend, urls in setups:
        for which, tree in trees.items():
            migrate(tree, urls[which])
        for reader in args.reader or ["bestuur"]:
            engine: dict[str, list[float]] = {w: [] for w in trees}
            http: dict[str, list[float]] = {w: [] for w in trees}
            tables: dict[str, list[list[object]]] = {}
            for _ in range(args.rounds):
                for which, tree in trees.items():  # interleaved: before, after, before, after
                    times, tables[which] = engine_times(tree, urls[which], args.runs, reader)
                    engine[which] += times
                    if not args.no_http:
                        http[which] += http_times(tree, urls[which], args.runs, reader)
            same = "yes" if tables["before"] == tables["after"] else "NO"
            for what, found in (("engine: reports.tables", engine), ("HTTP: rapportage.pdf", http)):
                if found["before"]:
                    rows.append((backend, reader, what, found["before"], found["after"], same))
    print("| backend | reader | measured | before median s (fastest) | after median s (fastest) | same tables |")
    print("|---|---|---|---|---|---|")
    for backend, reader, what, before, after, same in rows:
        print(
            f"| {backend} | {reader} | {what} | {statistics.median(before):.2f} ({min(before):.2f}) "
            f"| {statistics.median(after):.2f} ({min(after):.2f}) | {same} |"
        )


if __name__ == "__main__":
    main()
