"""Audit events: append-only, hash-chained per case.

The hash covers a canonical JSON encoding of every field but the hash itself,
including the previous event's hash, so altering, removing or reordering any event
breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


class EventType:
    OPENED = "case_opened"
    TRANSITION = "transition"
    DECISION = "decision"
    FACTS = "facts_recorded"
    OBLIGATION = "obligation_fulfilled"
    TIMER_FIRED = "timer_fired"
    TIMER_EXPIRED = "timer_expired"
    OVERDUE = "deadline_overdue"


@dataclass(frozen=True, slots=True)
class Event:
    case_id: str
    seq: int
    type: str
    recorded_at: datetime
    effective_at: datetime
    actor: str
    role: str
    trigger: str | None
    from_step: str | None
    to_step: str | None
    protocol_hash: str
    calendar_version: str
    inputs: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "seq": self.seq,
            "type": self.type,
            "recorded_at": _utc(self.recorded_at),
            "effective_at": _utc(self.effective_at),
            "actor": self.actor,
            "role": self.role,
            "trigger": self.trigger,
            "from_step": self.from_step,
            "to_step": self.to_step,
            "protocol_hash": self.protocol_hash,
            "calendar_version": self.calendar_version,
            "inputs": self.inputs,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical(self.body())).hexdigest()

    def sealed(self) -> Event:
        return replace(self, hash=self.compute_hash())

    def to_dict(self) -> dict[str, Any]:
        return {**self.body(), "hash": self.hash}


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
