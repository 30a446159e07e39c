"""A melder's message through the meldpunt no longer moves the case's time (issue 26), as a
note does not (0026): the case's ``updated_at`` follows only the events that act in the
protocol (``engine.case.ASIDE``). The projection of a case with messages is recomputed from
its events, as a replay gives it, so that verification (which compares the two) agrees. The
events themselves are not touched.

Revision ID: 0032
Revises: 0031
"""

from __future__ import annotations

from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

ASIDE = "('note_added', 'attachment_added', 'reporter_message')"
HAS_MESSAGES = "EXISTS (SELECT 1 FROM events m WHERE m.case_id = cases.id AND m.type = 'reporter_message')"


def upgrade() -> None:
    # the opening is never aside, so the maximum always exists
    op.execute(
        "UPDATE cases SET updated_at = (SELECT MAX(e.effective_at) FROM events e "
        f"WHERE e.case_id = cases.id AND e.type NOT IN {ASIDE}) WHERE {HAS_MESSAGES}"
    )


def downgrade() -> None:
    aside = "('note_added', 'attachment_added')"
    op.execute(
        "UPDATE cases SET updated_at = (SELECT MAX(e.effective_at) FROM events e "
        f"WHERE e.case_id = cases.id AND e.type NOT IN {aside}) WHERE {HAS_MESSAGES}"
    )
