"""The start page and the case page each read in one unit of work, plus the commit that
makes the access log durable; and the names a case page shows are those its viewer may know."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from api.bootstrap import App
from api.web import create_app
from engine.access import HIDDEN, Membership, Principal
from tests.integration.helpers import login

PASSWORD = "een-lang-wachtwoord"
MELDER = ("zq8.melder", "Zq8 Meldernaam")
REPORT = {"kanaal": "vertrouwenspersoon", "betreft": "niemand"}  # the 2016 regulation: via the vertrouwenspersoon


def principal(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def reported(app: App) -> str:
    """A report under the 2016 regulation, recorded by the vertrouwenspersoon: the
    bestuurder handles it without knowing who reported."""
    app.engine.users.add(MELDER[0], MELDER[1], "b", PASSWORD, [Membership("melder", "het-anker")])
    engine = app.engine
    case = engine.cases.open(
        principal(app, MELDER[0]), "klokkenluidersregeling-2016", school="het-anker", subject="Melder-Zq8", inputs=REPORT
    )
    recorded = {"ontvangen_op": "2026-03-02", "afschrift_verstrekt": "ja"}
    engine.cases.fire(principal(app, "mevr.vp"), case.id, "vastleggen", inputs=recorded)
    return case.id


@contextmanager
def transactions(db: Engine) -> Iterator[list[int]]:
    """Counts the transactions begun on ``db`` (any thread: the group commit's too)."""
    begun: list[int] = []

    def begin(conn: Any) -> None:
        begun.append(1)

    event.listen(db, "begin", begin)
    try:
        yield begun
    finally:
        event.remove(db, "begin", begin)


def test_the_case_page_names_only_the_people_its_viewer_may_know(app: App) -> None:
    case_id = reported(app)
    knows = app.engine.reads.detail(principal(app, "mevr.vp"), case_id)
    handles = app.engine.reads.detail(principal(app, "mevr.raad"), case_id)
    assert knows.names.people == {MELDER[0]: MELDER[1], "mevr.vp": "Saskia Pauw (vertrouwenspersoon)"}
    assert HIDDEN in {e.actor for e in handles.events}
    assert handles.names.people == {"mevr.vp": "Saskia Pauw (vertrouwenspersoon)"}
    assert handles.names.schools == knows.names.schools == {"het-anker": "Openbare Basisschool Het Anker"}
    with TestClient(create_app(app), base_url="https://testserver") as web:
        login(web, "mevr.raad")
        shown = web.get(f"/zaken/{case_id}").text
    assert "Saskia Pauw" in shown and "Openbare Basisschool Het Anker" in shown
    assert MELDER[1] not in shown and MELDER[0] not in shown


def test_a_case_page_read_is_one_unit_of_work_and_the_access_logs_commit(app: App, db: Engine) -> None:
    case_id = reported(app)
    vp = principal(app, "mevr.vp")
    app.engine.reads.detail(vp, case_id)  # the protocol is loaded once, then cached
    with transactions(db) as begun:
        app.engine.reads.detail(vp, case_id)
    assert len(begun) == 2


def test_the_start_page_is_read_in_one_unit_of_work_besides_the_notices_and_the_log(app: App, db: Engine) -> None:
    reported(app)
    vp = principal(app, "mevr.vp")
    first = app.engine.reads.overview(vp)
    assert [v.case.subject for v in first.cases] == ["Melder-Zq8"]
    assert first.names.schools["het-anker"] == "Openbare Basisschool Het Anker"
    # a vertrouwenspersoon records reports under both regulations, at every school of the board
    by_name = sorted(first.names.schools, key=first.names.schools.__getitem__)
    assert {o.stored.id: o.schools for o in first.openable} == {
        "klokkenluiders-wbk-2023": by_name,
        "klokkenluidersregeling-2016": by_name,
        "meldpunt": by_name,  # a role in the meldpunt since triage routes reports to it (issue 29)
    }
    with transactions(db) as begun:
        app.engine.reads.overview(vp)
    assert len(begun) <= 3  # the notification store's own, the unit of work, the access log's commit


def test_the_pages_read_their_names_with_the_case_not_in_transactions_of_their_own(app: App, db: Engine) -> None:
    """Before, the school names and the display names cost a transaction each on every page
    (7 for the case page, 9 for the start page): now at most the visitor's three (session,
    principal, flash), the engine's unit of work, the notices and the access log's commit."""
    case_id = reported(app)
    with TestClient(create_app(app), base_url="https://testserver") as web:
        login(web, "mevr.vp")
        for path, most in ((f"/zaken/{case_id}", 5), ("/", 6)):
            web.get(path)  # the first read of a page loads protocols and templates
            with transactions(db) as begun:
                assert web.get(path).status_code == 200
            assert len(begun) <= most, path
