"""A notification is recorded once per deadline occurrence: the due date joins its key, so a
recurring timer's next occurrence is told again.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OLD = ["case_id", "deadline_key", "kind", "username", "channel"]


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:  # SQLite rebuilds it; nothing refers to it
        batch.drop_constraint("ux_notifications_once", type_="unique")
        batch.create_unique_constraint("ux_notifications_once", [*OLD, "due_date"])


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint("ux_notifications_once", type_="unique")
        batch.create_unique_constraint("ux_notifications_once", OLD)
