"""A covering index of the cases' report columns (issue 30): the yearly report counts the
cases per class and step, and joins the deadlines and step changes it counts to their case's
class, from this index alone; the table's rows (a case's facts, often on overflow pages in
SQLite, before the columns added later) are never read for it.

Revision ID: 0040
Revises: 0039
"""

from __future__ import annotations

from alembic import op

revision = "0040"
down_revision = "0039"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_report", "cases", ["id", "protocol_hash", "school", "group", "step", "closed"])


def downgrade() -> None:
    op.drop_index("ix_cases_report", table_name="cases")
