"""HTTP load on the real server (`trede serve --no-worker`) with wrk, on SQLite and PostgreSQL.

For 1, 8 and 32 connections (two wrk threads, each cycling over its own share of the cases):
- durable fires: POST /api/v1/cases/{id}/fire with a fact-only action (one event and its
  access-log row, answered after their commit);
- case reads:    GET  /api/v1/cases/{id} (answered after its access-log row is committed);
- health:        GET  /api/v1/health (no authentication; one count of the protocols);
- the floor:     a bare FastAPI application (benchmarks/bare_app.py) with one sync and one
  async JSON route, on the same uvicorn stack (uvloop, httptools, no access log) and the
  same number of processes, measured interleaved with trede's (same load on the machine).
Printed next to the engine's direct fire rate (no HTTP) and the raw single-row commit rate,
measured in the same run, and a second table with trede's health and case read as a share of
the bare sync route. "CPU ms" is the server's CPU time (all its processes) per answer during
the measurement; "waited ms/s" how long its threads waited for a core per second of it
(schedstat: what other work on the machine adds). Needs Debian's `wrk` (apt-get install wrk).

Before/after in one run: ``--against DIR`` also starts trede from another checkout (e.g.
``git archive main | tar -x -C /tmp/before``) on the same database and measures it right
after this checkout's, mode by mode; ``--repeat N`` repeats every measurement N times.

    .venv/bin/python benchmarks/http_load.py [--seconds 10] [--quick] [--processes N ...]
        [--backend sqlite|postgresql ...] [--connections N ...] [--mode fire|read|... ...]
        [--against DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from bench import HANDLER, backends, bench_engine, raw_commit_rate

from adapters.sql.database import make_engine
from api.cli import server_processes
from engine.access import OPERATOR, Membership
from engine.protocol.loader import load_protocol_text

ROOT = Path(__file__).resolve().parent.parent
TREDE = ROOT / ".venv" / "bin" / "trede"
FACTS = """
id: bench-feiten
version: 1
title: Benchmark
source: benchmark
roles: {handler: {label: Behandelaar}}
inputs:
  stand: {type: getal, label: Stand, source: benchmark}
initial: open
steps:
  open: {label: Open}
  klaar: {label: Klaar, final: true}
transitions:
  - {trigger: tellen, label: Tellen, from: open, roles: [handler], requires: [stand]}
  - {trigger: afsluiten, label: Afsluiten, from: open, to: klaar, roles: [handler]}
