"""Operational figures for monitoring (/metrics): counts and moments, never a name.

Protocols are labelled by the bundled protocol they are or extend, so a school's own
variant (whose id may carry the school's name) is counted under its base."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from engine.access import Principal
from engine.errors import PermissionDenied
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
        if not principal.is_operator():
            raise PermissionDenied(",".join(sorted(principal.roles())) or "-", "bedrijfscijfers lezen", ["beheer"])
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
        last = json.loads(verified) if verified else None
        batches = s.commits.figures()
        return OperationalFigures(
            open_cases=open_cases,
            overdue=overdue,
            timer_lag_seconds=max(0.0, (now - counts.oldest_due).total_seconds()) if counts.oldest_due else 0.0,
            last_checkpoint=checkpoints[-1].made_at if checkpoints else None,
            last_verify=datetime.fromisoformat(last["at"]) if last else None,
            last_verify_ok=int(last["ok"]) if last else 0,
            last_verify_failed=int(last["failed"]) if last else 0,
            commits=batches.batches,
            committed_writes=batches.writes,
        )

    def _kind(self, content_hash: str) -> str:
        spec = self.services.protocol(content_hash).spec
        return spec.extends.id if spec.extends else spec.id
