"""The yearly safety evaluation (issue 28): the monitor results a school imported,
versioned per school and school year (append-only).

Revision ID: 0034
Revises: 0033
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitor_results",
        sa.Column("school", sa.String(), primary_key=True),
        sa.Column("school_year", sa.String(), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("rows", sa.Text(), nullable=False),
        sa.Column("file", sa.String(), nullable=False, server_default=""),
        sa.Column("content_hash", sa.String(), nullable=False, server_default=""),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(), nullable=False, server_default=""),
    )
    table = "monitor_results"
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION trede_append_only()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'trede: {action} op {table} is niet toegestaan (alleen toevoegen)'); END"
            )


def downgrade() -> None:
    op.drop_table("monitor_results")
