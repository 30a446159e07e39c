"""trede engine benchmarks. Prints one table; run: python benchmarks/bench.py [--quick]

For each backend (a SQLite file in WAL mode with synchronous=FULL, and PostgreSQL):
- raw commit/s: single-row INSERT + COMMIT through the bare driver: the physical ceiling;
- durable transitions/s: Engine.fire, each in its own transaction, round robin over cases;
- replay + verify events/s: verify every case (load events, recompute the chain, replay,
  compare with the stored projection);
- due-timer query: find the first 1,000 due deadlines among 100,000 open cases (median).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from adapters.calendar_nl import DutchCalendar
from adapters.clock import SystemClock
from adapters.passwords import Argon2Passwords
from adapters.sql.database import init_database, make_engine
from adapters.sql.notifications import NOTIFICATIONS
from adapters.sql.parallel import ProcessVerifier
from adapters.sql.uow import CASES, DEADLINES, SqlUnitOfWorkFactory
from engine.access import OPERATOR, Membership, Principal
from engine.ports import SchoolRecord
from engine.protocol.loader import load_protocol_text
from engine.usecases import Engine

PINGPONG = """
id: bench-pingpong
version: 1
title: Benchmark
source: benchmark
roles: {handler: {label: Behandelaar}}
initial: heen
steps:
  heen: {label: Heen}
  terug: {label: Terug}
transitions:
  - {trigger: naar_terug, label: Naar terug, from: heen, to: terug, roles: [handler]}
  - {trigger: naar_heen, label: Naar heen, from: terug, to: heen, roles: [handler]}
