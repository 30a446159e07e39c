"""Incidents over REST and on the pages (issue 28), on SQLite and PostgreSQL: the same role
and school checks as the rest of the API (another school's incident does not exist for a
teacher there: 404; their list is refused: 403), problem documents that name the field, a
form that keeps what was typed and marks the field, and linking from a case page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.access import OPERATOR
from tests.integration.helpers import csrf_of, drive, login, open_gedrag, token_for

CATEGORIES = Path(__file__).parents[2] / "protocols" / "categorieen" / "incidenten.yaml"
PESTEN = {"school": "de-linde", "kind": "pesten", "place": "plein", "seriousness": "middel", "happened": "2026-03-02"}


@pytest.fixture
def incidents_app(app: App) -> App:
    app.engine.incidents.load_categories(OPERATOR, CATEGORIES.read_text(encoding="utf-8"), CATEGORIES.name)
    return app


def _record(web: TestClient, app: App, who: str = "juf.anna", **changes: object) -> dict[str, object]:
    response = web.post("/api/v1/incidents", json={**PESTEN, **changes}, headers=token_for(app, who))
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_rest_records_lists_shows_and_links_an_incident(incidents_app: App, web: TestClient) -> None:
    app = incidents_app
    made = _record(web, app, involved=[{"pseudonym": "Leerling-Mees", "part": "slachtoffer"}])
    assert made["involved"] == [{"pseudonym": "Leerling-Mees", "part": "slachtoffer"}]
    assert made["cases"] == [] and made["serious"] is False
    listed = web.get("/api/v1/incidents", params={"school": "de-linde"}, headers=token_for(app, "dhr.bos"))
    assert [i["id"] for i in listed.json()] == [made["id"]]
    case = open_gedrag(drive(app))
    director = token_for(app, "dhr.bos")
    linked = web.post(f"/api/v1/incidents/{made['id']}/links", json={"case": case}, headers=director)
    assert linked.status_code == 200, linked.text
    assert linked.json()["cases"] == [case]
    shown = web.get(f"/api/v1/incidents/{made['id']}", headers=director).json()
    assert shown["cases"] == [case]
    unlinked = web.get("/api/v1/incidents", params={"school": "de-linde", "linked": "false"}, headers=director)
    assert unlinked.json() == []


def test_rest_problems_name_the_field(incidents_app: App, web: TestClient) -> None:
    app = incidents_app
    anna = token_for(app, "juf.anna")
    unknown = web.post("/api/v1/incidents", json={**PESTEN, "kind": "ruzie"}, headers=anna)
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["field"] == "kind"
    part = web.post("/api/v1/incidents", json={**PESTEN, "involved": [{"pseudonym": "Leerling-Mees", "part": "held"}]}, headers=anna)
    assert part.status_code == 422 and part.json()["field"] == "betrokkenen"
    future = web.post("/api/v1/incidents", json={**PESTEN, "happened": "2099-01-01"}, headers=anna)
    assert future.status_code == 422 and future.json()["field"] == "happened"


def test_another_school_and_roles_that_may_not_are_refused(incidents_app: App, web: TestClient) -> None:
    app = incidents_app
    made = _record(web, app)
    jan = token_for(app, "mr.jan")  # leerkracht at Het Anker
    assert web.get(f"/api/v1/incidents/{made['id']}", headers=jan).status_code == 404
    assert web.get("/api/v1/incidents", params={"school": "de-linde"}, headers=jan).status_code == 403
    assert web.post("/api/v1/incidents", json=PESTEN, headers=jan).status_code == 403
    assert web.post(f"/api/v1/incidents/{made['id']}/links", json={"case": "x"}, headers=jan).status_code == 404
    melder = token_for(app, "mevr.melder")  # a reporting role at Het Anker: no incidents
    assert web.post("/api/v1/incidents", json={**PESTEN, "school": "het-anker"}, headers=melder).status_code == 403
    assert web.get("/api/v1/incidents", params={"school": "het-anker"}, headers=melder).status_code == 403
    # an auditor reads, but does not record
    auditor = token_for(app, "dhr.audit")
    assert web.get(f"/api/v1/incidents/{made['id']}", headers=auditor).status_code == 200
    assert web.post("/api/v1/incidents", json=PESTEN, headers=auditor).status_code == 403
    # a case of another school is no case to link to
    other = open_gedrag(drive(app), school="het-anker", group="6b")
    refused = web.post(f"/api/v1/incidents/{made['id']}/links", json={"case": other}, headers=token_for(app, "mevr.raad"))
    assert refused.status_code == 422 and refused.json()["field"] == "case"


def test_every_read_is_in_the_access_log(incidents_app: App, web: TestClient) -> None:
    app = incidents_app
    made = _record(web, app)
    web.get(f"/api/v1/incidents/{made['id']}", headers=token_for(app, "dhr.bos"))
    with app.engine.services.uow() as uow:
        entries = uow.access_log.list(None, f"incident:{made['id']}")
    assert [(e.username, e.what) for e in entries] == [("dhr.bos", "incident")]


def test_the_form_keeps_what_was_typed_and_names_the_field(incidents_app: App, web: TestClient) -> None:
    login(web, "juf.anna")
    form = web.get("/incidenten/nieuw")
    assert form.status_code == 200 and "Incident vastleggen" in form.text
    data = {
        "csrf": csrf_of(web, "/incidenten/nieuw"),
        "school": "de-linde",
        "soort": "pesten",
        "plaats": "plein",
        "ernst": "licht",
        "datum": "31-02-2026",
        "tijd": "08:15",
        "betrokkene_1": "Leerling-Mees",
        "rol_1": "slachtoffer",
    }
    refused = web.post("/incidenten/nieuw", data=data, follow_redirects=False)
    assert refused.status_code == 422
    assert "Wanneer gebeurd: &#39;31-02-2026&#39; is geen datum" in refused.text
    assert re.search(r'id="datum"[^>]*value="31-02-2026"[^>]*aria-invalid="true"', refused.text)
    assert 'value="Leerling-Mees"' in refused.text and 'value="08:15"' in refused.text
    done = web.post("/incidenten/nieuw", data={**data, "datum": "02-03-2026"}, follow_redirects=False)
    assert done.status_code == 303
    page = web.get(done.headers["location"])
    assert "Leerling-Mees" in page.text and "02-03-2026 om 08:15" in page.text
    listed = web.get("/incidenten", params={"school": "de-linde", "gekoppeld": "nee"})
    assert done.headers["location"] in listed.text


def test_a_teacher_of_another_school_gets_no_incident_page(incidents_app: App, web: TestClient) -> None:
    made = _record(web, incidents_app)
    login(web, "mr.jan")
    assert web.get(f"/incidenten/{made['id']}").status_code == 404
    assert "Pesten" not in web.get("/incidenten", params={"school": "de-linde"}).text
    assert web.get("/incidenten", params={"school": "de-linde"}).status_code == 403


def test_a_case_page_links_an_unlinked_incident(incidents_app: App, web: TestClient) -> None:
    app = incidents_app
    made = _record(web, app)
    case = open_gedrag(drive(app))
    login(web, "dhr.bos")
    page = web.get(f"/zaken/{case}")
    assert "Incident koppelen" in page.text and f'value="{made["id"]}"' in page.text
    response = web.post(
        f"/zaken/{case}/incidenten", data={"csrf": csrf_of(web, f"/zaken/{case}"), "incident": str(made["id"])}, follow_redirects=False
    )
    assert response.status_code == 303
    after = web.get(f"/zaken/{case}")
    assert f'href="/incidenten/{made["id"]}"' in after.text
    assert "Incident koppelen" not in after.text  # nothing left to link
