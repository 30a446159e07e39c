"""Yesterday's phone call, on SQLite and PostgreSQL (issue 26, item 4): recorded after a later
action through the page and the API, shown before it on the case page and in the audit
replay with both its moments, the chain verified in the order of recording, no deadline
moved; a moment before the opening or in the future refused by the field's label."""

from __future__ import annotations

import html
import re
from datetime import datetime

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.bootstrap import App
from engine.access import OPERATOR
from engine.clock import FixedClock
from engine.events import EventType
from engine.terms import AMSTERDAM
from tests.integration.helpers import csrf_of, login, token_for
from tests.integration.test_schema import _down_and_up

GEDRAG = "grensoverschrijdend-gedrag"
THURSDAY = datetime(2026, 3, 5, 9, 14, tzinfo=AMSTERDAM)


def case_with_a_later_action(app: App, clock: FixedClock) -> str:
    """Opened Monday 02-03 10:00; on Wednesday the teacher records that the pupil asks for help."""
    teacher = app.engine.users.principal("juf.anna")
    assert teacher is not None
    case_id = app.engine.cases.open(teacher, GEDRAG, school="de-linde", subject="Leerling-Ree", group="5a").id
    clock.set(datetime(2026, 3, 4, 10, 0, tzinfo=AMSTERDAM))
    app.engine.cases.fire(teacher, case_id, "hulp_vragen", role="leerkracht")
    clock.set(THURSDAY)
    return case_id


def verloop(page: str) -> list[int]:
    """The event numbers of the case page's Verloop table, top to bottom."""
    table = page.split('<h2>Verloop</h2>', 1)[1]
    return [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", table)]


def test_tuesdays_call_written_on_thursday_comes_before_wednesdays_action(app: App, web: TestClient, clock: FixedClock) -> None:
    case_id = case_with_a_later_action(app, clock)
    ib = app.engine.users.principal("mevr.smit")
    assert ib is not None
    before = app.engine.reads.case(ib, case_id).case
    assert login(web, "mevr.smit") == "/"
    form = {"csrf": csrf_of(web, f"/zaken/{case_id}"), "notitie": "De moeder belde: Leerling-Ree is bang.", "datum": "03-03-2026", "tijd": "15:30"}
    assert web.post(f"/zaken/{case_id}/notities", data=form, follow_redirects=False).status_code == 303

    note = app.engine.reads.events(ib, case_id)[-1]
    assert (note.seq, note.type) == (3, EventType.NOTE)
    assert note.effective_at == datetime(2026, 3, 3, 15, 30, tzinfo=AMSTERDAM) and note.recorded_at == THURSDAY
    after = app.engine.reads.case(ib, case_id).case
    assert (after.step, after.deadlines, after.updated_at) == (before.step, before.deadlines, before.updated_at)
    assert app.engine.reads.verify(OPERATOR, case_id).ok  # the chain: the order of recording

    page = html.unescape(web.get(f"/zaken/{case_id}").text)
    assert "gesprek of gebeurtenis op 03-03-2026 15:30, vastgelegd op 05-03-2026 09:14" in page
    assert verloop(page) == [1, 3, 2]
    replay = html.unescape(web.get(f"/audit/zaken/{case_id}").text)
    timeline, chain = replay.split("Audittrail in de volgorde van vastleggen", 1)
    assert re.findall(r'href="#gebeurtenis-(\d+)"', timeline) == ["1", "3", "2"]
    assert re.findall(r'id="gebeurtenis-(\d+)"', chain) == ["1", "2", "3"]
    dossier = web.get(f"/audit/zaken/{case_id}/dossier.json").json()
    assert dossier["timeline"] == [1, 3, 2] and [e["seq"] for e in dossier["events"]] == [1, 2, 3]


def test_a_moment_before_the_opening_or_in_the_future_is_refused_on_the_page_and_in_the_api(
    app: App, web: TestClient, clock: FixedClock
) -> None:
    case_id = case_with_a_later_action(app, clock)
    assert login(web, "mevr.smit") == "/"
    csrf = csrf_of(web, f"/zaken/{case_id}")
    early = web.post(f"/zaken/{case_id}/notities", data={"csrf": csrf, "notitie": "Gesprek met de vader.", "datum": "01-03-2026"})
    assert early.status_code == 422
    text = html.unescape(early.text)
    assert "Datum van het gesprek of de gebeurtenis: 01-03-2026 ligt vóór de opening van de zaak (02-03-2026 10:00)" in text
    assert "Gesprek met de vader." in text and 'value="01-03-2026"' in text  # what was typed stays
    late = web.post(f"/zaken/{case_id}/notities", data={"csrf": csrf, "notitie": "Gesprek.", "datum": "05-03-2026", "tijd": "17:00"})
    assert late.status_code == 422
    assert "Datum van het gesprek of de gebeurtenis: 05-03-2026 17:00 ligt in de toekomst" in html.unescape(late.text)
    odd = web.post(f"/zaken/{case_id}/notities", data={"csrf": csrf, "notitie": "Gesprek.", "datum": "03-03-2026", "tijd": "25:00"})
    assert odd.status_code == 422 and "'25:00' is geen tijd" in html.unescape(odd.text)
    auth = token_for(app, "mevr.smit")
    refused = web.post(f"/api/v1/cases/{case_id}/notes", json={"text": "Gesprek.", "effective": "2026-03-01"}, headers=auth)
    assert refused.status_code == 422 and refused.json()["field"] == "effective"
    assert "Datum van het gesprek of de gebeurtenis: 01-03-2026 ligt vóór de opening" in refused.json()["detail"]
    assert len(app.engine.reads.events(app.engine.users.principal("mevr.smit"), case_id)) == 2  # type: ignore[arg-type]  # nothing recorded
    accepted = web.post(
        f"/api/v1/cases/{case_id}/notes", json={"text": "Telefoon.", "effective": "2026-03-03T15:30:00+01:00"}, headers=auth
    )
    assert accepted.status_code == 201 and accepted.json()["effective_at"].startswith("2026-03-03T14:30:00")
    sent = web.post(
        f"/api/v1/cases/{case_id}/attachments",
        data={"effective": "2026-02-27"},
        files={"file": ("brief.txt", b"Brief van de ouders", "text/plain")},
        headers=auth,
    )
    assert sent.status_code == 422 and "Datum van het stuk: 27-02-2026 ligt vóór de opening" in sent.json()["detail"]


def test_upgrading_sets_the_case_time_of_cases_with_notes(app: App, db: Engine, clock: FixedClock) -> None:
    """Migration 0026: before it, a note moved the case's time; the stored projection of such a
    case is recomputed, so that it verifies against the events as replayed today."""
    case_id = case_with_a_later_action(app, clock)
    ib = app.engine.users.principal("mevr.smit")
    assert ib is not None
    app.engine.notes.add_note(ib, case_id, "Gesprek met de leerkracht.")  # now: Thursday, after the action
    assert app.engine.reads.verify(OPERATOR, case_id).ok
    _down_and_up(db, "0024")  # the time as the old rule kept it, then the migration
    assert app.engine.reads.verify(OPERATOR, case_id).ok
    assert app.engine.reads.case(ib, case_id).case.updated_at == datetime(2026, 3, 4, 10, 0, tzinfo=AMSTERDAM)
