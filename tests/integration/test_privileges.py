"""Least privilege on PostgreSQL: trede runs as an application role that cannot switch its
own audit guards off, truncate, or change the schema; the owner only migrates."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from adapters.sql.database import owns_the_schema
from engine.clock import FixedClock
from engine.protocol.loader import load_protocol_file
from tests.conftest import PROEF, START, make_trede
from tests.integration.helpers import application_role


def test_the_application_role_runs_trede_but_cannot_touch_the_guards(pg_owner: Engine) -> None:
    with application_role(pg_owner, "trede_app") as app:
        assert owns_the_schema(pg_owner) and not owns_the_schema(app)
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
