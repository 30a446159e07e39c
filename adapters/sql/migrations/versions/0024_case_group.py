"""The cases' group column is called ``group``, as in ``pupils`` (identifiers are English).

Renamed in place on both backends, its index with it. Not in batch mode: SQLite renames a
column itself (3.25 and later), whereas a batch copy has to drop ``cases``, which events,
deadlines, letters and attachments refer to (SQLite then refuses: foreign keys are on).
``cases`` is a projection with no guard triggers of its own; those on the other tables stay.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _rename("groep", "group")


def downgrade() -> None:
    _rename("group", "groep")


def _rename(old: str, new: str) -> None:
    op.drop_index(f"ix_cases_{old}", table_name="cases")
    op.alter_column("cases", old, new_column_name=new)
    op.create_index(f"ix_cases_{new}", "cases", [new])
