"""The reports count every case's step changes from the events' indexed columns and read in
full only the cases whose tables need more (incidents, the meldcode's Bijlage 10, triage):
the tables are the same as when every event of every case is read."""

from __future__ import annotations

from api.bootstrap import App
from api.demo import seed_cases
from engine.usecases.reports import build_tables, scope
from engine.views import Names


def test_reports_read_step_changes_and_give_the_tables_of_every_event(app: App) -> None:
    seed_cases(app.engine)
    engine = app.engine
    for username in ("mevr.raad", "dhr.bos", "dhr.audit", "mevr.smit"):
        principal = engine.users.principal(username)
        assert principal is not None
        board = scope(principal)
        tables = engine.reports.tables(principal)
        services = engine.reads.services
        with services.uow() as uow:
            seen = engine.reads.visible(uow, principal)
            events = uow.cases.events_many([a.case.id for a in seen])
            schools = {s.id: s.name for s in uow.schools.list()}
            contacts = {e.actor for evs in events.values() for e in evs if e.role == "aandachtsfunctionaris"}
            people = uow.users.display_names(contacts) if contacts and not board else {}
        every = build_tables(services, {a.case.id: a.case for a in seen}, events, board, Names(schools, people))
        assert [(t.title, t.rows) for t in tables] == [(t.title, t.rows) for t in every], username
        assert any(t.rows for t in tables), username
