"""Pupils and groups from the school's administration (EDEXML 2.1 and CSV), on SQLite and
PostgreSQL: imports are idempotent and reported, missing pupils are proposed as departed,
a malformed file is refused by line, and a leerkracht's access follows the imported groups."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from adapters.imports import read_csv, read_edexml, read_roster
from api.bootstrap import App
from api.demo import demo_edexml
from engine.clock import FixedClock
from engine.errors import CaseNotFound, ImportRefused, PermissionDenied
from engine.pupils import PupilStatus
from engine.terms import local_date
from tests.integration.helpers import csrf_of, login

GROUPS = {f"{7 + i // 5}{'abcde'[i % 5]}": [] for i in range(20)}  # 20 groups: 7a..10e
GROUPS["7a"] = ["juf.anna"]


def principal(app: App, username: str):  # type: ignore[no-untyped-def]
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def test_500_pupils_in_20_groups_import_once_and_a_second_import_changes_nothing(app: App) -> None:
    director = principal(app, "dhr.bos")
    roster = read_edexml(demo_edexml(GROUPS, 25), "EDEX.xml")
    assert len(roster.pupils) == 500 and len(roster.groups) == 20
    first = app.engine.pupils.import_roster(director, "de-linde", roster)
    assert (first.added, first.changed, first.unchanged, first.groups) == (500, 0, 0, 20)
    assert first.teachers_linked == {"juf.anna": ["7a"]} and first.teachers_unmatched == []
    again = app.engine.pupils.import_roster(director, "de-linde", roster)
    assert (again.added, again.changed, again.unchanged, again.proposed_departures) == (0, 0, 500, [])
    names = [p.name for p in app.engine.pupils.choices(director, "de-linde")]
    assert len(names) == len(set(names)) == 500  # two "Sanne V." are told apart by group, then number
    with app.db.connect() as conn:
        keys = [k for (k,) in conn.execute(text("SELECT key FROM pupils WHERE school = 'de-linde'"))]
    assert all(len(k) == 64 and not k.isdigit() for k in keys) and "1000" not in keys  # never the number itself


def test_a_second_import_with_three_pupils_gone_proposes_three_departures(app: App) -> None:
    director = principal(app, "dhr.bos")
    app.engine.pupils.import_roster(director, "de-linde", read_edexml(demo_edexml(GROUPS, 25), "EDEX.xml"))
    later = app.engine.pupils.import_roster(director, "de-linde", read_edexml(demo_edexml(GROUPS, 25, leave_out=3), "EDEX.xml"))
    assert len(later.proposed_departures) == 3 and later.unchanged == 497
    proposed = app.engine.pupils.proposed_departures(director, "de-linde")
    assert sorted(p.name for p in proposed) == later.proposed_departures
    assert all(p.status == PupilStatus.MISSING and p.group == "10e" for p in proposed)
    # a third import with one of them back: they return, the others stay proposed
    back = app.engine.pupils.import_roster(director, "de-linde", read_edexml(demo_edexml(GROUPS, 25, leave_out=2), "EDEX.xml"))
    assert len(back.returned) == 1 and back.proposed_departures == []
    assert len(app.engine.pupils.proposed_departures(director, "de-linde")) == 2


def test_a_confirmed_departure_starts_the_retention_that_runs_from_departure(app: App, clock: FixedClock) -> None:
    director = principal(app, "dhr.bos")
    engine = app.engine
    engine.pupils.import_roster(director, "de-linde", read_edexml(demo_edexml({"5a": ["juf.anna"]}, 4), "EDEX.xml"))
    engine.pupils.import_roster(director, "de-linde", read_edexml(demo_edexml({"5a": ["juf.anna"]}, 4, leave_out=1), "EDEX.xml"))
    [pupil] = engine.pupils.proposed_departures(director, "de-linde")
    case = engine.cases.open(principal(app, "juf.anna"), "grensoverschrijdend-gedrag", school="de-linde", subject=pupil.name)
    assert case.group == "5a"  # picked from the list: the pupil's group came along
    engine.cases.fire(director, case.id, "afsluiten", role="directeur", inputs={"motivering": "gestopt"})
    with pytest.raises(PermissionDenied):
        engine.pupils.confirm_departure(principal(app, "juf.anna"), "de-linde", pupil.name, date(2026, 3, 6))
    today = local_date(engine.clock.now())
    engine.pupils.confirm_departure(director, "de-linde", pupil.name, today + timedelta(days=3))
    assert engine.retention.apply() == []  # not before the day of departure
    clock.advance(timedelta(days=4))
    assert engine.retention.apply() == [case.id]
    assert [p.name for p in engine.pupils.choices(director, "de-linde") if p.name == pupil.name] == []


MALFORMED = [
    (b"<EDEX>\n  <leerlingen>\n    <leerling key='1'>\n  </leerlingen>\n</EDEX>", 4, "geen geldige XML"),
    (b"<EDEX>\n<leerlingen>\n<leerling><roepnaam>A</roepnaam><achternaam>B</achternaam></leerling>\n</leerlingen>\n</EDEX>", 3, "mist het attribuut key"),
    (b"<EDEX>\n<groepen><groep key='G1'><naam>5a</naam></groep></groepen>\n<leerlingen>\n\n"
     b"<leerling key='7'><roepnaam>A</roepnaam><achternaam>B</achternaam><groep key='G9'/></leerling>\n</leerlingen></EDEX>", 5, "groep 'G9'"),
    (b"<EDEX><leerlingen>\n<leerling key='7'><roepnaam>A</roepnaam><achternaam>B</achternaam></leerling>\n"
     b"<leerling key='7'><roepnaam>C</roepnaam><achternaam>D</achternaam></leerling>\n</leerlingen></EDEX>", 3, "twee keer"),
    (b"<?xml version='1.0'?>\n<!DOCTYPE EDEX [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>\n<EDEX>&b;</EDEX>", 1, "DOCTYPE"),
    (b"<leerlingen/>", 1, "geen EDEXML-bestand"),
    (b"leerlingnummer;roepnaam;achternaam;groep\n1;Sanne;Veldkamp;5a\n2;;de Wit;5a\n", 3, "roepnaam is leeg"),
    (b"nummer;roepnaam;achternaam\n1;Sanne;Veldkamp\n", 1, "leerlingnummer ontbreken"),
]


@pytest.mark.parametrize(("content", "line", "said"), MALFORMED)
def test_a_malformed_file_is_refused_naming_the_line_and_nothing_changes(app: App, content: bytes, line: int, said: str) -> None:
    director = principal(app, "dhr.bos")
    app.engine.pupils.import_roster(director, "de-linde", read_edexml(demo_edexml({"5a": []}, 3), "EDEX.xml"))
    before = app.engine.pupils.choices(director, "de-linde")
    with pytest.raises(ImportRefused) as refused:
        app.engine.pupils.import_roster(director, "de-linde", read_roster(content, "export.xml"))
    assert refused.value.fields["line"] == line and said in refused.value.message, refused.value.message
    assert refused.value.message.startswith(f"export.xml:{line}: ") and "Er is niets ingelezen." in refused.value.message
    assert app.engine.pupils.choices(director, "de-linde") == before


def test_a_leerkracht_sees_exactly_the_cases_of_the_groups_the_import_linked(app: App) -> None:
    engine = app.engine
    director = principal(app, "dhr.bos")
    opened = {
        group: engine.cases.open(director, "grensoverschrijdend-gedrag", school="de-linde", subject=f"Leerling-{group}", group=group, role="directeur").id
        for group in ("5a", "5b", "6a", "7a")
    }
    anna = principal(app, "juf.anna")  # groep 5a until the import
    assert {v.case.id for v in engine.reads.cases(anna)} == {opened["5a"]}
    roster = read_edexml(demo_edexml({"5a": [], "5b": ["juf.anna"], "6a": ["juf.anna"], "7a": []}, 2), "EDEX.xml")
    report = engine.pupils.import_roster(director, "de-linde", roster)
    assert report.teachers_linked == {"juf.anna": ["5b", "6a"]}
    anna = principal(app, "juf.anna")
    assert {v.case.id for v in engine.reads.cases(anna)} == {opened["5b"], opened["6a"]}
    with pytest.raises(CaseNotFound):
        engine.reads.case(anna, opened["5a"])
    assert {p.group for p in engine.pupils.choices(anna, "de-linde")} == {"5b", "6a"}


def test_a_csv_has_the_same_effect_in_dutch_spreadsheet_form(app: App) -> None:
    csv = (
        "Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Groep;Leerkrachten\r\n"
        "301;Sanne;van;Veldkamp;5a;juf.anna\r\n"
        "302;Daan;;Kramer;5a;juf.anna\r\n"
        "303;Noor;;Çelik;6a;\r\n"
    ).encode("cp1252")
    roster = read_csv(csv, "leerlingen.csv")
    assert [p.last_name for p in roster.pupils] == ["van Veldkamp", "Kramer", "Çelik"] and roster.groups == ("5a", "6a")
    report = app.engine.pupils.import_roster(principal(app, "dhr.bos"), "de-linde", roster)
    assert (report.added, report.groups) == (3, 2) and report.teachers_unmatched == ["juf.anna"]  # by e-mail only: not a user
    assert sorted(p.name for p in app.engine.pupils.choices(principal(app, "dhr.bos"), "de-linde")) == ["Daan K.", "Noor Ç.", "Sanne V."]


def test_the_directeur_imports_on_the_web_and_a_leerkracht_may_not(app: App, web: TestClient) -> None:
    assert login(web, "dhr.bos") == "/"
    response = web.post(
        "/leerlingen/import",
        data={"csrf": csrf_of(web, "/leerlingen"), "school": "de-linde"},
        files={"bestand": ("EDEX.xml", demo_edexml({"5a": ["juf.anna"], "5b": []}, 10), "text/xml")},
    )
    assert response.status_code == 200 and "20 nieuw" in response.text and "Anna de Vries" in response.text
    refused = web.post(
        "/leerlingen/import",
        data={"csrf": csrf_of(web, "/leerlingen"), "school": "de-linde"},
        files={"bestand": ("kapot.xml", b"<EDEX>\n<leerlingen>\n<leerling>", "text/xml")},
    )
    assert "kapot.xml:3: geen geldige XML" in refused.text
    new_case = web.get("/zaken/nieuw").text
    assert '<datalist id="leerlingen">' in new_case and "groep 5b" in new_case
    web.post("/uitloggen", data={"csrf": csrf_of(web)})
    assert login(web, "juf.anna") == "/"
    assert web.get("/leerlingen").status_code == 403
    picker = web.get("/zaken/nieuw").text
    assert "groep 5a" in picker and "groep 5b" not in picker  # a leerkracht picks from their own groups
