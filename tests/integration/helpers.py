"""Helpers for the web tests: logging in, forms, tokens, acting through the engine."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

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




def notices_of(app: App, username: str, channel: str = "app", limit: int = 10) -> list[Notification]:
    """The notices recorded for a user, newest first (read through the unit of work)."""
    with app.engine.services.uow() as uow:
        return uow.notifications.of_user(username, channel, limit)
