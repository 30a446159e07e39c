"""The melders' access log: views made in a reporting role (melder, medewerker), apart from
the named access log so that they cannot be tied to that person's other views: a keyed
commitment instead of the user name, the day instead of the moment, its own hash chain
(covered by signed checkpoints). Append-only like the access log.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

TABLE = "reporter_access_log"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reader", sa.String(), nullable=False),
        sa.Column("roles", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("school", sa.String(), nullable=False),
        sa.Column("what", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
    )
    op.create_index(f"ix_{TABLE}_reader", TABLE, ["reader"])
    op.create_index(f"ix_{TABLE}_case_id", TABLE, ["case_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION trede_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'trede: {action} op {TABLE} is niet toegestaan (alleen toevoegen)'); END"
            )
        op.execute(
            f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} "
            f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, 'trede: {TABLE} bestaat al; vervangen (REPLACE) is niet toegestaan'); END"
        )


def downgrade() -> None:
    op.drop_table(TABLE)
