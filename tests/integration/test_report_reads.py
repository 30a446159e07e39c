"""The reports count every case's step changes from the events' indexed columns and read in
full only the cases whose tables need more (incidents, the meldcode's Bijlage 10, triage):
the tables are the same as when every event of every case is read."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from api.bootstrap import App
from api.demo import BOARD, seed_cases
from engine.access import OPERATOR, Membership, Reach, can_view, reach
from engine.clock import FixedClock
from engine.ports import SchoolRecord
from engine.protocol.loader import load_protocol_text
from engine.usecases.reports import REPORT_WHAT, build_tables, individually, scope
from engine.views import Names
from tests.integration.helpers import drive


def test_reports_read_step_changes_and_give_the_tables_of_every_event(app: App) -> None:
    seed_cases(app.engine)
    for username in ("mevr.raad", "dhr.bos", "dhr.audit", "mevr.smit"):
        tables, every = _full_read(app, username)
        assert tables == every, username
        assert any(rows for _, rows in tables), username


# --- counted in the database (issue 30): the same tables as reading every case ---------------

COUNTED = """
id: telling
version: 1
title: Telling (test)
source: test
roles:
  leerkracht: {label: Leerkracht}
  intern_begeleider: {label: Intern begeleider}
  directeur: {label: Directeur}
  bevoegd_gezag: {label: Bevoegd gezag}
  auditor: {label: Auditor}
  behandelaar: {label: Behandelaar, routed: true}
initial: melding
steps:
  melding:
    label: Melding
    obligations:
      - id: melden_binnen
        label: Melden binnen twee dagen
        after: 2 dagen
        basis: test
        roles: [leerkracht]
        escalate: [directeur]
  onderzoek: {label: Onderzoek}
  afgesloten: {label: Afgesloten, final: true}
transitions:
  - {trigger: melden, label: Melden, from: melding, to: onderzoek, roles: [leerkracht], fulfils: [melden_binnen]}
  - {trigger: afsluiten, label: Afsluiten, from: onderzoek, to: afgesloten, roles: [directeur]}
"""
OTHER_BOARD = "ander-bestuur"
READERS = ("mevr.raad", "dhr.bos", "mevr.dekker", "ib.5a", "dhr.audit", "r.behandelaar", "b.bestuur")


def _full_read(app: App, username: str) -> tuple[list[tuple[str, list[list[object]]]], list[tuple[str, list[list[object]]]]]:
    """The report as the use case makes it, and as reading every visible case in full makes it."""
    engine = app.engine
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
    return [(t.title, t.rows) for t in tables], [(t.title, t.rows) for t in every]


@pytest.fixture
def counted(app: App, clock: FixedClock) -> list[str]:
    """Cases of a protocol the database counts: at both schools of our board, in two groups,
    open and closed, obligations met and late, around the turn of the year in Amsterdam
    (21 December 00:30 local time is 20 December in UTC; 30 December 23:59 local is due in January); and a case at a
    school of another board; beside the demo's cases (incidents, the meldcode, need to know)."""
    seed_cases(app.engine)
    trede = drive(app)
    trede.load_protocol(load_protocol_text(COUNTED, "telling.yaml"))
    app.engine.schools.save(OPERATOR, SchoolRecord("de-ster", "Basisschool De Ster", OTHER_BOARD, "zuid"))
    app.engine.users.add("b.bestuur", "b.bestuur", OTHER_BOARD, "x" * 12, [Membership("bevoegd_gezag")])
    # a routed role (and a school role this protocol does not have); an intern begeleider of one group
    routed = [Membership("behandelaar", "de-linde"), Membership("aandachtsfunctionaris", "de-linde")]
    app.engine.users.add("r.behandelaar", "r.behandelaar", BOARD, "x" * 12, routed)
    app.engine.users.add("ib.5a", "ib.5a", BOARD, "x" * 12, [Membership("intern_begeleider", "de-linde", frozenset({"5a"}))])
    opened = []
    moments = [datetime(2025, 12, 20, 23, 30, tzinfo=UTC), datetime(2025, 12, 30, 22, 59, tzinfo=UTC),
               datetime(2026, 1, 30, 23, 15, tzinfo=UTC), datetime(2026, 2, 27, 12, 0, tzinfo=UTC)]
    places = [("de-linde", "5a"), ("de-linde", "6a"), ("het-anker", "6b"), ("de-ster", "1a")]
    for n in range(16):
        clock.set(moments[n % 4] + timedelta(minutes=n))
        school, group = places[n % 4 if n < 12 else n % 3]
        case_id = trede.open_case("telling", school=school, subject=f"L{n}", actor="t", role="leerkracht", group=group).id
        opened.append(case_id)
        if n % 5 == 4:
            continue  # still in its first step, its obligation open
        clock.advance(timedelta(hours=5 + 13 * n))  # within two days for some, late for others
        trede.fire(case_id, "melden", actor="t", role="leerkracht")
        if n % 3 == 0:
            clock.advance(timedelta(days=n, minutes=7))
            trede.fire(case_id, "afsluiten", actor="d", role="directeur")
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    return opened


