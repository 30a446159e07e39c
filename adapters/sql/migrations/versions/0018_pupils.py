"""Pupils from the school's administration (EDEXML or CSV imports): a keyed hash of the
pupil number, a display name, the group, and whether the last import still had them.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pupils",
        sa.Column("school", sa.String(), primary_key=True),
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("group", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("missing_since", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("pupils")
