"""Time is part of the chain (issue 24): within a case, and within each access log, a row is
never recorded before the one it follows. The database refuses such an insert (also from the
application's own role, which may append); the engine clamps a clock that went back a little
and refuses beyond that; verification names what slipped past both. ``cases`` keeps the last
event's recorded_at so that sealing needs no extra read; existing cases get it from their events.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from adapters.sql.tables import UTCDateTime

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# table, time column, the row it follows, what a refusal says
GUARDS = (
    (
        "events",
        "recorded_at",
        "case_id = NEW.case_id AND seq = NEW.seq - 1",
        "gebeurtenis is vastgelegd vóór de vorige gebeurtenis van de zaak",
    ),
    ("access_log", "at", "1 = 1 ORDER BY id DESC LIMIT 1", "regel van de toegangslog ligt vóór de vorige regel"),
    (
        "reporter_access_log",
        "day",
        "1 = 1 ORDER BY id DESC LIMIT 1",
        "regel van de toegangslog van melders ligt vóór de vorige regel",
    ),
)


def upgrade() -> None:
    op.add_column("cases", sa.Column("last_recorded_at", UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE cases SET last_recorded_at = "
        "(SELECT e.recorded_at FROM events e WHERE e.case_id = cases.id AND e.seq = cases.seq)"
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, column, previous, message in GUARDS:
        if postgresql:
            op.execute(
                f"""
                CREATE OR REPLACE FUNCTION trede_{table}_in_time() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE before {table}.{column}%TYPE;
                BEGIN
                  SELECT {column} INTO before FROM {table} WHERE {previous};
                  IF before IS NOT NULL AND NEW.{column} < before THEN
                    RAISE EXCEPTION 'trede: INSERT op {table} geweigerd: {message} (% < %)', NEW.{column}, before;
                  END IF;
                  RETURN NEW;
                END $$;
                """
            )
            op.execute(
                f"CREATE TRIGGER {table}_in_time BEFORE INSERT ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION trede_{table}_in_time()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {table}_in_time BEFORE INSERT ON {table} "
                f"WHEN NEW.{column} < (SELECT {column} FROM {table} WHERE {previous}) "
                f"BEGIN SELECT RAISE(ABORT, 'trede: INSERT op {table} geweigerd: {message}'); END"
            )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, _, _, _ in GUARDS:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_in_time" + (f" ON {table}" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS trede_{table}_in_time()")
    op.drop_column("cases", "last_recorded_at")
