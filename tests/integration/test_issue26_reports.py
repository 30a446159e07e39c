"""Issue 26 item 5 (second half): the calendar feed, reports as a school reads them, Dutch
dates in the audit page and the dossier, and the meldpunt's choices by who reports."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from icalendar import Calendar

from api.bootstrap import App
from api.demo import DEMO_PASSWORD
from api.reports import bar_chart
from engine.access import OPERATOR
from engine.clock import FixedClock
from engine.protocol.loader import load_protocol_text
from engine.protocol.schema import InputSpec
from engine.usecases.reports import Table
from engine.views import input_shown
from tests.integration.helpers import FAST_HASHER, drive, login, open_gedrag

# --- the calendar feed ---------------------------------------------------------------

# A teacher and a directeur in one case: the parents are phoned by either of them; the
# Inspectie is told by the directeur only, and the teacher hears when that is late.
AGENDA_PROTOCOL = """
id: proef-agenda
version: 1
title: Proefprotocol agenda
source: "trede testprotocol (geen bron)"
roles:
  leerkracht: {label: Leerkracht}
  directeur: {label: Directeur}
initial: melding
steps:
  melding:
    label: "Stap 1: Melding"
    obligations:
      - id: ouders_gebeld
        label: Ouders gebeld
        after: 1 dag
        basis: "proef"
        roles: [leerkracht, directeur]
        escalate: [directeur]
      - id: inspectie_gemeld
        label: Inspectie gemeld
        after: 2 dagen
        basis: "proef"
        roles: [directeur]
        escalate: [directeur, leerkracht]
  afgesloten:
    label: Afgesloten
    final: true
transitions:
  - trigger: afsluiten
    label: Afsluiten
    from: melding
    to: afgesloten
    roles: [directeur]
