"""Confidentiality: who opened each case (a melder sees only their own reports), API token
expiry, TOTP codes that cannot be replayed, login attempts per client address.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("opened_by", sa.String(), nullable=True))
    # The opener is the actor of each case's first event (its indexed column).
    op.execute("UPDATE cases SET opened_by = (SELECT actor FROM events WHERE events.case_id = cases.id AND seq = 1)")
    op.add_column("api_tokens", sa.Column("expires_at", UTCDateTime(), nullable=True))
    op.add_column("users", sa.Column("totp_last_step", sa.Integer(), nullable=True))
    op.add_column("login_attempts", sa.Column("client", sa.String(), nullable=True))
    op.create_index("ix_login_attempts_client", "login_attempts", ["client"])
    op.add_column("sessions", sa.Column("flash", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("sessions", "flash")
    op.drop_index("ix_login_attempts_client", "login_attempts")
    op.drop_column("login_attempts", "client")
    op.drop_column("users", "totp_last_step")
    op.drop_column("api_tokens", "expires_at")
    op.drop_column("cases", "opened_by")