"""
PG_ADMIN = os.environ.get("TREDE_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/postgres")


def raw_commit_rate(backend: str, url: str, n: int) -> float:
    if backend == "sqlite":
        path = url.removeprefix("sqlite:///")
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS raw_bench (id INTEGER PRIMARY KEY, body TEXT)")
        start = time.perf_counter()
        for i in range(n):
            conn.execute("BEGIN")
            conn.execute("INSERT INTO raw_bench (body) VALUES (?)", (f"row {i}",))
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
        return n / elapsed
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS raw_bench (id serial PRIMARY KEY, body text)")
        conn.commit()
        start = time.perf_counter()
        for i in range(n):
            conn.execute("INSERT INTO raw_bench (body) VALUES (%s)", (f"row {i}",))
            conn.commit()
        return n / (time.perf_counter() - start)


HANDLER = Principal("b", "b", (Membership("handler"), Membership("behandelaar")))


def bench_engine(db: Any) -> Engine:
    """The engine as the composition root wires it, with one school to open cases at."""
    init_database(db)
    verifier = ProcessVerifier(db.url.render_as_string(hide_password=False))
    trede = Engine.create(
        uow=SqlUnitOfWorkFactory(db),
        clock=SystemClock(),
        calendar=DutchCalendar(),
        passwords=Argon2Passwords(),
        parallel_verifier=verifier,
    )
    trede.schools.save(OPERATOR, SchoolRecord("s", "Benchmarkschool", "b", "midden"))
    return trede


def engine_for(url: str) -> Engine:
    trede = bench_engine(make_engine(url))
    trede.protocols.load(OPERATOR, load_protocol_text(PINGPONG, "bench.yaml"))
    return trede


def transition_rate(trede: Engine, cases: int, fires: int) -> tuple[float, list[str]]:
    ids = [
        trede.cases.open(HANDLER, "bench-pingpong", school="s", subject=f"L{i}", role="handler").id
        for i in range(cases)
    ]
    triggers = {"heen": "naar_terug", "terug": "naar_heen"}
    steps = dict.fromkeys(ids, "heen")
    start = time.perf_counter()
    for i in range(fires):
        case_id = ids[i % cases]
        steps[case_id] = trede.cases.fire(HANDLER, case_id, triggers[steps[case_id]], role="handler").step
    return fires / (time.perf_counter() - start), ids


def concurrent_rate(trede: Engine, ids: list[str], writers: int, fires: int) -> tuple[float, float]:
    """Durable fires from ``writers`` threads, each on its own cases (group commit);
    returns fires/s and fires per commit."""
    import threading

    triggers = {"heen": "naar_terug", "terug": "naar_heen"}
    steps = {case_id: trede.reads.case(HANDLER, case_id).case.step for case_id in ids}
    start_gate = threading.Barrier(writers + 1)

    def write(mine: list[str]) -> None:
        start_gate.wait()
        for i in range(fires // writers):
            case_id = mine[i % len(mine)]
            steps[case_id] = trede.cases.fire(HANDLER, case_id, triggers[steps[case_id]], role="handler").step

    threads = [threading.Thread(target=write, args=(ids[w::writers],)) for w in range(writers)]
    for t in threads:
        t.start()
    before = trede.services.commits.figures()
    start_gate.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    after = trede.services.commits.figures()
    done = (fires // writers) * writers
    return done / elapsed, done / max(1, after.batches - before.batches)


def fill(trede: Engine, cases: int, events_per_case: int) -> None:
    """More cases with history, for verification at scale (through group commit)."""
    ids = [
        trede.cases.open(HANDLER, "bench-pingpong", school="s", subject=f"V{i}", role="handler").id
        for i in range(cases)
    ]
    concurrent_rate(trede, ids, 32, cases * (events_per_case - 1))


def verify_rate(trede: Engine) -> tuple[float, float]:
    """Replay + verify of every case: in this process, and in one process per core."""
    rates = []
    parallel = trede.services.parallel_verifier
    for verifier in (None, parallel):
        trede.services.parallel_verifier = verifier
        start = time.perf_counter()
        results = trede.reads.verify_all(OPERATOR)
        elapsed = time.perf_counter() - start
        assert all(r.ok for r in results)
        rates.append(sum(r.events for r in results) / elapsed)
    return rates[0], rates[1]


def due_query_ms(url: str, open_cases: int) -> float:
    db = make_engine(url)
    protocol_hash = load_protocol_text(PINGPONG, "bench.yaml").content_hash
    now = datetime.now(UTC)
    batch = 10_000
    with db.begin() as conn:
        for offset in range(0, open_cases, batch):
            conn.execute(
                insert(CASES),
                [
                    {
                        "id": f"due{i}",
                        "protocol_id": "bench-pingpong",
                        "protocol_version": 1,
                        "protocol_hash": protocol_hash,
                        "school": "s",
                        "subject": f"L{i}",
                        "step": "heen",
                        "closed": False,
                        "facts": "{}",
                        "seq": 1,
                        "last_hash": "0" * 64,
                        "opened_at": now,
                        "updated_at": now,
                    }
                    for i in range(offset, min(offset + batch, open_cases))
                ],
            )
            conn.execute(
                insert(DEADLINES),
                [
                    {
                        "case_id": f"due{i}",
                        "key": "t@1",
                        "id": "t",
                        "kind": "timer",
                        "step": "heen",
                        "label": "T",
                        "status": "open" if i % 10 else "vervuld",
                        "basis": "b",
                        "rule": "kalender",
                        "duration": "1 week",
                        "start": "binnenkomst",
                        "extensions": "[]",
                        "due_at": now + timedelta(minutes=(i * 7919) % 525_600 - 1440),
                    }
                    for i in range(offset, min(offset + batch, open_cases))
                ],
            )
    if db.dialect.name == "postgresql":
        with db.begin() as conn:
            conn.execute(text("ANALYZE deadlines"))
    uow = SqlUnitOfWorkFactory(db)
    timings = []
    for _ in range(25):
        with uow() as unit:
            start = time.perf_counter()
            found = unit.cases.due(now, 1000)
            timings.append((time.perf_counter() - start) * 1000)
    assert found, "no due deadlines found"
    return statistics.median(timings)


TIMER_ONLY = Path(__file__).resolve().parent.parent / "tests" / "protocols" / "timer-only.yaml"


def worker_rate(url: str, workers: int, timers: int) -> float:
    """Timers fired per second by ``workers`` worker processes on fresh, already-due cases."""
    import subprocess
    from datetime import date

    from engine.protocol.loader import load_protocol_file

    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine = bench_engine(db)
    engine.protocols.load(OPERATOR, load_protocol_file(TIMER_ONLY))
    past = date.today() - timedelta(days=3)
    for i in range(timers):
        engine.cases.open(HANDLER, "timer-only", school="s", subject=f"L{i}", role="behandelaar", effective=past)
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "api.cli", "--db", url, "worker", "--once", "--batch", "200", "--interval", "0.1"]
    env = {**os.environ, "TREDE_LOG_LEVEL": "WARNING"}
    start = time.perf_counter()
    procs = [subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL) for _ in range(workers)]
    for proc in procs:
        proc.wait()
    elapsed = time.perf_counter() - start
    with db.connect() as conn:
        fired = conn.execute(text("SELECT count(*) FROM events WHERE type = 'timer_fired'")).scalar()
    assert fired == timers, f"{fired} of {timers} fired"
    return timers / elapsed


def fresh_postgres(name: str | None = None) -> str | None:
    """A new, empty database (TREDE_BENCH_DATABASE, default trede_bench: name your own when
    others benchmark on the same server)."""
    name = name or os.environ.get("TREDE_BENCH_DATABASE", "trede_bench")
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the table says why PostgreSQL is missing
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return None
    finally:
        admin.dispose()
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def backends(tmp: str) -> list[tuple[str, str]]:
    """A fresh SQLite file in ``tmp``, and a fresh PostgreSQL database when one is reachable."""
    found = [("sqlite", f"sqlite:///{tmp}/bench.db")]
    pg = fresh_postgres()
    if pg:
        found.append(("postgresql", pg))
    return found


def run_workers(quick: bool) -> None:
    """Issue 5's figures: worker throughput with 1 and 4 processes, the due query at scale."""
    url = fresh_postgres()
    if url is None:
        return
    timers = 2_000 if quick else 20_000
    rows = [(n, worker_rate(url, n, timers)) for n in (1, 4)]
    with make_engine(url).begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine_for(url)
    open_cases = 100_000 if quick else 1_000_000
    due_ms = due_query_ms(url, open_cases)
    print("| workers (PostgreSQL) | timers | fired/s |")
    print("|---|---|---|")
    for n, rate in rows:
        print(f"| {n} | {timers:,} | {rate:,.0f} |")
    print(f"\ndue-timer query among {open_cases:,} open cases: {due_ms:.2f} ms (median of 25)")
    print("targets: >= 2,000 timers/s with 4 workers; due query < 20 ms")


