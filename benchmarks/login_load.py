"""Logins under load on the real server (`trede serve --no-worker`, SQLite): 8 people log in
at once, again and again (wrk, 8 connections: POST /inloggen with user name, password and the
login form's CSRF token, answered by the 303 to the start page that sets the session
cookie), with the production password hash (adapters/passwords.py: argon2id at OWASP's
minimum cost).

Printed: one hash on its own in this process (the floor of a login), one login alone (the
form, then the POST, from httpx), and the latency of the logins with 8 at once (p50, p99)
as wrk measures it; a login that did not reach the start page counts as an error.

    .venv/bin/python benchmarks/login_load.py [--seconds 10] [--concurrent 8]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from bench import bench_engine
from http_load import _ms, free_port, serve

from adapters.passwords import MEMORY_COST_KIB, PARALLELISM, TIME_COST, Argon2Passwords
from adapters.sql.database import make_engine
from engine.access import Membership

PASSWORD = "correct horse battery staple"
LUA = """
local users = {}
for name in string.gmatch(os.getenv("USERS"), "[^,]+") do table.insert(users, name) end
local n = 0
failed = 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function request()
  n = n + 1
  local user = users[(n % #users) + 1]
  local csrf = "benchmark-login-csrf-token"
  local body = "gebruikersnaam=" .. user .. "&wachtwoord=" .. os.getenv("PASSWORD") .. "&csrf=" .. csrf .. "&next=%2F"
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "trede_login_csrf=" .. csrf}
  return wrk.format("POST", "/inloggen", headers, body)
end
function response(status, headers, body)
  if status ~= 303 or (headers["location"] or headers["Location"]) ~= "/" then failed = failed + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("failed") end
  print("failed logins: " .. total)
end
"""


def prepare(url: str, people: int) -> list[str]:
    db = make_engine(url)
    trede = bench_engine(db)  # the production hasher (Argon2Passwords' defaults)
    names = [f"leerkracht{i}" for i in range(people)]
    for name in names:
        trede.users.add(name, name, "b", PASSWORD, [Membership("leerkracht", "s")])
    db.dispose()
    return names


def login(base: str, username: str) -> float:
    """One login from a fresh browser; the seconds of its POST (the password check)."""
    with httpx.Client(base_url=base, follow_redirects=False, timeout=60) as client:
        form = client.get("/inloggen")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token is not None, "the login form has no CSRF token"
        started = time.perf_counter()
        answer = client.post(
            "/inloggen",
            data={"gebruikersnaam": username, "wachtwoord": PASSWORD, "csrf": token.group(1), "next": "/"},
            headers={"Cookie": f"trede_login_csrf={token.group(1)}"},  # a secure cookie: httpx keeps it for https
        )
        elapsed = time.perf_counter() - started
    assert answer.status_code == 303 and "trede_sessie=" in answer.headers.get("set-cookie", ""), answer.text[:300]
    return elapsed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def at_once(port: int, names: list[str], seconds: int, script: Path) -> tuple[float, float, float, float, int]:
    """wrk with one connection per person: (logins/s, p50 ms, p90 ms, p99 ms, errors)."""
    env = {**os.environ, "USERS": ",".join(names), "PASSWORD": PASSWORD.replace(" ", "+")}
    out = subprocess.run(
        ["wrk", f"-t{min(2, len(names))}", f"-c{len(names)}", f"-d{seconds}s", "--latency", "-s", str(script), f"http://127.0.0.1:{port}"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50, p90, p99 = (_ms(re.search(rf"{p}%\s+([\d.]+\w+)", out).group(1)) for p in (50, 90, 99))  # type: ignore[union-attr]
    failed = re.search(r"failed logins: (\d+)", out)
    assert failed is not None, out
    return rate, p50, p90, p99, int(failed.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrent", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    hasher = Argon2Passwords()
    stored = hasher.hash(PASSWORD)
    hashes = []
    for _ in range(10):
        started = time.perf_counter()
        hasher.verify(stored, PASSWORD)
        hashes.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "login.lua"
        script.write_text(LUA, encoding="utf-8")
        url = f"sqlite:///{tmp}/login.db"
        names = prepare(url, args.concurrent)
        port = free_port()
        server = serve(url, port, 1)
        base = f"http://127.0.0.1:{port}"
        try:
            [login(base, names[0]) for _ in range(3)]  # the login form works, as a browser uses it
            alone = at_once(port, names[:1], max(2, args.seconds // 3), script)
            rate, p50, p90, p99, errors = at_once(port, names, args.seconds, script)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"argon2id: m={MEMORY_COST_KIB // 1024} MiB, t={TIME_COST}, p={PARALLELISM}; {os.cpu_count()} cores")
    print("| what | p50 ms | p90 ms | p99 ms | logins/s | errors |")
    print("|---|---|---|---|---|---|")
    print(f"| one password check (no HTTP) | {statistics.median(hashes) * 1000:.0f} | "
          f"{percentile(hashes, 90) * 1000:.0f} | {max(hashes) * 1000:.0f} | | |")
    print(f"| one login at a time | {alone[1]:.0f} | {alone[2]:.0f} | {alone[3]:.0f} | {alone[0]:.1f} | {alone[4]} |")
    print(f"| {args.concurrent} logins at once | {p50:.0f} | {p90:.0f} | {p99:.0f} | {rate:.1f} | {errors} |")
    print("\ntarget: p99 < 500 ms with 8 logins at once")


if __name__ == "__main__":
    main()
