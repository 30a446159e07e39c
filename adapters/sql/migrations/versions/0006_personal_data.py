"""Personal values (pseudonyms, free text) kept outside the hashed event records, so that
retention can erase them while every hash chain stays verifiable.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
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
