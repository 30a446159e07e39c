"""Fixtures for the integration tests: the application with the bundled protocols and demo
users, and a PostgreSQL database as its owner sees it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from adapters.sql.database import init_database, make_engine
from api.bootstrap import App
from api.demo import load_bundled, seed_accounts
from api.web import served_app
from tests.conftest import fresh_database
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
    with TestClient(served_app(app), base_url="https://testserver") as client:
        yield client


@pytest.fixture
def pg_owner(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated PostgreSQL database, connected as the owner of its tables (who migrates)."""
    owner = make_engine(fresh_database("postgresql", tmp_path, request))
    init_database(owner)
    yield owner
    owner.dispose()
