"""Least privilege on PostgreSQL: trede runs as an application role that cannot switch its
own audit guards off, truncate, or change the schema; the owner only migrates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from adapters.sql.database import grant_application_role, init_database, make_engine, owns_the_schema
from engine.clock import FixedClock
from engine.protocol.loader import load_protocol_file
from tests.conftest import PROEF, START, fresh_database, make_trede


def test_the_application_role_runs_trede_but_cannot_touch_the_guards(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = fresh_database("postgresql", tmp_path, request)
    owner = make_engine(url)
    init_database(owner)
    role = f"trede_app_{os.getpid()}"
    try:
        grant_application_role(owner, role)
        app = make_engine(make_url(url).set(username=role).render_as_string(hide_password=False))
        assert owns_the_schema(owner) and not owns_the_schema(app)
        trede = make_trede(app, FixedClock(START))
        trede.load_protocol(load_protocol_file(PROEF))
        case = trede.open_case(
            "proef-escalatie", school="de-linde", subject="Leerling-R1", actor="juf.anna", role="leerkracht"
        )
        trede.fire(case.id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
        assert trede.verify(case.id).ok
        for attack in (
            "ALTER TABLE events DISABLE TRIGGER USER",
            "DROP TRIGGER events_append_only ON events",
            "TRUNCATE access_log",
            "TRUNCATE reporter_access_log",
            "DELETE FROM reporter_access_log",
            "DELETE FROM events",
            "DELETE FROM personal_data",
            "ALTER TABLE cases ADD COLUMN x integer",
            "CREATE TABLE elsewhere (id integer)",
        ):
            with pytest.raises(DBAPIError, match=r"permission denied|must be owner|trede"), app.begin() as conn:
                conn.execute(text(attack))
        app.dispose()
    finally:
        owner.dispose()
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {role} CASCADE"))
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()
