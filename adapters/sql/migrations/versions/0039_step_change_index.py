"""A partial index of the step changes (issue 30): the yearly report counts the time spent
per step in the database, reading only the events that change a case's step (about one in
eight) from this index, never the events' records.

Revision ID: 0039
Revises: 0038
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0039"
down_revision = "0038"
branch_labels = None
depends_on = None

STEP_CHANGE = "to_step IS NOT NULL AND (from_step IS NULL OR to_step <> from_step)"  # as adapters/sql/tables.py


def upgrade() -> None:
    op.create_index(
        "ix_events_step_changes",
        "events",
        ["case_id", "seq", "from_step", "to_step", "effective_at"],
        postgresql_where=sa.text(STEP_CHANGE),
        sqlite_where=sa.text(STEP_CHANGE),
    )


def downgrade() -> None:
    op.drop_index("ix_events_step_changes", table_name="events")
