"""Who is behind an API token is remembered per server process for at most TOKEN_CACHE_TTL
(engine/authentication.py): a token revoked by another process is refused once that bound
has passed on the engine's clock; revoked here, it is refused at once."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.bootstrap import App
from api.web import create_app
from engine.access import Membership
from engine.authentication import TOKEN_CACHE_TTL
from engine.clock import FixedClock
from tests.integration.helpers import FAST_HASHER
from tests.support import make_engine


def two_processes(db: Engine, clock: FixedClock) -> tuple[App, App]:
    """Two engines on one database, as two server processes have: each its own cache."""
    here, there = make_engine(db, clock), make_engine(db, clock)
    here.users.add("int.koppeling", "Koppeling", "stichting-demo", "x" * 12, [Membership("handler", "s")])
    return App(engine=here, db=db, password_hasher=FAST_HASHER), App(engine=there, db=db, password_hasher=FAST_HASHER)


def test_a_token_revoked_elsewhere_is_refused_once_the_bound_has_passed(db: Engine, clock: FixedClock) -> None:
    here, there = two_processes(db, clock)
    token = here.engine.tokens.create("int.koppeling", "koppeling")
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(here), base_url="https://testserver") as web:
        assert web.get("/api/v1/cases", headers=headers).status_code == 200  # looked up, and remembered
        (listed,) = there.engine.tokens.list("int.koppeling")
        assert there.engine.tokens.revoke("int.koppeling", listed.id)
        assert there.engine.tokens.principal(token) is None  # the process that revoked it refuses it at once
        clock.advance(TOKEN_CACHE_TTL - timedelta(microseconds=1))
        assert web.get("/api/v1/cases", headers=headers).status_code == 200  # within the documented bound
        clock.advance(timedelta(microseconds=1))
        refused = web.get("/api/v1/cases", headers=headers)
        assert refused.status_code == 401 and refused.json()["title"] == "login_required"
        clock.advance(timedelta(hours=1))
        assert web.get("/api/v1/cases", headers=headers).status_code == 401  # and stays refused


def test_a_token_revoked_in_this_process_is_refused_at_once(db: Engine, clock: FixedClock) -> None:
    here, _ = two_processes(db, clock)
    token = here.engine.tokens.create("int.koppeling", "koppeling")
    assert here.engine.tokens.principal(token) is not None
    assert here.engine.tokens.remembered(token) is not None
    (listed,) = here.engine.tokens.list("int.koppeling")
    assert here.engine.tokens.revoke("int.koppeling", listed.id)
    assert here.engine.tokens.remembered(token) is None
    assert here.engine.tokens.principal(token) is None


def test_a_clock_set_back_does_not_stretch_a_remembered_token(db: Engine, clock: FixedClock) -> None:
    here, there = two_processes(db, clock)
    token = here.engine.tokens.create("int.koppeling", "koppeling")
    assert here.engine.tokens.principal(token) is not None
    (listed,) = there.engine.tokens.list("int.koppeling")
    there.engine.tokens.revoke("int.koppeling", listed.id)
    clock.advance(-timedelta(seconds=1))  # before it was remembered: not used
    assert here.engine.tokens.principal(token) is None
