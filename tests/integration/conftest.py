"""Fixtures for the web tests: the application with the bundled protocols and demo users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.bootstrap import App
from api.demo import load_bundled, seed_accounts
from api.web import create_app
from tests.integration.helpers import FAST_HASHER
from tests.support import Driver as Trede


@pytest.fixture
def app(trede: Trede, db: Engine) -> App:
    load_bundled(trede.engine)
    application = App(engine=trede.engine, db=db, password_hasher=FAST_HASHER)
    seed_accounts(application.engine)
    return application


@pytest.fixture
def web(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app), base_url="https://testserver") as client:
        yield client
