"""The first schema: protocol versions, cases, append-only events, deadlines.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = ("events", "protocol_versions")


def upgrade() -> None:
    op.create_table(
        "trede_meta",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.String(), nullable=False),
    )
    op.create_table(
        "protocol_versions",
        sa.Column("content_hash", sa.String(), primary_key=True),
        sa.Column("protocol_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_protocol_versions_protocol_id", "protocol_versions", ["protocol_id"])
    op.create_index("ux_protocol_versions_id_version", "protocol_versions", ["protocol_id", "version"], unique=True)
    op.create_table(
        "cases",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("protocol_id", sa.String(), nullable=False),
        sa.Column("protocol_version", sa.Integer(), nullable=False),
        sa.Column("protocol_hash", sa.String(), sa.ForeignKey("protocol_versions.content_hash"), nullable=False),
        sa.Column("school", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("step", sa.String(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(), nullable=False),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_cases_school", "cases", ["school"])
    op.create_index("ix_cases_protocol_step", "cases", ["protocol_id", "step"])
    op.create_table(
        "events",
        sa.Column("case_id", sa.String(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("effective_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("trigger", sa.String(), nullable=True),
        sa.Column("from_step", sa.String(), nullable=True),
        sa.Column("to_step", sa.String(), nullable=True),
        sa.Column("protocol_hash", sa.String(), nullable=False),
        sa.Column("calendar_version", sa.String(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
    )
    op.create_table(
        "deadlines",
        sa.Column("case_id", sa.String(), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("step", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("basis", sa.String(), nullable=False),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("duration", sa.String(), nullable=False),
        sa.Column("start", sa.String(), nullable=False),
        sa.Column("start_date", sa.String(), nullable=True),
        sa.Column("due_date", sa.String(), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("calendar_version", sa.String(), nullable=True),
        sa.Column("extensions", sa.Text(), nullable=False),
        sa.Column("closed_seq", sa.Integer(), nullable=True),
    )
    op.create_index(
        "ix_deadlines_open_due",
        "deadlines",
        ["due_at"],
        postgresql_where=sa.text("status = 'open'"),
        sqlite_where=sa.text("status = 'open'"),
    )
    _append_only()


def _append_only() -> None:
    """The database itself refuses to change or remove what was recorded."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION trede_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'trede: % op % is niet toegestaan (alleen toevoegen)', TG_OP, TG_TABLE_NAME;
            END $$;
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION trede_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
            )
    else:
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'trede: {action} op {table} is niet toegestaan (alleen toevoegen)'); END"
                )


def downgrade() -> None:
    for table in ("deadlines", "events", "cases", "protocol_versions", "trede_meta"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS trede_append_only()")
