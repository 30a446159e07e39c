"""Holes from the security review of issue 22 (item 5, second half), on SQLite and PostgreSQL:
invisible characters and reserved names in identifiers, a protocol with a huge number, JSON
that is not UTF-8, 405 without Allow, the pages' answers in the OpenAPI document, and the
meldpunt report on the case page for those who may see it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.errors import InputError, ProtocolError
from engine.usecases.meldpunt import PublicReport
from tests.integration.helpers import csrf_of, login, token_for
from tests.integration.test_cli import PASSWORD, Cli
from tests.integration.test_hostile_protocols import MINIMAL

OPEN = {"protocol": "grensoverschrijdend-gedrag", "school": "de-linde", "group": "5a"}


# --- 1. invisible characters and reserved pseudonyms --------------------------------------


def test_an_invisible_character_in_a_pseudonym_or_group_is_refused_and_nothing_opens(app: App, web: TestClient) -> None:
    auth = token_for(app, "juf.anna")
    before = len(web.get("/api/v1/cases", headers=auth).json())
    for char in ("\u200b", "\u061c", "\u2028", "\ufeff"):
        refused = web.post("/api/v1/cases", headers=auth, json={**OPEN, "subject": f"Leerling-V{char}os"})
        assert refused.status_code == 422, refused.text
        assert refused.json()["field"] == "subject"
        assert f"(U+{ord(char):04X}) op positie 11" in refused.json()["detail"]
    group = web.post("/api/v1/cases", headers=auth, json={**OPEN, "group": "5\u00a0a", "subject": "Leerling-Vos"})
    assert group.status_code == 422 and group.json()["field"] == "group" and "U+00A0" in group.json()["detail"]
    for reserved in ("(afgeschermd)", " [ Geanonimiseerd ] "):
        taken = web.post("/api/v1/cases", headers=auth, json={**OPEN, "subject": reserved})
        assert taken.status_code == 422 and "kies een ander pseudoniem" in taken.json()["detail"]
    assert len(web.get("/api/v1/cases", headers=auth).json()) == before


def test_a_decomposed_name_opens_the_same_pupil_as_the_composed_one(app: App, web: TestClient) -> None:
    auth = token_for(app, "juf.anna")
    opened = web.post("/api/v1/cases", headers=auth, json={**OPEN, "subject": "Zoe\u0308 V."})
    assert opened.status_code == 201, opened.text
    assert opened.json()["subject"] == "Zo\u00eb V."


def test_the_form_names_the_field_by_its_label(app: App, web: TestClient) -> None:
    login(web, "juf.anna")
    csrf = csrf_of(web, "/zaken/nieuw")
    form = {"csrf": csrf, "protocol": "grensoverschrijdend-gedrag", "school": "de-linde", "groep": "5a", "leerling": "Leerling-V\u200bos"}
    answer = web.post("/zaken/nieuw", data=form)
    assert "U+200B" in answer.text and "Traceback" not in answer.text


def test_the_command_line_refuses_invisible_characters_in_user_names_and_schools(db_url: str) -> None:
    cli = Cli(db_url)
    cli("db", "init")
    school = cli("users", "school", "de\u200b-linde", "--name", "De Linde", "--board", "b", code=InputError.exit_code)
    assert "U+200B" in school["message"] and school["field"] == "school"
    cli("users", "school", "de-linde", "--name", "De Linde", "--board", "b")
    user = cli("users", "add", "juf\ufeffanna", "--name", "Anna", "--board", "b", "--role", "leerkracht@de-linde", "--password", PASSWORD, code=InputError.exit_code)
    assert user["field"] == "username" and "(U+FEFF) op positie 4" in user["message"]
    group = cli("users", "add", "juf", "--name", "Anna", "--board", "b", "--role", "leerkracht@de-linde:5\u2028a", "--password", PASSWORD, code=InputError.exit_code)
    assert "U+2028" in group["message"]


def test_a_roster_with_an_invisible_character_is_refused_at_its_line(app: App, web: TestClient) -> None:
    login(web, "dhr.bos")
    csrf = csrf_of(web, "/leerlingen")
    content = "leerlingnummer;roepnaam;achternaam;groep\n1;Sanne;Vos;5a\n2;Piet;V\u200bos;5a\n".encode()
    answer = web.post("/leerlingen/import", data={"csrf": csrf, "school": "de-linde"}, files={"bestand": ("leerlingen.csv", content)})
    assert "leerlingen.csv:3: achternaam: bevat een niet toegestaan teken (U+200B) op positie 2." in answer.text


# --- 2. a protocol with an integer of more than 4,300 digits ------------------------------

HUGE = MINIMAL.replace("version: 1", "version: " + "7" * 5000)
SAID = "huge.yaml:2:10: YAML-fout: een getal van 5000 cijfers is te groot (hoogstens 100)"


def test_a_huge_integer_is_a_located_dutch_error_at_the_command_line(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(HUGE, encoding="utf-8")
    cli = Cli(db_url)
    cli("db", "init")
    [validated] = cli("protocol", "validate", str(path), code=ProtocolError.exit_code)
    assert validated["problems"][0]["line"] == 2 and SAID.split(": ", 1)[1] in validated["problems"][0]["message"]


def test_a_huge_integer_is_a_located_dutch_error_in_the_upload(web: TestClient) -> None:
    login(web, "mevr.protocol")
    csrf = csrf_of(web, "/protocollen")
    answer = web.post("/protocollen/variant", data={"csrf": csrf}, files={"bestand": ("huge.yaml", HUGE.encode())})
    assert answer.status_code == 422 and SAID in answer.text


# --- 3. JSON that is not UTF-8, Allow on 405, the pages in the OpenAPI document -----------


def test_json_that_is_not_utf8_is_named_so(app: App, web: TestClient) -> None:
    auth = {**token_for(app, "juf.anna"), "content-type": "application/json"}
    for body in (b'{"protocol": "gr\xe9", "school": "de-linde", "subject": "x"}', '{"subject": "x"}'.encode("utf-16")):
        answer = web.post("/api/v1/cases", headers=auth, content=body)
        assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["title"] == "invalid_json" and "geen geldige JSON in UTF-8" in answer.json()["detail"]


def test_a_405_names_the_methods_of_every_route_at_that_address(app: App, web: TestClient) -> None:
    api = web.delete("/api/v1/cases", headers=token_for(app, "juf.anna"))
    assert api.status_code == 405 and api.headers["allow"] == "GET, HEAD, POST"
    page = web.put("/zaken/nieuw")
    assert page.status_code == 405 and page.headers["allow"] == "GET, HEAD, POST"
    # POST /protocollen/variant and GET /protocollen/{protocol_id} are two routes at one address
    assert web.put("/protocollen/variant").headers["allow"] == "GET, HEAD, POST"
    assert web.put("/uitloggen").headers["allow"] == "POST"


def test_the_pages_in_the_openapi_document_list_their_redirects_refusals_and_not_found(web: TestClient) -> None:
    paths = web.get("/api/v1/openapi.json").json()["paths"]
    case = paths["/zaken/{case_id}"]["get"]["responses"]
    assert {"303", "403", "404"} <= set(case) and "Location" in case["303"]["headers"]
    assert "text/html" in case["403"]["content"] and "text/html" in case["404"]["content"]
    new = paths["/zaken/nieuw"]["post"]["responses"]
    assert {"303", "403"} <= set(new) and "404" not in new and "Post/Redirect/Get" in new["303"]["description"]
    login_form = paths["/inloggen"]["get"]["responses"]
    assert not {"303", "403", "404"} & set(login_form)  # a public page that neither redirects nor refuses
    assert "303" in paths["/inloggen"]["post"]["responses"]
    assert "404" in paths["/melden/volgen"]["post"]["responses"] and "404" not in paths["/melden/{school}"]["get"]["responses"]
    api = paths["/api/v1/cases/{case_id}/fire"]["post"]["responses"]
    assert "303" not in api and "application/problem+json" in api["404"]["content"]


# --- 4. the meldpunt report on the case page ----------------------------------------------

TEXT = "SENTINEL-TEKST-7Q: ze pakken mijn tas af"
CONTACT = "SENTINEL-CONTACT-9Z 06-11223344"


def test_the_case_page_shows_the_report_to_the_intern_begeleider_and_hides_the_contact_from_others(app: App) -> None:
    inputs = {"beschrijving": TEXT, "soort_gedrag": "fysiek_geweld", "plaats": "gymzaal", "anoniem": "nee", "contact_melder": CONTACT}
    case_id = app.engine.meldpunt.report(PublicReport("de-linde", inputs)).case_id
    from api.web import create_app

    with TestClient(create_app(app), base_url="https://testserver") as ib:
        login(ib, "mevr.smit")
        page = ib.get(f"/zaken/{case_id}")
    assert page.status_code == 200
    block = page.text.split('id="melding"', 1)[1].split("</section>", 1)[0]
    assert "De melding" in block and TEXT in block and CONTACT in block
    assert "fysiek geweld" in block and "gymzaal" in block and "Contactgegevens van de melder" in block

    with TestClient(create_app(app), base_url="https://testserver") as director:
        login(director, "dhr.bos")
        seen = director.get(f"/zaken/{case_id}")
    assert seen.status_code == 200 and 'id="melding"' in seen.text
    assert CONTACT not in seen.text and "(afgeschermd)" in seen.text.split('id="melding"', 1)[1].split("</section>", 1)[0]

    with TestClient(create_app(app), base_url="https://testserver") as teacher:
        login(teacher, "juf.anna")
        other = teacher.get(f"/zaken/{case_id}")
    assert other.status_code == 404 and TEXT not in other.text and CONTACT not in other.text


def test_a_case_without_a_meldpunt_report_has_no_report_block(app: App, web: TestClient) -> None:
    auth = token_for(app, "juf.anna")
    case_id = web.post("/api/v1/cases", headers=auth, json={**OPEN, "subject": "Leerling-Vos"}).json()["id"]
    login(web, "juf.anna")
    assert 'id="melding"' not in web.get(f"/zaken/{case_id}").text
