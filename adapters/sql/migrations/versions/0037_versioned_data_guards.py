"""The guards every append-only table has since 0013, for the two versioned data tables
that were created without them: the meldpunt's triage versions (0035) and the imported
monitor results (0034).

- SQLite: no REPLACE. ``REPLACE INTO`` / ``INSERT OR REPLACE`` deletes the row it collides
  with without firing its DELETE trigger (recursive triggers are off), so a board's triage
  version or a school's monitor result could be swapped for another text under the same
  key. As for the other guarded tables (0013), a second insert with a key that exists is
  refused.
- PostgreSQL: there is no REPLACE; an upsert is an UPDATE, which 0034 and 0035 refuse. The
  monitor results had no guard against TRUNCATE (which skips row triggers); now they have.

Revision ID: 0037
Revises: 0036
"""

from __future__ import annotations

from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None

# Each table's keys: a row with any of them taken is no new row but a replacement.
KEYS = {
    "meldpunt_triage": (("id",), ("board", "version")),
    "monitor_results": (("school", "school_year", "version"),),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER monitor_results_no_truncate BEFORE TRUNCATE ON monitor_results "
            "FOR EACH STATEMENT EXECUTE FUNCTION trede_append_only()"
        )
        return
    for table, keys in KEYS.items():
        taken = " OR ".join("(" + " AND ".join(f"{column} = NEW.{column}" for column in key) + ")" for key in keys)
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {taken}) "
            f"BEGIN SELECT RAISE(ABORT, 'trede: {table} bestaat al; vervangen (REPLACE) is niet toegestaan'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS monitor_results_no_truncate ON monitor_results")
        return
    for table in KEYS:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
