"""Insider holes around incidents, the meldpunt and triage (issue 28 follow-up), each closed in
the engine's use cases and held shut at every edge, on SQLite and PostgreSQL:

1. an incident's moment is bounded: not in the future, not more than three months back;
2. an incident is not linked to a closed case (that would keep its pseudonyms longer);
3. the form for pupils and parents does not take a whistleblower regulation sent by hand;
4. a board-wide role of one board does not act for another board in the same installation;
5. a quick record sent again with its key but other content is refused (409), not answered
   with the first incident;
6. a quick record names only a pupil and a part the phone was offered;
7. the same triage split sent twice opens its cases once.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from api.bootstrap import App
from api.cli import app as cli_app
from api.demo import BOARD
from engine.access import OPERATOR, Membership, Principal
from engine.errors import InputError, InvalidEffectiveDate, PermissionDenied, QuickRecordConflict
from engine.events import EventType
from engine.ports import SchoolRecord
from engine.pupils import Roster, RosterPupil
from engine.terms import AMSTERDAM
from engine.triage import TriageKind
from engine.usecases.meldpunt import PublicReport
from engine.usecases.triage import Part
from tests.integration.helpers import csrf_of, drive, login, open_gedrag, token_for

ROOT = Path(__file__).parents[2]
CATEGORIES = ROOT / "protocols" / "categorieen" / "incidenten.yaml"
TRIAGE = ROOT / "protocols" / "categorieen" / "meldpunt.yaml"
PASSWORD = "een-lang-wachtwoord"
OTHER_BOARD = "stichting-elders"
PESTEN = {"school": "de-linde", "kind": "pesten", "place": "plein", "seriousness": "middel"}
# juf.anna teaches 5a at De Linde (api/demo.py): Mees is hers, Daan is not
MEES, DAAN = "Mees J.", "Daan M."


def principal(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


@pytest.fixture
def incidents(app: App) -> App:
    app.engine.incidents.load_categories(OPERATOR, CATEGORIES.read_text(encoding="utf-8"), CATEGORIES.name)
    pupils = (RosterPupil("3001", "Mees", "Jansen", "5a", 2), RosterPupil("3002", "Daan", "Mulder", "6a", 3))
    app.engine.pupils.import_roster(OPERATOR, "de-linde", Roster("2025-2026", ("5a", "6a"), pupils))
    return app


def _count(db: Engine, table: str) -> int:
    with db.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# --- 1. when an incident happened --------------------------------------------------------------
# The application's clock: Mon 02-03-2026 10:00 in Amsterdam (tests.conftest.START).


@pytest.mark.parametrize(
    ("happened", "why"),
    [
        (date(1900, 1, 1), "Wanneer gebeurd: 01-01-1900 is meer dan 3 maanden geleden (vóór 02-12-2025)"),
        (date(2025, 12, 1), "Wanneer gebeurd: 01-12-2025 is meer dan 3 maanden geleden"),
        (date(2026, 3, 3), "Wanneer gebeurd: 03-03-2026 ligt in de toekomst"),
    ],
    ids=["1900", "a-day-too-early", "tomorrow"],
)
def test_an_incident_moment_out_of_bounds_is_refused_by_the_engine_rest_and_the_page(
    incidents: App, web: TestClient, db: Engine, happened: date, why: str
) -> None:
    app = incidents
    anna = principal(app, "juf.anna")
    with pytest.raises(InvalidEffectiveDate) as refused:
        app.engine.incidents.record(anna, **PESTEN, happened=happened, involved=[(MEES, "slachtoffer")])
    assert refused.value.fields["field"] == "happened" and why in refused.value.message
    sent = web.post("/api/v1/incidents", json={**PESTEN, "happened": happened.isoformat()}, headers=token_for(app, "juf.anna"))
    assert sent.status_code == 422 and sent.json()["field"] == "happened" and why in sent.json()["detail"]
    login(web, "juf.anna")
    form = {
        "csrf": csrf_of(web, "/incidenten/nieuw"), "school": "de-linde", "soort": "pesten", "plaats": "plein", "ernst": "middel",
        "datum": happened.strftime("%d-%m-%Y"),
    }
    page = web.post("/incidenten/nieuw", data=form, follow_redirects=False)
    assert page.status_code == 422 and why in page.text and 'aria-invalid="true"' in page.text
    assert _count(db, "incident_log") == 1  # the categories only: nothing recorded


def test_an_incident_moment_within_the_bounds_is_recorded(incidents: App, web: TestClient) -> None:
    app = incidents
    anna = principal(app, "juf.anna")
    oldest = app.engine.incidents.record(anna, **PESTEN, happened=date(2025, 12, 2))
    assert oldest.happened_at == datetime(2025, 12, 2, 12, 0, tzinfo=AMSTERDAM)
    # a moment a little ahead of the server (a clock that runs ahead): the server's now
    ahead = app.engine.clock.now() + timedelta(minutes=4)
    sent = web.post("/api/v1/incidents", json={**PESTEN, "happened": ahead.isoformat()}, headers=token_for(app, "juf.anna"))
    assert sent.status_code == 201 and datetime.fromisoformat(sent.json()["happened_at"]) == app.engine.clock.now()
    app.engine.incidents.apply_retention()  # nine months and more to go: nothing erased
    assert app.engine.incidents.get(anna, oldest.id).involved == ()


def test_the_command_line_refuses_an_incident_from_1900(incidents: App, db_url: str) -> None:
    result = CliRunner().invoke(
        cli_app,
        ["--db", db_url, "--json", "incident", "record", "--school", "de-linde", "--kind", "pesten", "--place", "plein",
         "--seriousness", "middel", "--actor", "juf.anna", "--on", "01-01-1900", "--person", f"{MEES}=slachtoffer"],
    )
    assert result.exit_code == 7, result.output
    refused = json.loads(result.stdout)
    assert refused["field"] == "happened" and "Wanneer gebeurd: 01-01-1900 is meer dan 3 maanden geleden" in refused["message"]
    today = CliRunner().invoke(
        cli_app,
        ["--db", db_url, "--json", "incident", "record", "--school", "de-linde", "--kind", "pesten", "--place", "plein",
         "--seriousness", "middel", "--actor", "juf.anna", "--person", f"{MEES}=slachtoffer"],
    )
    assert today.exit_code == 0, today.output
    recorded = json.loads(today.stdout)  # Incident.as_dict, as the REST API gives it
    assert recorded["involved"] == [{"pseudonym": MEES, "part": "slachtoffer"}] and recorded["role"] == "leerkracht"
    assert recorded == incidents.engine.incidents.get(principal(incidents, "juf.anna"), recorded["id"]).as_dict()


# --- 2. no link to a closed case -------------------------------------------------------------


def test_an_incident_is_not_linked_to_a_closed_case(incidents: App, web: TestClient) -> None:
    app = incidents
    ib = principal(app, "mevr.smit")
    report = app.engine.meldpunt.report(PublicReport("de-linde", {"beschrijving": "Ze pakken mijn tas af."}))
    linked = app.engine.incidents.record(ib, **PESTEN, happened=date(2026, 3, 2), involved=[(MEES, "slachtoffer")])
    app.engine.incidents.link(ib, linked.id, report.case_id)
    app.engine.cases.fire(ib, report.case_id, "afsluiten", inputs={"motivering": "Opgelost met de ouders."})
    later = app.engine.incidents.record(ib, **PESTEN, happened=date(2026, 3, 2), involved=[(MEES, "slachtoffer")])
    with pytest.raises(InputError) as refused:
        app.engine.incidents.link(ib, later.id, report.case_id)
    assert refused.value.fields["field"] == "case" and "afgesloten" in refused.value.message
    assert app.engine.incidents.get(ib, later.id).cases == ()
    assert app.engine.incidents.link(ib, linked.id, report.case_id).cases == (report.case_id,)  # linking again: nothing new
    assert app.engine.reads.detail(ib, report.case_id).linkable == []  # the case page offers none
    over_rest = web.post(f"/api/v1/incidents/{later.id}/links", json={"case": report.case_id}, headers=token_for(app, "mevr.smit"))
    assert over_rest.status_code == 422 and over_rest.json()["field"] == "case"


# --- 3. the pupils' meldpunt form and the whistleblower regulations ----------------------------


def test_the_pupils_form_refuses_a_whistleblower_regulation_sent_by_hand(app: App, web: TestClient, db: Engine) -> None:
    before = _count(db, "cases")
    by_hand = {"protocol": "klokkenluiders-wbk-2023", "betreft": "niemand", "beschrijving": "Facturen worden vervalst.", "anoniem": "ja"}
    refused = web.post("/melden/de-linde", data=by_hand)
    assert refused.status_code == 422
    assert "Waarover je meldt: deze regeling is voor wie op de school werkt" in refused.text
    with pytest.raises(InputError) as raised:
        app.engine.meldpunt.report(
            PublicReport("de-linde", {"beschrijving": "Facturen worden vervalst."}, "klokkenluiders-wbk-2023", concerns="niemand")
        )
    assert raised.value.fields["field"] == "protocol"
    assert _count(db, "cases") == before
    # from the page for staff it is a report like any other
    sent = web.post("/melden/de-linde", data={**by_hand, "voor": "medewerker"})
    assert sent.status_code == 200 and _count(db, "cases") == before + 1


# --- 4. several boards in one installation -----------------------------------------------------


@pytest.fixture
def two_boards(app: App) -> str:
    """Board B beside the demo board, with its own school and board-wide roles; a case about
    one of our pupils at De Linde."""
    app.engine.schools.save(OPERATOR, SchoolRecord("de-ster", "Basisschool De Ster", OTHER_BOARD, "zuid"))
    for username, role in (("b.privacy", "privacyfunctionaris"), ("b.bestuur", "bevoegd_gezag"), ("b.protocol", "protocol_eigenaar")):
        app.engine.users.add(username, username, OTHER_BOARD, PASSWORD, [Membership(role)])
    return open_gedrag(drive(app), "de-linde", "5a")


def test_another_boards_privacy_officer_exports_nothing_of_ours(app: App, two_boards: str) -> None:
    ours = principal(app, "dhr.privacy")
    assert [c["zaak"] for c in app.engine.access_requests.export(ours, "Leerling-de-linde-5a")["zaken"]] == [two_boards]
    theirs = principal(app, "b.privacy")
    assert app.engine.access_requests.export(theirs, "Leerling-de-linde-5a")["zaken"] == []
    assert app.engine.access_requests.export_user(theirs, "dhr.privacy")["toegang"] == []


def test_another_boards_bestuur_and_protocol_owner_do_not_act_for_ours(app: App, two_boards: str) -> None:
    with pytest.raises(PermissionDenied) as refused:
        app.engine.incidents.switch_bill(principal(app, "b.bestuur"), BOARD, True)
    assert "ander bestuur" in refused.value.message
    assert not app.engine.incidents.bill_on(BOARD)
    app.engine.incidents.switch_bill(principal(app, "b.bestuur"), OTHER_BOARD, True)  # their own board
    app.engine.incidents.switch_bill(principal(app, "mevr.raad"), BOARD, True)  # and ours, ours
    assert app.engine.incidents.bill_on(OTHER_BOARD) and app.engine.incidents.bill_on(BOARD)
    with pytest.raises(PermissionDenied):
        app.engine.triage.load(principal(app, "b.protocol"), TRIAGE.read_text(encoding="utf-8"), TRIAGE.name)
    loaded, _ = app.engine.triage.load(principal(app, "mevr.protocol"), TRIAGE.read_text(encoding="utf-8"), TRIAGE.name)
    assert loaded.board == BOARD


def test_each_boards_register_page_shows_its_own_schools(app: App, web: TestClient, two_boards: str) -> None:
    """It listed every school of the installation, and then refused to show another board's
    safety roles: the page answered 403 to every board."""
    login(web, "b.bestuur", PASSWORD)
    theirs = web.get("/scholen")
    assert theirs.status_code == 200 and "Basisschool De Ster" in theirs.text and "de-linde" not in theirs.text
    web.cookies.clear()
    login(web, "mevr.raad")
    ours = web.get("/scholen")
    assert ours.status_code == 200 and "de-linde" in ours.text and "Basisschool De Ster" not in ours.text


# --- 5 and 6. quick records ------------------------------------------------------------------


def _quick(app: App, key: str, **changes: object) -> dict[str, object]:
    return {
        "key": key, "school": "de-linde", "pupil": MEES, "part": "slachtoffer", "kind": "pesten", "place": "plein",
        "seriousness": "licht", "happened": (app.engine.clock.now() - timedelta(minutes=3)).isoformat(), **changes,
    }


def _send(app: App, **body: object) -> tuple[object, bool]:
    return app.engine.incidents.record_once(
        principal(app, "juf.anna"), key=str(body["key"]), school=str(body["school"]), kind=str(body["kind"]),
        place=str(body["place"]), seriousness=str(body["seriousness"]), happened=datetime.fromisoformat(str(body["happened"])),
        involved=[(str(body["pupil"]), str(body["part"]))],
    )


def test_a_quick_record_sent_again_with_other_content_is_refused(incidents: App, web: TestClient) -> None:
    app = incidents
    key = str(uuid.uuid4())
    first, new = _send(app, **_quick(app, key))
    again, new_again = _send(app, **_quick(app, key))  # a retry: the first incident
    assert (new, new_again) == (True, False) and again == first
    with pytest.raises(QuickRecordConflict) as refused:
        _send(app, **_quick(app, key, kind="vernieling", place="gang"))
    assert refused.value.fields["differs"] == ["soort", "plaats"] and refused.value.http_status == 409
    assert len(app.engine.incidents.at_school(principal(app, "juf.anna"), "de-linde")) == 1
    login(web, "juf.anna")
    csrf = web.get("/snel/gegevens").json()["csrf"]
    headers = {"X-CSRF-Token": csrf}
    phone_key = str(uuid.uuid4())
    assert web.post("/snel/incidenten", json=_quick(app, phone_key), headers=headers).status_code == 201
    assert web.post("/snel/incidenten", json=_quick(app, phone_key), headers=headers).status_code == 200
    conflict = web.post("/snel/incidenten", json=_quick(app, phone_key, pupil=MEES, part="dader"), headers=headers)
    assert conflict.status_code == 409 and conflict.headers["content-type"].startswith("application/problem+json")
    assert conflict.json()["title"] == "quick_record_conflict" and conflict.json()["differs"] == ["betrokkenen"]
    assert len(app.engine.incidents.at_school(principal(app, "juf.anna"), "de-linde")) == 2


@pytest.mark.parametrize(
    ("pupil", "part"),
    [("Leerling-Verzonnen", "slachtoffer"), (DAAN, "slachtoffer"), (MEES, "medewerker")],
    ids=["not-in-the-register", "another-group", "not-a-pupils-part"],
)
def test_a_quick_record_names_only_a_pupil_and_part_the_phone_offers(
    incidents: App, web: TestClient, pupil: str, part: str
) -> None:
    app = incidents
    with pytest.raises(InputError) as refused:
        _send(app, **_quick(app, str(uuid.uuid4()), pupil=pupil, part=part))
    assert refused.value.fields["field"] == "betrokkenen"
    login(web, "juf.anna")
    offered = web.get("/snel/gegevens").json()
    assert MEES in [p["name"] for p in offered["pupils"]] and DAAN not in [p["name"] for p in offered["pupils"]]
    sent = web.post(
        "/snel/incidenten", json=_quick(app, str(uuid.uuid4()), pupil=pupil, part=part), headers={"X-CSRF-Token": offered["csrf"]}
    )
    assert sent.status_code == 422 and sent.json()["field"] == "betrokkenen"  # problem+json, for the phone's script
    assert app.engine.incidents.at_school(principal(app, "juf.anna"), "de-linde") == []
    assert _send(app, **_quick(app, str(uuid.uuid4())))[1] is True  # Mees, slachtoffer: offered


# --- 7. the same split twice -------------------------------------------------------------------


def test_the_same_split_sent_twice_opens_its_cases_once(app: App, db: Engine) -> None:
    app.engine.triage.load(principal(app, "mevr.protocol"), TRIAGE.read_text(encoding="utf-8"), TRIAGE.name)
    ib = principal(app, "mevr.smit")
    report = app.engine.meldpunt.report(PublicReport("de-linde", {"beschrijving": "Er gebeurt iets naars.", "categorie": "pesten"}))
    parts = [
        Part("Fleur H.", "Fleur pakt tassen af.", "grensoverschrijdend-gedrag"),
        Part("Daan K.", "Daan scheldt in de app.", "grensoverschrijdend-gedrag"),
    ]
    before = _count(db, "cases")
    opened = app.engine.triage.split(ib, report.case_id, parts)
    assert app.engine.triage.split(ib, report.case_id, parts) == opened  # a double click
    assert _count(db, "cases") == before + 2
    splits = [e for e in app.engine.reads.events(ib, report.case_id) if e.type == EventType.TRIAGE and e.data["kind"] == TriageKind.SPLIT]
    assert len(splits) == 1
    other = app.engine.triage.split(ib, report.case_id, [*parts, Part("Sem B.", "Sem filmt het.", "grensoverschrijdend-gedrag")])
    assert len(other) == 3 and not set(other) & set(opened)  # another split is another split
    assert app.engine.reads.verify(ib, report.case_id).ok
