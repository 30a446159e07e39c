"""Helpers for the integration tests: logging in, forms, tokens, acting through the engine,
and trede's application role on PostgreSQL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from adapters.sql.database import grant_application_role, make_engine
from api.bootstrap import App
from api.demo import DEMO_PASSWORD
from engine.account_ports import Notification
from tests.support import Driver as Trede

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only


def drive(app: App) -> Trede:
    """Acting directly through the engine, as a named person in a role (set-up)."""
    return Trede(app.engine)


def login(client: TestClient, username: str, password: str = DEMO_PASSWORD) -> str:
    form = client.get("/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token
    response = client.post(
        "/inloggen",
        data={"gebruikersnaam": username, "wachtwoord": password, "csrf": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    return str(response.headers.get("location", ""))


def csrf_of(client: TestClient, path: str = "/") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def open_gedrag(trede: Trede, school: str = "de-linde", group: str = "5a") -> str:
    return trede.open_case(
        "grensoverschrijdend-gedrag",
        school=school,
        subject=f"Leerling-{school}-{group}",
        actor="t",
        role="leerkracht",
        group=group,
    ).id


def token_for(app: App, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.engine.tokens.create(username, 'test')}"}




@contextmanager
def application_role(owner: Engine, name: str) -> Iterator[Engine]:
    """PostgreSQL: trede's application role on the owner's database, granted as ``trede db
    grant`` does, and an engine connecting as it. Roles are server-wide: the role and what it
    holds are dropped afterwards, and its name carries the process id."""
    role = f"{name}_{os.getpid()}"
    url = owner.url.render_as_string(hide_password=False)
    app = make_engine(make_url(url).set(username=role).render_as_string(hide_password=False))
    try:
        grant_application_role(owner, role)
        yield app
    finally:
        app.dispose()
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {role} CASCADE"))
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def notices_of(app: App, username: str, channel: str = "app", limit: int = 10) -> list[Notification]:
    """The notices recorded for a user, newest first (read through the unit of work)."""
    with app.engine.services.uow() as uow:
        return uow.notifications.of_user(username, channel, limit)
