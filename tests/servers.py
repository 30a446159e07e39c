"""Servers the tests start as processes (`trede serve`, the OpenID provider under node):
their output goes to a file, never a pipe (a full pipe blocks a chatty server), and every
wait for one has a deadline and fails with what the server itself printed."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx
import pytest

# generous: on a busy machine a fresh Python process takes long to import the application
DEADLINE_S = 180.0
HEALTH = "/api/v1/health"


class Started:
    """A process whose stdout and stderr go, together, to a temporary file."""

    def __init__(self, process: subprocess.Popen[bytes], log: IO[bytes], name: str) -> None:
        self.process = process
        self.log = log
        self.name = name

    def output(self) -> str:
        """All the process has printed so far."""
        self.log.flush()
        return Path(self.log.name).read_bytes().decode(errors="replace")

    def fail(self, why: str) -> None:
        code = self.process.poll()
        state = f"exited with {code}" if code is not None else "still running"
        pytest.fail(f"{self.name} {why} ({state}); its output:\n{self.output()[-6000:]}", pytrace=False)

    def wait_until_ready(self, url: str, deadline_s: float = DEADLINE_S) -> None:
        wait_until_ready(self, url, deadline_s)

    def wait_for_output(self, text: str, deadline_s: float = DEADLINE_S) -> str:
        """The first line of output that starts with ``text``, once the process printed it."""
        end = time.monotonic() + deadline_s
        while True:
            for line in self.output().splitlines():
                if line.startswith(text):
                    return line
            if self.process.poll() is not None:
                self.fail(f"stopped before it printed {text!r}")
            if time.monotonic() > end:
                self.fail(f"did not print {text!r} within {deadline_s:.0f} s")
            time.sleep(0.1)

    def stop(self, timeout_s: float = 30) -> str:
        """Ends the process (terminate, then kill) and returns its output."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout_s)
        return self.output()


@contextmanager
def started(
    args: Sequence[str], *, cwd: Path, env: dict[str, str] | None = None, name: str = "the server"
) -> Iterator[Started]:
    """Starts ``args``; on leaving the block stops it and removes its output file."""
    with tempfile.NamedTemporaryFile(prefix="trede-server-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(
            list(args),
            cwd=cwd,
            env={**(env if env is not None else os.environ), "PYTHONUNBUFFERED": "1"},  # output up to a failure
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = Started(process, log, name)
        try:
            yield server
        finally:
            server.stop()
    Path(log.name).unlink(missing_ok=True)


def wait_until_ready(server: Started, url: str, deadline_s: float = DEADLINE_S) -> None:
    """Polls ``url`` + the health endpoint until it answers 200. Fails, with the server's own
    output, when the process exits first or the deadline passes."""
    end = time.monotonic() + deadline_s
    last = "no answer yet"
    while True:
        try:
            answer = httpx.get(url.rstrip("/") + HEALTH, timeout=5)
            if answer.status_code == 200:
                return
            last = f"{answer.status_code}: {answer.text[:300]}"
        except httpx.HTTPError as e:
            last = repr(e)
        if server.process.poll() is not None:
            server.fail(f"stopped before {url} answered (last: {last})")
        if time.monotonic() > end:
            server.fail(f"did not answer at {url} within {deadline_s:.0f} s (last: {last})")
        time.sleep(0.2)


def wait_for(
    done: Callable[[], bool], what: str, deadline_s: float = DEADLINE_S, *, alive: Callable[[], bool] | None = None
) -> None:
    """Polls ``done`` until true; fails naming ``what`` when the deadline passes or ``alive``
    says the thing waited for is gone."""
    end = time.monotonic() + deadline_s
    while not done():
        if alive is not None and not alive():
            pytest.fail(f"{what}: stopped before it was ready", pytrace=False)
        if time.monotonic() > end:
            pytest.fail(f"{what}: not ready within {deadline_s:.0f} s", pytrace=False)
        time.sleep(0.05)
