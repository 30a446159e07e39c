"""Signed checkpoints: a statement of the whole audit trail at a moment, signed with a key
the database never holds, so that even its administrator cannot rewrite history unseen.

A checkpoint states, for every case, its id, last seq and last event hash; for every stored
protocol version, its content hash and the SHA-256 of its stored text; for the access log,
its length and the hash at its head; and the same for the melders' access log (the reads made
in a reporting role, kept apart so that they cannot be tied to a person's named reads). Each list is summarised in a Merkle root (RFC 6962
style: leaves and nodes hashed with different prefixes). The signed statement holds the
roots and counts; the exported file also holds the leaves, so that verification can name
exactly which case, protocol or log entry differs.

Appending to the trail after a checkpoint is allowed: a case may have grown, but the event
at the checkpoint's seq must still carry the checkpoint's hash, and everything before it
must still chain to it. What was appended, and every case the checkpoint does not hold
(``cases_root`` commits to the set of cases), must be recorded after the signed ``made_at``
(issue 24: a backdated insertion is named).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

FORMAT = 1


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def leaf(*parts: str) -> bytes:
    return _h(b"\x00" + "\x1f".join(parts).encode("utf-8"))


def merkle_root(leaves: Sequence[bytes]) -> str:
    """The root over leaves in the order given (callers sort them); empty: SHA-256 of nothing."""
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    level = list(leaves)
    while len(level) > 1:
        paired = [_h(b"\x01" + level[i] + level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])  # an odd node is promoted unchanged
        level = paired
    return level[0].hex()


def access_chain(prev_hash: str, at: datetime, username: str, roles: str, case_id: str, school: str, what: str) -> str:
    """The hash of one access-log entry, chained to the one before it."""
    moment = at.astimezone(UTC).isoformat(timespec="microseconds")
    body = json.dumps([prev_hash, moment, username, roles, case_id, school, what], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def reporter_chain(prev_hash: str, day: str, reader: str, roles: str, case_id: str, school: str, what: str) -> str:
    """The hash of one entry of the melders' access log (``day``: ISO date; ``reader``: the
    keyed commitment of the user name), chained to the one before it in that log."""
    body = json.dumps(["melder", prev_hash, day, reader, roles, case_id, school, what], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


ACCESS_GENESIS = "0" * 64


def proposal_chain(prev_hash: str, entry: Any) -> str:
    """The hash of one step of the protocol proposals log (an ``engine.ports.ProposalEntry``),
    chained to the step recorded before it: the whole text proposed, who decided, from when.
    A step's base version and person (added later) are hashed only when it has them, so the
    steps recorded before them keep their hashes."""
    e = entry
    extra = [e.base_version, e.person] if (e.base_version is not None or e.person) else []
    body = json.dumps(
        [
            "voorstel",
            prev_hash,
            e.proposal_id,
            e.kind,
            e.protocol_id,
            e.scope,
            e.actor,
            e.role,
            e.at.astimezone(UTC).isoformat(timespec="microseconds"),
            e.text,
            e.file,
            e.content_hash,
            e.effective_on.isoformat() if e.effective_on is not None else None,
            e.reason,
            e.version,
            *extra,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CaseHead:
    case_id: str
    seq: int
    hash: str


@dataclass(frozen=True)
class ProtocolText:
    content_hash: str
    text_sha256: str


@dataclass(frozen=True)
class Statement:
    """What is signed."""

    made_at: str
    cases: int
    events: int
    cases_root: str
    protocols: int
    protocols_root: str
    access_log: int
    access_log_head: str
    key_id: str
    format: int = FORMAT
    # the melders' access log; None in checkpoints made before it existed (left out of the
    # signed text, so that those still verify)
    reporter_log: int | None = None
    reporter_log_head: str | None = None
    # the protocol proposals log (four eyes); None in checkpoints made before it was chained
    proposals: int | None = None
    proposals_head: str | None = None
    # the incident log (issue 28); None in checkpoints made before it existed
    incident_log: int | None = None
    incident_log_head: str | None = None

    def canonical(self) -> bytes:
        stated = {k: v for k, v in asdict(self).items() if v is not None}
        return json.dumps(stated, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Checkpoint:
    statement: Statement
    signature: str  # hex
    heads: tuple[CaseHead, ...] = field(default=())
    protocols: tuple[ProtocolText, ...] = field(default=())

    def to_file(self) -> dict[str, Any]:
        return {
            "trede_checkpoint": FORMAT,
            "statement": asdict(self.statement),
            "signature": self.signature,
            "cases": [[h.case_id, h.seq, h.hash] for h in self.heads],
            "protocols": [[p.content_hash, p.text_sha256] for p in self.protocols],
        }

    @classmethod
    def from_file(cls, data: dict[str, Any]) -> Checkpoint:
        if data.get("trede_checkpoint") != FORMAT:
            raise ValueError("dit is geen controlepunt van trede (of een onbekende versie)")
        return cls(
            Statement(**data["statement"]),
            str(data["signature"]),
            tuple(CaseHead(str(c), int(s), str(h)) for c, s, h in data.get("cases", [])),
            tuple(ProtocolText(str(c), str(t)) for c, t in data.get("protocols", [])),
        )


def cases_root(heads: Iterable[CaseHead]) -> str:
    return merkle_root([leaf(h.case_id, str(h.seq), h.hash) for h in sorted(heads, key=lambda h: h.case_id)])


def protocols_root(texts: Iterable[ProtocolText]) -> str:
    return merkle_root([leaf(p.content_hash, p.text_sha256) for p in sorted(texts, key=lambda p: p.content_hash)])


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def state(
    *,
    made_at: datetime,
    heads: Sequence[CaseHead],
    events: int,
    texts: Sequence[ProtocolText],
    access_log: int,
    access_log_head: str,
    key_id: str,
    reporter_log: int,
    reporter_log_head: str,
    proposals: int | None = None,
    proposals_head: str | None = None,
    incident_log: int | None = None,
    incident_log_head: str | None = None,
) -> Statement:
    return Statement(
        made_at=made_at.astimezone(UTC).isoformat(timespec="seconds"),
        cases=len(heads),
        events=events,
        cases_root=cases_root(heads),
        protocols=len(texts),
        protocols_root=protocols_root(texts),
        access_log=access_log,
        access_log_head=access_log_head,
        key_id=key_id,
        reporter_log=reporter_log,
        reporter_log_head=reporter_log_head,
        proposals=proposals,
        proposals_head=proposals_head,
        incident_log=incident_log,
        incident_log_head=incident_log_head,
    )


def leaves_problems(checkpoint: Checkpoint) -> list[str]:
    """A file whose leaves do not give its signed roots was edited after export."""
    s = checkpoint.statement
    problems = []
    if len(checkpoint.heads) != s.cases or cases_root(checkpoint.heads) != s.cases_root:
        problems.append("de lijst met zaken in het bestand past niet bij het ondertekende controlepunt")
    if len(checkpoint.protocols) != s.protocols or protocols_root(checkpoint.protocols) != s.protocols_root:
        problems.append("de lijst met protocolversies in het bestand past niet bij het ondertekende controlepunt")
    return problems
