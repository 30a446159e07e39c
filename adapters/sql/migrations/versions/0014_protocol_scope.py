"""A school's own protocol belongs to that school; the board's protocols to every school.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("protocol_versions", sa.Column("scope", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("protocol_versions", "scope")  # no table rebuild: cases refer to it
