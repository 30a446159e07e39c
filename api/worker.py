"""The timer worker: fires due timers and marks overdue obligations, batch by batch.

Several workers may run side by side on PostgreSQL (each claims whole cases with
FOR UPDATE SKIP LOCKED; a killed worker's claim ends with its transaction). On SQLite run
one. Logs are JSON lines with counts and timings only: no pupil or melder data.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from adapters.signing import Ed25519Signer
from engine.access import OPERATOR
from engine.errors import TredeError
from engine.ports import Signer
from engine.usecases import Engine
from engine.usecases.reminders import Reminders

log = logging.getLogger("trede.worker")

# Retention terms run in months and years: scanning every closed case on each idle round
# (every few seconds) would be waste, once an hour is more than soon enough.
RETENTION_EVERY = timedelta(hours=1)
# A signed checkpoint of the whole trail once a day, when a key and a directory are configured.
CHECKPOINT_EVERY = timedelta(days=1)
CHECKPOINT_DIR_ENV = "TREDE_CHECKPOINT_DIR"
CHECKPOINT_MAIL_ENV = "TREDE_CHECKPOINT_MAIL"  # comma-separated: the auditor, the board


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "at": self.formatTime(record),
            "level": record.levelname.lower(),
            "msg": record.getMessage(),
        }
        body.update(getattr(record, "fields", {}))
        return json.dumps(body, ensure_ascii=False)


def configure_logging() -> None:
    if log.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    log.addHandler(handler)
    log.setLevel(os.environ.get("TREDE_LOG_LEVEL", "INFO"))


def run_worker(
    engine: Engine,
    *,
    batch: int = 200,
    interval: float = 5.0,
    once: bool = False,
    stop: threading.Event | None = None,
    reminders: Reminders | None = None,
) -> int:
    """Work until stopped (or, with ``once``, until nothing is due). Returns how many fired."""
    stop = stop or threading.Event()
    reminders = reminders or engine.reminders()
    total = 0
    next_retention = engine.clock.now()
    next_checkpoint = engine.clock.now()
    while not stop.is_set():
        started = time.perf_counter()
        try:
            fired, claimed = engine.timers.expire_batch(batch)
        except TredeError as exc:  # e.g. the database restarted: wait and try again
            log.warning("batch failed", extra={"fields": {"error": exc.code}})
            stop.wait(interval)
            continue
        total += len(fired)
        if fired:
            elapsed = (time.perf_counter() - started) * 1000
            log.info(
                "timers fired", extra={"fields": {"fired": len(fired), "claimed": claimed, "ms": round(elapsed, 1)}}
            )
        if not fired or (claimed < batch and not engine.timers.due_now()):
            # idle: nothing fired, or a short batch left nothing due (a fired timer may
            # have started a step whose timer is already due: then go round at once)
            _remind(reminders)
            _publish(engine)
            if engine.clock.now() >= next_retention:
                _retain(engine)
                next_retention = engine.clock.now() + RETENTION_EVERY
            if engine.clock.now() >= next_checkpoint and os.environ.get(CHECKPOINT_DIR_ENV):
                write_checkpoint(engine, Path(os.environ[CHECKPOINT_DIR_ENV]))
                next_checkpoint = engine.clock.now() + CHECKPOINT_EVERY
            if once:
                break
            stop.wait(interval)
    return total


def _publish(engine: Engine) -> None:
    """Approved protocol proposals whose effective date has come become protocol versions."""
    try:
        published = engine.proposals.publish_due()
    except TredeError as exc:
        log.warning("publishing proposals failed", extra={"fields": {"error": exc.code}})
        return
    for stored in published:
        log.info("protocol published", extra={"fields": {"protocol": stored.id, "version": stored.version}})


def write_checkpoint(engine: Engine, directory: Path, signer: Signer | None = None) -> Path | None:
    """Sign a checkpoint and write the file the auditor keeps (the private key never in the database)."""
    try:
        made = engine.checkpoints.make(OPERATOR, signer or Ed25519Signer.configured())
    except TredeError as exc:
        log.warning("checkpoint failed", extra={"fields": {"error": exc.code}})
        return None
    directory.mkdir(parents=True, exist_ok=True)
    stamp = made.statement.made_at.replace(":", "").replace("+0000", "Z")
    file = directory / f"trede-controlepunt-{stamp}.json"
    file.write_text(json.dumps(made.to_file(), ensure_ascii=False), encoding="utf-8")
    log.info("checkpoint written", extra={"fields": {"cases": made.statement.cases, "file": file.name}})
    _mail_statement(engine, made.statement.canonical().decode("utf-8"), made.signature)
    return file


def _mail_statement(engine: Engine, statement: str, signature: str) -> None:
    """A copy beyond the server's reach: the signed statement (no personal data) to the
    auditor and the board, who can later check that a checkpoint file is the one signed then."""
    recipients = [a.strip() for a in os.environ.get(CHECKPOINT_MAIL_ENV, "").split(",") if a.strip()]
    if not recipients or engine.mailer is None:
        return
    body = (
        "trede heeft een ondertekend controlepunt van de audittrail gemaakt. Bewaar deze e-mail: hiermee\n"
        "kunt u later aantonen dat een controlepuntbestand het bestand is dat op dit moment is ondertekend.\n\n"
        f"Verklaring:\n{statement}\n\nHandtekening (Ed25519):\n{signature}\n"
    )
    for address in recipients:
        try:
            engine.mailer.send(address, "trede: ondertekend controlepunt van de audittrail", body)
        except OSError as exc:
            log.warning("checkpoint mail failed", extra={"fields": {"error": type(exc).__name__}})


def _retain(engine: Engine) -> None:
    try:
        anonymised = engine.retention.apply()
    except TredeError as exc:
        log.warning("retention failed", extra={"fields": {"error": exc.code}})
        return
    if anonymised:
        log.info("cases anonymised", extra={"fields": {"count": len(anonymised)}})


def _remind(reminders: Reminders | None) -> None:
    if reminders is None:
        return
    try:
        recorded, mailed = reminders.run()
    except (TredeError, OSError) as exc:  # a mail server that is down: try again next round
        log.warning("reminders failed", extra={"fields": {"error": type(exc).__name__}})
        return
    if recorded or mailed:
        log.info("notifications", extra={"fields": {"recorded": recorded, "mailed": mailed}})
