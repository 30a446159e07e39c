"""`trede serve` alone, as the README starts it: its built-in worker records reminders, so a
late deadline appears in the app without a separate `trede worker` (simulated time)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import PROEF
from tests.servers import started

ROOT = Path(__file__).parents[2]
PASSWORD = "een-lang-wachtwoord"


def cli(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", "--db", url, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_serve_alone_shows_a_late_deadline_in_the_app(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'trede.db'}"
    cli(url, "db", "init", "--sandbox")
    cli(url, "protocol", "load", str(PROEF))
    cli(url, "users", "school", "de-linde", "--name", "De Linde", "--board", "b")
    cli(
        url,
        "users",
        "add",
        "juf",
        "--name",
        "Juf",
        "--board",
        "b",
        "--role",
        "leerkracht@de-linde",
        "--password",
        PASSWORD,
    )
    opened = cli(
        url,
        "--json",
        "case",
        "open",
        "proef-escalatie",
        "--school",
        "de-linde",
        "--subject",
        "Leerling-S1",
        "--actor",
        "juf",
    )
    case_id = re.search(r'"id": "([0-9a-f]+)"', opened)
    assert case_id
    cli(url, "case", "fire", case_id.group(1), "melden", "--actor", "juf", "--input", "ernst=licht")
    cli(url, "timers", "run", "--until", "2099-01-01")  # sandbox time: the obligation is long late
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "api.cli", "--db", url, "serve", "--port", str(port), "--timer-interval", "0.2"]
    base = f"http://127.0.0.1:{port}"
    with started(args, cwd=ROOT, env={**os.environ, "TREDE_LOG_LEVEL": "WARNING"}) as server:
        server.wait_until_ready(base)
        with httpx.Client(base_url=base, timeout=30) as web:
            form = web.get("/inloggen")
            token = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert token, form.text[:2000]
            data = {"gebruikersnaam": "juf", "wachtwoord": PASSWORD, "csrf": token.group(1), "next": "/"}
            # the session cookie is Secure: a browser sends it to localhost, httpx does not, so carry it
            cookies = {
                c.split("=", 1)[0]: c.split("=", 1)[1].split(";", 1)[0] for c in form.headers.get_list("set-cookie")
            }
            login = web.post("/inloggen", data=data, headers={"Cookie": _header(cookies)})
            cookies |= {
                c.split("=", 1)[0]: c.split("=", 1)[1].split(";", 1)[0] for c in login.headers.get_list("set-cookie")
            }
            seen = ""
            end = time.monotonic() + 120  # the worker's first rounds record the notice
            while time.monotonic() < end:
                seen = web.get("/", headers={"Cookie": _header(cookies)}).text
                if 'id="meldingen"' in seen:
                    break
                time.sleep(0.2)
        output = server.output()
    assert "Termijn verlopen" in seen and "Ouders geïnformeerd" in seen, seen[-2000:] + "\n" + output[-3000:]


def test_serve_with_two_processes_answers_reads_and_actions_from_both(tmp_path: Path) -> None:
    """`--processes 2`: uvicorn's workers each wire their own application on the database the
    command was given; every answer comes after its commit, whichever process gives it."""
    url = f"sqlite:///{tmp_path / 'trede.db'}"
    cli(url, "db", "init")
    cli(url, "protocol", "load", str(PROEF))
    cli(url, "users", "school", "de-linde", "--name", "De Linde", "--board", "b")
    cli(url, "users", "add", "juf", "--name", "Juf", "--board", "b", "--role", "leerkracht@de-linde", "--password", PASSWORD)
    token = re.search(r'"token": "([^"]+)"', cli(url, "--json", "users", "token", "juf"))
    assert token
    opened = cli(url, "--json", "case", "open", "proef-escalatie", "--school", "de-linde", "--subject", "Leerling-P2", "--actor", "juf")
    case_id = re.search(r'"id": "([0-9a-f]+)"', opened)
    assert case_id
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [sys.executable, "-m", "api.cli", "--db", url, "serve", "--no-worker", "--port", str(port), "--processes", "2"]
    base = f"http://127.0.0.1:{port}"
    with started(args, cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "TREDE_DATABASE_URL"}) as server:
        assert "2 serverprocessen" in server.wait_for_output("trede draait op")
        server.wait_until_ready(base)
        auth = {"Authorization": f"Bearer {token.group(1)}"}
        with httpx.Client(base_url=base, timeout=30) as api:
            fired = api.post(f"/api/v1/cases/{case_id.group(1)}/fire", json={"trigger": "melden", "inputs": {"ernst": "licht"}}, headers=auth)
            assert fired.status_code == 200, fired.text + "\n" + server.output()[-3000:]
            assert fired.json()["seq"] == 2
            reads = [api.get(f"/api/v1/cases/{case_id.group(1)}", headers=auth) for _ in range(20)]
        assert {r.status_code for r in reads} == {200} and {r.json()["seq"] for r in reads} == {2}
    verified = cli(url, "audit", "verify", "--all")
    assert f"zaak {case_id.group(1)}: in orde (2 gebeurtenissen)" in verified, verified


def _header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())
