"""Transactions per page read. Prints one table; run: python benchmarks/page_transactions.py [--trace]

Builds the demo on a fresh SQLite file (`trede demo`), logs in as a demo user through the
login form and reads pages as a browser would, counting on the database engine:
- transactions: connections that began a transaction (SQLAlchemy ``begin`` events, including
  the group commit that makes the access log durable);
- statements: every SQL statement SQLite ran (its trace callback), also those the driver
  sends past SQLAlchemy; BEGIN, COMMIT and PRAGMA are not counted.
``--trace`` prints each page's statements in order, grouped by transaction.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event  # noqa: E402

from api.bootstrap import bootstrap  # noqa: E402
from api.demo import DEMO_PASSWORD  # noqa: E402
from api.web import create_app  # noqa: E402

USER = "mevr.smit"  # the intern begeleider of the demo: sees several cases


@dataclass
class Tally:
    transactions: int = 0
    statements: int = 0
    trace: list[str] = field(default_factory=list)
    last: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.transactions, self.statements, self.trace, self.last = 0, 0, [], ""


def watch(db: Any, tally: Tally) -> None:
    @event.listens_for(db, "begin")
    def _begin(conn: Any) -> None:
        with tally.lock:
            tally.transactions += 1
            tally.last = ""
            tally.trace.append(f"  -- transaction {tally.transactions}")

    def _statement(statement: str) -> None:
        if statement.split(None, 1)[0].upper() in ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE"):
            return
        line = "     " + " ".join(statement.split())[: int(os.environ.get("TRACE_WIDTH", "140"))]
        with tally.lock:
            if tally.last == statement:  # SQLite reports a statement again for each trigger it runs
                return
            tally.last = statement
            tally.statements += 1
            tally.trace.append(line)

    # SQLite's own trace: it also sees the statements the driver sends past SQLAlchemy (driver.py)
    @event.listens_for(db, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.set_trace_callback(_statement)

    db.dispose()  # connections made before watching get the trace on their next connect


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trace", action="store_true", help="print each page's statements")
    parser.add_argument("--user", default=USER)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'pages.db'}"
        env = {**os.environ, "TREDE_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "api.cli", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
        app = bootstrap(url)
        tally = Tally()
        watch(app.db, tally)
        with TestClient(create_app(app), base_url="https://testserver") as client:
            form = client.get("/inloggen")
            csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert csrf, "no login form"
            client.post(
                "/inloggen",
                data={"gebruikersnaam": args.user, "wachtwoord": DEMO_PASSWORD, "csrf": csrf.group(1), "next": "/"},
            )
            start = client.get("/")
            cases = sorted(set(re.findall(r'href="/zaken/([0-9A-Za-z-]{8,})"', start.text)))
            assert cases, "the demo user sees no case"
            pages = [("start page", "/"), ("case page", f"/zaken/{cases[0]}"), ("case page again", f"/zaken/{cases[0]}")]
            rows = []
            for label, path in pages:
                client.get(path)  # warm: the first read of a page loads protocols and templates
                tally.reset()
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                rows.append((label, path, tally.transactions, tally.statements, list(tally.trace)))
    print(f"{'page':<18} {'transactions':>12} {'statements':>10}  path")
    for label, path, transactions, statements, _ in rows:
        print(f"{label:<18} {transactions:>12} {statements:>10}  {path}")
    if args.trace:
        for label, path, _, _, trace in rows:
            print(f"\n{label} {path}")
            print("\n".join(trace))


if __name__ == "__main__":
    main()
