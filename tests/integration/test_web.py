"""The web application against a real database: logging in, pages, the REST API, access."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from api.bootstrap import App
from api.demo import DEMO_PASSWORD
from engine.access import Membership
from engine.clock import FixedClock
from tests.integration.helpers import csrf_of, drive, login, open_gedrag, token_for
from tests.support import person

# --- logging in --------------------------------------------------------------------


def test_pages_ask_to_log_in_and_the_api_answers_401(web: TestClient) -> None:
    response = web.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/inloggen")
    api = web.get("/api/v1/cases")
    assert api.status_code == 401 and api.headers["content-type"] == "application/problem+json"


def test_login_sets_a_secure_session_cookie(web: TestClient) -> None:
    form = web.get("/inloggen")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token
    response = web.post(
        "/inloggen",
        data={"gebruikersnaam": "juf.anna", "wachtwoord": DEMO_PASSWORD, "csrf": token.group(1)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "trede_sessie=" in cookie and "HttpOnly" in cookie and "Secure" in cookie and "SameSite=strict" in cookie


def test_a_wrong_password_and_then_a_growing_delay(web: TestClient, clock: FixedClock) -> None:
    login(web, "juf.anna", "fout")
    assert "Gebruikersnaam of wachtwoord klopt niet." in web.get("/inloggen").text
    for _ in range(2):
        login(web, "juf.anna", "fout")
    login(web, "juf.anna")  # the fourth attempt from this address waits, even with the right password
    assert "Wacht 1 seconden" in web.get("/inloggen").text
    clock.advance(timedelta(seconds=2))
    assert login(web, "juf.anna") == "/"  # after the delay the right password works


def test_a_link_cannot_put_words_on_the_login_page(web: TestClient) -> None:
    page = web.get("/inloggen?fout=Uw+account+is+geblokkeerd,+bel+0900-1234")
    assert "geblokkeerd" not in page.text


def test_a_second_factor_when_the_user_has_one(app: App, web: TestClient) -> None:
    secret = pyotp.random_base32()
    app.engine.users.add(
        "mevr.twee", "Twee Factor", "b", "geheim-wachtwoord", [Membership("directeur", "de-linde")], secret
    )
    assert login(web, "mevr.twee", "geheim-wachtwoord").startswith("/inloggen/code")
    assert web.get("/", follow_redirects=False).status_code == 303  # not in before the code
    half = web.cookies.get("trede_sessie")
    wrong = web.post("/inloggen/code", data={"code": "000000", "next": "/"}, follow_redirects=False)
    assert wrong.headers["location"].startswith("/inloggen/code")
    assert "De code klopt niet" in web.get("/inloggen/code").text
    now = app.engine.clock.now()
    code = pyotp.TOTP(secret).at(now)
    right = web.post("/inloggen/code", data={"code": code, "next": "/"}, follow_redirects=False)
    assert right.headers["location"] == "/"
    assert web.get("/").status_code == 200
    assert web.cookies.get("trede_sessie") != half  # a new session token after the second factor
    # the same code once more (another browser that saw it) is refused
    other = TestClient(web.app, base_url="https://testserver")
    assert login(other, "mevr.twee", "geheim-wachtwoord").startswith("/inloggen/code")
    again = other.post("/inloggen/code", data={"code": code, "next": "/"}, follow_redirects=False)
    assert again.headers["location"].startswith("/inloggen/code")


def test_who_is_asking_is_one_unit_of_work_that_takes_the_flash(app: App, web: TestClient) -> None:
    login(web, "juf.anna")
    token = web.cookies.get("trede_sessie")
    assert token
    app.engine.sessions.set_flash(token, "Vastgelegd.", kind="notice")
    begun: list[object] = []
    listener = lambda conn: begun.append(conn)  # noqa: E731
    event.listen(app.db, "begin", listener)
    try:
        visit = app.engine.sessions.visit(token)
    finally:
        event.remove(app.db, "begin", listener)
    assert len(begun) == 1  # the session, the principal and the flash together
    assert visit is not None and visit.principal.username == "juf.anna" and visit.csrf_token
    assert visit.flash == {"message": "Vastgelegd.", "field": "", "kind": "notice"}
    again = app.engine.sessions.visit(token)
    assert again is not None and again.flash is None  # shown once
    assert app.engine.sessions.visit("onbekend") is None


def test_logout_after_inactivity(web: TestClient, clock: FixedClock) -> None:
    login(web, "juf.anna")
    assert web.get("/").status_code == 200
    clock.advance(timedelta(minutes=31))
    assert web.get("/", follow_redirects=False).status_code == 303


def test_a_form_without_the_csrf_token_is_refused(app: App, web: TestClient) -> None:
    case_id = open_gedrag(drive(app))
    login(web, "juf.anna")
    response = web.post(f"/zaken/{case_id}/acties/hulp_vragen", data={"rol": "leerkracht"})
    assert response.status_code == 403 and "formulier" in response.text
    assert drive(app).show(case_id).case.seq == 1


# --- pages ---------------------------------------------------------------------------


def test_the_start_page_shows_only_the_users_cases(app: App, web: TestClient) -> None:
    mine = open_gedrag(drive(app), "de-linde", "5a")
    other_group = open_gedrag(drive(app), "de-linde", "7c")
    other_school = open_gedrag(drive(app), "het-anker", "6b")
    login(web, "juf.anna")
    response = web.get("/")
    assert response.template.name == "start.html"  # type: ignore[attr-defined]
    shown = {row["id"] for row in response.context["rows"]}  # type: ignore[attr-defined]
    assert mine in shown and other_group not in shown and other_school not in shown


def test_a_case_handler_advances_a_case_with_forms(app: App, web: TestClient) -> None:
    case_id = open_gedrag(drive(app))
    login(web, "juf.anna")
    page = web.get(f"/zaken/{case_id}")
    assert page.template.name == "case.html"  # type: ignore[attr-defined]
    assert [a.trigger for a in page.context["view"].actions] == ["hulp_vragen", "afsluiten", "incident_vastleggen"]  # type: ignore[attr-defined]
    csrf = csrf_of(web, f"/zaken/{case_id}")
    web.post(f"/zaken/{case_id}/acties/hulp_vragen", data={"csrf": csrf, "rol": "leerkracht", "volgnummer": "1"})
    missing = web.post(f"/zaken/{case_id}/acties/samen_oplossen", data={"csrf": csrf, "rol": "leerkracht"})
    assert "motivering" in missing.text and "verplicht" in missing.text
    web.post(
        f"/zaken/{case_id}/acties/samen_oplossen", data={"csrf": csrf, "rol": "leerkracht", "motivering": "gesprek"}
    )
    assert drive(app).show(case_id).case.step == "samen_oplossing"


def test_another_schools_case_is_not_found(app: App, web: TestClient) -> None:
    case_id = open_gedrag(drive(app), "het-anker", "6b")
    login(web, "juf.anna")
    assert web.get(f"/zaken/{case_id}").status_code == 404
    assert web.get("/zaken/bestaat-niet").status_code == 404


def test_a_director_generates_and_downloads_a_letter(app: App, web: TestClient) -> None:
    case_id = open_gedrag(drive(app))
    drive(app).fire(
        case_id,
        "schorsen",
        actor="dhr.bos",
        role="directeur",
        inputs={
            "motivering": "geweld",
            "goedkeuring_bevoegd_gezag": "ja",
            "schorsing_eerste_dag": "2026-03-02",
            "schorsing_duur": "1 week",
        },
    )
    login(web, "dhr.bos")
    page = web.get(f"/zaken/{case_id}")
    assert 'name="schorsingsbesluit_verzonden_op"' in page.text and 'name="ondertekenaar"' in page.text
    csrf = csrf_of(web, f"/zaken/{case_id}")
    missing = web.post(f"/zaken/{case_id}/brieven/schorsing", data={"csrf": csrf, "rol": "directeur"})
    assert "Naam van wie de brief ondertekent" in missing.text  # the form says what is missing
    sent = {
        "csrf": csrf,
        "rol": "directeur",
        "geadresseerde_naam": "Fam. Jansen",
        "geadresseerde_adres": "Dorpsstraat 1\n1234 AB Ergens",
        "ondertekenaar": "P. Bos",
        "functie_ondertekenaar": "directeur",
        "schorsingsbesluit_verzonden_op": "2026-03-02",
        "wijze_van_verzending": "uitgereikt",
    }
    preview = web.post(f"/zaken/{case_id}/brieven/schorsing", data=sent)  # first the letter as it would be
    digest = re.search(r'name="voorbeeld_sha256" value="([0-9a-f]{64})"', preview.text)
    assert digest and "Dorpsstraat 1" in preview.text
    web.post(f"/zaken/{case_id}/brieven/schorsing/opslaan", data={**sent, "voorbeeld_sha256": digest.group(1)})
    pdf = web.get(f"/zaken/{case_id}/brieven/schorsing.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = web.get(f"/zaken/{case_id}/brieven/schorsing.html").text
    assert "tot en met <b>zondag 8 maart 2026</b>" in html and "Lindelaan 12" in html


def test_an_auditor_replays_and_verifies(app: App, web: TestClient) -> None:
    case_id = open_gedrag(drive(app))
    login(web, "dhr.audit")
    page = web.get(f"/audit/zaken/{case_id}")
    assert page.template.name == "audit.html" and len(page.context["steps"]) == 1  # type: ignore[attr-defined]
    result = web.post(f"/audit/zaken/{case_id}/controle", data={"csrf": csrf_of(web, f"/audit/zaken/{case_id}")})
    assert "In orde" in result.text
    pdf = web.get(f"/audit/zaken/{case_id}/dossier.pdf").content
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "#1 Zaak geopend" in text and "(Nederlandse tijd)" in text and "+00:00" not in text
    assert web.get(f"/audit/zaken/{case_id}/dossier.json").json()["verification"]["ok"] is True
    # an auditor reads, but cannot act
    assert web.get(f"/zaken/{case_id}").context["view"].actions == []  # type: ignore[attr-defined]


def test_a_protocol_owner_uploads_a_broken_variant_and_sees_the_line(web: TestClient) -> None:
    login(web, "mevr.protocol")
    variant = b"id: kapot\nversion: 1\nextends: {id: grensoverschrijdend-gedrag, version: 5}\nsteps:\n  schorsing:\n    timers:\n      - id: einde_schorsing\n        after: 3 weken\n"
    response = web.post(
        "/protocollen/variant", data={"csrf": csrf_of(web, "/protocollen")}, files={"bestand": ("kapot.yaml", variant)}
    )
    assert response.status_code == 422
    assert "kapot.yaml:8:16: 3 weken is langer dan de wettelijke bovengrens van 1 week" in response.text


# --- the REST API and the access matrix --------------------------------------------------


def test_the_api_opens_and_fires_with_problem_json_errors(app: App, web: TestClient) -> None:
    auth = token_for(app, "juf.anna")
    created = web.post(
        "/api/v1/cases",
        headers=auth,
        json={"protocol": "grensoverschrijdend-gedrag", "school": "de-linde", "subject": "Leerling-Api", "group": "5a"},
    )
    assert created.status_code == 201
    case_id = created.json()["id"]
    wrong = web.post(f"/api/v1/cases/{case_id}/fire", headers=auth, json={"trigger": "samen_oplossen"})
    assert wrong.status_code == 409 and wrong.headers["content-type"] == "application/problem+json"
    assert wrong.json()["allowed"] == ["hulp_vragen", "afsluiten", "incident_vastleggen"]
    web.post(f"/api/v1/cases/{case_id}/fire", headers=auth, json={"trigger": "hulp_vragen"})
    missing = web.post(f"/api/v1/cases/{case_id}/fire", headers=auth, json={"trigger": "samen_oplossen"})
    assert missing.status_code == 422 and missing.json()["field"] == "motivering"
    stale = web.post(
        f"/api/v1/cases/{case_id}/fire",
        headers=auth,
        json={"trigger": "samen_oplossen", "inputs": {"motivering": "x"}, "expected_seq": 1},
    )
    assert stale.status_code == 409 and stale.json()["title"] == "concurrency_conflict"
    assert [e["seq"] for e in web.get(f"/api/v1/cases/{case_id}/events", headers=auth).json()] == [1, 2]
    assert web.post(f"/api/v1/cases/{case_id}/verify", headers=auth).json()["ok"] is True
    assert "/api/v1/cases/{case_id}/fire" in web.get("/api/v1/openapi.json").json()["paths"]


ROLES = [
    "juf.anna",
    "mr.jan",
    "mevr.smit",
    "dhr.bos",
    "mevr.dekker",
    "mevr.raad",
    "mevr.vp",
    "dhr.audit",
    "mevr.protocol",
    "mevr.melder",
]
# Who may read a behaviour case of De Linde, group 5a, and a whistleblower case at Het Anker.
READS_GEDRAG = {"juf.anna", "mevr.smit", "dhr.bos", "mevr.raad", "dhr.audit"}
READS_MELDING = {"mevr.raad", "mevr.vp"}


@pytest.mark.parametrize("username", ROLES)
def test_access_matrix(app: App, web: TestClient, username: str) -> None:
    gedrag = open_gedrag(drive(app), "de-linde", "5a")
    melding = (
        drive(app)
        .open_case(
            "klokkenluidersregeling-2016",
            school="het-anker",
            subject="Melder-X",
            actor="vp",
            role="vertrouwenspersoon",
            inputs={"kanaal": "vertrouwenspersoon", "betreft": "niemand"},
        )
        .id
    )
    auth = token_for(app, username)
    for case_id, readers in ((gedrag, READS_GEDRAG), (melding, READS_MELDING)):
        expected = 200 if username in readers else 404
        for path in (
            f"/api/v1/cases/{case_id}",
            f"/api/v1/cases/{case_id}/events",
            f"/api/v1/cases/{case_id}/deadlines",
        ):
            assert web.get(path, headers=auth).status_code == expected, (username, path)
        assert web.post(f"/api/v1/cases/{case_id}/verify", headers=auth).status_code == expected
        listed = {c["id"] for c in web.get("/api/v1/cases", headers=auth).json()}
        assert (case_id in listed) is (username in readers)
    if username == "mevr.raad":  # the bevoegd gezag handles the melding, but does not see the melder
        assert web.get(f"/api/v1/cases/{melding}", headers=auth).json()["subject"] == "(afgeschermd)"


def test_a_malformed_request_names_the_field(app: App, web: TestClient) -> None:
    response = web.post(
        "/api/v1/cases", headers=token_for(app, "juf.anna"), json={"protocol": "x", "school": "de-linde"}
    )
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == "subject"


def test_the_access_log_records_a_view_by_every_role(app: App, web: TestClient) -> None:
    gedrag = open_gedrag(drive(app), "de-linde", "5a")
    readers = sorted(READS_GEDRAG)
    for username in readers:
        assert web.get(f"/api/v1/cases/{gedrag}", headers=token_for(app, username)).status_code == 200
    entries = app.engine.reads.access_log(person("dhr.privacy", "privacyfunctionaris"), gedrag).entries
    assert sorted({e.username for e in entries if e.what == "api"}) == readers
    assert {e.what for e in entries} == {"api"}  # reading the log is logged after this read
    login(web, "dhr.privacy")
    page = web.get(f"/privacy/toegang?zaak={gedrag}")
    assert page.template.name == "access_log.html"  # type: ignore[attr-defined]
    shown = page.context["entries"]  # type: ignore[attr-defined]
    assert {e.username for e in shown if e.what != "toegangslog"} == set(readers)
    login(web, "juf.anna")
    assert web.get("/privacy/toegang").status_code == 403


def test_an_inzage_export_hides_melders_and_other_pupils(app: App, web: TestClient) -> None:
    engine = drive(app)
    mine = engine.open_case(
        "grensoverschrijdend-gedrag",
        school="de-linde",
        subject="Leerling-Reiger",
        actor="a",
        role="leerkracht",
        group="5a",
    ).id
    engine.open_case(
        "grensoverschrijdend-gedrag",
        school="de-linde",
        subject="Leerling-Specht",
        actor="a",
        role="leerkracht",
        group="5a",
    )
    engine.fire(mine, "hulp_vragen", actor="juf.anna", role="leerkracht")
    engine.fire(
        mine,
        "samen_oplossen",
        actor="juf.anna",
        role="leerkracht",
        inputs={"motivering": "ruzie met Leerling-Specht op het plein"},
    )
    melding = engine.open_case(
        "klokkenluidersregeling-2016",
        school="de-linde",
        subject="Leerling-Reiger",
        actor="vp",
        role="vertrouwenspersoon",
        inputs={"kanaal": "vertrouwenspersoon", "betreft": "niemand"},
    ).id
    web.get(f"/api/v1/cases/{mine}", headers=token_for(app, "dhr.bos"))  # a view that must be listed
    login(web, "dhr.privacy")
    export = web.get("/privacy/inzage.json?leerling=Leerling-Reiger").json()
    text_ = json.dumps(export, ensure_ascii=False)
    assert [z["zaak"] for z in export["zaken"]] == [mine]  # not the whistleblower case
    assert melding not in text_ and "Leerling-Specht" not in text_
    assert "ruzie met [andere leerling] op het plein" in text_
    assert any(a["wie"] == "dhr.bos" for a in export["ingezien_door"])
    pdf = web.get("/privacy/inzage.pdf?leerling=Leerling-Reiger")
    assert pdf.content.startswith(b"%PDF")
    login(web, "dhr.bos")
    assert web.get("/privacy/inzage?leerling=Leerling-Reiger").status_code == 403


def test_reports_with_known_answers_and_suppression_for_the_board(app: App, web: TestClient, clock: FixedClock) -> None:
    engine = drive(app)
    for n in range(6):  # six cases at De Linde in stap 2, one at Het Anker in stap 1
        case_id = open_gedrag(engine, "de-linde", "5a")
        place = "plein" if n < 4 else "online"
        engine.fire(
            case_id,
            "incident_vastleggen",
            actor="juf.anna",
            role="leerkracht",
            inputs={"soort_gedrag": "pesten", "plaats": place},
        )
        clock.advance(timedelta(days=2))
        engine.fire(case_id, "hulp_vragen", actor="juf.anna", role="leerkracht")
    open_gedrag(engine, "het-anker", "6b")
    melding = engine.open_case(
        "meldcode-hgkm",
        school="de-linde",
        subject="Leerling-Mus",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        group="5a",
    ).id
    engine.fire(
        melding,
        "rapportage_vastleggen",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        inputs={"onderwerp": "mishandeling", "knelpunten": "weinig tijd", "betrokkenen": "moeder en twee kinderen"},
    )
    engine.fire(
        melding,
        "advies_vragen",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        inputs={"advies_veilig_thuis": "eerst gesprek"},
    )
    login(web, "dhr.bos")  # the director of De Linde: his school, exact counts
    school = web.get("/rapportages")
    first = school.context["tables"][0]  # type: ignore[attr-defined]
    assert first.rows == [
        ["Meldcode huiselijk geweld en kindermishandeling", "Stap 1: Signalen in kaart brengen", "1"],
        ["Stappenplan grensoverschrijdend gedrag", "Stap 2: Ik vraag hulp", "6"],
    ]
    [[_, step, cases, average]] = school.context["tables"][2].rows  # type: ignore[attr-defined]
    assert (step, cases, average) == ("Stap 1: Ik kan het zelf", "6", "2,0")
    assert (
        web.get("/rapportages/0.csv").text.splitlines()[2]
        == "Stappenplan grensoverschrijdend gedrag;Stap 2: Ik vraag hulp;6"
    )
    tables = {t.title: t for t in school.context["tables"]}  # type: ignore[attr-defined]
    incidents = tables["Incidentenregistratie (Bijlage 11)"].rows
    assert len(incidents) == 6
    school_name = "Basisschool De Linde"
    assert all(row[1:4] in ([school_name, "pesten", "plein"], [school_name, "pesten", "online"]) for row in incidents)
    assert tables["Soort gedrag en plaats (M5-overzicht)"].rows == [["pesten", "online", "2"], ["pesten", "plein", "4"]]
    [meldcode] = tables["Rapportage meldcode (Bijlage 10)"].rows
    assert meldcode[1:] == [
        "Els Smit (intern begeleider, aandachtsfunctionaris)",
        "mishandeling",
        "nee",
        "ja",
        "nee",
        "",
        "",
        "moeder en twee kinderen",
        "",
        "weinig tijd",
        "",
    ]
    assert "Leerling" not in school.text.split("<h1>Rapportages")[1]  # reports name no pupils
    assert tables["Incidenten per maand (M5-overzicht: wanneer)"].rows == [["maart 2026", "6"]]
    assert web.get("/rapportages/rapportage.pdf").content.startswith(b"%PDF")
    login(web, "mevr.raad")  # the board: all schools, small numbers hidden
    board = web.get("/rapportages").context["tables"][0].rows  # type: ignore[attr-defined]
    assert ["Stappenplan grensoverschrijdend gedrag", "Stap 1: Ik kan het zelf", "<5"] in board
    assert ["Stappenplan grensoverschrijdend gedrag", "Stap 2: Ik vraag hulp", "6"] in board
    board_tables = {t.title: t for t in web.get("/rapportages").context["tables"]}  # type: ignore[attr-defined]
    assert board_tables["Soort gedrag en plaats (M5-overzicht)"].rows == [
        ["pesten", "online", "<5"],
        ["pesten", "plein", "<5"],
    ]
    assert board_tables["Incidentenregistratie (Bijlage 11)"].rows == []
    board_meldcode = str(board_tables["Rapportage meldcode (Bijlage 10)"].rows)
    assert "weinig tijd" not in board_meldcode and "moeder" not in board_meldcode
    login(web, "juf.anna")
    assert web.get("/rapportages").status_code == 403


def test_a_directeur_records_a_pupils_departure_for_their_school_only(app: App, web: TestClient) -> None:
    engine = drive(app)
    case_id = open_gedrag(engine, "de-linde", "5a")
    subject = engine.show(case_id).case.subject
    engine.fire(case_id, "afsluiten", actor="juf.anna", role="leerkracht", inputs={"motivering": "klaar"})
    login(web, "juf.anna")
    assert web.get("/privacy/vertrek").status_code == 403
    login(web, "dhr.bos")
    form = web.get("/privacy/vertrek")
    assert form.template.name == "departure.html"  # type: ignore[attr-defined]
    assert form.context["schools"] == ["de-linde"]  # type: ignore[attr-defined]
    csrf = csrf_of(web, "/privacy/vertrek")
    other = web.post(
        "/privacy/vertrek", data={"school": "het-anker", "leerling": subject, "datum": "2026-01-05", "csrf": csrf}
    )
    assert other.status_code == 403
    bad = web.post("/privacy/vertrek", data={"school": "de-linde", "leerling": subject, "datum": "5 jan", "csrf": csrf})
    assert bad.context["error"].startswith("Dag van vertrek: ")  # type: ignore[attr-defined]  # by its label
    assert engine.apply_retention() == []  # the refused and the broken form recorded nothing
    today = engine.clock.now().date().isoformat()
    done = web.post("/privacy/vertrek", data={"school": "de-linde", "leerling": subject, "datum": today, "csrf": csrf})
    assert done.context["done"] == today  # type: ignore[attr-defined]
    assert engine.apply_retention() == [case_id]
    assert engine.show(case_id).case.subject != subject


def test_the_yearly_meldcode_fields_are_offered_but_not_required(app: App, web: TestClient) -> None:
    melding = (
        drive(app)
        .open_case(
            "meldcode-hgkm", school="de-linde", subject="Leerling-Mus", actor="mevr.smit", role="aandachtsfunctionaris"
        )
        .id
    )
    login(web, "mevr.smit")
    page = web.get(f"/zaken/{melding}?rol=aandachtsfunctionaris")
    form = page.text.split('id="actie-rapportage_vastleggen"')[1].split("</form>")[0]
    assert re.search(r'<select id="rapportage_vastleggen-onderwerp" name="onderwerp"\s+required>', form)
    assert re.search(
        r'<textarea id="rapportage_vastleggen-omschrijving" name="omschrijving" maxlength="10000"\s*>', form
    )
    assert "(niet verplicht)" in form
    csrf = csrf_of(web, f"/zaken/{melding}?rol=aandachtsfunctionaris")
    data = {
        "csrf": csrf,
        "rol": "aandachtsfunctionaris",
        "onderwerp": "geweld",
        "omschrijving": "",
        "opmerkingen": "kort",
    }
    web.post(f"/zaken/{melding}/acties/rapportage_vastleggen", data=data)
    facts = drive(app).show(melding).case.facts
    assert facts["onderwerp"] == "geweld" and facts["opmerkingen"] == "kort" and "omschrijving" not in facts


def test_the_board_keeps_the_school_register(app: App, web: TestClient) -> None:
    login(web, "dhr.bos")
    assert web.get("/scholen").status_code == 403
    login(web, "mevr.raad")
    page = web.get("/scholen")
    assert page.template.name == "schools.html"  # type: ignore[attr-defined]
    csrf = csrf_of(web, "/scholen")
    form = {
        "csrf": csrf,
        "id": "het-anker",
        "name": "Openbare Basisschool Het Anker",
        "board": "stichting-demo",
        "region": "noord",
        "denominatie": "bijzonder",
        "sector": "po",
        "address": "Havenstraat 3, 9711 AA Groningen",
        "board_name": "Stichting Demo Scholen",
        "board_address": "Postbus 100, 3500 AC Utrecht",
    }
    saved = web.post("/scholen", data=form)
    assert "is vastgelegd" in saved.text
    [anker] = [s for s in app.engine.schools.list() if s.id == "het-anker"]
    assert anker.denominatie == "bijzonder"
    wrong = web.post("/scholen", data={**form, "denominatie": "katholiek"})
    assert "kies openbaar of bijzonder" in wrong.text
    [anker] = [s for s in app.engine.schools.list() if s.id == "het-anker"]
    assert anker.denominatie == "bijzonder"  # nothing changed by the refused form


def test_a_schools_meldcode_variant_counts_in_the_meldcode_report(app: App) -> None:
    """Bijlage 10 covers the meldcode and every school's variant of it, not one protocol id."""
    from pathlib import Path

    from adapters.protocol_files import BUNDLED, ProtocolFiles
    from engine.access import OPERATOR
    from engine.protocol.loader import load_protocol_file

    variant = Path(__file__).parents[2] / "docs" / "examples" / "meldcode-de-linde.yaml"
    app.engine.protocols.load(OPERATOR, load_protocol_file(variant, ProtocolFiles([BUNDLED])), scope="de-linde")
    engine = drive(app)
    engine.open_case(
        "meldcode-de-linde",
        school="de-linde",
        subject="Leerling-Vink",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        group="5a",
    )
    director = app.engine.users.principal("dhr.bos")
    assert director is not None
    tables = {t.title: t for t in app.engine.reports.tables(director)}
    assert len(tables["Rapportage meldcode (Bijlage 10)"].rows) == 1


