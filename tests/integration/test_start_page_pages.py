"""The start page lists a school's cases a page at a time, most urgent first; only the
cases on the page (and the user's own first page) are read in full and logged."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.access import Principal
from engine.clock import FixedClock
from engine.scheduling import urgency
from engine.views import PER_PAGE, CaseFilter
from tests.integration.helpers import drive, login, open_gedrag, token_for

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


def in_order(app: App, clock: FixedClock, n: int) -> list[str]:
    """``n`` cases of de-linde 5a, a minute apart (the list's order is the order opened)."""
    opened = []
    for _ in range(n):
        opened.append(open_gedrag(drive(app), "de-linde", "5a"))
        clock.advance(timedelta(minutes=1))
    return opened


def test_the_api_case_list_pages_with_a_link_to_the_next(app: App, web: TestClient, clock: FixedClock) -> None:
    opened = in_order(app, clock, 5)
    other = open_gedrag(drive(app), "het-anker", "3b")  # not juf.anna's
    headers = token_for(app, "juf.anna")
    first = web.get("/api/v1/cases?limit=2", headers=headers)
    assert [c["id"] for c in first.json()] == opened[:2]
    assert first.headers["link"] == f'</api/v1/cases?limit=2&after={opened[1]}>; rel="next"'
    seen, answer = [c["id"] for c in first.json()], first
    while "link" in answer.headers:
        answer = web.get(answer.headers["link"].split(">")[0].lstrip("<"), headers=headers)
        seen += [c["id"] for c in answer.json()]
    assert seen == opened and other not in seen  # every case once, in the order opened
    assert [c["id"] for c in web.get("/api/v1/cases", headers=headers).json()] == opened
    hidden = web.get(f"/api/v1/cases?after={other}", headers=headers)  # a case she may not see: no start
    unknown = web.get("/api/v1/cases?after=Z999", headers=headers)
    assert hidden.status_code == unknown.status_code == 422 and hidden.json()["detail"] == unknown.json()["detail"]
    assert hidden.json()["field"] == "after"
    assert web.get("/api/v1/cases?limit=1001", headers=headers).json()["field"] == "limit"


def test_only_the_cases_returned_are_logged(app: App, web: TestClient, clock: FixedClock) -> None:
    opened = in_order(app, clock, 3)
    web.get("/api/v1/cases?limit=1", headers=token_for(app, "juf.anna"))
    logged = [sum(1 for e in app.engine.reads.access_log(principal(app, "dhr.privacy"), c).entries if e.what == "api") for c in opened]
    assert logged == [1, 0, 0]
