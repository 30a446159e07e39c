"""Operational figures for monitoring (/metrics): counts and moments, never a name.

Protocols are labelled by the bundled protocol they are or extend, so a school's own
variant (whose id may carry the school's name) is counted under its base.

The last checkpoint and the last full verification are alarms for an auditor: the
application role can insert a checkpoints row and write trede_meta, so neither is taken
from a row as it stands. A checkpoint counts only when its statement's signature verifies
against the configured audit key, and its time is the signed one; a verification counts
only from a note signed with that key. Without a configured key neither is reported."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.access import OPERATOR_ROLE, Principal
from engine.ports import SignatureChecker, StoredCheckpoint
from engine.refusals import refused
from engine.usecases.base import Services


@dataclass(frozen=True)
class OperationalFigures:
    open_cases: dict[str, int] = field(default_factory=dict)  # protocol kind -> open cases
    overdue: dict[str, int] = field(default_factory=dict)  # protocol kind -> overdue deadlines
    timer_lag_seconds: float = 0.0  # how long the earliest due deadline has waited for the worker
    last_checkpoint: datetime | None = None
    last_verify: datetime | None = None
    last_verify_ok: int = 0
    last_verify_failed: int = 0
    commits: int = 0  # group commits of this process since it started
    committed_writes: int = 0  # the fires and access-log writes those commits held


@dataclass
class Figures:
    services: Services

    def operational(self, principal: Principal) -> OperationalFigures:
        """Counts and moments for /metrics; see the module's doc on what is trusted."""
        if not principal.is_operator():
            raise refused(principal, "de bedrijfscijfers lezen", [OPERATOR_ROLE])
        s = self.services
        now = s.clock.now()
        with s.uow() as uow:
            counts = uow.cases.figures(now)
            checkpoints = uow.checkpoints.list()
            verified = uow.settings.noted("last_verify")
        open_cases: dict[str, int] = {}
        overdue: dict[str, int] = {}
        for source, target in ((counts.open_cases, open_cases), (counts.overdue, overdue)):
            for content_hash, n in source.items():
                kind = self._kind(content_hash)
                target[kind] = target.get(kind, 0) + n
        checker = s.audit_checker
        last = _signed_verification(verified, checker)
        made = next((m for m in (_signed_checkpoint(c, checker) for c in reversed(checkpoints)) if m), None)
        batches = s.commits.figures()
        return OperationalFigures(
            open_cases=open_cases,
            overdue=overdue,
            timer_lag_seconds=max(0.0, (now - counts.oldest_due).total_seconds()) if counts.oldest_due else 0.0,
            last_checkpoint=made,
            last_verify=datetime.fromisoformat(last["at"]) if last else None,
            last_verify_ok=int(last["ok"]) if last else 0,
            last_verify_failed=int(last["failed"]) if last else 0,
            commits=batches.batches,
            committed_writes=batches.writes,
        )

    def _kind(self, content_hash: str) -> str:
        spec = self.services.protocol(content_hash).spec
        return spec.extends.id if spec.extends else spec.id


def verification_statement(summary: dict[str, object]) -> bytes:
    """What the audit key signs for a full verification: its time and counts."""
    return json.dumps({"kind": "verificatie", **summary}, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _signed_checkpoint(stored: StoredCheckpoint, checker: SignatureChecker | None) -> datetime | None:
    """The signed time of a checkpoint whose signature verifies; None for any other row."""
    if checker is None or stored.key_id != checker.key_id:
        return None
    if not checker.verify(stored.statement.encode("utf-8"), stored.signature):
        return None
    try:
        return datetime.fromisoformat(json.loads(stored.statement)["made_at"])
    except (ValueError, KeyError, TypeError):
        return None


def _signed_verification(noted: str | None, checker: SignatureChecker | None) -> dict[str, Any] | None:
    if noted is None or checker is None:
        return None
    try:
        note = json.loads(noted)
        stated = note["statement"].encode("utf-8")
        if note["key_id"] != checker.key_id or not checker.verify(stated, note["signature"]):
            return None
        summary: dict[str, Any] = json.loads(stated)
        return summary if summary.get("kind") == "verificatie" else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
