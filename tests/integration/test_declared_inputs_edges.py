"""An action records only what it declares, on every edge (issue 22): the REST API, the web
form (a field added in the browser) and the command line refuse an input of another action
in Dutch, naming the field, and nothing is recorded."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.bootstrap import App
from api.cli import app as cli_app
from tests.integration.helpers import csrf_of, drive, login, open_gedrag, token_for

# The bevoegd gezag's approval is a fact of `schorsen` (WPO art. 40c: the board is asked
# beforehand); a leerkracht asking for help may not write it.
FORGED = {"goedkeuring_bevoegd_gezag": "ja"}


def _events(app: App, case_id: str) -> int:
    return len(drive(app).events(case_id))


def test_the_api_refuses_an_input_the_action_does_not_declare(app: App, web: TestClient) -> None:
    case_id = open_gedrag(drive(app))
    refused = web.post(
        f"/api/v1/cases/{case_id}/fire",
        headers=token_for(app, "juf.anna"),
        json={"trigger": "hulp_vragen", "inputs": FORGED},
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["title"] == "undeclared_input" and problem["field"] == "goedkeuring_bevoegd_gezag"
    assert (
        "'Bevoegd gezag vooraf geïnformeerd en akkoord'" in problem["detail"]
        and "hoort niet bij de actie 'De leerling vraagt hulp'" in problem["detail"]
    )
    assert _events(app, case_id) == 1
    assert "goedkeuring_bevoegd_gezag" not in drive(app).show(case_id).case.facts


def test_a_field_added_in_the_browser_is_refused_on_the_form(app: App, web: TestClient) -> None:
    case_id = open_gedrag(drive(app))
    login(web, "juf.anna")
    csrf = csrf_of(web, f"/zaken/{case_id}")
    response = web.post(
        f"/zaken/{case_id}/acties/hulp_vragen",
        data={"csrf": csrf, "rol": "leerkracht", "volgnummer": "1", **FORGED},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert "hoort niet bij" in response.text and "wordt niet vastgelegd" in response.text
    assert _events(app, case_id) == 1


def test_the_command_line_refuses_it_with_the_field(app: App, db_url: str) -> None:
    case_id = open_gedrag(drive(app))
    result = CliRunner().invoke(
        cli_app,
        [
            "--db", db_url, "--json", "case", "fire", case_id, "hulp_vragen",
            "--actor", "juf.anna", "--role", "leerkracht", "--input", "goedkeuring_bevoegd_gezag=ja",
        ],
    )  # fmt: skip
    assert result.exit_code == 7, result.output
    error = json.loads(result.stdout)
    assert error["error"] == "undeclared_input" and error["field"] == "goedkeuring_bevoegd_gezag"
    assert _events(app, case_id) == 1