def test_search_and_the_pupil_overview_show_only_what_the_user_may_see(app: App, web: TestClient) -> None:
    engine = drive(app)
    mine = engine.open_case(
        "grensoverschrijdend-gedrag",
        school="de-linde",
        subject="Leerling-Zoek",
        actor="juf.anna",
        role="leerkracht",
        group="5a",
    ).id
    engine.open_case(
        "meldcode-hgkm",
        school="de-linde",
        subject="Leerling-Zoek",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        group="5a",
    )
    elsewhere = engine.open_case(
        "grensoverschrijdend-gedrag",
        school="het-anker",
        subject="Leerling-Zoek",
        actor="mr.jan",
        role="leerkracht",
        group="6b",
    ).id
    login(web, "juf.anna")
    found = web.get("/zoeken", params={"q": "zoek"}).text
    assert mine in found and elsewhere not in found
    assert "minstens twee tekens" in web.get("/zoeken", params={"q": "z"}).text
    overview = web.get("/leerling", params={"school": "de-linde", "naam": "Leerling-Zoek"}).text
    assert mine in overview and elsewhere not in overview
    web.cookies.clear()
    login(web, "mevr.smit")  # the aandachtsfunctionaris also sees the meldcode case
    overview = web.get("/leerling", params={"school": "de-linde", "naam": "Leerling-Zoek"}).text
    assert overview.count("/zaken/") >= 2
