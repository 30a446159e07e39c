"""Cases count how often each action was recorded, for guards such as "at the third melding".

The counts of existing cases are computed from their events, so that a replay (which counts
the same events) still matches the stored case.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import json
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COUNTED = ("transition", "decision", "facts_recorded", "obligation_fulfilled")


def upgrade() -> None:
    op.add_column("cases", sa.Column("counts", sa.Text(), nullable=False, server_default="{}"))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT case_id, trigger, COUNT(*) FROM events WHERE trigger IS NOT NULL AND type IN "
            "('transition', 'decision', 'facts_recorded', 'obligation_fulfilled') GROUP BY case_id, trigger"
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for case_id, trigger, n in rows:
        counts[case_id][trigger] = int(n)
    for case_id, per_trigger in counts.items():
        conn.execute(
            sa.text("UPDATE cases SET counts = :counts WHERE id = :id"),
            {"counts": json.dumps(dict(sorted(per_trigger.items())), separators=(",", ":")), "id": case_id},
        )


def downgrade() -> None:
    op.drop_column("cases", "counts")
