"""Holes found in the paged case lists (start page and API), on SQLite and PostgreSQL: what
a list shows is what the access log says was shown, and a small page costs a small read."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.account_ports import Notice
from engine.views import CaseFilter
from tests.integration.helpers import drive, login, open_gedrag
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
