"""Refusals through the edges, on SQLite and PostgreSQL (issue 26, item 3): every reason kind
reaches the page, the REST ``detail`` and the command line as the same Dutch sentence, with
its fields; the demo's users are the people refused."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.access import OPERATOR
from engine.protocol.loader import load_protocol_text
from tests.conftest import MINIMAL
from tests.integration.helpers import csrf_of, login, token_for

GEDRAG = "grensoverschrijdend-gedrag"
OTHER_GROUP = (
    "Deze leerling zit niet in uw groep (5a). Vraag de intern begeleider, de directeur, het bevoegd gezag of de "
    "leerkracht van deze leerling om de zaak te openen."
)
TIME_OUT = (
    "Alleen de directeur mag de actie ‘Time-out instellen (ook direct bij een ernstig incident)’ uitvoeren; u werkt "
    "hier als leerkracht. Vraag de directeur om dit te doen."
)


def shown(page: str) -> str:
    return html.unescape(page)


def gedrag_case(app: App, subject: str = "Leerling-Wes") -> str:
    teacher = app.engine.users.principal("juf.anna")
    assert teacher is not None
    return app.engine.cases.open(teacher, GEDRAG, school="de-linde", subject=subject, group="5a").id


def test_a_teacher_of_another_group_reads_why_on_the_page_and_in_the_api(app: App, web: TestClient) -> None:
    assert login(web, "juf.anna") == "/"
    form = {"csrf": csrf_of(web, "/zaken/nieuw"), "protocol": GEDRAG, "school": "de-linde", "leerling": "Leerling-Uil", "groep": "6b"}
    page = web.post("/zaken/nieuw", data=form)
    assert OTHER_GROUP in shown(page.text)
    assert "niemand" not in page.text and "Rol '" not in shown(page.text)
    body = {"protocol": GEDRAG, "school": "de-linde", "subject": "Leerling-Uil", "group": "6b"}
    answer = web.post("/api/v1/cases", json=body, headers=token_for(app, "juf.anna"))
    assert answer.status_code == 403
    problem = answer.json()
    assert problem["detail"] == OTHER_GROUP
    assert (problem["reason"], problem["groups"], problem["group_known"], problem["roles"]) == ("not_your_group", ["5a"], True, ["Leerkracht"])
    assert problem["allowed_roles"] == ["Leerkracht", "Intern begeleider", "Directeur", "Bevoegd gezag"]
    assert app.engine.reads.overview(app.engine.users.principal("mevr.smit")).cases == []  # type: ignore[arg-type]


def test_another_school_is_named_in_the_api(app: App, web: TestClient) -> None:
    body = {"protocol": GEDRAG, "school": "het-anker", "subject": "Leerling-Uil", "group": "6b"}
    answer = web.post("/api/v1/cases", json=body, headers=token_for(app, "juf.anna"))
    assert answer.status_code == 403 and answer.json()["reason"] == "not_your_school"
    assert answer.json()["detail"].startswith("U werkt niet op Openbare Basisschool Het Anker als leerkracht")


def test_another_role_reads_which_role_may_on_the_case_page_in_the_api_and_on_a_page(app: App, web: TestClient) -> None:
    case_id = gedrag_case(app)
    assert login(web, "juf.anna") == "/"
    page = web.post(f"/zaken/{case_id}/acties/time_out_instellen", data={"csrf": csrf_of(web, f"/zaken/{case_id}")})
    assert page.status_code == 403 and TIME_OUT in shown(page.text)
    answer = web.post(f"/api/v1/cases/{case_id}/fire", json={"trigger": "time_out_instellen"}, headers=token_for(app, "juf.anna"))
    assert answer.status_code == 403
    assert (answer.json()["detail"], answer.json()["reason"], answer.json()["allowed_roles"]) == (TIME_OUT, "not_your_role", ["Directeur"])
    refused = web.get("/privacy/inzage")  # a page of the privacy officer
    assert refused.status_code == 403
    assert (
        "Alleen de privacyfunctionaris mag een inzageverzoek afhandelen; u werkt hier als leerkracht. "
        "Vraag de privacyfunctionaris om dit te doen."
    ) in shown(refused.text)
    assert len(app.engine.reads.events(app.engine.users.principal("juf.anna"), case_id)) == 1  # type: ignore[arg-type]


def test_an_action_no_role_may_take_says_so_plainly_on_the_page(app: App, web: TestClient) -> None:
    timer_only = MINIMAL.replace("id: mini", "id: alleen-timer").replace("roles: [leerkracht]", "roles: []")
    app.engine.protocols.load(OPERATOR, load_protocol_text(timer_only, "alleen-timer.yaml"))
    teacher = app.engine.users.principal("juf.anna")
    assert teacher is not None
    case_id = app.engine.cases.open(teacher, "alleen-timer", school="de-linde", subject="Leerling-Tim", group="5a").id
    assert login(web, "juf.anna") == "/"
    page = web.post(f"/zaken/{case_id}/acties/klaar", data={"csrf": csrf_of(web, f"/zaken/{case_id}")})
    assert page.status_code == 403
    assert "Geen enkele rol mag de actie ‘Klaar’ uitvoeren. Dat doet trede zelf wanneer de termijn ‘Wachten’ verstrijkt." in shown(page.text)