"""


def _feed(web: TestClient, app: App, username: str) -> Calendar:
    token = app.engine.tokens.create_feed(username)
    response = web.get(f"/agenda/{token}.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _valid(calendar: Calendar) -> list[str]:
    """What RFC 5545 misses in this feed, as the icalendar parser reads it: every component's
    required properties, properties allowed once that occur more often, parse errors."""
    problems = []
    for component in calendar.walk():
        problems += [f"{component.name}: {error}" for error in component.errors]
        for name in component.required:
            if name not in component:
                problems.append(f"{component.name} zonder {name}")
        for name in component.singletons:
            if isinstance(component.get(name), list):
                problems.append(f"{component.name}: {name} meer dan eens")
    return problems


def test_every_event_of_the_calendar_feed_has_a_dtstamp_in_utc(app: App, web: TestClient) -> None:
    trede = drive(app)
    case = trede.open_case(
        "proef-escalatie", school="de-linde", subject="Leerling-Stempel", actor="juf.anna", role="leerkracht"
    )
    trede.fire(case.id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
    calendar = _feed(web, app, "dhr.bos")
    events = list(calendar.walk("VEVENT"))
    assert events, "the directeur has running deadlines in this case"
    assert _valid(calendar) == []
    made = app.engine.clock.now().astimezone(UTC)
    for event in events:
        stamp = event.decoded("dtstamp")
        assert isinstance(stamp, datetime) and stamp.utcoffset() is not None and stamp.utcoffset().total_seconds() == 0
        assert stamp == made.replace(microsecond=0)
    assert b"DTSTAMP:" in calendar.to_ical() and b"Z\r\n" in calendar.to_ical()


def test_a_feed_lists_only_the_deadlines_its_reader_can_act_on(app: App, web: TestClient) -> None:
    app.engine.protocols.load(OPERATOR, load_protocol_text(AGENDA_PROTOCOL, "proef-agenda.yaml"))
    case = drive(app).open_case(
        "proef-agenda", school="de-linde", subject="Leerling-Agenda", actor="juf.anna", role="leerkracht", group="5a"
    )

    def summaries(username: str) -> set[str]:
        return {str(e["summary"]) for e in _feed(web, app, username).walk("VEVENT") if case.id in str(e["url"])}

    # the teacher hears when the Inspectie was not told in time, but only the directeur can tell it
    assert summaries("juf.anna") == {"Termijn: Ouders gebeld"}
    assert summaries("dhr.bos") == {"Termijn: Ouders gebeld", "Termijn: Inspectie gemeld"}


def test_the_meldpunts_acknowledgement_is_in_the_coordinators_feed_not_the_directeurs(app: App, web: TestClient) -> None:
    """The bundled meldpunt: the intern begeleider confirms receipt; the directeur is told
    when that is late, and cannot confirm it himself."""
    receipt = app.engine.meldpunt.report(_public_report("de-linde"))

    def summaries(username: str) -> set[str]:
        return {str(e["summary"]) for e in _feed(web, app, username).walk("VEVENT") if receipt.case_id in str(e["url"])}

    assert summaries("mevr.smit") == {"Termijn: Ontvangst bevestigd aan de melder"}
    assert summaries("dhr.bos") == set()


def _public_report(school: str):  # type: ignore[no-untyped-def]
    from engine.usecases.meldpunt import PublicReport

    return PublicReport(school, {"beschrijving": "Er wordt gepest op het plein."})



# --- reports as a school reads them ----------------------------------------------------

IDS = ("de-linde", "verbaal_geweld", "seksueel_gedrag", "mevr.smit", "fysiek_geweld")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")


def _reported(app: App, clock: FixedClock) -> str:
    """Incidents in two months, and a meldcode case with its yearly report."""
    engine = drive(app)
    for n in range(5):
        case_id = open_gedrag(engine, "de-linde", "5a")
        kind = "verbaal_geweld" if n < 3 else "fysiek_geweld"
        engine.fire(
            case_id,
            "incident_vastleggen",
            actor="juf.anna",
            role="leerkracht",
            inputs={"soort_gedrag": kind, "plaats": "plein"},
        )
        clock.advance(timedelta(days=12))
    melding = engine.open_case(
        "meldcode-hgkm", school="de-linde", subject="Leerling-Mus", actor="mevr.smit", role="aandachtsfunctionaris"
    ).id
    engine.fire(
        melding,
        "rapportage_vastleggen",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        inputs={"onderwerp": "seksueel_gedrag", "knelpunten": "weinig tijd", "betrokkenen": "moeder en twee kinderen"},
    )
    return melding


def _no_ids(text: str) -> None:
    found = [i for i in IDS if i in text]
    assert found == [], found
    assert ISO_DATE.search(text) is None, ISO_DATE.search(text)


def test_reports_name_schools_people_and_choices_and_write_dutch_dates(
    app: App, web: TestClient, clock: FixedClock
) -> None:
    _reported(app, clock)
    login(web, "dhr.bos")
    page = web.get("/rapportages")
    tables = {t.title: t for t in page.context["tables"]}  # type: ignore[attr-defined]
    incidents = tables["Incidentenregistratie (Bijlage 11)"].rows
    assert incidents[0] == ["02-03-2026", "Basisschool De Linde", "verbaal geweld", "plein", "Stap 1: Ik kan het zelf"]
    assert tables["Incidenten per maand (M5-overzicht: wanneer)"].rows == [["maart 2026", "3"], ["april 2026", "2"]]
    assert tables["Soort gedrag en plaats (M5-overzicht)"].rows == [
        ["fysiek geweld", "plein", "2"],
        ["verbaal geweld", "plein", "3"],
    ]
    [meldcode] = tables["Rapportage meldcode (Bijlage 10)"].rows
    assert meldcode[:3] == ["01-05-2026", "Els Smit (intern begeleider, aandachtsfunctionaris)", "seksueel gedrag"]
    _no_ids(page.text.split("<h1>Rapportages")[1])
    for index in range(len(tables)):
        _no_ids(web.get(f"/rapportages/{index}.csv").text)
    text = _pdf_text(web.get("/rapportages/rapportage.pdf").content)
    _no_ids(text)
    # no word, date or number is broken over two lines in the PDF (was "01-05-2\n026")
    printed = set(text.split())
    for table in (t for t in tables.values() if t.rows):
        words = {w for cell in [*table.columns, *(c for row in table.rows for c in row)] for w in str(cell).split()}
        assert words - printed == set(), (table.title, sorted(words - printed))


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


# --- the charts ------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def chart_labels(svg: str) -> list[str]:
    """Each bar's label as the chart shows it: its lines joined by a space."""
    root = ElementTree.fromstring(svg)
    return [
        " ".join((span.text or "") for span in text.iter(f"{SVG}tspan"))
        for text in root.iter(f"{SVG}text")
        if text.get("class") == "label"
    ]


