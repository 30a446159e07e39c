"""Groups on cases; schools, users, memberships, sessions, API tokens and login attempts.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("groep", sa.String(), nullable=True))
        batch.create_index("ix_cases_groep", ["groep"])
    op.create_table(
        "schools",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("board", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(), primary_key=True),
        sa.Column("display_name", sa.String(), nullable=False),
        sa.Column("board", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=False),
        sa.Column("totp_secret", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(), sa.ForeignKey("users.username"), nullable=False, index=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("school", sa.String(), sa.ForeignKey("schools.id"), nullable=True),
        sa.Column("groups", sa.Text(), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(), primary_key=True),
        sa.Column("username", sa.String(), sa.ForeignKey("users.username"), nullable=False, index=True),
        sa.Column("csrf_token", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.Column("second_factor_done", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(), primary_key=True),
        sa.Column("username", sa.String(), sa.ForeignKey("users.username"), nullable=False, index=True),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(), nullable=False, index=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    for table in ("login_attempts", "api_tokens", "sessions", "memberships", "users", "schools"):
        op.drop_table(table)
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_groep")
        batch.drop_column("groep")
