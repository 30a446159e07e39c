"""OpenID Connect: identities at the board's provider linked to trede users, and logins on
their way to the provider (state, nonce and PKCE verifier, used once).

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identities",
        sa.Column("issuer", sa.String(), primary_key=True),
        sa.Column("subject", sa.String(), primary_key=True),
        sa.Column("username", sa.String(), sa.ForeignKey("users.username"), nullable=False),
        sa.Column("linked_at", UTCDateTime(), nullable=False),
        sa.Column("linked_by", sa.String(), nullable=False),
    )
    op.create_index("ix_identities_username", "identities", ["username"])
    op.create_table(
        "oidc_logins",
        sa.Column("state_hash", sa.String(), primary_key=True),
        sa.Column("nonce", sa.String(), nullable=False),
        sa.Column("verifier", sa.String(), nullable=False),
        sa.Column("next", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("oidc_logins")
    op.drop_index("ix_identities_username", "identities")
    op.drop_table("identities")
