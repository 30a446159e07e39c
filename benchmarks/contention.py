"""32 REST clients firing on 5 cases against `trede serve --no-worker --processes 2` on
PostgreSQL, for a bounded time (issue 24: deadlocks and 409s between server processes).
Fires name no expected_seq. Prints the answers by status.

    python benchmarks/contention.py [--seconds 12] [--clients 32] [--cases 5] [--processes 2]
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from http_load import FACTS, free_port
from startup import database, drop

from adapters.sql.database import init_database, make_engine
from api.bootstrap import bootstrap
from engine.access import OPERATOR, Membership
from engine.ports import SchoolRecord
from engine.protocol.loader import load_protocol_text

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--cases", type=int, default=5)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    name, url = database()
    server = None
    try:
        db = make_engine(url)
        init_database(db)
        app = bootstrap(url)
        app.engine.schools.save(OPERATOR, SchoolRecord("s", "Benchmarkschool", "b", "midden"))
        app.engine.protocols.load(OPERATOR, load_protocol_text(FACTS, "feiten.yaml"))
        app.engine.users.add("b", "Benchmark", "b", "x" * 12, [Membership("handler"), Membership("behandelaar")])
        token = app.engine.tokens.create("b", "bench")
        handler = app.engine.users.principal("b")
        assert handler is not None
        ids = [app.engine.cases.open(handler, "bench-feiten", school="s", subject=f"L{i}", role="handler").id for i in range(args.cases)]
        db.dispose()
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "--db", url, "serve", "--no-worker", "--processes", str(args.processes), "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        started = time.monotonic()
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() - started > 120 or server.poll() is not None:
                server.kill()
                raise SystemExit("the server did not start:\n" + server.communicate()[0].decode(errors="replace"))
            time.sleep(0.2)
        answers: collections.Counter[str] = collections.Counter()
        lock = threading.Lock()
        end = time.monotonic() + args.seconds

        def client(n: int) -> None:
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as http:
                i = 0
                while time.monotonic() < end:
                    r = http.post(f"/api/v1/cases/{ids[(n + i) % len(ids)]}/fire", json={"trigger": "tellen", "inputs": {"stand": str(i)}})
                    key = str(r.status_code) if r.status_code == 200 else f"{r.status_code} {r.json().get('detail', '')[:80]}"
                    with lock:
                        answers[key] += 1
                    i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + 60)
        print(f"{args.clients} clients, {args.cases} cases, {args.processes} server processes, {args.seconds:.0f} s (PostgreSQL)")
        print("| answer | count |\n|---|---|")
        for key, n in sorted(answers.items()):
            print(f"| {key} | {n:,} |")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        drop(name)


if __name__ == "__main__":
    main()
