"""The first read-only web view, served by FastAPI against a real database."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.bootstrap import App
from api.web import create_app
from engine.service import Engine as Trede


def client(trede: Trede, db: Engine) -> TestClient:
    return TestClient(create_app(App(engine=trede, db=db, sandbox=True)))


def test_the_case_list_and_a_case_page(trede: Trede, db: Engine) -> None:
    case = trede.open_case(
        "proef-escalatie", school="de-linde", subject="Leerling-Reiger", actor="a", role="leerkracht"
    )
    trede.fire(case.id, "melden", actor="a", role="leerkracht", inputs={"ernst": "licht"})
    web = client(trede, db)
    listing = web.get("/")
    assert listing.status_code == 200
    assert "Leerling-Reiger" in listing.text and "Stap 2: Onderzoek" in listing.text
    page = web.get(f"/zaken/{case.id}")
    assert page.status_code == 200
    assert "Onderzoek afgerond" in page.text and "5 werkdagen" in page.text
    assert "melden" in page.text  # the timeline


def test_an_unknown_case_is_a_problem_document(trede: Trede, db: Engine) -> None:
    response = client(trede, db).get("/zaken/bestaat-niet")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["error"] == "case_not_found"


def test_health_reports_the_database(trede: Trede, db: Engine) -> None:
    assert client(trede, db).get("/api/v1/health").json() == {"status": "ok", "protocols": 1}
