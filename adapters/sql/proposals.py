"""The protocol proposals log (four eyes) in SQL: rows are only added."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from adapters.sql.tables import ProposalRow
from engine.ports import ProposalEntry

PROPOSALS = ProposalRow.__table__  # type: ignore[attr-defined]


class SqlProposals:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, entry: ProposalEntry) -> None:
        self.conn.execute(insert(PROPOSALS).values(**entry.__dict__))

    def entries(self, proposal_id: str | None = None) -> list[ProposalEntry]:
        query = select(PROPOSALS)
        if proposal_id is not None:
            query = query.where(PROPOSALS.c.proposal_id == proposal_id)
        return [_entry(r) for r in self.conn.execute(query.order_by(PROPOSALS.c.id))]


def _entry(row: Any) -> ProposalEntry:
    return ProposalEntry(
        proposal_id=row.proposal_id,
        kind=row.kind,
        protocol_id=row.protocol_id,
        scope=row.scope,
        actor=row.actor,
        role=row.role,
        at=row.at,
        text=row.text,
        file=row.file,
        content_hash=row.content_hash,
        effective_on=row.effective_on,
        reason=row.reason,
        version=row.version,
    )
