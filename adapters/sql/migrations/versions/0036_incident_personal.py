"""The incident log's pseudonyms kept beside the chain (issue 28): a recorded incident's
record holds a salted commitment for each person involved; the value and salt live in
incident_personal, which may only be erased (value and salt emptied), never changed or
removed, so that retention can erase them and the chain still verifies.

Revision ID: 0036
Revises: 0035
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

ERASE_ONLY = "NEW.value IS NULL AND NEW.salt = '' AND NEW.incident_id = OLD.incident_id AND NEW.ref = OLD.ref"
MESSAGE = "trede: % op incident_personal is niet toegestaan (alleen wissen bij de bewaartermijn)"


def upgrade() -> None:
    op.create_table(
        "incident_personal",
        sa.Column("incident_id", sa.String(), primary_key=True),
        sa.Column("ref", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("salt", sa.String(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION trede_incident_personal_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND {ERASE_ONLY} THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION '{MESSAGE}', TG_OP;
            END $$;
            """
        )
        op.execute(
            "CREATE TRIGGER incident_personal_erase_only BEFORE UPDATE OR DELETE ON incident_personal "
            "FOR EACH ROW EXECUTE FUNCTION trede_incident_personal_erase_only()"
        )
        op.execute(
            "CREATE TRIGGER incident_personal_no_truncate BEFORE TRUNCATE ON incident_personal "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
        )
        return
    op.execute(
        f"CREATE TRIGGER incident_personal_no_update BEFORE UPDATE ON incident_personal WHEN NOT ({ERASE_ONLY}) "
        "BEGIN SELECT RAISE(ABORT, 'trede: UPDATE op incident_personal is niet toegestaan (alleen wissen bij de bewaartermijn)'); END"
    )
    op.execute(
        "CREATE TRIGGER incident_personal_no_delete BEFORE DELETE ON incident_personal "
        "BEGIN SELECT RAISE(ABORT, 'trede: DELETE op incident_personal is niet toegestaan'); END"
    )
    op.execute(
        "CREATE TRIGGER incident_personal_no_replace BEFORE INSERT ON incident_personal "
        "WHEN EXISTS (SELECT 1 FROM incident_personal WHERE incident_id = NEW.incident_id AND ref = NEW.ref) "
        "BEGIN SELECT RAISE(ABORT, 'trede: incident_personal bestaat al; vervangen (REPLACE) is niet toegestaan'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS incident_personal_erase_only ON incident_personal")
        op.execute("DROP TRIGGER IF EXISTS incident_personal_no_truncate ON incident_personal")
        op.execute("DROP FUNCTION IF EXISTS trede_incident_personal_erase_only()")
    op.drop_table("incident_personal")