def run(quick: bool) -> None:
    n_raw, n_fire, n_cases, n_due = (300, 600, 50, 20_000) if quick else (3000, 3000, 300, 100_000)
    n_verify = 10_000 if quick else 50_000  # events added for the verification figure
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        backends = [("sqlite", f"sqlite:///{tmp}/bench.db", f"sqlite:///{tmp}/due.db")]
        pg = fresh_postgres()
        if pg:
            backends.append(("postgresql", pg, pg))
        for backend, url, due_url in backends:
            raw = raw_commit_rate(backend, url, n_raw)
            trede = engine_for(url)
            fires, ids = transition_rate(trede, n_cases, n_fire)
            together, per_commit = concurrent_rate(trede, ids, 32, n_fire)
            raw_after = raw_commit_rate(backend, url, n_raw)
            ceiling = (raw + raw_after) / 2
            fill(trede, n_verify // 10, 10)
            events_per_s, in_parallel = verify_rate(trede)
            if due_url != url:
                engine_for(due_url)  # a separate file, so the raw-commit table does not weigh in
            due_ms = due_query_ms(due_url, n_due)
            rows.append((backend, ceiling, fires, together, per_commit, events_per_s, in_parallel, n_due, due_ms))
    header = (
        "backend", "raw commit/s", "transitions/s (1 writer)", "of raw", "transitions/s (32 writers)",
        "of raw", "fires per commit", "replay+verify ev/s (1 process)", f"(x{os.cpu_count()} processes)",
        "open cases", "due query ms",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for backend, ceiling, fires, together, per_commit, events, in_parallel, n, due_ms in rows:
        print(
            f"| {backend} | {ceiling:,.0f} | {fires:,.0f} | {fires / ceiling:.0%} | {together:,.0f} "
            f"| {together / ceiling:.0%} | {per_commit:.1f} | {events:,.0f} | {in_parallel:,.0f} | {n:,} | {due_ms:.2f} |"
        )
    print(
        "\ntargets: 1 writer >= 50% of raw; 32 writers >= 3x raw (group commit); "
        "replay+verify >= 100,000 ev/s; due query < 20 ms"
    )


def checkpoint_figures(url: str, n_cases: int) -> tuple[float, float, float, int]:
    """Make a signed checkpoint of ``n_cases`` cases (two events each) and verify against it.
    The cases are clones of one real case, each sealed with its own id and hash chain."""
    from dataclasses import replace

    from adapters.signing import Ed25519Checker, Ed25519Signer, generate
    from engine.case import apply

    trede = engine_for(url)
    template = trede.cases.open(HANDLER, "bench-pingpong", school="s", subject="L0", role="handler")
    trede.cases.fire(HANDLER, template.id, "naar_terug", role="handler")
    with trede.services.uow() as uow:
        first, second = uow.cases.events(template.id)
    factory = trede.services.uow
    batch = 5_000
    for offset in range(1, n_cases, batch):
        with factory(write=True) as uow:
            for i in range(offset, min(offset + batch, n_cases)):
                case_id = f"cp{i:07d}"
                e1 = replace(first, case_id=case_id).sealed()
                e2 = replace(second, case_id=case_id, prev_hash=e1.hash).sealed()
                opened = apply(None, e1)
                uow.cases.add(opened, e1)
                uow.cases.record(opened, apply(opened, e2), e2)
            uow.commit()
    private, public = generate()
    started = time.perf_counter()
    made = trede.checkpoints.make(OPERATOR, Ed25519Signer.from_pem(private))
    make_s = time.perf_counter() - started
    size = len(json.dumps(made.to_file()))
    started = time.perf_counter()
    report = trede.checkpoints.verify(OPERATOR, made, Ed25519Checker.from_pem(public))
    verify_s = time.perf_counter() - started
    assert report.ok, report.problems[:3]
    return make_s, verify_s, size / 1e6, made.statement.cases


def run_checkpoints(quick: bool) -> None:
    n = 10_000 if quick else 100_000
    print("| backend | cases | events | make checkpoint s | file MB | verify against it s |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for backend, url in backends(tmp):
            make_s, verify_s, size, cases = checkpoint_figures(url, n)
            print(f"| {backend} | {cases:,} | {2 * cases:,} | {make_s:.2f} | {size:.1f} | {verify_s:.2f} |")
    print("\ncheckpoints are made by the worker or the CLI, never on the fire path: a fire does no checkpoint work")


TERMIJN = """
id: bench-termijn
version: 1
title: Benchmark termijnen
source: benchmark
roles: {handler: {label: Behandelaar}}
initial: open
steps:
  open:
    label: Open
    obligations:
      - {id: melden, label: Melden, after: 1 dag, basis: benchmark, roles: [handler], escalate: [handler]}
  klaar: {label: Klaar, final: true}
transitions:
  - {trigger: afronden, label: Afronden, from: open, to: klaar, roles: [handler]}
"""


def reminder_rounds(url: str, late: int, history: list[int]) -> list[tuple[int, int, float]]:
    """A reminder round's time while the notifications table fills with notices of earlier
    rounds: ``late`` late obligations told to 10 users on 2 channels, then the table is
    grown to each size in ``history`` and a round is timed (median of 5)."""
    from engine.usecases.reminders import Reminders

    db = make_engine(url)
    trede = bench_engine(db)
    trede.protocols.load(OPERATOR, load_protocol_text(TERMIJN, "termijn.yaml"))
    for i in range(10):
        trede.users.add(f"h{i}", f"Behandelaar {i}", "b", "x" * 12, [Membership("handler", "s")])
    past = datetime.now(UTC) - timedelta(days=10)
    ids = [
        trede.cases.open(HANDLER, "bench-termijn", school="s", subject=f"L{i}", role="handler", effective=past).id
        for i in range(late)
    ]
    trede.timers.run()  # every obligation is now late
    reminders = Reminders(trede.services)
    first = reminders.record()
    rows = []
    grown = 0
    for size in history:
        filler = [
            {
                "case_id": ids[n % late],
                "deadline_key": f"eerder@{n}",
                "kind": "verlopen",
                "username": f"h{n % 10}",
                "channel": "app",
                "due_date": "2026-01-01",
                "created_at": past,
                "sent_at": past,
            }
            for n in range(grown, size)
        ]
        for start in range(0, len(filler), 20_000):
            with db.begin() as conn:
                conn.execute(insert(NOTIFICATIONS), filler[start : start + 20_000])
        grown = max(grown, size)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            assert reminders.record() == 0  # everything was told before: nothing new, nothing re-sent
            times.append(time.perf_counter() - started)
        rows.append((first, grown + first, statistics.median(times) * 1000))
    return rows


def run_reminders(quick: bool) -> None:
    late = 100 if quick else 500
    history = [0, 10_000, 100_000] if quick else [0, 10_000, 100_000, 500_000]
    print("| backend | notices per round | notices recorded in all | reminder round ms (median of 5) |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for backend, url in backends(tmp):
            for per_round, total, ms in reminder_rounds(url, late, history):
                print(f"| {backend} | {per_round:,} | {total:,} | {ms:.0f} |")
    print("\ntarget: a round's time does not grow with the notices recorded in earlier rounds")


def import_figures(url: str, per_group: int, groups: int) -> tuple[int, float, float, float]:
    """Read and import an EDEXML export of ``groups`` groups, then import it again
    (nothing changes) and once more with 3 pupils gone (3 departures proposed)."""
    from adapters.imports import read_edexml
    from api.demo import demo_edexml

    db = make_engine(url)
    trede = bench_engine(db)
    layout: dict[str, list[str]] = {f"g{i}": [] for i in range(groups)}
    content = demo_edexml(layout, per_group)
    started = time.perf_counter()
    report = trede.pupils.import_roster(OPERATOR, "s", read_edexml(content, "EDEX.xml"))
    first = time.perf_counter() - started
    assert report.added == per_group * groups
    started = time.perf_counter()
    assert trede.pupils.import_roster(OPERATOR, "s", read_edexml(content, "EDEX.xml")).added == 0
    again = time.perf_counter() - started
    started = time.perf_counter()
    gone = trede.pupils.import_roster(OPERATOR, "s", read_edexml(demo_edexml(layout, per_group, leave_out=3), "EDEX.xml"))
    later = time.perf_counter() - started
    assert len(gone.proposed_departures) == 3
    db.dispose()
    return per_group * groups, first, again, later


def run_imports(quick: bool) -> None:
    sizes = [(25, 20)] if quick else [(25, 20), (250, 20)]
    print("| backend | pupils | groups | first import s | same file again s | 3 pupils gone s |")
    print("|---|---|---|---|---|---|")
    for per_group, groups in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            for backend, url in backends(tmp):
                pupils, first, again, later = import_figures(url, per_group, groups)
                print(f"| {backend} | {pupils:,} | {groups} | {first:.2f} | {again:.2f} | {later:.2f} |")
    print("\ntarget: 500 pupils in 20 groups import in < 5 s (read, compare, store)")


def one_megabyte_protocol() -> str:
    """A chain of steps with long descriptions and a timer each: about 1 MB of real content."""
    lines = [
        "id: bench-groot",
        "version: 1",
        "title: Groot protocol",
        "source: benchmark",
        "roles: {handler: {label: Behandelaar}}",
        "initial: s0",
        "steps:",
    ]
    transitions = ["transitions:"]
    step = 0
    while sum(len(line) + 1 for line in lines + transitions) < 1_000_000:
        description = " ".join(f"woord{i}" for i in range(110))
        lines += [
            f"  s{step}:",
            f"    label: Stap {step}",
            f"    description: {description}",
            f"    source: bijlage {step}",
            "    timers:",
            f"      - {{id: t{step}, label: Termijn {step}, after: 2 weken, basis: test, on_expiry: {{fire: door{step}}}}}",
        ]
        transitions.append(f"  - {{trigger: door{step}, label: Door {step}, from: s{step}, to: s{step + 1}, roles: [handler]}}")
        step += 1
    lines += [f"  s{step}:", f"    label: Stap {step}", "    final: true"]
    return "\n".join(lines + transitions) + "\n"


def many_actions(n: int, wrong: bool) -> str:
    """``n`` actions in a chain of ``n`` steps; ``wrong``: each lacks its label, steps and roles
    (a hostile file: thousands of shape problems, each an entry the repair would take out)."""
    head = ["id: bench-acties", "version: 1", "title: Acties", "source: benchmark", "roles: {h: {label: H}}", "initial: s0", "steps:"]
    steps = [f"  s{i}: {{label: S{i}}}" for i in range(1 if wrong else n)] + ["  e: {label: E, final: true}"]
    if wrong:
        actions = [f"  - {{trigger: t{i}}}" for i in range(n)]
    else:
        actions = [f"  - {{trigger: t{i}, label: T, from: s{i}, to: {f's{i + 1}' if i + 1 < n else 'e'}, roles: [h]}}" for i in range(n)]
    return "\n".join([*head, *steps, "transitions:", *actions]) + "\n"


def wildcard_actions(n: int) -> str:
    """``n`` steps and ``n`` actions from every step (``from: "*"``): n² ways between steps."""
    head = ["id: bench-ster", "version: 1", "title: Ster", "source: benchmark", "roles: {h: {label: H}}", "initial: s0", "steps:"]
    steps = [f"  s{i}: {{label: S}}" for i in range(n)] + ["  e: {label: E, final: true}"]
    chain = [f"  - {{trigger: n{i}, label: N, from: s{i}, to: {f's{i + 1}' if i + 1 < n else 'e'}, roles: [h]}}" for i in range(n)]
    wild = [f"  - {{trigger: w{i}, label: W, from: '*', roles: [h]}}" for i in range(n)]
    return "\n".join([*head, *steps, "transitions:", *chain, *wild]) + "\n"


def run_protocols() -> None:
    import tracemalloc

    from engine.errors import ProtocolError
    from tests.integration.test_hostile_protocols import HOSTILE

    big = one_megabyte_protocol()
    texts = [
        ("1 MB protocol (geldig)", big, True),
        ("3,000 acties (geldig)", many_actions(3_000, wrong=False), True),
        ("12,000 acties met vormfouten", many_actions(12_000, wrong=True), False),
        ("1,000 acties vanuit elke stap (*)", wildcard_actions(1_000), False),
    ] + [(name, text, False) for name, (text, _) in sorted(HOSTILE.items())]
    print("| file | size | seconds | peak MB | result |")
    print("|---|---|---|---|---|")
    def attempt(name: str, text: str) -> str:
        try:
            load_protocol_text(text, f"{name}.yaml")
            return "geladen"
        except ProtocolError as exc:
            return "geweigerd: " + str(exc.problems[0]).split(": ", 1)[1][:60]

    for name, content, valid in texts:
        started = time.perf_counter()  # timed without tracemalloc, which slows Python down
        result = attempt(name, content)
        elapsed = time.perf_counter() - started
        tracemalloc.start()
        attempt(name, content)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        assert (result == "geladen") == valid, (name, result)
        print(f"| {name} | {len(content.encode()) / 1e6:.2f} MB | {elapsed:.3f} | {peak:.1f} | {result} |")
    print("\ntargets: a 1 MB protocol validates in < 1 s; every hostile file is refused in < 2 s and < 200 MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small numbers, for a smoke run")
    parser.add_argument("--workers", action="store_true", help="the timer worker figures (PostgreSQL)")
    parser.add_argument("--protocols", action="store_true", help="the protocol loader: a 1 MB file and hostile files")
    parser.add_argument("--checkpoints", action="store_true", help="signed checkpoints of 100,000 cases")
    parser.add_argument("--reminders", action="store_true", help="a reminder round as notices accumulate")
    parser.add_argument("--imports", action="store_true", help="EDEXML imports of 500 and 5,000 pupils")
    args = parser.parse_args()
    if args.imports:
        run_imports(args.quick)
    elif args.reminders:
        run_reminders(args.quick)
    elif args.checkpoints:
        run_checkpoints(args.quick)
    elif args.protocols:
        run_protocols()
    elif args.workers:
        run_workers(args.quick)
    else:
        run(args.quick)
