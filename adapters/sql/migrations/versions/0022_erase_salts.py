"""Anonymisation erases a personal value's salt with the value: the record keeps a salted
hash of every personal value (since this revision the actor too), and with the salt a
guessed name could still be tested against it. Salts of values erased before are erased now.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

SAME_KEY = "NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq AND NEW.ref = OLD.ref"
ERASE_ONLY = f"NEW.value IS NULL AND {SAME_KEY} AND (NEW.salt = OLD.salt OR NEW.salt = '')"
BEFORE = f"NEW.value IS NULL AND {SAME_KEY} AND NEW.salt = OLD.salt"  # revision 0013


def upgrade() -> None:
    _guard(ERASE_ONLY)
    op.execute("UPDATE personal_data SET salt = '' WHERE value IS NULL")


def downgrade() -> None:
    _guard(BEFORE)  # erased salts stay erased


def _guard(condition: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE OR REPLACE FUNCTION trede_personal_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND {condition} THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION 'trede: % op personal_data is niet toegestaan (alleen wissen bij anonimisering)', TG_OP;
            END $$;
            """
        )
        return
    op.execute("DROP TRIGGER IF EXISTS personal_data_no_update")
    op.execute(
        f"CREATE TRIGGER personal_data_no_update BEFORE UPDATE ON personal_data WHEN NOT ({condition}) "
        "BEGIN SELECT RAISE(ABORT, 'trede: UPDATE op personal_data is niet toegestaan (alleen wissen bij anonimisering)'); END"
    )
