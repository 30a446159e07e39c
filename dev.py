#!/usr/bin/env python3
"""Set up trede in ./.venv and run it. Needs only Python 3.11+ and pip.

python3 dev.py run     # install what serving needs, create demo.db with the protocols and demo cases, serve
python3 dev.py run --port 8123  # the same on another port (and --host; any other `trede serve` option)
python3 dev.py test    # install the development tools too, then ruff, mypy --strict and the whole test suite
python3 dev.py test --fast  # the same install, then only the fast layer: seconds, no PostgreSQL, browser or node
python3 dev.py bench   # the same install, then the benchmark table
python3 dev.py screenshots  # the same install, then renew docs/screenshots/ in a real browser

`run` installs only trede (`pip install -e .`); the other commands install the `[dev]` extra
(pytest, Playwright, mypy, ...). Each install is remembered by a stamp in .venv that holds the
pyproject.toml it installed: switching between run and test installs nothing twice, and a run
after a test install installs nothing at all (the [dev] install holds all that serving needs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode:
        sys.exit(result.returncode)


# What each command needs installed, and the stamp that remembers the install.
SERVE, DEV = ".", ".[dev]"
STAMPS = {SERVE: VENV / ".installed-serve", DEV: VENV / ".installed-dev"}
LEGACY_STAMP = VENV / ".installed"  # before serving and developing were told apart: always .[dev]


def installed(target: str, wanted: str) -> bool:
    """Whether ``target`` is installed from this very pyproject.toml; the development install
    holds everything serving needs."""
    stamps = [STAMPS[DEV]] if target == DEV else [STAMPS[DEV], STAMPS[SERVE]]
    return any(stamp.exists() and stamp.read_text(encoding="utf-8") == wanted for stamp in stamps)


def setup(target: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"trede needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    created = not PY.exists()
    if created:
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception:  # Debian without python3-venv: let the system pip install into the venv
            venv.EnvBuilder(with_pip=False).create(VENV)
    if LEGACY_STAMP.exists() and not STAMPS[DEV].exists():
        LEGACY_STAMP.rename(STAMPS[DEV])
    wanted = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if installed(target, wanted):
        return
    pip: list[str | Path] = [PY, "-m", "pip"] if (BIN / "pip").exists() else [sys.executable, "-m", "pip", "--python", PY]
    if created or not (BIN / "pip").exists():
        sh(*pip, "install", "--quiet", "--upgrade", "pip")
    what = "trede and its development tools" if target == DEV else "trede (what serving needs)"
    print(f"installing {what} into .venv; the first time this takes a minute or so", flush=True)
    # pip never downgrades here: it installs what is missing or older than pyproject.toml asks
    sh(*pip, "install", "--quiet", "-e", target)
    STAMPS[target].write_text(wanted, encoding="utf-8")


def run() -> None:
    env = {**os.environ, "TREDE_DATABASE_URL": os.environ.get("TREDE_DATABASE_URL", f"sqlite:///{ROOT / 'demo.db'}")}
    options = sys.argv[2:]  # for `trede serve`; the demo prints the address served
    sh(BIN / "trede", "demo", *address_options(options), env=env)
    sh(BIN / "trede", "serve", *options, env=env)


def address_options(options: list[str]) -> list[str]:
    """``--host`` and ``--port`` (``--port 8123`` or ``--port=8123``) among ``options``."""
    found: list[str] = []
    for index, option in enumerate(options):
        name = option.split("=", 1)[0]
        if name not in ("--host", "--port"):
            continue
        if "=" in option:
            found.append(option)
        elif index + 1 < len(options):
            found += [option, options[index + 1]]
    return found


# Where the fast layer lives: the engine's unit tests and the store contract, whose in-memory
# backend is marked fast too. The marker decides what runs; the paths only spare collecting
# (importing) the browser, feature and web tests that would all be deselected.
FAST_PATHS = ("tests/unit", "tests/integration/test_store_contract.py")


def test() -> None:
    if "--fast" in sys.argv[2:]:
        args = [a for a in sys.argv[2:] if a != "--fast"]
        # one process (starting workers costs more than the layer); plugins it never uses stay off
        sh(PY, "-m", "pytest", "-m", "fast", "-p", "no:schemathesis", "-p", "no:anyio", *FAST_PATHS, *args)
        return
    sh(BIN / "ruff", "check", ".")
    sh(BIN / "mypy", "--strict", "engine", "adapters", "api")
    sh(PY, "-m", "pytest", "-n", "auto", *sys.argv[2:])  # one test process per core (pytest-xdist)


def bench() -> None:
    sh(PY, "benchmarks/bench.py", *sys.argv[2:])


def screenshots() -> None:
    """The browser tests that show the main pages, writing their screenshots (the test
    suite itself never does)."""
    env = {**os.environ, "TREDE_SCREENSHOTS": "1"}
    sh(PY, "-m", "pytest", "-q", "tests/browser", "-k", "leerkracht or auditor or protocol_owner or reports", env=env)


if __name__ == "__main__":
    commands = {"run": run, "test": test, "bench": bench, "screenshots": screenshots}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    setup(SERVE if sys.argv[1] == "run" else DEV)
    commands[sys.argv[1]]()
