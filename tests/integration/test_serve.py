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
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--db", url, "serve", "--port", str(port), "--timer-interval", "0.2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TREDE_LOG_LEVEL": "WARNING"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=5) as web:
            for _ in range(100):
                try:
                    form = web.get("/inloggen")
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            token = re.search(r'name="csrf" value="([^"]+)"', form.text)
            assert token
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
            for _ in range(50):  # the worker's first rounds record the notice
                seen = web.get("/", headers={"Cookie": _header(cookies)}).text
                if 'id="meldingen"' in seen:
                    break
                time.sleep(0.2)
        assert "Termijn verlopen" in seen and "Ouders geïnformeerd" in seen, seen[-2000:]
    finally:
        server.terminate()
        server.wait(timeout=10)


def _header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())
