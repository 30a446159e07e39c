"""A proposal's base and who its actors are (four eyes, issue 27 holes): the step
``voorgesteld`` records the version of its protocol that was current for its scope when it
was proposed (``base_version``): it is approved and published only while that is still the
current one. Every new step records digests of the actor's linked provider identities and
e-mail address (``person``), so that one person with two accounts is recognised even when a
link or address changes between proposing and approving. Both are in the step's hash when
set (``engine.checkpoints.proposal_chain``); steps recorded before keep their hashes.

Revision ID: 0038
Revises: 0037
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

TABLE = "protocol_proposals"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("base_version", sa.Integer(), nullable=True))
    op.add_column(TABLE, sa.Column("person", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # no table rebuild (batch mode would copy the table and lose its append-only triggers)
    op.drop_column(TABLE, "person")
    op.drop_column(TABLE, "base_version")
