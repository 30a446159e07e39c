"""Incident registration (issue 28): the incident log (one append-only hash chain, its
entries canonical JSON records) and the loaded versions of the incident categories
(append-only).

Revision ID: 0031
Revises: 0030
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

TABLES = ("incident_log", "incident_categories")


def upgrade() -> None:
    op.create_table(
        "incident_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(), nullable=False),
        sa.Column("school", sa.String(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
    )
    op.create_index("ix_incident_log_incident_id", "incident_log", ["incident_id"])
    op.create_index("ix_incident_log_school", "incident_log", ["school"])
    op.create_table(
        "incident_categories",
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("content_hash", sa.String(), nullable=False, unique=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgres:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION trede_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
            )
        else:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'trede: {action} op {table} is niet toegestaan (alleen toevoegen)'); END"
                )
    if not postgres:
        op.execute(
            "CREATE TRIGGER incident_log_no_replace BEFORE INSERT ON incident_log "
            "WHEN EXISTS (SELECT 1 FROM incident_log WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'trede: incident_log bestaat al; vervangen (REPLACE) is niet toegestaan'); END"
        )
        op.execute(
            "CREATE TRIGGER incident_categories_no_replace BEFORE INSERT ON incident_categories "
            "WHEN EXISTS (SELECT 1 FROM incident_categories WHERE version = NEW.version) "
            "BEGIN SELECT RAISE(ABORT, 'trede: incident_categories bestaat al; vervangen (REPLACE) is niet toegestaan'); END"
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
