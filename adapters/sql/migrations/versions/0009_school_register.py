"""The school register: denominatie, sector, address and the board's name and address.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ("denominatie", "sector", "address", "board_name", "board_address")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("schools", sa.Column(name, sa.String(), nullable=True))


def downgrade() -> None:
    for name in COLUMNS:
        op.drop_column("schools", name)
