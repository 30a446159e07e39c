"""A visit that writes (when the session was last seen) upgrades its read transaction. SQLite
refuses that upgrade at once when another writer committed since the read began; the visit
then goes again as a writer instead of answering 503. PostgreSQL does not refuse it (the
other writer touched another row); there the same visit simply succeeds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from adapters.sql.sessions import SqlSessions
from api.bootstrap import App
from engine.account_ports import StoredSession
from engine.clock import FixedClock
from tests.integration.helpers import login


def test_a_visit_whose_write_is_refused_goes_again_as_a_writer(
    app: App, web: TestClient, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(web, "juf.anna")
    token = web.cookies.get("trede_sessie")
    assert token
    clock.advance(timedelta(minutes=2))  # this visit records that the session was seen
    with app.db.begin() as setup:  # a table of its own for the other writer, on either backend
        setup.execute(text("CREATE TABLE IF NOT EXISTS elders_geschreven (k VARCHAR(10))"))
    read = SqlSessions.get
    interfered: list[bool] = []

    def another_writer_commits_meanwhile(self: SqlSessions, token_hash: str) -> StoredSession | None:
        found = read(self, token_hash)
        if not interfered:
            interfered.append(True)
            with app.db.begin() as other:  # another connection commits after this read began
                other.execute(text("INSERT INTO elders_geschreven (k) VALUES ('1')"))
        return found

    monkeypatch.setattr(SqlSessions, "get", another_writer_commits_meanwhile)
    visit = app.engine.sessions.visit(token)
    assert interfered and visit is not None and visit.principal.username == "juf.anna"
    assert web.get("/").status_code == 200
