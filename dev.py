#!/usr/bin/env python3
"""Set up trede in ./.venv and run it. Needs only Python 3.11+ and pip.

python3 dev.py run     # install, create demo.db with the protocols and demo cases, serve
python3 dev.py test    # install, then ruff, mypy --strict and the whole test suite
python3 dev.py test --fast  # install, then only the fast layer: seconds, no PostgreSQL, browser or node
python3 dev.py bench   # install, then the benchmark table
python3 dev.py screenshots  # install, then renew docs/screenshots/ in a real browser
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


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"trede needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception:  # Debian without python3-venv: let the system pip install into the venv
            venv.EnvBuilder(with_pip=False).create(VENV)
    stamp = VENV / ".installed"
    wanted = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return
    pip = [PY, "-m", "pip"] if (BIN / "pip").exists() else [sys.executable, "-m", "pip", "--python", PY]
    sh(*pip, "install", "--quiet", "--upgrade", "pip")
    sh(*pip, "install", "--quiet", "-e", ".[dev]")
    stamp.write_text(wanted, encoding="utf-8")


def run() -> None:
    env = {**os.environ, "TREDE_DATABASE_URL": os.environ.get("TREDE_DATABASE_URL", f"sqlite:///{ROOT / 'demo.db'}")}
    sh(BIN / "trede", "demo", env=env)
    sh(BIN / "trede", "serve", *sys.argv[2:], env=env)


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
    setup()
    commands[sys.argv[1]]()
