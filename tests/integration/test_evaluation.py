"""The yearly safety evaluation (issue 28, item 5): the demo year, the PDF (headings shown,
suppressed numbers not), the page's role checks, the access log and the monitor import."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api.bootstrap import App
from api.demo import CATEGORIES, seed_cases
from engine.access import OPERATOR
from engine.errors import MonitorFileError, PermissionDenied
from engine.evaluation import parse_monitor_csv, school_year_of
from engine.terms import local_date
from tests.integration.helpers import login
from tests.support import person


def _year(app: App) -> str:
    return str(school_year_of(local_date(app.engine.clock.now())))


def _record(app: App, school: str, day: date, n: int, kind: str, place: str, seriousness: str) -> None:
    teacher = person("juf.anna", "leerkracht", school=school)
    for _ in range(n):
        app.engine.incidents.record(teacher, school=school, kind=kind, place=place, seriousness=seriousness, happened=day)


@pytest.fixture
def small_year(app: App) -> str:
    """The feature's table: Verbaal geweld/Licht = 2 among 6, 7 and 8 (engine/suppression.py)."""
    app.engine.incidents.load_categories(OPERATOR, CATEGORIES.read_text(encoding="utf-8"), CATEGORIES.name)
    today = local_date(app.engine.clock.now())
    day = max(school_year_of(today).first, today - timedelta(days=1))
    _record(app, "de-linde", day, 6, "pesten", "plein", "middel")
    _record(app, "de-linde", day, 7, "pesten", "klas", "licht")
    _record(app, "de-linde", day, 2, "verbaal_geweld", "plein", "licht")
    _record(app, "de-linde", day, 8, "verbaal_geweld", "klas", "middel")
    return _year(app)


def test_the_demo_year_gives_a_non_empty_evaluation(app: App) -> None:
    seed_cases(app.engine)
    evaluation = app.engine.evaluations.make(
        person("mevr.raad", "bevoegd_gezag"), school_year_of(local_date(app.engine.clock.now())), board="stichting-demo"
    )
    totals = {t.title: t.counts.total for t in evaluation.tables}
    assert totals["Incidenten naar soort en ernst"] > 0
    assert totals["Klachten (klachtenregeling)"] >= 1
    assert totals["Zaken naar protocol en stand"] > 0
    assert evaluation.hidden  # the demo's counts are small: suppressed
    with pytest.raises(PermissionDenied):
        app.engine.evaluations.make(person("dhr.bos", "directeur", school="de-linde"), evaluation.school_year,
                                    board="stichting-demo")


def test_the_pdf_shows_the_headings_and_not_the_suppressed_numbers(app: App, web: TestClient, small_year: str) -> None:
    login(web, "dhr.bos")
    answer = web.get(f"/evaluatie/evaluatie.pdf?school=de-linde&schooljaar={small_year}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    for heading in ("Jaarevaluatie sociale veiligheid", "Incidenten naar soort en ernst", "Incidenten naar plaats",
                    "Klachten (klachtenregeling)", "Meldingen van ernstige incidenten", "Termijnen gehaald en gemist",
                    "Monitor sociale veiligheid"):
        assert heading in text
    assert "Verbaal geweld <5 x 10" in text and "Pesten x x 13" in text and "totaal 9 14 23" in text
    assert "Verbaal geweld 2 8 10" not in text and "Pesten 7 6 13" not in text
    with app.engine.services.uow() as uow:
        logged = [e for e in uow.access_log.list(None, limit=500) if e.what == "evaluatie"]
    assert len(logged) == 23 and all(e.username == "dhr.bos" for e in logged)


def test_who_may_read_the_page(web: TestClient, small_year: str) -> None:
    url = f"/evaluatie?school=de-linde&schooljaar={small_year}"
    login(web, "juf.anna")
    assert web.get(url).status_code == 403
    web.cookies.clear()
    login(web, "mevr.dekker")  # directeur of another school
    assert web.get(url).status_code == 403
    web.cookies.clear()
    login(web, "dhr.bos")
    page = web.get(url)
    assert page.status_code == 200 and "Incidenten naar soort en ernst" in page.text and "<svg" in page.text
    assert "klein aantal (minder dan 5)" in page.text
    assert web.get(f"/evaluatie?bestuur=stichting-demo&schooljaar={small_year}").status_code == 403
    web.cookies.clear()
    login(web, "mevr.raad")
    assert web.get(f"/evaluatie?bestuur=stichting-demo&schooljaar={small_year}").status_code == 200


def test_the_monitor_import_is_strict_and_versioned(app: App) -> None:
    head = "school;schooljaar;instrument;indicator;score;eenheid;respondenten\n"
    with pytest.raises(MonitorFileError) as raised:
        parse_monitor_csv(head + "de-linde;2025-2027;Monitor;Voelt zich veilig;91,5;percentage;40\n"
                          "de-linde;2025-2026;Monitor;Gepest;abc;percentage;-1\n", "m.csv")
    problems = raised.value.problems
    assert any(p.startswith("m.csv:2: schooljaar") for p in problems)
    assert any(p.startswith("m.csv:3: score 'abc'") for p in problems)
    assert any(p.startswith("m.csv:3: respondenten") for p in problems)
    good = head + "de-linde;2025-2026;Monitor;Voelt zich veilig;91,5;percentage;40\nde-linde;2025-2026;Monitor;Gepest;7;percentage;3\n"
    director = person("dhr.bos", "directeur", school="de-linde")
    assert [v for _, v in app.engine.evaluations.import_monitor(director, good, "m.csv")] == [1]
    assert [v for _, v in app.engine.evaluations.import_monitor(director, good, "m.csv")] == [None]
    assert [v for _, v in app.engine.evaluations.import_monitor(director, good.replace("91,5", "92"), "m.csv")] == [2]
    with pytest.raises(PermissionDenied):
        app.engine.evaluations.import_monitor(person("mevr.dekker", "directeur", school="het-anker"), good, "m.csv")
    with app.engine.services.uow() as uow:
        latest = uow.monitor.latest("de-linde", "2025-2026")
    assert latest is not None and latest.version == 2
    assert [r.shown_score() for r in latest.rows] == ["92,0 %", "verborgen (<5 respondenten)"]
