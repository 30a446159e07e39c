"""Connecting to SQLite or PostgreSQL, creating the schema, and the database settings."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.pool import NullPool

from adapters.sql.tables import Meta
from engine.errors import DatabaseNotInitialised, InputError, StorageError

if TYPE_CHECKING:
    from alembic.config import Config

META = Meta.__table__  # type: ignore[attr-defined]
MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_URL = "sqlite:///trede.db"
# Connections kept open per process. The server runs a request's database work in a thread
# pool of 40 threads (anyio's default), plus the group-commit writer.
SQLITE_POOL = 40
POSTGRES_POOL, POSTGRES_OVERFLOW = 16, 24


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"Database-URL '{url}' is niet geldig.", url=url) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            engine = create_engine(url, poolclass=NullPool)
        else:  # a connection for each of the server's threads: none is opened (PRAGMAs and all) per request
            engine = create_engine(url, pool_size=SQLITE_POOL, max_overflow=SQLITE_POOL)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping: it costs a round trip per unit of work; stale connections are recycled instead.
    # Kept open: as many as the server has threads at work at once (a connection opened and closed
    # per request costs a PostgreSQL backend's start), within max_connections for a process per core.
    engine = create_engine(url, pool_recycle=1800, pool_size=POSTGRES_POOL, max_overflow=POSTGRES_OVERFLOW)
    event.listen(engine, "connect", _postgres_connect, insert=True)
    return engine


def _postgres_connect(dbapi_connection: Any, _record: Any) -> None:
    """No JIT compilation: PostgreSQL compiles a plan's expressions once its estimated cost is
    high, and for trede's statements that costs more than it saves (240 ms of the board-wide
    yearly report's 1.3 s on the generated board, benchmarks/board.py). Set for the session,
    outside a transaction (SQLAlchemy's pattern for a connection's settings)."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION jit = off")
    cursor.close()
    dbapi_connection.autocommit = autocommit


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # We issue BEGIN ourselves so that writers can take the write lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # an audit trail must survive a power cut
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("trede_write") else "DEFERRED"
    conn.connection.driver_connection.execute(f"BEGIN {mode}")


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # on first use: a server process that migrates nothing never imports it

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def init_database(engine: Engine, *, sandbox: bool = False) -> bool:
    """Create or upgrade the schema. Returns False when it already existed.

    The sandbox flag is set once, when the database is created, and never changes:
    simulated time cannot be switched on for a database with real cases.
    """
    existed = is_initialised(engine)
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        from alembic import command

        command.upgrade(config, "head")
    if not existed:
        with engine.begin() as connection:
            connection.execute(
                insert(META),
                [{"key": "sandbox", "value": "1" if sandbox else "0"}, {"key": "clock_offset_us", "value": "0"}],
            )
    return not existed


# The one list of guarded tables (migrations keep their own copies, frozen as they were run).
# What the application role may do per table: no DDL, no TRUNCATE, and on the trail only
# what the guards allow anyway (append; erase personal values, letters and attachments on anonymisation).
APPEND_ONLY = (
    "events",
    "protocol_versions",
    "access_log",
    "reporter_access_log",
    "checkpoints",
    "protocol_proposals",
    "incident_log",
    "incident_categories",
    "meldpunt_triage",
    "monitor_results",
)
ERASE_ONLY = ("personal_data", "letters", "attachments", "incident_personal")


