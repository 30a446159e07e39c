"""Attachments on a case: append-only, except that retention may erase a file's content
(its SHA-256 stays in the event that added it and in this row).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ERASE_ONLY = (
    "length(NEW.content) = 0 AND NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq "
    "AND NEW.media_type = OLD.media_type AND NEW.size = OLD.size AND NEW.sha256 = OLD.sha256"
)


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("case_id", sa.String(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION trede_attachments_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND {ERASE_ONLY.replace("length(", "octet_length(")} THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION 'trede: % op attachments is niet toegestaan (alleen wissen bij anonimisering)', TG_OP;
            END $$;
            """
        )
        op.execute(
            "CREATE TRIGGER attachments_append_only BEFORE UPDATE OR DELETE ON attachments "
            "FOR EACH ROW EXECUTE FUNCTION trede_attachments_erase_only()"
        )
        op.execute(
            "CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON attachments "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments WHEN NOT ({ERASE_ONLY}) "
            "BEGIN SELECT RAISE(ABORT, 'trede: UPDATE op attachments is niet toegestaan (alleen wissen bij anonimisering)'); END"
        )
        op.execute(
            "CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments "
            "BEGIN SELECT RAISE(ABORT, 'trede: DELETE op attachments is niet toegestaan (alleen toevoegen)'); END"
        )
        op.execute(
            "CREATE TRIGGER attachments_no_replace BEFORE INSERT ON attachments "
            "WHEN EXISTS (SELECT 1 FROM attachments WHERE case_id = NEW.case_id AND seq = NEW.seq) "
            "BEGIN SELECT RAISE(ABORT, 'trede: attachments bestaat al; vervangen (REPLACE) is niet toegestaan'); END"
        )


def downgrade() -> None:
    op.drop_table("attachments")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS trede_attachments_erase_only()")
