"""Nothing unguarded: signed checkpoints (append-only), a hash-chained access log, personal
values that can only be erased (never deleted or changed), and on SQLite no REPLACE on the
guarded tables (the delete half of a REPLACE does not fire delete triggers).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime
from engine.checkpoints import ACCESS_GENESIS, access_chain

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Keys of the guarded tables: a second insert with the same key is refused (SQLite REPLACE).
KEYS = {
    "events": ("case_id", "seq"),
    "protocol_versions": ("content_hash",),
    "access_log": ("id",),
    "personal_data": ("case_id", "seq", "ref"),
    "letters": ("case_id", "seq"),
    "checkpoints": ("id",),
}
ERASE_ONLY = (
    "NEW.value IS NULL AND NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq AND NEW.ref = OLD.ref AND NEW.salt = OLD.salt"
)


def upgrade() -> None:
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("made_at", UTCDateTime(), nullable=False),
        sa.Column("key_id", sa.String(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(), nullable=False),
    )
    with op.batch_alter_table("access_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(), nullable=True))
    _chain_existing_access_log()
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        _postgres_guards()
    else:
        _sqlite_guards()


def _chain_existing_access_log() -> None:
    conn = op.get_bind()
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        conn.execute(sa.text("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only"))
    else:
        conn.execute(sa.text("DROP TRIGGER IF EXISTS access_log_no_update"))
    prev = ACCESS_GENESIS
    rows = conn.execute(sa.text("SELECT id, at, username, roles, case_id, school, what FROM access_log ORDER BY id"))
    access = sa.table("access_log", sa.column("id"), sa.column("at", UTCDateTime()), sa.column("prev_hash"), sa.column("hash"))
    for row in list(rows):
        at = conn.execute(sa.select(access.c.at).where(access.c.id == row.id)).scalar_one()
        digest = access_chain(prev, at, row.username, row.roles, row.case_id, row.school, row.what)
        conn.execute(sa.update(access).where(access.c.id == row.id).values(prev_hash=prev, hash=digest))
        prev = digest
    if postgres:
        conn.execute(sa.text("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only"))
    else:
        op.execute(
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
            "BEGIN SELECT RAISE(ABORT, 'trede: UPDATE op access_log is niet toegestaan (alleen toevoegen)'); END"
        )


def _postgres_guards() -> None:
    op.execute(
        "CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints "
        "FOR EACH ROW EXECUTE FUNCTION trede_append_only()"
    )
    for table in ("checkpoints", "access_log", "personal_data"):
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
        )
    op.execute(
        f"""
        CREATE FUNCTION trede_personal_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND {ERASE_ONLY} THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'trede: % op personal_data is niet toegestaan (alleen wissen bij anonimisering)', TG_OP;
        END $$;
        """
    )
    op.execute(
        "CREATE TRIGGER personal_data_erase_only BEFORE UPDATE OR DELETE ON personal_data "
        "FOR EACH ROW EXECUTE FUNCTION trede_personal_erase_only()"
    )


def _sqlite_guards() -> None:
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER checkpoints_no_{action.lower()} BEFORE {action} ON checkpoints "
            f"BEGIN SELECT RAISE(ABORT, 'trede: {action} op checkpoints is niet toegestaan (alleen toevoegen)'); END"
        )
    op.execute(
        f"CREATE TRIGGER personal_data_no_update BEFORE UPDATE ON personal_data WHEN NOT ({ERASE_ONLY}) "
        "BEGIN SELECT RAISE(ABORT, 'trede: UPDATE op personal_data is niet toegestaan (alleen wissen bij anonimisering)'); END"
    )
    op.execute(
        "CREATE TRIGGER personal_data_no_delete BEFORE DELETE ON personal_data "
        "BEGIN SELECT RAISE(ABORT, 'trede: DELETE op personal_data is niet toegestaan'); END"
    )
    for table, key in KEYS.items():
        match = " AND ".join(f"{column} = NEW.{column}" for column in key)
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {match}) "
            f"BEGIN SELECT RAISE(ABORT, 'trede: {table} bestaat al; vervangen (REPLACE) is niet toegestaan'); END"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS personal_data_erase_only ON personal_data")
        op.execute("DROP FUNCTION IF EXISTS trede_personal_erase_only()")
        for table in ("access_log", "personal_data"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    else:
        op.execute("DROP TRIGGER IF EXISTS personal_data_no_update")
        op.execute("DROP TRIGGER IF EXISTS personal_data_no_delete")
        for table in KEYS:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
    op.drop_column("access_log", "hash")  # no table rebuild: that would drop its guard triggers
    op.drop_column("access_log", "prev_hash")
    op.drop_table("checkpoints")
