"""Deadlines the Atw extended keep their calendar end as the target date.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("deadlines", sa.Column("target_date", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("deadlines", "target_date")
