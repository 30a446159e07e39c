"""A notification may concern a protocol instead of a case (issue 27, item 4): when the board
loads a new base version, the protocol owners of each school with a variant on an earlier
base are told. Such a notice has no case: ``case_id`` may be empty (NULL); its
``deadline_key`` names the variant and the base version.

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:  # SQLite rebuilds it; nothing refers to it
        batch.alter_column("case_id", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE case_id IS NULL")
    with op.batch_alter_table("notifications") as batch:
        batch.alter_column("case_id", existing_type=sa.String(), nullable=False)
