"""A board's real size, generated fast, then measured (issue 30).

The board: ``--scale 1`` is 50 schools, 100,000 cases and about 2 million events spread over
a year (a case has 20 events on average; one template case in every 60 has 300, for a large
dossier); about 30 % of the cases are still open, each with an open deadline. ``--scale
0.01`` is a smoke run of a few seconds.

How it is generated. A few dozen template cases are made by the engine itself (open, report,
record facts, close) on a clock that moves through the year. Every further case is a copy of
a template at another school, for another pupil: its events are re-sealed with the engine's
own canonical text and SHA-256 (engine/events.py), with the new case id, school and a fresh
salted commitment for the pupil, chained from the genesis hash; the case row, its deadlines
and its personal values follow. Rows go in with executemany (SQLite) or COPY (PostgreSQL), so
`trede audit verify --all` passes on the result (it is run, and must pass).

Measured, printed as one table per backend:
- generation time; database size per case;
- `trede audit verify --all` (one process per core), wall time;
- the start page (/), the case list (GET /api/v1/cases) and a case page (/zaken/{id}) under
  8 and 32 connections with wrk and a directeur's session cookie (one per school): p50, p99;
- the yearly report PDF (/rapportages/rapportage.pdf) for the bestuur (who sees s0's cases)
  and for a board-wide auditor (who sees all of them), and the dossier PDF of a
  300-event case (/audit/zaken/{id}/dossier.pdf), each the median of 3;
- the due query (first 1,000 due among ``--due`` open deadlines, a table-only generation).

    .venv/bin/python benchmarks/board.py [--scale 0.1] [--backend sqlite|postgresql ...] [--due 1000000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import orjson
from bench import PINGPONG, due_query_ms, fresh_postgres
from http_load import _ms, free_port, serve
from sqlalchemy import text

from adapters.calendar_nl import DutchCalendar
from adapters.passwords import Argon2Passwords
from adapters.sql.database import init_database, make_engine
from adapters.sql.uow import SqlUnitOfWorkFactory
from api.cli import server_processes
from engine.access import OPERATOR, Membership, Principal
from engine.clock import FixedClock
from engine.events import GENESIS, canonical_text, commitment
from engine.ports import SchoolRecord
from engine.protocol.loader import load_protocol_text
from engine.usecases import Engine

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PROTOCOL = """
id: board-melding
version: 1
title: Melding (benchmark)
source: benchmark
roles:
  leerkracht: {label: Leerkracht}
  directeur: {label: Directeur}
inputs:
  ernst: {type: keuze, label: Ernst, options: [licht, ernstig], source: benchmark}
  stand: {type: getal, label: Stand, source: benchmark}
initial: melding
steps:
  melding: {label: Melding}
  onderzoek:
    label: Onderzoek
    timers:
      - id: termijn
        label: Onderzoek afgerond
        after: 5 werkdagen
        basis: benchmark
        remind: [2 werkdagen]
        on_expiry: {escalate: [directeur]}
  afgesloten: {label: Afgesloten, final: true}
transitions:
  - {trigger: melden, label: Melden, from: melding, to: onderzoek, roles: [leerkracht], requires: [ernst]}
  - {trigger: tellen, label: Feiten vastleggen, from: onderzoek, roles: [leerkracht], requires: [stand]}
  - {trigger: afsluiten, label: Afsluiten, from: onderzoek, to: afgesloten, roles: [directeur]}
"""
YEAR_START = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
TEMPLATES = 60
BIG_EVENTS = 300
AUDITOR = "auditor-board"  # a board-wide auditor: the yearly report over every case
LUA = """
local cookies = {}
for c in string.gmatch(os.getenv("COOKIES"), "[^,]+") do table.insert(cookies, c) end
local paths = {}
for p in string.gmatch(os.getenv("PATHS"), "[^,]+") do table.insert(paths, p) end
local n = 0
local threads = {}
statuses = {}
function setup(thread)
  table.insert(threads, thread)
