"""The start page lists a school's cases a page at a time, most urgent first; only the
cases on the page (and the user's own first page) are read in full and logged."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.access import Principal
from engine.scheduling import urgency
from engine.views import PER_PAGE, CaseFilter
from tests.integration.helpers import drive, login, open_gedrag

EXTRA = 12


def principal(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def listed_by(app: App, case_id: str, username: str) -> int:
    entries = app.engine.reads.access_log(principal(app, "dhr.privacy"), case_id).entries
    return sum(1 for e in entries if e.username == username and e.what == "lijst")


def test_pages_of_fifty_most_urgent_first_and_only_the_shown_are_logged(app: App) -> None:
    driver = drive(app)
    opened = {open_gedrag(driver, "de-linde", "5a") for _ in range(PER_PAGE + EXTRA)}
    reader = principal(app, "dhr.bos")
    first = app.engine.reads.overview(reader)
    assert (len(first.cases), first.total, first.page, first.pages) == (PER_PAGE, PER_PAGE + EXTRA, 1, 2)
    on_first = [v.case.id for v in first.cases]
    assert all(listed_by(app, c, "dhr.bos") == 1 for c in on_first)
    not_yet = sorted(opened - set(on_first) - {v.case.id for v in first.mine})
    assert not_yet and all(listed_by(app, c, "dhr.bos") == 0 for c in not_yet)  # not shown, not logged
    second = app.engine.reads.overview(reader, CaseFilter(page=2))
    assert (len(second.cases), second.page) == (EXTRA, 2)
    on_second = [v.case.id for v in second.cases]
    assert set(on_first) | set(on_second) == opened and not set(on_first) & set(on_second)
    now, calendar = app.engine.clock.now(), app.engine.services.calendar
    keys = [urgency(v.case, now, calendar) for v in [*first.cases, *second.cases]]
    assert keys == sorted(keys)
    past = app.engine.reads.overview(reader, CaseFilter(page=40))  # past the end: the last page
    assert past.page == 2 and [v.case.id for v in past.cases] == on_second
    assert first.mine_total == sum(1 for v in [*first.cases, *second.cases] if v.actions)


def test_a_filter_counts_and_pages_only_what_matches(app: App) -> None:
    driver = drive(app)
    in_5a = {open_gedrag(driver, "de-linde", "5a") for _ in range(3)}
    open_gedrag(driver, "de-linde", "6b")
    reader = principal(app, "dhr.bos")
    shown = app.engine.reads.overview(reader, CaseFilter(group="5a"))
    assert {v.case.id for v in shown.cases} == in_5a and shown.total == 3 and shown.pages == 1
    assert ("grensoverschrijdend-gedrag", shown.cases[0].protocol.spec.title) in shown.protocols
    assert app.engine.reads.overview(reader, CaseFilter(status="afgesloten")).total == 0


def test_the_page_links_and_wrong_page_numbers_in_dutch(app: App, web: TestClient) -> None:
    driver = drive(app)
    for _ in range(PER_PAGE + 1):
        open_gedrag(driver, "de-linde", "5a")
    login(web, "dhr.bos")
    first = web.get("/?groep=5a")
    assert "Pagina 1 van 2" in first.text and 'href="/?groep=5a&amp;status=open&amp;pagina=2"' in first.text
    assert f"({PER_PAGE + 1})" in first.text
    last = web.get("/?groep=5a&pagina=2")
    assert "Pagina 2 van 2" in last.text and 'href="/?groep=5a&amp;status=open&amp;pagina=1"' in last.text and "Volgende" not in last.text
    wrong = web.get("/?pagina=0")
    assert wrong.status_code == 422 and "pagina" in wrong.text and "Traceback" not in wrong.text
    status = web.get("/?status=verwijderd")
    assert status.status_code == 422 and "kies als status open, afgesloten, alle" in status.text
