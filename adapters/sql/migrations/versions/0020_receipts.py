"""Receipts of meldpunt reports: the hash of the code the reporter keeps, the case, and an
optional password hash. Nothing about the reporter's address or browser.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "receipts",
        sa.Column("code_hash", sa.String(), primary_key=True),
        sa.Column("case_id", sa.String(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("reporter", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_receipts_case_id", "receipts", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_receipts_case_id", "receipts")
    op.drop_table("receipts")