end
function request()
  n = n + 1
  local i = (n % #cookies) + 1
  return wrk.format("GET", paths[i], {["Cookie"] = "trede_sessie=" .. cookies[i]})
end
function response(status, headers, body)
  if status ~= 200 then statuses[status] = (statuses[status] or 0) + 1 end
end
function done(summary, latency, requests)
  local seen = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do seen[status] = (seen[status] or 0) + count end
  end
  for status, count in pairs(seen) do print("status " .. status .. ": " .. count) end
end
"""


def board_engine(url: str, clock: FixedClock) -> Engine:
    db = make_engine(url)
    init_database(db)
    return Engine.create(uow=SqlUnitOfWorkFactory(db), clock=clock, calendar=DutchCalendar(), passwords=Argon2Passwords())


def make_templates(trede: Engine, clock: FixedClock, rng: random.Random) -> list[str]:
    """Cases made by the engine, spread over the year: the patterns every other case copies."""
    maker = Principal("maker", "Maker", (Membership("leerkracht", "s0"), Membership("directeur", "s0")), "bestuur")
    ids = []
    for t in range(TEMPLATES):
        clock.set(YEAR_START + timedelta(days=t * 365 / TEMPLATES, hours=rng.randrange(8)))
        case = trede.cases.open(maker, "board-melding", school="s0", subject=f"T{t}", role="leerkracht")
        clock.advance(timedelta(hours=2))
        trede.cases.fire(maker, case.id, "melden", role="leerkracht", inputs={"ernst": rng.choice(["licht", "ernstig"])})
        facts = BIG_EVENTS - 3 if t == 0 else rng.randrange(5, 22)  # with the large one: 20 events a case on average
        for i in range(facts):
            clock.advance(timedelta(minutes=rng.randrange(5, 240)))
            trede.cases.fire(maker, case.id, "tellen", role="leerkracht", inputs={"stand": str(i)})
        if rng.random() < 0.7:  # about 30 % stay open, each with its open deadline
            clock.advance(timedelta(hours=1))
            trede.cases.fire(maker, case.id, "afsluiten", role="directeur")
        ids.append(case.id)
    return ids


class Rows:
    """Raw rows of one template case, as the driver returns them (copied back unchanged)."""

    def __init__(self, conn: Any, case_id: str) -> None:
        def rows(sql: str) -> tuple[list[str], list[list[Any]]]:
            cursor = conn.cursor()
            cursor.execute(sql.replace("?", "%s") if _is_pg(conn) else sql, (case_id,))
            names = [d[0] for d in cursor.description]
            return names, [list(r) for r in cursor.fetchall()]

        self.case_columns, (self.case,) = rows("SELECT * FROM cases WHERE id = ?")
        self.event_columns, self.events = rows("SELECT * FROM events WHERE case_id = ? ORDER BY seq")
        self.personal_columns, self.personal = rows("SELECT * FROM personal_data WHERE case_id = ?")
        self.deadline_columns, self.deadlines = rows("SELECT * FROM deadlines WHERE case_id = ?")
        self.bodies = [orjson.loads(e[self.event_columns.index("record")]) for e in self.events]


def _is_pg(conn: Any) -> bool:
    return type(conn).__module__.startswith("psycopg")


def clone(t: Rows, case_id: str, school: str, subject: str) -> tuple[list[Any], list[list[Any]], list[list[Any]], list[list[Any]]]:
    """A copy of template ``t`` as another case: re-sealed, chained, with its own pupil."""
    ec = t.event_columns
    i_case, i_prev, i_hash, i_record = ec.index("case_id"), ec.index("prev_hash"), ec.index("hash"), ec.index("record")
    salt = secrets.token_hex(16)
    prev = GENESIS
    events = []
    for row, body in zip(t.events, t.bodies, strict=True):
        body = {**body, "case_id": case_id, "prev_hash": prev}
        if body["seq"] == 1:
            body["data"] = {**body["data"], "school": school, "subject": commitment("data.subject", subject, salt)}
        record = canonical_text(body)
        digest = hashlib.sha256(record.encode("utf-8")).hexdigest()
        new = list(row)
        new[i_case], new[i_prev], new[i_hash], new[i_record] = case_id, prev, digest, record
        events.append(new)
        prev = digest
    pc = t.personal_columns
    personal = []
    for row in t.personal:
        new = list(row)
        new[pc.index("case_id")] = case_id
        if new[pc.index("ref")] == "data.subject":
            new[pc.index("value")], new[pc.index("salt")] = subject, salt
        personal.append(new)
    cc = t.case_columns
    case = list(t.case)
    case[cc.index("id")], case[cc.index("school")], case[cc.index("subject")], case[cc.index("last_hash")] = (
        case_id, school, subject, prev,
    )
    deadlines = []
    for row in t.deadlines:
        new = list(row)
        new[t.deadline_columns.index("case_id")] = case_id
        deadlines.append(new)
    return case, events, personal, deadlines


def write(conn: Any, table: str, columns: Sequence[str], rows: list[list[Any]]) -> None:
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.cursor()
    if _is_pg(conn):
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)


def generate(url: str, scale: float, seed: int = 30) -> tuple[int, int, int, list[str], str, float]:
    """The board: (schools, cases, events, school ids, the large case's id, seconds)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    clock = FixedClock(YEAR_START)
    trede = board_engine(url, clock)
    schools = [f"s{i}" for i in range(max(1, round(50 * scale)))]
    for school in schools:
        trede.schools.save(OPERATOR, SchoolRecord(school, f"School {school}", "bestuur", "midden"))
    trede.protocols.load(OPERATOR, load_protocol_text(PROTOCOL, "board.yaml"))
    templates = make_templates(trede, clock, rng)
    print(f"templates made by the engine in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    cases = max(TEMPLATES, round(100_000 * scale))
    db = make_engine(url)
    raw = db.raw_connection()
    conn = raw.driver_connection
    loaded = [Rows(conn, t) for t in templates]
    batch: dict[str, list[list[Any]]] = {"cases": [], "events": [], "personal_data": [], "deadlines": []}

    def flush() -> None:
        if not _is_pg(conn):  # the driver connection is in autocommit mode: one transaction per batch
            conn.execute("BEGIN IMMEDIATE")
        for table, rows in batch.items():
            columns = {
                "cases": loaded[0].case_columns, "events": loaded[0].event_columns,
                "personal_data": loaded[0].personal_columns, "deadlines": loaded[0].deadline_columns,
            }[table]
            write(conn, table, columns, rows)
            rows.clear()
        if _is_pg(conn):
            conn.commit()
        else:
            conn.execute("COMMIT")

    events = sum(len(t.events) for t in loaded)
    for n in range(cases - TEMPLATES):
        t = loaded[n % TEMPLATES]
        case, evs, personal, deadlines = clone(t, f"b{n:07d}", schools[n % len(schools)], f"L{n}")
        batch["cases"].append(case)
        batch["events"] += evs
        batch["personal_data"] += personal
        batch["deadlines"] += deadlines
        events += len(evs)
        if len(batch["events"]) >= 50_000:
            flush()
    flush()
    if _is_pg(conn):  # as autovacuum keeps a table that grew over a year: statistics, and the
        conn.autocommit = True  # visibility map (an index-only scan then reads the index, not each row's page)
        conn.execute("VACUUM (ANALYZE)")
    raw.close()
    db.dispose()
    return len(schools), cases, events, schools, templates[0], time.perf_counter() - started


def accounts(url: str, schools: list[str]) -> tuple[list[str], str, str]:
    """A directeur per school with a live session, a board-wide bevoegd gezag (also directeur
    of s0: the board's protocol has no bevoegd-gezag role, so they see s0's cases) and a
    board-wide auditor (sees every case): their cookies. They logged in five minutes ago: a
    session's first page of the run records it was seen."""
    clock = FixedClock(datetime.now(UTC) - timedelta(minutes=5))
    trede = board_engine(url, clock)
    cookies = []
    for school in schools:
        trede.users.add(f"dir-{school}", f"Directeur {school}", "bestuur", "x" * 12, [Membership("directeur", school)])
        cookies.append(trede.sessions.start(f"dir-{school}", True)[0])
    trede.users.add("bestuur", "Bestuur", "bestuur", "x" * 12, [Membership("bevoegd_gezag"), Membership("directeur", "s0")])
    trede.users.add(AUDITOR, "Auditor bestuur", "bestuur", "x" * 12, [Membership("auditor")])
    return cookies, trede.sessions.start("bestuur", True)[0], trede.sessions.start(AUDITOR, True)[0]


def wrk(port: int, paths: list[str], cookies: list[str], connections: int, seconds: int, script: Path) -> tuple[float, float, float, int]:
    env = {**os.environ, "COOKIES": ",".join(cookies), "PATHS": ",".join(paths)}
    out = subprocess.run(  # a slow page is measured, not dropped: wrk's own timeout is 2 s
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    import re

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))  # type: ignore[union-attr]
    bad = sum(int(n) for n in re.findall(r"status \d+: (\d+)", out))
    timeouts = re.search(r"timeout (\d+)", out)
    for line in re.findall(r"status \d+: \d+", out):
        print(f"  {paths[0]} {connections} connections: {line}", file=sys.stderr)
    return rate, p50, p99, bad + (int(timeouts.group(1)) if timeouts else 0)


def drained(base: str, path: str, cookie: str) -> None:
    """Wait until the server has worked off what a wrk run left queued (wrk stops sending, the
    server goes on answering): the next measurement starts on an idle server."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        started = time.perf_counter()
        httpx.get(base + path, headers={"Cookie": f"trede_sessie={cookie}"}, timeout=300)
        if time.perf_counter() - started < 0.5:
            return


def timed_get(base: str, path: str, cookie: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = httpx.get(base + path, headers={"Cookie": f"trede_sessie={cookie}"}, timeout=600)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    return statistics.median(times)


def verify_all(url: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(PYTHON), "-m", "api.cli", "--db", url, "audit", "verify", "--all"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"audit verify --all failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return seconds, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def size_bytes(url: str) -> int:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    db = make_engine(url)
    with db.connect() as conn:
        found = int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    db.dispose()
    return found


def backends(tmp: str, wanted: list[str] | None) -> Iterator[tuple[str, str]]:
    if not wanted or "sqlite" in wanted:
        yield "sqlite", f"sqlite:///{tmp}/board.db"
    if not wanted or "postgresql" in wanted:
        url = fresh_postgres(os.environ.get("TREDE_BENCH_DATABASE", "trede_bench") + "_board")
        if url:
            yield "postgresql", url


def due_figure(backend: str, tmp: str, open_deadlines: int) -> float:
    """The due query among ``open_deadlines`` cases' deadlines (90 % open): a table-only generation."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp}/due.db"
    else:
        found = fresh_postgres(os.environ.get("TREDE_BENCH_DATABASE", "trede_bench") + "_due")
        assert found is not None
        url = found
    trede = board_engine(url, FixedClock(datetime.now(UTC)))
    trede.protocols.load(OPERATOR, load_protocol_text(PINGPONG, "bench.yaml"))
    return due_query_ms(url, open_deadlines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="1: 50 schools, 100,000 cases, ~2 million events")
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--seconds", type=int, default=6, help="per wrk measurement")
    parser.add_argument("--due", type=int, default=0, help="open deadlines for the due query (0: skip)")
    parser.add_argument("--due-only", action="store_true", help="only the due query (a table-only generation)")
    args = parser.parse_args()
    if args.due_only:
        with tempfile.TemporaryDirectory() as tmp:
            for backend in args.backend or ["sqlite", "postgresql"]:
                started = time.perf_counter()
                ms = due_figure(backend, tmp, args.due)
                print(f"| {backend} | due query, first 1,000 among {args.due:,} deadlines (90 % open) | {ms:.2f} ms "
                      f"| generated and measured in {time.perf_counter() - started:,.0f} s |")
        return
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "board.lua"
        script.write_text(LUA, encoding="utf-8")
        for backend, url in backends(tmp, args.backend):
            n_schools, cases, events, schools, big, generated = generate(url, args.scale)
            size = size_bytes(url)
            cookies, board_cookie, auditor_cookie = accounts(url, schools)
            verified, said = verify_all(url)
            rows: list[tuple[str, int, float, float, float, int]] = []
            port = free_port()
            server = serve(url, port, server_processes("sqlite" if backend == "sqlite" else "postgresql"))
            base = f"http://127.0.0.1:{port}"
            try:
                db = make_engine(url)
                with db.connect() as conn:  # a case of each directeur's school
                    mine = {s: conn.execute(text("SELECT id FROM cases WHERE school = :s LIMIT 1"), {"s": s}).scalar_one() for s in schools}
                db.dispose()
                pages = {
                    "start page /": ["/"] * len(schools),
                    "case list /api/v1/cases (a page of 100)": ["/api/v1/cases"] * len(schools),
                    "case page /zaken/{id}": [f"/zaken/{mine[s]}" for s in schools],
                }
                for what, paths in pages.items():
                    for connections in (8, 32):
                        rows.append((what, connections, *wrk(port, paths, cookies, connections, args.seconds, script)))
                        drained(base, f"/zaken/{mine[schools[0]]}", cookies[0])
                report = timed_get(base, "/rapportages/rapportage.pdf", board_cookie)
                report_all = timed_get(base, "/rapportages/rapportage.pdf", auditor_cookie)
                dossier = timed_get(base, f"/audit/zaken/{big}/dossier.pdf", board_cookie)
            finally:
                server.terminate()
                server.wait(timeout=30)
            due = due_figure(backend, tmp, args.due) if args.due else None
            print(f"\n### {backend}: {n_schools} schools, {cases:,} cases, {events:,} events (scale {args.scale})\n")
            print("| measure | value |")
            print("|---|---|")
            print(f"| generated in | {generated:,.0f} s ({events / generated:,.0f} events/s) |")
            print(f"| database size | {size / 1e6:,.0f} MB ({size / cases / 1e3:,.1f} kB per case) |")
            print(f"| `audit verify --all` ({os.cpu_count()} cores) | {verified:,.1f} s ({events / verified:,.0f} events/s): {said} |")
            print(f"| yearly report PDF (bestuur, one school) | {report * 1000:,.0f} ms |")
            print(f"| yearly report PDF (board-wide auditor, all cases) | {report_all * 1000:,.0f} ms |")
            print(f"| dossier PDF of a {BIG_EVENTS}-event case | {dossier * 1000:,.0f} ms |")
            if due is not None:
                print(f"| due query, first 1,000 among {args.due:,} deadlines (90 % open) | {due:.2f} ms |")
            print("\n| page | connections | requests/s | p50 ms | p99 ms | errors |")
            print("|---|---|---|---|---|---|")
            for what, c, rate, p50, p99, bad in rows:
                print(f"| {what} | {c} | {rate:,.0f} | {p50:,.1f} | {p99:,.1f} | {bad} |")


if __name__ == "__main__":
    main()
