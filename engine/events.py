"""Audit events: append-only, hash-chained per case.

An event is stored as its canonical JSON text (the *record*): every field but the hash,
keys sorted, compact, UTF-8. The hash is SHA-256 over exactly those bytes and includes the
previous event's hash, so altering, removing or reordering any event breaks the chain from
that point on. Verification hashes the stored bytes; it never depends on how a database
returns dates or JSON.

Personal values enter the record only as salted commitments (``{"$pd": ref, "sha256": ...}``);
the value and its salt are kept beside the record and erased on anonymisation. The actor is
one of them: a viewer who may not know who acted receives every other field and the hash,
and without the salt no guessed name reproduces that hash. Records sealed before actors
were committed hold the actor as plain text; both forms verify.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
ACTOR_REF = "actor"  # the personal-value ref of an event's actor


class EventType:
    OPENED = "case_opened"
    TRANSITION = "transition"
    DECISION = "decision"
    FACTS = "facts_recorded"
    OBLIGATION = "obligation_fulfilled"
    TIMER_FIRED = "timer_fired"
    TIMER_EXPIRED = "timer_expired"
    OVERDUE = "deadline_overdue"
    MIGRATED = "case_migrated"
    LETTER = "letter_generated"
    ANONYMISED = "case_anonymised"
    NOTE = "note_added"
    ATTACHMENT = "attachment_added"
    REPORTER_MESSAGE = "reporter_message"  # the melder writes through the meldpunt
    TRIAGE = "meldpunt_triage"  # routing, a corrected category, a split, satisfaction (engine/triage.py)


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
    # The stored canonical text this event was read from or sealed into.
    record: str | None = field(default=None, compare=False, repr=False)
    # Indexed columns whose stored value disagrees with the record (set by storage).
    column_mismatch: tuple[str, ...] = field(default=(), compare=False)
    # Personal values kept outside the record: ref -> (value, salt); the record holds only
    # a salted hash of each, so erasing them (retention) leaves the chain verifiable.
    personal: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)
    # Refs of stored personal values that no longer match their hash (set on loading).
    personal_mismatch: tuple[str, ...] = field(default=(), compare=False)
    # Refs whose stored value is gone (erased or deleted): allowed only after anonymisation.
    personal_erased: tuple[str, ...] = field(default=(), compare=False)

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
        text = self.record if self.record is not None else canonical_text(self.body())
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def sealed(self, personal: Iterable[tuple[str, str]] = ()) -> Event:
        """Seal the event; the actor and the values at the ``personal`` paths (("inputs",
        name) or ("data", name)) go into the record only as a salted hash."""
        body = self.body()
        salt = secrets.token_hex(16)
        kept: dict[str, tuple[str, str]] = {ACTOR_REF: (self.actor, salt)}
        body["actor"] = commitment(ACTOR_REF, self.actor, salt)
        for section, name in personal:
            if name in body[section] and body[section][name] is not None:
                ref = f"{section}.{name}"
                value, salt = str(body[section][name]), secrets.token_hex(16)
                kept[ref] = (value, salt)
                body[section] = {**body[section], name: commitment(ref, value, salt)}
        text = canonical_text(body)
        return replace(self, record=text, hash=hashlib.sha256(text.encode("utf-8")).hexdigest(), personal=kept)

    @classmethod
    def from_body(
        cls,
        body: dict[str, Any],
        record: str,
        hash: str,
        column_mismatch: tuple[str, ...] = (),
        personal: Mapping[str, tuple[str | None, str]] | None = None,
    ) -> Event:
        """``body`` is ``record`` parsed; it is consumed. ``personal`` holds the stored
        personal values (None once erased) that the record refers to."""
        body["recorded_at"] = datetime.fromisoformat(body["recorded_at"])
        body["effective_at"] = datetime.fromisoformat(body["effective_at"])
        kept: dict[str, tuple[str, str]] = {}
        mismatch: list[str] = []
        erased: list[str] = []
        stored = personal or {}
        # a plain value stays (as does an actor sealed before actors were committed)
        actor = body["actor"]
        if isinstance(actor, dict) and "$pd" in actor:
            body["actor"] = _resolve(actor, stored, kept, mismatch, erased)
        for section in (body["inputs"], body["data"]):
            for name, value in section.items():
                if isinstance(value, dict) and "$pd" in value:  # replacing a value while iterating is allowed
                    section[name] = _resolve(value, stored, kept, mismatch, erased)
        return cls(
            **body,
            hash=hash,
            record=record,
            column_mismatch=column_mismatch,
            personal=kept,
            personal_mismatch=tuple(mismatch),
            personal_erased=tuple(erased),
        )

    def to_dict(self) -> dict[str, Any]:
        return {**self.body(), "hash": self.hash}

    def actor_column(self) -> str:
        """What the indexed ``actor`` column holds for a sealed event: the digest of the
        actor's commitment, never the name (the events table cannot be erased)."""
        if ACTOR_REF not in self.personal:
            return self.actor  # sealed before actors were committed
        return commitment(ACTOR_REF, *self.personal[ACTOR_REF])["sha256"]


ERASED = "[geanonimiseerd]"


def _resolve(
    value: dict[str, Any],
    stored: Mapping[str, tuple[str | None, str]],
    kept: dict[str, tuple[str, str]],
    mismatch: list[str],
    erased: list[str],
) -> Any:
    """A commitment's stored value, checked against it; ERASED when it is gone."""
    ref = value["$pd"]
    found, salt = stored.get(ref, (None, ""))
    if found is None:
        erased.append(ref)
        return ERASED
    if commitment(ref, found, salt) != value:
        mismatch.append(ref)
    kept[ref] = (found, salt)
    return found


def commitment(ref: str, value: str, salt: str) -> dict[str, str]:
    """What the record keeps of a personal value: a salted hash, never the value."""
    return {"$pd": ref, "sha256": hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()}


def actor_column_of(recorded: Any) -> str:
    """The ``actor`` column's value for a record's actor field: a commitment's digest, or
    the plain actor of a record sealed before actors were committed."""
    return str(recorded["sha256"]) if isinstance(recorded, dict) else str(recorded)


def canonical_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
