"""How long logging in (POST /inloggen) and the report PDF (GET /rapportages/rapportage.pdf)
take on the real server, on an idle machine and with its cores kept busy (issue 26).

Each measurement: a fresh database filled by `trede demo` (the demo's users, with the
password hasher of the code measured), `trede serve --no-worker` as a subprocess, then N
logins of the directeur of De Linde (each from a new client: the login form, then the timed
POST) and N downloads of the report PDF as that user (after one untimed download: the
first loads the PDF library). "busy" runs K busy-loop processes (K = the number of cores:
every core taken, as on a loaded school server) during the timed requests; they end with the
measurement. Prints one table: median, fastest and slowest of N, in milliseconds.

    .venv/bin/python benchmarks/pages_timing.py [--runs 15] [--busy 2] [--tree PATH] [--label NAME]
                                               [--backend sqlite|postgresql] [--profile]

--tree measures another checkout's code (e.g. `git archive <commit> | tar -x -C /tmp/before`),
so that before and after are measured on the same machine in one session. --profile prints
where the report PDF's time goes (cProfile, in one process, this tree's code).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
ADMIN = os.environ.get("TREDE_TEST_POSTGRES_URL", "postgresql+psycopg://127.0.0.1:5432/postgres")
BUSY = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"
USER, PASSWORD = "dhr.bos", "trede-demo"  # the demo's directeur of De Linde (api/demo.py)
PROFILE = """
import cProfile, pstats, tempfile
from adapters.sql.database import init_database, make_engine
from api.bootstrap import bootstrap
from api.demo import load_bundled, seed_accounts, seed_cases, seed_pupils
from api.web import create_app
url = "sqlite:///" + tempfile.mkdtemp() + "/trede.db"
init_database(make_engine(url), sandbox=True)
app = bootstrap(url)
for seed in (load_bundled, seed_accounts, seed_pupils, seed_cases):
    seed(app.engine)
import api.web.report_pages as pages
from starlette.requests import Request
me = app.engine.users.principal("{user}")
class Visitor:  # what the page's dependency hands the route: the principal
    principal = me
web = create_app(app)
request = Request({{"type": "http", "app": web, "headers": [], "method": "GET", "path": "/"}})
pages.download_pdf(request, Visitor())  # the PDF library's import, once per process
profile = cProfile.Profile()
profile.enable()
for _ in range(5):
    pages.download_pdf(request, Visitor())
profile.disable()
pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A fresh, empty database; a PostgreSQL one is dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'trede.db'}"
        return
    from sqlalchemy import create_engine, text

    name = f"trede_pages_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def trede(tree: Path, url: str, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, "-m", "api.cli", "--db", url, *args]
    return subprocess.Popen(command, cwd=tree, env=env, **popen)  # type: ignore[call-overload,no-any-return]


@contextmanager
def server(tree: Path, url: str) -> Iterator[str]:
    port = free_port()
    process = trede(tree, url, "serve", "--no-worker", "--port", str(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def busy(count: int, seconds: float) -> Iterator[None]:
    """``count`` processes that keep a core busy each, ended when the block ends."""
    loops = [subprocess.Popen([sys.executable, "-c", BUSY.format(seconds=seconds)]) for _ in range(count)]
    try:
        time.sleep(0.5 if count else 0)  # let them take the cores
        yield
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()


def cookies(response: httpx.Response) -> dict[str, str]:
    """The cookies a response sets (trede's are Secure: httpx would not send them back over
    plain http to 127.0.0.1, so they are sent by hand)."""
    return dict(response.cookies.items())


def log_in(base: str) -> tuple[float, dict[str, str]]:
    """One login from a new client: the form (untimed), then the timed POST."""
    with httpx.Client(base_url=base, timeout=120) as client:
        form = client.get("/inloggen")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token, "no csrf field on the login form"
        jar = cookies(form)
        data = {"gebruikersnaam": USER, "wachtwoord": PASSWORD, "csrf": token.group(1), "next": "/"}
        started = time.perf_counter()
        done = client.post("/inloggen", data=data, headers=_cookie_header(jar), follow_redirects=False)
        took = time.perf_counter() - started
    assert done.status_code == 303 and done.headers["location"] == "/", (done.status_code, done.headers.get("location"))
    return took, {**jar, **cookies(done)}


def _cookie_header(jar: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}


def report_pdf(base: str, jar: dict[str, str]) -> float:
    with httpx.Client(base_url=base, timeout=120) as client:
        started = time.perf_counter()
        response = client.get("/rapportages/rapportage.pdf", headers=_cookie_header(jar))
        took = time.perf_counter() - started
    assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code
    return took


def timed(runs: int, once: Callable[[], float]) -> list[float]:
    return [once() * 1000 for _ in range(runs)]


def measure(tree: Path, backend: str, runs: int, loads: list[int]) -> list[tuple[int, str, list[float]]]:
    found = []
    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp)) as url:
        seeded = trede(tree, url, "demo", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, errors = seeded.communicate(timeout=900)
        if seeded.returncode != 0:
            raise SystemExit(f"trede demo failed: {errors.decode()[-2000:]}")
        with server(tree, url) as base:
            _, jar = log_in(base)
            report_pdf(base, jar)  # the first PDF of a process imports the PDF library
            for load in loads:
                with busy(load, seconds=600):
                    found.append((load, "POST /inloggen", timed(runs, lambda: log_in(base)[0])))
                    found.append((load, "GET /rapportages/rapportage.pdf", timed(runs, lambda: report_pdf(base, jar))))
    return found


def profile(tree: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-c", PROFILE.format(user=USER)], cwd=tree, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="timed requests of each kind (the median is reported)")
    parser.add_argument("--busy", type=int, default=os.cpu_count() or 2, help="busy-loop processes in the loaded runs")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose code is measured")
    parser.add_argument("--label", default="", help="the code's name in the table (default: the tree's folder)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--profile", action="store_true", help="print where the report PDF's time goes, then stop")
    args = parser.parse_args()
    tree = args.tree.resolve()
    if args.profile:
        profile(tree)
        return
    label = args.label or tree.name
    before = os.getloadavg()[0]
    rows = measure(tree, args.backend, args.runs, [0, args.busy] if args.busy else [0])
    print(f"load average (1 min) before the runs: {before:.1f}; after: {os.getloadavg()[0]:.1f}")
    print("| code | backend | machine | what | runs | median ms | fastest ms | slowest ms |")
    print("|---|---|---|---|---|---|---|---|")
    for load, what, times in rows:
        machine = "idle" if load == 0 else f"{load} busy loops"
        print(
            f"| {label} | {args.backend} | {machine} | {what} | {len(times)} | {statistics.median(times):,.0f} "
            f"| {min(times):,.0f} | {max(times):,.0f} |"
        )


if __name__ == "__main__":
    main()
