"""Quick records from the phone (issue 29 item 3): the client key of each quick record, unique
per school and user, so that a record sent twice is recorded once (docs/snel-vastleggen.md).

Revision ID: 0033
Revises: 0032
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_keys",
        sa.Column("school", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("school", "username", "key"),
    )


def downgrade() -> None:
    op.drop_table("incident_keys")
