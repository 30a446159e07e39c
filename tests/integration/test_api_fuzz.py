"""schemathesis against the OpenAPI document: generated requests, valid and invalid, with
the token of a busy role (the bevoegd gezag, also Wbk behandelaar). No 5xx, whatever
comes in; and the document describes the problem+json errors a client must handle."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from sqlalchemy import Engine

from api.bootstrap import App
from api.demo import load_bundled, seed_accounts, seed_cases
from api.web import create_app
from tests.integration.helpers import FAST_HASHER
from tests.support import Driver


@pytest.fixture
def busy(trede: Driver, db: Engine) -> App:
    load_bundled(trede.engine)
    app = App(engine=trede.engine, db=db, password_hasher=FAST_HASHER)
    seed_accounts(app.engine)
    seed_cases(trede.engine)
    return app


@pytest.fixture
def api_schema(busy: App) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(busy))


@pytest.fixture
def token(busy: App) -> dict[str, str]:
    return {"Authorization": f"Bearer {busy.engine.tokens.create('mevr.raad', 'fuzz')}"}


EXAMPLES = 25  # per operation: bounded, so the run stays short


def test_no_request_makes_the_api_fail(api_schema: schemathesis.BaseSchema, token: dict[str, str]) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def no_server_error(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=token, checks=[not_a_server_error])

        no_server_error()


def test_the_openapi_documents_the_problem_responses(busy: App) -> None:
    with TestClient(create_app(busy), base_url="https://testserver") as web:
        document = web.get("/api/v1/openapi.json").json()
    fire = document["paths"]["/api/v1/cases/{case_id}/fire"]["post"]["responses"]
    for status in ("401", "403", "404", "409", "422"):
        assert "application/problem+json" in fire[status]["content"], status
    assert "ProblemDetail" in document["components"]["schemas"]
