"""The dossier PDF of a large case, before and after it was laid out directly (issue 30).

Before: fpdf2's ``write_html`` of the template dossier.html (as it was at ``--before``, read
from git), through adapters/letter_renderer.html_to_pdf. After: adapters/dossier_pdf.py. Both
render the same ``Dossier`` the engine read once from ``--db`` (a copy of a generated board:
the read writes to the access log), in this process, interleaved, ``--runs`` times each;
median and fastest wall time, and median CPU time of this process (the machine is shared).

With ``--http``, also the whole request, from sending it to the last byte: a server of the
code at ``--before`` (exported with git archive into a temporary folder) and a server of this
checkout, both on ``--db``, asked in turn ``--runs`` times each with a bevoegd gezag's session.

    .venv/bin/python benchmarks/dossier_timing.py --db sqlite:////tmp/me/board.db --case ID [--http]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from board import board_engine
from http_load import _started, free_port

from adapters.dossier_pdf import dossier_to_pdf
from adapters.letter_renderer import html_to_pdf
from api.cli.serve import server_processes
from api.web.render import TEMPLATES
from engine.clock import FixedClock
from engine.views import timeline

ROOT = Path(__file__).resolve().parent.parent


def git(*args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=True).stdout


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its descendants (Linux /proc): what the server
    spent on a request, whatever else the shared machine is doing."""
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(used.get(p, 0.0) for p in tree)


def timed(make: Callable[[], bytes]) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    size = len(make())
    return time.perf_counter() - wall, time.process_time() - cpu, size


def in_process(url: str, case_id: str, user: str, before: str, runs: int) -> None:
    trede = board_engine(url, FixedClock(datetime.now(UTC)))
    principal = trede.users.principal(user)
    assert principal is not None, user
    started = time.perf_counter()
    dossier = trede.reads.dossier(principal, case_id)
    names = trede.users.names()
    read = time.perf_counter() - started
    template = TEMPLATES.env.from_string(git("show", f"{before}:api/templates/dossier.html").decode())
    moment = trede.clock.now()
    view = dossier.view

    def old() -> bytes:
        html = template.render(
            school_names=names.schools, people=names.people, view=view, subject=view.subject(), steps=dossier.steps,
            timeline=timeline(dossier.events), result=dossier.verification, inputs=view.protocol.inputs(),
        )
        return html_to_pdf(html, f"Dossier zaak {view.case.id}", moment)

    def new() -> bytes:
        return dossier_to_pdf(dossier, names, moment)

    old(), new()  # the first of each parses the fonts and imports fpdf2
    results: dict[str, list[tuple[float, float, int]]] = {"before (write_html)": [], "after (dossier_pdf)": []}
    for _ in range(runs):
        results["before (write_html)"].append(timed(old))
        results["after (dossier_pdf)"].append(timed(new))
    print(f"\n{len(dossier.events)} events; the engine's read of the dossier and the names: {read * 1000:.0f} ms\n")
    print("| renderer (in process, interleaved) | median ms | fastest ms | median CPU ms | PDF bytes |")
    print("|---|---|---|---|---|")
    for what, times in results.items():
        walls, cpus = [t[0] for t in times], [t[1] for t in times]
        print(f"| {what} | {statistics.median(walls) * 1000:,.0f} | {min(walls) * 1000:,.0f} "
              f"| {statistics.median(cpus) * 1000:,.0f} | {times[-1][2]:,} |")


def over_http(url: str, case_id: str, user: str, before: str, runs: int) -> None:
    trede = board_engine(url, FixedClock(datetime.now(UTC)))
    cookie = trede.sessions.start(user, True)[0]
    processes = server_processes("sqlite" if url.startswith("sqlite") else "postgresql")
    path = f"/audit/zaken/{case_id}/dossier.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(git("archive", before)), mode="r:") as archive:
            archive.extractall(tmp, filter="data")
        servers, bases = [], {}
        try:
            for what, root in (("before", tmp), ("after", str(ROOT))):
                port = free_port()
                env = {**os.environ, "TREDE_DATABASE_URL": url, "PYTHONPATH": root}
                command = [sys.executable, "-m", "api.cli", "serve", "--no-worker", "--port", str(port), "--processes", str(processes)]
                process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                servers.append(_started(process, port, "/api/v1/health"))
                bases[what] = f"http://127.0.0.1:{port}"
            times: dict[str, list[float]] = {w: [] for w in bases}
            cpu: dict[str, list[float]] = {w: [] for w in bases}
            for n in range(runs + 1):
                for (what, base), server in zip(bases.items(), servers, strict=True):
                    spent, started = tree_cpu(server.pid), time.perf_counter()
                    answer = httpx.get(base + path, headers={"Cookie": f"trede_sessie={cookie}"}, timeout=600)
                    elapsed = time.perf_counter() - started
                    assert answer.status_code == 200 and answer.content.startswith(b"%PDF"), (what, answer.status_code)
                    if n:  # the first request of a server process imports fpdf2 and parses the fonts
                        times[what].append(elapsed)
                        cpu[what].append(tree_cpu(server.pid) - spent)
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    print(f"\n| GET {path} ({processes} server process(es), interleaved) | median ms | fastest ms | slowest ms | server CPU ms (median) |")
    print("|---|---|---|---|---|")
    for what, ts in times.items():
        print(f"| {what} | {statistics.median(ts) * 1000:,.0f} | {min(ts) * 1000:,.0f} | {max(ts) * 1000:,.0f} "
              f"| {statistics.median(cpu[what]) * 1000:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a copy of a generated board (the reads are logged)")
    parser.add_argument("--case", required=True, help="the large case's id (board.json: big)")
    parser.add_argument("--user", default="bestuur", help="a board-wide reader in the board")
    parser.add_argument("--before", default="main", help="the git revision whose dossier.html is 'before'")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--http", action="store_true", help="also the whole request, on two servers")
    args = parser.parse_args()
    in_process(args.db, args.case, args.user, args.before, args.runs)
    if args.http:
        over_http(args.db, args.case, args.user, args.before, args.runs)


if __name__ == "__main__":
    main()
