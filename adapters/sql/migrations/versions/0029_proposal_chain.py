"""The protocol proposals log becomes a hash chain like the rest of the audit trail: each
step carries the hash of the step recorded before it and its own
(``engine.checkpoints.proposal_chain``); ``trede audit verify --all`` and checkpoints check it.
Steps recorded before this migration are chained here, in the order they were recorded.

(A notice about a proposal has no case: ``notifications.case_id`` may be empty since 0028.)

Revision ID: 0029
Revises: 0028
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from engine.checkpoints import ACCESS_GENESIS, proposal_chain
from engine.ports import ProposalEntry

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

TABLE = "protocol_proposals"
COLUMNS = (
    "proposal_id, kind, protocol_id, scope, actor, role, at, text, file, content_hash, effective_on, reason, version"
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column(TABLE, sa.Column("prev_hash", sa.String(), nullable=False, server_default=""))
    op.add_column(TABLE, sa.Column("hash", sa.String(), nullable=False, server_default=""))
    _chain_existing(postgresql)


def _chain_existing(postgresql: bool) -> None:
    from adapters.sql.tables import ProposalRow  # its column types (aware UTC times)

    table = ProposalRow.__table__  # type: ignore[attr-defined]
    bind = op.get_bind()
    # only the columns this revision knows (the model has more since 0038)
    known = [table.c.id, *(table.c[c.strip()] for c in COLUMNS.split(","))]
    rows = bind.execute(sa.select(*known).order_by(table.c.id)).all()
    if not rows:
        return
    if postgresql:
        op.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TABLE}_append_only")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
    prev = ACCESS_GENESIS
    for r in rows:
        entry = ProposalEntry(**{c.strip(): getattr(r, c.strip()) for c in COLUMNS.split(",")})
        digest = proposal_chain(prev, entry)
        bind.execute(sa.update(table).where(table.c.id == r.id).values(prev_hash=prev, hash=digest))
        prev = digest
    if postgresql:
        op.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TABLE}_append_only")
    else:
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, 'trede: UPDATE op {TABLE} is niet toegestaan (alleen toevoegen)'); END"
        )


def downgrade() -> None:
    # no table rebuild (batch mode would copy the table and lose its append-only triggers)
    op.drop_column(TABLE, "hash")
    op.drop_column(TABLE, "prev_hash")