def test_counted_in_the_database_gives_the_tables_of_reading_every_case(app: App, counted: list[str]) -> None:
    for username in READERS:
        counted_tables, every = _full_read(app, username)
        assert counted_tables == every, username
    # the fixture holds what it promises: open and closed, met and late, both sides of the year
    raad, _ = _full_read(app, "mevr.raad")
    by_title = dict(raad)
    open_rows = {row[1]: row[2] for row in by_title["Open zaken per protocol en stap"] if row[0] == "Telling (test)"}
    assert set(open_rows) == {"Melding", "Onderzoek"}
    months = {row[0]: row[1:] for row in by_title["Termijnen per maand: op tijd en te laat"]}
    assert {"december 2025", "januari 2026"} <= set(months)


def test_a_school_limited_reader_counts_only_their_school_and_no_other_board(app: App, counted: list[str]) -> None:
    def open_count(username: str) -> int:
        tables, _ = _full_read(app, username)
        rows = dict(tables)["Open zaken per protocol en stap"]
        return sum(int(row[2]) for row in rows if row[0] == "Telling (test)" and row[2] != "<5")

    with app.engine.reads.services.uow() as uow:
        cases = uow.cases.get_many(counted)
    open_at = {s: sum(1 for c in cases.values() if c.school == s and not c.closed) for s in ("de-linde", "het-anker", "de-ster")}
    assert all(open_at.values())
    assert open_count("dhr.bos") == open_at["de-linde"]  # a directeur: their school only
    assert open_count("mevr.dekker") == open_at["het-anker"]
    juf = dict(_full_read(app, "ib.5a")[0])["Open zaken per protocol en stap"]  # her group only
    in_5a = sum(1 for c in cases.values() if c.group == "5a" and not c.closed)
    assert sum(int(r[2]) for r in juf if r[0] == "Telling (test)") == in_5a
    # the board's figures: both our schools, never De Ster of the other board (and theirs only
    # De Ster); a board's view writes a figure below five as <5
    def board_rows(schools: set[str]) -> list[list[str]]:
        steps = Counter(c.step.capitalize() for c in cases.values() if c.school in schools and not c.closed)
        return [["Telling (test)", step, "<5" if n < 5 else str(n)] for step, n in sorted(steps.items())]

    def shown(username: str) -> list[list[object]]:
        rows = dict(_full_read(app, username)[0])["Open zaken per protocol en stap"]
        return [row for row in rows if row[0] == "Telling (test)"]

    assert shown("mevr.raad") == board_rows({"de-linde", "het-anker"}) != board_rows({"de-linde", "het-anker", "de-ster"})
    assert shown("b.bestuur") == board_rows({"de-ster"})
    # a routed role sees a case only when it was routed to it: none of these
    assert not any(row[0] == "Telling (test)" for _, rows in _full_read(app, "r.behandelaar")[0] for row in rows)


def test_a_report_logs_the_report_and_only_the_cases_it_shows_one_by_one(app: App, counted: list[str]) -> None:
    """A count reveals no case: the cases counted get no row of their own; the report gets a
    row per school of the reader's scope (no case id); a case in Bijlage 10 or the incident
    registration (a school's own view) gets its own row, as before."""
    engine = app.engine
    bos = engine.users.principal("dhr.bos")
    assert bos is not None
    with engine.reads.services.uow() as uow:
        before = len(uow.access_log.list(None, limit=100_000))
    tables = {t.title: t.rows for t in engine.reports.tables(bos)}
    with engine.reads.services.uow() as uow:
        rows = uow.access_log.list(None, limit=100_000)[: -before or None]
        visible = engine.reads.visible(uow, bos)
        events = uow.cases.events_many([a.case.id for a in visible])
    report = [r for r in rows if r.what == REPORT_WHAT]
    assert [(r.username, r.case_id, r.school) for r in report] == [("dhr.bos", "", "de-linde")]
    per_case = {r.case_id for r in rows if r.what == "rapportage"}
    assert per_case == individually(engine.reads.services, {a.case.id: a.case for a in visible}, events, False)
    assert per_case and not per_case & set(counted)  # the counted protocol's cases: no row each
    assert len(tables["Rapportage meldcode (Bijlage 10)"]) + len(
        {row[0] for row in tables["Incidentenregistratie (Bijlage 11)"]}
    ) >= 1
    meldcode = {a.case.id for a in visible if a.protocol.id == "meldcode-hgkm"}
    assert meldcode <= per_case


def test_reach_decides_as_the_rule_does_for_each_case(app: App, counted: list[str]) -> None:
    """ALL: every case of the class is visible; NONE: none is; EACH: left to ``can_view``."""
    engine = app.engine
    with engine.reads.services.uow() as uow:
        cases = uow.cases.get_many(uow.cases.ids(None))
    principals = engine.users.all_principals()
    decided: Counter[Reach] = Counter()
    for principal in principals:
        for case in cases.values():
            protocol = engine.reads.services.protocol(case.protocol_hash)
            found = reach(principal, protocol, case.school, case.group)
            if found is not Reach.EACH:
                assert can_view(principal, case, protocol) == (found is Reach.ALL), (principal.username, case.id)
            decided[found] += 1
    assert decided[Reach.ALL] and decided[Reach.NONE] and decided[Reach.EACH]
