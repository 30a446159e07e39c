"""Holes found in the paged case lists (start page and API), on SQLite and PostgreSQL: what
a list shows is what the access log says was shown, and a small page costs a small read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from adapters.sql.uow import SqlCases
from api.bootstrap import App
from engine.account_ports import Notice
from engine.clock import FixedClock
from engine.views import CaseFilter
from tests.integration.helpers import drive, login, open_gedrag, token_for
from tests.integration.test_start_page_pages import listed_by, principal


def _notify(app: App, case_id: str, username: str) -> None:
    """A notice for ``username`` about the case (as the worker records one for a deadline)."""
    with app.engine.services.uow(write=True) as uow:
        uow.notifications.record([Notice(case_id, "stap_2", "verlopen", username, "app", "2026-03-03")], app.engine.clock.now())
        uow.commit()


def test_a_notice_names_a_case_off_the_page_and_that_case_is_logged(app: App, web: TestClient) -> None:
    """The start page's notices name a case by its pupil's pseudonym, also when the case is
    not on the page shown (another group filtered on, a later page): that case was shown,
    and the access log says so."""
    driver = drive(app)
    elsewhere = open_gedrag(driver, "de-linde", "6a")
    open_gedrag(driver, "de-linde", "5a")
    _notify(app, elsewhere, "dhr.bos")
    shown = app.engine.reads.overview(principal(app, "dhr.bos"), CaseFilter(group="5a"))
    assert elsewhere not in {v.case.id for v in [*shown.cases, *shown.mine]}
    [notice] = [n for n in shown.notifications if n.notice.case_id == elsewhere]
    assert notice.subject == "Leerling-de-linde-6a"
    assert listed_by(app, elsewhere, "dhr.bos") == 1
    login(web, "dhr.bos")
    page = web.get("/?groep=5a")
    assert "Leerling-de-linde-6a" in page.text
    assert listed_by(app, elsewhere, "dhr.bos") == 2


@pytest.fixture
def reads_of_cases(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many cases each ``get_many`` of the SQL store reads, in order."""
    sizes: list[int] = []
    original = SqlCases.get_many

    def counted(self: SqlCases, case_ids: Any) -> Any:
        sizes.append(len(case_ids))
        return original(self, case_ids)

    monkeypatch.setattr(SqlCases, "get_many", counted)
    yield sizes


def test_a_page_of_one_does_not_read_the_school_two_cases_at_a_time(
    app: App, web: TestClient, clock: FixedClock, reads_of_cases: list[int]
) -> None:
    """A teacher sees her group's cases among a school's many others: ``limit=1`` read the
    school in pieces of two cases, one query each, until a second case of hers turned up
    (at a school with a few thousand cases, thousands of queries for one answer)."""
    driver = drive(app)
    hers = [open_gedrag(driver, "de-linde", "5a")]
    for _ in range(40):
        clock.advance(timedelta(minutes=1))
        open_gedrag(driver, "de-linde", "6a")
    clock.advance(timedelta(minutes=1))
    hers.append(open_gedrag(driver, "de-linde", "5a"))
    headers = token_for(app, "juf.anna")
    reads_of_cases.clear()
    first = web.get("/api/v1/cases?limit=1", headers=headers)
    assert [c["id"] for c in first.json()] == hers[:1] and "link" in first.headers
    assert len(reads_of_cases) <= 2, reads_of_cases
    reads_of_cases.clear()
    second = web.get(first.headers["link"].split(">")[0].lstrip("<"), headers=headers)
    assert [c["id"] for c in second.json()] == hers[1:] and "link" not in second.headers
    assert len(reads_of_cases) <= 2, reads_of_cases
