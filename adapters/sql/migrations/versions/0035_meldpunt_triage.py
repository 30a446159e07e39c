"""Meldpunt triage (issue 29): each board's categories, routing rules and standard answers,
loaded as versions (append-only).

Revision ID: 0035
Revises: 0034
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

TABLE = "meldpunt_triage"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("board", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("board", "version", name="uq_meldpunt_triage_board_version"),
    )
    op.create_index("ix_meldpunt_triage_board", TABLE, ["board"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION trede_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'trede: {action} op {TABLE} is niet toegestaan (alleen toevoegen)'); END"
            )


def downgrade() -> None:
    op.drop_table(TABLE)
