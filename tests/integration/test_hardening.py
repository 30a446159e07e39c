"""Bad input at the edges gets a clear Dutch answer and changes nothing; accounts resist
guessing; every response carries the security headers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.clock import FixedClock
from engine.errors import CaseNotFound, InputError
from tests.integration.helpers import csrf_of, drive, login, open_gedrag, token_for

BOMB = b"""id: bom
a: &a ["x","x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]
"""


def test_an_integer_out_of_range_is_a_422_naming_the_field(app: App, web: TestClient) -> None:
    auth = token_for(app, "mevr.raad")
    response = web.get("/api/v1/protocols/grensoverschrijdend-gedrag?version=99999999999999999999", headers=auth)
    assert response.status_code == 422 and response.json()["field"] == "version"
    assert "te groot" in response.json()["detail"]


def test_text_limits_and_hidden_characters_are_refused_and_nothing_is_recorded(app: App, web: TestClient) -> None:
    auth = token_for(app, "juf.anna")
    case_id = open_gedrag(drive(app))
    web.post(f"/api/v1/cases/{case_id}/fire", headers=auth, json={"trigger": "hulp_vragen"})
    long = web.post(
        f"/api/v1/cases/{case_id}/fire",
        headers=auth,
        json={"trigger": "samen_oplossen", "inputs": {"motivering": "x" * 10_001}},
    )
    assert long.status_code == 422 and long.json()["field"] == "motivering"
    assert "ten hoogste 10000" in long.json()["detail"]
    bidi = web.post(
        "/api/v1/cases",
        headers=auth,
        json={"protocol": "grensoverschrijdend-gedrag", "school": "de-linde", "group": "5a", "subject": "Anna\u202eX"},
    )
    assert bidi.status_code == 422 and bidi.json()["field"] == "subject" and "U+202E" in bidi.json()["detail"]
    too_long = web.post(
        "/api/v1/cases",
        headers=auth,
        json={"protocol": "grensoverschrijdend-gedrag", "school": "de-linde", "group": "5a", "subject": "L" * 101},
    )
    assert too_long.status_code == 422 and too_long.json()["field"] == "subject"
    nowhere = web.post(
        "/api/v1/cases",
        headers=auth,
        json={"protocol": "grensoverschrijdend-gedrag", "school": "bestaat-niet", "subject": "Leerling-Z"},
    )
    assert nowhere.status_code == 422 and nowhere.json()["field"] == "school"
    assert drive(app).show(case_id).case.seq == 2  # only the one valid action


def test_an_alias_bomb_and_an_oversized_variant_are_refused_quickly(web: TestClient) -> None:
    login(web, "mevr.protocol")
    csrf = csrf_of(web, "/protocollen")
    bomb = web.post("/protocollen/variant", data={"csrf": csrf}, files={"bestand": ("bom.yaml", BOMB)})
    assert bomb.status_code == 422 and "bom.yaml:2:4:" in bomb.text and "ankers (&amp;a)" in bomb.text
    big = web.post("/protocollen/variant", data={"csrf": csrf}, files={"bestand": ("groot.yaml", b"#" * 1_000_001)})
    assert big.status_code == 422 and "groter dan 1000 kB" in big.text
    huge = web.post("/api/v1/cases", content=b"x" * 2_100_000, headers={"content-type": "application/json"})
    assert huge.status_code == 413


def test_csv_cells_cannot_start_a_formula(app: App, web: TestClient) -> None:
    melding = drive(app).open_case(
        "meldcode-hgkm", school="de-linde", subject="Leerling-Mus", actor="mevr.smit", role="aandachtsfunctionaris"
    ).id
    drive(app).fire(
        melding,
        "rapportage_vastleggen",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        inputs={"onderwerp": "geweld", "opmerkingen": '=HYPERLINK("http://x.example","klik")'},
    )
    login(web, "mevr.smit")
    csv_text = web.get("/rapportages/6.csv").text
    assert "'=HYPERLINK" in csv_text and ";=HYPERLINK" not in csv_text


def test_every_kind_of_response_carries_the_security_headers(app: App, web: TestClient) -> None:
    login(web, "dhr.bos")
    case_id = open_gedrag(drive(app))
    feed = app.engine.tokens.create_feed("dhr.bos")
    for path in ("/", "/api/v1/health", "/rapportages/0.csv", f"/audit/zaken/{case_id}/dossier.json", f"/agenda/{feed}.ics"):
        response = web.get(path)
        assert response.status_code == 200, path
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["strict-transport-security"].startswith("max-age="), path
    plain = TestClient(web.app, base_url="http://testserver").get("/api/v1/health")
    assert "strict-transport-security" not in plain.headers  # only over HTTPS
    docs = web.get("/api/v1/docs").text
    assert "cdn." not in docs and "/api/v1/docs-static/swagger-ui-bundle.js" in docs
    assert web.get("/api/v1/docs-static/swagger-ui-bundle.js").status_code == 200


def test_parallel_wrong_passwords_are_counted_before_they_are_checked(app: App) -> None:
    accounts = app.engine.login

    def guess(_: int) -> bool:
        return accounts.begin_attempt("juf.anna", "10.0.0.9").ticket is not None

    with ThreadPoolExecutor(max_workers=10) as pool:
        granted = sum(pool.map(guess, range(30)))
    assert granted == 3  # the free attempts; every further one waits
    # someone else, elsewhere, typing the right password is slowed by at most half a minute
    other = accounts.begin_attempt("juf.anna", "10.0.0.10")
    assert other.ticket is not None or other.wait_seconds <= 30


def test_api_tokens_expire_and_can_be_revoked_from_a_page(app: App, web: TestClient, clock: FixedClock) -> None:
    short = app.engine.tokens.create("juf.anna", "kort", timedelta(days=1))
    auth = {"Authorization": f"Bearer {short}"}
    assert web.get("/api/v1/cases", headers=auth).status_code == 200
    clock.advance(timedelta(days=2))
    assert web.get("/api/v1/cases", headers=auth).status_code == 401
    login(web, "juf.anna")
    page = web.get("/tokens")
    assert "verlopen" in page.text and short not in page.text
    made = web.post("/tokens/nieuw", data={"csrf": csrf_of(web, "/tokens"), "label": "koppeling", "dagen": "30"})
    new = made.text.split("<code>trd_")[1].split("</code>")[0]
    assert web.get("/api/v1/cases", headers={"Authorization": f"Bearer trd_{new}"}).status_code == 200
    [listed] = [t for t in app.engine.tokens.list("juf.anna") if t.label == "koppeling"]
    web.post("/tokens/intrekken", data={"csrf": csrf_of(web, "/tokens"), "token_id": listed.id})
    assert web.get("/api/v1/cases", headers={"Authorization": f"Bearer trd_{new}"}).status_code == 401


def test_a_nul_character_anywhere_is_refused_before_it_reaches_the_database(app: App, web: TestClient) -> None:
    auth = token_for(app, "mevr.raad")
    assert web.get("/api/v1/cases/abc%00def", headers=auth).status_code == 422
    body = '{"protocol": "meldplicht-misbruik", "school": "het-anker", "subject": "L\\u0000X"}'
    posted = web.post("/api/v1/cases", content=body, headers={**auth, "content-type": "application/json"})
    assert posted.status_code == 422 and posted.headers["content-type"] == "application/problem+json"
    login(web, "juf.anna")
    form = web.post("/tokens/nieuw", data={"csrf": csrf_of(web, "/tokens"), "label": "a\x00b", "dagen": "5"})
    assert form.status_code == 422 and "NUL" in form.text


def test_a_value_the_database_cannot_store_is_an_input_error_from_any_edge(app: App) -> None:
    # the command line has no middleware: the unit of work itself turns the storage refusal
    # (PostgreSQL and NUL) into a clear error, and SQLite simply finds no such case
    driver = drive(app)
    with pytest.raises((InputError, CaseNotFound)):
        app.engine.reads.case(driver.everyone(), "abc\x00def")