def grant_application_role(engine: Engine, role: str) -> list[str]:
    """PostgreSQL: create (if needed) a role that runs trede without owning its tables, so
    its credentials cannot drop the guard triggers, truncate or alter the schema. Returns
    the statements run. Migrations keep running as the owner (``trede db init``)."""
    if engine.dialect.name != "postgresql":
        raise InputError("database", "een aparte applicatierol bestaat alleen op PostgreSQL; beveilig bij SQLite het bestand")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise InputError("role", f"'{role[:64]}' is geen geldige rolnaam (kleine letters, cijfers en _)")
    statements: list[str] = []
    with engine.begin() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
        if not exists:
            statements.append(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        statements.append(f'GRANT CONNECT ON DATABASE "{database}" TO {role}')
        statements.append(f"GRANT USAGE ON SCHEMA public TO {role}")
        statements.append(f"REVOKE CREATE ON SCHEMA public FROM {role}")
        tables = [r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
        for table in sorted(tables):
            if table in APPEND_ONLY:
                rights = "SELECT, INSERT"
            elif table in ERASE_ONLY:
                rights = "SELECT, INSERT, UPDATE"
            else:
                rights = "SELECT, INSERT, UPDATE, DELETE"
            statements.append(f"REVOKE ALL ON TABLE {table} FROM {role}")
            statements.append(f"GRANT {rights} ON TABLE {table} TO {role}")
        statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        for statement in statements:
            conn.execute(text(statement))
    return statements


def owns_the_schema(engine: Engine) -> bool:
    """True when trede connects as the owner of its tables (it could then drop its own guards)."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as conn:
        owner = conn.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events'"))
        return bool(owner.scalar() == conn.execute(text("SELECT current_user")).scalar_one())


def _missing_sqlite_file(engine: Engine) -> bool:
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:") or url.query.get("uri"):
        return False
    return not Path(str(url.database)).exists()


def is_initialised(engine: Engine) -> bool:
    try:
        return inspect(engine).has_table("trede_meta")
    except OperationalError as exc:
        raise StorageError(f"Kan de database niet bereiken: {exc.orig}", url=str(engine.url)) from None


def require_initialised(engine: Engine) -> None:
    """Refuses a database without trede's tables. A SQLite file that does not exist is refused
    without opening it: connecting would leave an empty file behind (``trede protocol diff``
    in a folder without a database used to)."""
    if _missing_sqlite_file(engine) or not is_initialised(engine):
        raise DatabaseNotInitialised(engine.url.render_as_string(hide_password=True))


class SqlSettings:
    """The database's own settings (trede_meta): sandbox flag and simulated clock offset."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._values: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        if self._values is None:
            self._values = {key: value for key, value in self._conn.execute(select(META.c.key, META.c.value))}
        return self._values

    @property
    def sandbox(self) -> bool:
        return self._all().get("sandbox") == "1"

    @property
    def clock_offset(self) -> timedelta:
        return timedelta(microseconds=int(self._all().get("clock_offset_us", "0")))

    def set_clock_offset(self, offset: timedelta) -> None:
        value = str(offset // timedelta(microseconds=1))
        self._conn.execute(update(META).where(META.c.key == "clock_offset_us").values(value=value))
        self._values = None

    def note(self, name: str, value: str) -> None:
        key = f"note:{name}"
        if self._conn.execute(update(META).where(META.c.key == key).values(value=value)).rowcount == 0:
            self._conn.execute(insert(META).values(key=key, value=value))
        self._values = None

    def noted(self, name: str) -> str | None:
        return self._all().get(f"note:{name}")

    def secret(self, name: str) -> str:
        """Made once per installation; a concurrent first use keeps the one stored first."""
        key = f"secret:{name}"
        found = self._all().get(key)
        if found is None:
            self._conn.execute(_insert_ignore(self._conn.dialect.name), {"key": key, "value": secrets.token_hex(32)})
            self._values = None
            found = self._all()[key]
        return found


def _insert_ignore(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(META).on_conflict_do_nothing(index_elements=["key"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(META).on_conflict_do_nothing(index_elements=["key"])


def backup_sqlite(engine: Engine, target: Path) -> None:
    """SQLite's online backup: a consistent copy while readers and writers go on."""
    import sqlite3

    if engine.dialect.name != "sqlite":
        raise StorageError("Gebruik pg_dump voor PostgreSQL (zie docs/deployment.md).")
    if target.exists():
        raise StorageError(f"{target} bestaat al; kies een nieuwe bestandsnaam.", file=str(target))
    source = sqlite3.connect(engine.url.database or "")
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