def test_a_chart_shows_every_label_whole_so_that_rows_read_differently() -> None:
    steps = ["Stap 1: Ik kan het zelf", "Stap 2: Ik vraag hulp", "Stap 3: Samen werken we aan een oplossing", "Stap 4"]
    table = Table(
        "Open zaken per protocol en stap",
        ["protocol", "stap", "aantal"],
        [["Stappenplan grensoverschrijdend gedrag", step, str(n)] for n, step in enumerate(steps, start=1)],
    )
    labels = chart_labels(bar_chart(table, 2, [0, 1]))
    assert labels == [f"Stappenplan grensoverschrijdend gedrag · {step}" for step in steps]
    assert len(set(labels)) == 4


def test_the_report_pages_charts_carry_each_rows_whole_label(app: App, web: TestClient, clock: FixedClock) -> None:
    _reported(app, clock)
    login(web, "dhr.bos")
    page = web.get("/rapportages")
    tables = page.context["tables"]  # type: ignore[attr-defined]
    svgs = re.findall(r"<svg .*?</svg>", page.text, re.S)
    assert chart_labels(svgs[0]) == [f"{row[0]} · {row[1]}" for row in tables[0].rows]
    assert chart_labels(svgs[-1]) == [f"{row[0]} · {row[1]}" for row in tables[5].rows]


# --- dates typed into a case, in the audit page and the dossier ------------------------


def test_the_audit_page_and_the_dossier_show_typed_dates_as_dutch_dates(app: App, web: TestClient) -> None:
    trede = drive(app)
    case = trede.open_case(
        "proef-escalatie", school="de-linde", subject="Leerling-Datum", actor="juf.anna", role="leerkracht", group="5a"
    )
    trede.fire(case.id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "ernstig"})
    trede.fire(
        case.id,
        "direct_maatregel",
        actor="dhr.bos",
        role="directeur",
        inputs={"motivering": "ernstig", "akkoord_directeur": "ja"},
    )
    trede.fire(case.id, "maatregel_voorbij", actor="dhr.bos", role="directeur")
    trede.fire(
        case.id, "bezwaar_ontvangen", actor="dhr.bos", role="directeur", inputs={"bezwaar_ontvangen_op": "2026-03-02"}
    )
    login(web, "dhr.bos")
    audit = web.get(f"/audit/zaken/{case.id}").text
    [typed] = re.findall(r"Invoer: Bezwaar ontvangen op: [^<;]*", audit)
    assert typed == "Invoer: Bezwaar ontvangen op: 02-03-2026"
    dossier = _pdf_text(web.get(f"/audit/zaken/{case.id}/dossier.pdf").content)
    assert "Bezwaar ontvangen op: 02-03-2026" in dossier
    assert "2026-03-02" not in dossier
    assert "Ernst van het incident: ernstig" in dossier


def test_input_values_by_their_type() -> None:
    day = InputSpec(type="datum", label="Datum")
    assert input_shown(day, "2026-11-07") == "07-11-2026"
    assert input_shown(day, "2026-11-07T09:30:00+00:00") == "07-11-2026 10:30"  # Dutch time
    assert input_shown(None, "2026-07-01T09:30:00Z") == "01-07-2026 11:30"  # summer time
    assert input_shown(day, "(gewist)") == "(gewist)"  # an erased value stays as it is
    assert input_shown(InputSpec(type="keuze", label="Soort", options=["verbaal_geweld"]), "verbaal_geweld") == (
        "verbaal geweld"
    )
    assert input_shown(InputSpec(type="tekst", label="Tekst"), "2026-11-07") == "2026-11-07"  # typed text is kept


# --- the meldpunt offers each reporter the procedures meant for them --------------------

WHISTLEBLOWING = {"klokkenluidersregeling-2016", "klokkenluiders-wbk-2023"}


def _choices(html: str) -> set[str]:
    select = re.search(r'<select id="protocol" name="protocol">(.*?)</select>', html, re.S)
    if select is None:  # one procedure only: a hidden field
        return set(re.findall(r'<input type="hidden" name="protocol" value="([^"]+)">', html))
    return set(re.findall(r'<option value="([^"]+)"', select.group(1)))