"""
LUA = """
local ids = {}
for id in string.gmatch(os.getenv("CASES"), "[^,]+") do table.insert(ids, id) end
local threads = tonumber(os.getenv("THREADS"))
local counter = 0
function setup(thread)
  -- each wrk thread takes its own share of the cases and cycles through them
  counter = counter + 1
  thread:set("first", (counter - 1) * math.floor(#ids / threads) + 1)
  thread:set("count", math.floor(#ids / threads))
end
function init(args)
  n = 0
end
local mode = os.getenv("MODE")
function request()
  n = n + 1
  local case = ids[first + (n % count)]
  local headers = {["Authorization"] = "Bearer " .. os.getenv("TOKEN"), ["Content-Type"] = "application/json"}
  if mode == "health" then
    return wrk.format("GET", "/api/v1/health")
  elseif mode == "sync" or mode == "async" then
    return wrk.format("GET", "/" .. mode)
  elseif mode == "fire" then
    return wrk.format("POST", "/api/v1/cases/" .. case .. "/fire", headers, '{"trigger":"tellen","inputs":{"stand":"' .. n .. '"}}')
  end
  return wrk.format("GET", "/api/v1/cases/" .. case, headers)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str, cases: int) -> tuple[list[str], str, float]:
    """The database with the benchmark protocol, a user, cases; and the engine's direct rate."""
    db = make_engine(url)
    trede = bench_engine(db)
    trede.protocols.load(OPERATOR, load_protocol_text(FACTS, "feiten.yaml"))
    trede.users.add("b", "Benchmark", "b", "x" * 12, [Membership("handler"), Membership("behandelaar")])
    token = trede.tokens.create("b", "bench")
    ids = [trede.cases.open(HANDLER, "bench-feiten", school="s", subject=f"L{i}", role="handler").id for i in range(cases)]
    direct_n = 600
    started = time.perf_counter()
    for i in range(direct_n):
        trede.cases.fire(HANDLER, ids[i % cases], "tellen", role="handler", inputs={"stand": str(i)})
    direct = direct_n / (time.perf_counter() - started)
    db.dispose()
    return ids, token, direct


def wrk(port: int, mode: str, connections: int, ids: list[str], token: str, seconds: int, script: Path) -> tuple[float, float, float, int]:
    threads = min(connections, 2)  # wrk's threads are event loops; more would take the server's cores
    env = {**os.environ, "CASES": ",".join(ids[:connections]), "TOKEN": token, "MODE": mode, "THREADS": str(threads)}
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return rate, p50, p99, (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0)


def _ms(text: str) -> float:
    value = float(re.match(r"[\d.]+", text).group())  # type: ignore[union-attr]
    unit = text[len(re.match(r"[\d.]+", text).group()) :]  # type: ignore[union-attr]
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def serve(url: str, port: int, processes: int, code: Path = ROOT) -> subprocess.Popen[bytes]:
    """trede's server, from this checkout or (``code``) another one."""
    env = {**os.environ, "TREDE_DATABASE_URL": url, "PYTHONPATH": str(code)}
    command = [str(TREDE), "serve", "--no-worker", "--port", str(port), "--processes", str(processes)]
    process = subprocess.Popen(command, env=env, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return _started(process, port, "/api/v1/health")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time of a process and all its descendants (uvicorn's workers), and how long their
    threads waited, runnable, for a core (the kernel's schedstat): on a shared machine the
    second is what other work adds to the latency."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    on_cpu = waited = 0
    for process in tree:
        for task in Path(f"/proc/{process}/task").glob("*/schedstat"):
            try:
                ran, queued, _ = task.read_text().split()
            except (OSError, ValueError):
                continue
            on_cpu, waited = on_cpu + int(ran), waited + int(queued)
    return on_cpu / 1e9, waited / 1e9


def serve_bare(port: int, processes: int) -> subprocess.Popen[bytes]:
    """The floor: benchmarks/bare_app.py on the uvicorn options `trede serve` uses."""
    command = [
        str(ROOT / ".venv" / "bin" / "python"), "-m", "uvicorn", "bare_app:app", "--port", str(port),
        "--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log", "--proxy-headers",
        "--workers", str(processes),
    ]
    process = subprocess.Popen(command, cwd=Path(__file__).parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return _started(process, port, "/sync")


def _started(process: subprocess.Popen[bytes], port: int, path: str) -> subprocess.Popen[bytes]:
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


MODES = ("sync", "health", "read", "fire", "async")  # interleaved at each number of connections
WHAT = {"fire": "durable fires", "read": "case reads", "health": "health", "sync": "bare sync route", "async": "bare async route"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="3 seconds per measurement")
    parser.add_argument(
        "--processes", type=int, action="append", help="server processes to measure (repeatable; default: trede's choice)"
    )
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"), help="default: both")
    parser.add_argument("--connections", type=int, action="append", help="default: 1, 8 and 32")
    parser.add_argument("--mode", action="append", choices=MODES, help="what to measure (repeatable; default: all)")
    parser.add_argument(
        "--against", type=Path, action="append", help="another checkout of trede, measured right after this one (repeatable)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="measure everything this many times, interleaved")
    parser.add_argument(
        "--sqlite-dir",
        type=Path,
        help="where the SQLite file goes (default: a temporary directory; /dev/shm takes the disk's fsync out "
        "of the figures, to see what the server itself adds)",
    )
    args = parser.parse_args()
    seconds = 3 if args.quick else args.seconds
    modes = [m for m in MODES if not args.mode or m in args.mode]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    codes = [("this", ROOT)] + [(other.name, other.resolve()) for other in args.against or []]
    rows = []
    with tempfile.TemporaryDirectory(dir=args.sqlite_dir) as tmp:
        script = Path(tmp) / "trede.lua"
        script.write_text(LUA, encoding="utf-8")
        for backend, url in backends(tmp):
            if args.backend and backend not in args.backend:
                continue
            raw = raw_commit_rate(backend, url, 2000)
            ids, token, direct = prepare(url, 32)
            for processes in args.processes or [server_processes("sqlite" if backend == "sqlite" else "postgresql")]:
                servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
                try:
                    for name, code in codes:
                        port = free_port()
                        servers[name] = serve(url, port, processes, code), port
                    if any(m in ("sync", "async") for m in modes):
                        bare_port = free_port()
                        servers["bare"] = serve_bare(bare_port, processes), bare_port
                    for connections in args.connections or [1, 8, 32]:
                        for _ in range(args.repeat):
                            for mode in modes:
                                for name in ("bare",) if mode in ("sync", "async") else [n for n, _ in codes]:
                                    server, at = servers[name]
                                    cpu, queued = cpu_seconds(server.pid)
                                    rate, p50, p99, bad = wrk(at, mode, connections, ids, token, seconds, script)
                                    cpu_after, queued_after = cpu_seconds(server.pid)
                                    cpu_ms = 1000 * (cpu_after - cpu) / max(1.0, rate * seconds)
                                    waited = 1000 * (queued_after - queued) / seconds
                                    code_name = "" if name in ("bare", "this") else name
                                    rows.append(
                                        (backend, processes, mode, code_name, connections, rate, p50, p99, cpu_ms, waited, bad, direct, raw)
                                    )
                finally:
                    for process, _ in servers.values():
                        process.terminate()
                        process.wait(timeout=10)
    print(
        "| backend | server processes | what | connections | requests/s | p50 ms | p99 ms | CPU ms | waited ms/s | errors "
        "| engine fires/s (no HTTP) | raw commit/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for backend, processes, mode, code_name, c, rate, p50, p99, cpu_ms, waited, bad, direct, raw in rows:
        what = WHAT[mode] + (f" ({code_name})" if code_name else "")
        print(
            f"| {backend} | {processes} | {what} | {c} | {rate:,.0f} | {p50:.1f} | {p99:.1f} | {cpu_ms:.2f} | {waited:.0f} | {bad} "
            f"| {direct:,.0f} | {raw:,.0f} |"
        )
    if "sync" in modes and ("health" in modes or "read" in modes):
        print("\nthe floor: trede's rate as a share of the bare sync route, same run, same processes (mean of repeats)")
        print("| backend | server processes | code | connections | bare sync/s | health/s | health of bare | case reads/s | reads of bare |")
        print("|---|---|---|---|---|---|---|---|---|")
        rates: dict[tuple[str, int, str, str, int], list[float]] = {}
        for b, p, m, code_name, c, rate, *_ in rows:
            rates.setdefault((b, p, m, code_name, c), []).append(rate)
        mean = {k: sum(v) / len(v) for k, v in rates.items()}
        for b, p, c in dict.fromkeys((b, p, c) for b, p, _, _, c, *_ in rows):
            floor = mean[(b, p, "sync", "", c)]
            for name, _ in codes:
                code_name = "" if name == "this" else name
                health = mean.get((b, p, "health", code_name, c), 0.0)
                read = mean.get((b, p, "read", code_name, c), 0.0)
                print(
                    f"| {b} | {p} | {name} | {c} | {floor:,.0f} | {health:,.0f} | {health / floor:.0%} "
                    f"| {read:,.0f} | {read / floor:.0%} |"
                )
    print(
        "\ntargets: >= 500 durable fires/s at 32 connections with p99 < 50 ms; fires >= 3x raw commit/s under "
        "concurrency; health >= 70% and case reads >= 50% of the bare sync route"
    )


if __name__ == "__main__":
    main()
