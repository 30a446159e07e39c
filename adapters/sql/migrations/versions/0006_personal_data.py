"""Personal values (pseudonyms, free text) kept outside the hashed event records, so that
retention can erase them while every hash chain stays verifiable; when a case closed.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("closed_at", UTCDateTime(), nullable=True))
    op.create_table(
        "personal_data",
        sa.Column("case_id", sa.String(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("salt", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("personal_data")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("closed_at")
