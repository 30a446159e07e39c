"""Time to ready of `trede serve --no-worker --processes 2` on PostgreSQL, with both cores
kept busy by two busy-loop processes (as on a loaded school server), and on an idle machine.

Each run: a fresh database (its own name, dropped afterwards), the server started as a
subprocess, /api/v1/health polled until it answers 200 three times in a row; the time from
start to the first of those, and how many server processes uvicorn replaced meanwhile (its
"died" lines). Every run is bounded (--limit seconds); busy loops end with the run.

    .venv/bin/python benchmarks/startup.py [--tree PATH] [--runs 3] [--limit 120]

--tree runs another checkout's code (e.g. `git archive <commit> | tar -x -C /tmp/before`),
so that before and after are measured on the same machine in one session.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
ADMIN = os.environ.get("TREDE_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/postgres")
BUSY = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database() -> tuple[str, str]:
    name = f"trede_startup_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, ADMIN.rsplit("/", 1)[0] + "/" + name


def drop(name: str) -> None:
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def one_run(tree: Path, url: str, busy: int, limit: float, log: Path) -> tuple[float | None, int]:
    env = {**os.environ, "PYTHONPATH": str(tree), "TREDE_LOG_LEVEL": "INFO"}
    loops = [
        subprocess.Popen([sys.executable, "-c", BUSY.format(seconds=limit + 5)]) for _ in range(busy)
    ]
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--db", url, "serve", "--no-worker", "--processes", "2", "--port", str(port)],
            cwd=tree, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        started, ready, streak = time.monotonic(), None, 0
        try:
            while time.monotonic() - started < limit and server.poll() is None:
                try:
                    ok = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    ready = ready or time.monotonic() - started
                    streak += 1
                    if streak == 3:
                        break
                else:
                    ready, streak = None, 0
                    time.sleep(0.1)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            for loop in loops:
                loop.kill()
                loop.wait()
    replaced = log.read_text(errors="replace").count("died") + log.read_text(errors="replace").count("not ready in time")
    return (ready if streak == 3 else None), replaced


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose code runs (default: this one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a run counts as 'not ready'")
    args = parser.parse_args()
    tree = args.tree.resolve()
    name, url = database()
    rows = []
    try:
        init = subprocess.run(
            [sys.executable, "-m", "api.cli", "--db", url, "db", "init"],
            cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True, check=False,
        )
        if init.returncode != 0:
            raise SystemExit(f"db init failed:\n{init.stdout}\n{init.stderr}")
        with tempfile.TemporaryDirectory() as tmp:
            for busy in (0, 2):
                times, replaced = [], 0
                for n in range(args.runs):
                    ready, died = one_run(tree, url, busy, args.limit, Path(tmp) / f"serve-{busy}-{n}.log")
                    times.append(ready)
                    replaced += died
                    if ready is None:
                        print(f"not ready within {args.limit:.0f} s; the server said:\n" + (Path(tmp) / f"serve-{busy}-{n}.log").read_text()[-2000:], file=sys.stderr)
                rows.append((busy, times, replaced))
    finally:
        drop(name)
    commit = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(f"tree: {tree} {commit}  (load: {os.getloadavg()[0]:.1f} now)")
    print("| busy-loop processes | runs | time to ready s (each) | median s | processes replaced |")
    print("|---|---|---|---|---|")
    for busy, times, replaced in rows:
        shown = ", ".join(f"{t:.1f}" if t is not None else f">{args.limit:.0f}" for t in times)
        done = [t for t in times if t is not None]
        median = f"{statistics.median(done):.1f}" if len(done) == len(times) else f">{args.limit:.0f}"
        print(f"| {busy} | {len(times)} | {shown} | {median} | {replaced} |")


if __name__ == "__main__":
    main()
