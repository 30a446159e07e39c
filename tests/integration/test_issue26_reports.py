"""Issue 26 item 5 (second half): the calendar feed, reports as a school reads them, Dutch
dates in the audit page and the dossier, and the meldpunt's choices by who reports."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from icalendar import Calendar

from api.bootstrap import App
from engine.access import OPERATOR
from engine.protocol.loader import load_protocol_text
from tests.integration.helpers import drive

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

