"""The protocol proposals log (four eyes) in SQL: rows are only added, each chained to the
row before it (``engine.checkpoints.proposal_chain``), so that an edit made around the
database's guards is found by ``trede audit verify --all`` and by a checkpoint."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from adapters.sql.tables import ProposalRow
from engine.checkpoints import ACCESS_GENESIS, proposal_chain
from engine.ports import ProposalEntry

PROPOSALS = ProposalRow.__table__  # type: ignore[attr-defined]


class SqlProposals:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self) -> None:
        if self.conn.dialect.name == "postgresql":
            # one writer at a time (SQLite: the write transaction already is the only one);
            # the mode conflicts with itself and not with readers
            self.conn.execute(text("LOCK TABLE protocol_proposals IN SHARE ROW EXCLUSIVE MODE"))

    def add(self, entry: ProposalEntry) -> None:
        self.lock()  # one writer at a time extends the chain
        head = self.conn.execute(select(PROPOSALS.c.hash).order_by(PROPOSALS.c.id.desc()).limit(1)).scalar()
        prev = head or ACCESS_GENESIS
        chained = replace(entry, prev_hash=prev, hash=proposal_chain(prev, entry))
        self.conn.execute(insert(PROPOSALS).values(**chained.__dict__))

    def entries(self, proposal_id: str | None = None) -> list[ProposalEntry]:
        query = select(PROPOSALS)
        if proposal_id is not None:
            query = query.where(PROPOSALS.c.proposal_id == proposal_id)
        return [_entry(r) for r in self.conn.execute(query.order_by(PROPOSALS.c.id))]

    def entries_where_last(self, kind: str) -> list[ProposalEntry]:
        last = select(func.max(PROPOSALS.c.id)).group_by(PROPOSALS.c.proposal_id).scalar_subquery()
        wanted = select(PROPOSALS.c.proposal_id).where(PROPOSALS.c.id.in_(last), PROPOSALS.c.kind == kind)
        query = select(PROPOSALS).where(PROPOSALS.c.proposal_id.in_(wanted)).order_by(PROPOSALS.c.id)
        return [_entry(r) for r in self.conn.execute(query)]


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
        base_version=row.base_version,
        person=row.person,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
