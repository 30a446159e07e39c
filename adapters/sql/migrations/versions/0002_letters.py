"""Letters generated from cases, stored append-only with their hashes.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "letters",
        sa.Column("case_id", sa.String(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256_html", sa.String(), nullable=False),
        sa.Column("sha256_pdf", sa.String(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER letters_append_only BEFORE UPDATE OR DELETE ON letters "
            "FOR EACH ROW EXECUTE FUNCTION trede_append_only()"
        )
        op.execute(
            "CREATE TRIGGER letters_no_truncate BEFORE TRUNCATE ON letters "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER letters_no_{action.lower()} BEFORE {action} ON letters "
                f"BEGIN SELECT RAISE(ABORT, 'trede: {action} op letters is niet toegestaan (alleen toevoegen)'); END"
            )


def downgrade() -> None:
    op.drop_table("letters")
