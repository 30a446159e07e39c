"""The protocol proposals log becomes a hash chain like the rest of the audit trail: each
step carries the hash of the step recorded before it and its own
(``engine.checkpoints.proposal_chain``); ``trede audit verify --all`` and checkpoints check it.
Steps recorded before this migration are chained here, in the order they were recorded.

A notice in the app may now be about a proposal as well as a case: ``notifications.case_id``
no longer refers to ``cases`` (it holds the proposal's id for a proposal's notice).
(The number may need renumbering when branches are merged.)

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from engine.checkpoints import ACCESS_GENESIS, proposal_chain
from engine.ports import ProposalEntry

revision = "0028"
down_revision = "0027"
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
    if postgresql:
        op.execute("ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_case_id_fkey")
    else:
        # SQLite rebuilds the table from this definition: the same, without the foreign key
        with op.batch_alter_table("notifications", recreate="always", copy_from=_notifications()):
            pass


def _notifications() -> sa.Table:
    from adapters.sql.tables import UTCDateTime

    meta = sa.MetaData()
    sa.Table("users", meta, sa.Column("username", sa.String(), primary_key=True))
    return sa.Table(
        "notifications",
        meta,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("deadline_key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("username", sa.String(), sa.ForeignKey("users.username"), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("due_date", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint(
            "case_id", "deadline_key", "kind", "username", "channel", "due_date", name="ux_notifications_once"
        ),
        sa.Index("ix_notifications_username", "username"),
    )


def _chain_existing(postgresql: bool) -> None:
    from adapters.sql.tables import ProposalRow  # its column types (aware UTC times)

    table = ProposalRow.__table__  # type: ignore[attr-defined]
    bind = op.get_bind()
    rows = bind.execute(sa.select(table).order_by(table.c.id)).all()
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
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