def test_a_pupil_or_parent_is_not_offered_the_whistleblower_regulations(app: App, web: TestClient) -> None:
    pupils = web.get("/melden/de-linde")
    assert pupils.status_code == 200
    assert _choices(pupils.text) == {"meldpunt"}
    assert 'name="kanaal"' not in pupils.text and "klokkenluidersregeling" not in pupils.text.split("<form")[1].split("</form>")[0]
    assert 'href="/melden/de-linde?voor=medewerker"' in pupils.text  # staff find their page
    assert {o.protocol_id for o in app.engine.meldpunt.options("de-linde", staff=False)} == {"meldpunt"}


def test_staff_are_offered_the_meldpunt_and_the_whistleblower_regulations(app: App, web: TestClient) -> None:
    staff = web.get("/melden/de-linde?voor=medewerker")
    assert staff.status_code == 200
    assert _choices(staff.text) == {"meldpunt"} | WHISTLEBLOWING
    assert 'name="kanaal"' in staff.text and 'name="voor" value="medewerker"' in staff.text
    sent = web.post(
        "/melden/de-linde",
        data={
            "voor": "medewerker",
            "protocol": "klokkenluiders-wbk-2023",
            "betreft": "niemand",
            "beschrijving": "Facturen worden vervalst.",
            "anoniem": "ja",
        },
    )
    assert sent.status_code == 200 and sent.template.name == "meldpunt_done.html"  # type: ignore[attr-defined]
    # refused for a missing channel, the report comes back on the page for staff, as typed
    refused = web.post(
        "/melden/de-linde",
        data={"voor": "medewerker", "protocol": "klokkenluidersregeling-2016", "beschrijving": "Iets is mis.", "anoniem": "ja"},
    )
    assert refused.status_code == 422 and 'name="kanaal"' in refused.text
    assert "klokkenluidersregeling-2016" in _choices(refused.text)


# --- logging in: argon2id at OWASP's minimum, older hashes renewed -----------------------


def test_passwords_are_hashed_with_argon2id_at_owasps_minimum() -> None:
    from argon2 import extract_parameters

    from adapters.passwords import Argon2Passwords

    passwords = Argon2Passwords()
    stored = passwords.hash("een lang wachtwoord")
    assert stored.startswith("$argon2id$")
    found = extract_parameters(stored)
    assert (found.memory_cost, found.time_cost, found.parallelism) == (19 * 1024, 2, 1)  # m=19 MiB, t=2, p=1
    assert passwords.verify(stored, "een lang wachtwoord") and not passwords.needs_rehash(stored)
    heavier = PasswordHasher(time_cost=3, memory_cost=32 * 1024, parallelism=2).hash("een lang wachtwoord")
    assert passwords.verify(heavier, "een lang wachtwoord") and passwords.needs_rehash(heavier)


def test_a_login_renews_a_hash_made_with_other_parameters(app: App, web: TestClient) -> None:
    from argon2 import extract_parameters

    older = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=2).hash(DEMO_PASSWORD)
    with app.engine.services.uow(write=True) as uow:
        uow.users.set_password_hash("juf.anna", older)
        uow.commit()
    assert login(web, "juf.anna") == "/"
    with app.engine.services.uow() as uow:
        renewed = uow.users.password_hash("juf.anna")
    assert renewed is not None and renewed != older
    assert extract_parameters(renewed) == extract_parameters(FAST_HASHER.hash("x"))  # the app's own parameters
    web.cookies.clear()
    assert login(web, "juf.anna") == "/"  # the same password, under the new hash
    assert login(web, "juf.anna", "fout") != "/"


def test_a_long_report_table_repeats_its_header_on_every_page_and_breaks_no_word() -> None:
    from pypdf import PdfReader

    from adapters.report_pdf import PdfTable, tables_to_pdf

    columns = ["datum", "school", "soort gedrag", "plaats", "stap"]
    rows = [
        [f"{day:02d}-03-2026", "Openbare Basisschool Het Anker", "seksueel grensoverschrijdend", "gymzaal", "Stap 3: Samen"]
        for day in range(1, 29)
    ] * 4
    pdf = tables_to_pdf("Rapportage", [], [PdfTable("Incidentenregistratie", columns, rows)], datetime(2026, 4, 1, tzinfo=UTC))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    assert all("datum school soort gedrag plaats stap" in text for text in pages)
    printed = set("\n".join(pages).split())
    assert {w for row in rows for cell in row for w in cell.split()} - printed == set()
