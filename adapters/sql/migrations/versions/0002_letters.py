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


ERASE_ONLY = (
    "NEW.html = '' AND length(NEW.pdf) = 0 AND NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq "
    "AND NEW.name = OLD.name AND NEW.sha256_html = OLD.sha256_html AND NEW.sha256_pdf = OLD.sha256_pdf"
)


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
    # Append-only, except that retention may wipe a letter's content (its hashes stay).
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION trede_letters_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND {ERASE_ONLY} THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION 'trede: % op letters is niet toegestaan (alleen wissen bij anonimisering)', TG_OP;
            END $$;
            """
        )
        op.execute(
            "CREATE TRIGGER letters_append_only BEFORE UPDATE OR DELETE ON letters "
            "FOR EACH ROW EXECUTE FUNCTION trede_letters_erase_only()"
        )
        op.execute(
            "CREATE TRIGGER letters_no_truncate BEFORE TRUNCATE ON letters "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters WHEN NOT ({ERASE_ONLY}) "
            "BEGIN SELECT RAISE(ABORT, 'trede: UPDATE op letters is niet toegestaan (alleen wissen bij anonimisering)'); END"
        )
        op.execute(
            "CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters "
            "BEGIN SELECT RAISE(ABORT, 'trede: DELETE op letters is niet toegestaan (alleen toevoegen)'); END"
        )


def downgrade() -> None:
    op.drop_table("letters")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS trede_letters_erase_only()")
