"""A note or an attachment no longer moves the case's time (issue 26, item 4).

Their moment is when the conversation or the document happened, which may lie before what
was recorded since; the case's ``updated_at`` (from which the next action and an expiry are
dated) now follows only the events that act in the protocol (``engine.case.ASIDE``). The
projection of a case that has notes is recomputed from its events, as a replay gives it, so
that verification (which compares the two) agrees. The events themselves are not touched.

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

ASIDE = "('note_added', 'attachment_added')"
HAS_NOTES = f"EXISTS (SELECT 1 FROM events n WHERE n.case_id = cases.id AND n.type IN {ASIDE})"


def upgrade() -> None:
    # the opening is never aside, so the maximum always exists
    op.execute(
        "UPDATE cases SET updated_at = (SELECT MAX(e.effective_at) FROM events e "
        f"WHERE e.case_id = cases.id AND e.type NOT IN {ASIDE}) WHERE {HAS_NOTES}"
    )


def downgrade() -> None:
    op.execute(
        f"UPDATE cases SET updated_at = (SELECT MAX(e.effective_at) FROM events e WHERE e.case_id = cases.id) WHERE {HAS_NOTES}"
    )
