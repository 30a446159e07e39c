"""Many concurrent fires on few cases from several engines (as several server processes
have) on one database: every fire without ``expected_seq`` is recorded, none fails on a
deadlock or a lost race, and every chain still verifies. A fire that names a version the
case is no longer at still gets its conflict."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import Engine

from adapters.sql.database import make_engine as make_db
from engine.access import OPERATOR
from engine.clock import FixedClock
from engine.errors import ConcurrencyConflict
from engine.protocol.loader import load_protocol_text
from engine.usecases.cases import Firing
from tests.support import Driver, make_driver, person

FACTS = """
id: feiten
version: 1
title: Feiten
source: test
roles: {handler: {label: Behandelaar}}
inputs:
  stand: {type: getal, label: Stand, source: test}
initial: open
steps:
  open: {label: Open}
  klaar: {label: Klaar, final: true}
transitions:
  - {trigger: tellen, label: Tellen, from: open, roles: [handler], requires: [stand]}
  - {trigger: afsluiten, label: Afsluiten, from: open, to: klaar, roles: [handler]}
"""
HANDLER = person("h", "handler", school="de-linde")
PROCESSES = 3  # engines, each with its own group-commit writer and connections
THREADS = 8  # per engine: 24 clients
CASES = 5
SECONDS = 4.0  # bounded: every client stops firing after this, whatever happens


def test_concurrent_fires_on_few_cases_from_several_engines_all_succeed(db: Engine, db_url: str, clock: FixedClock) -> None:
    first = make_driver(db, clock)
    first.engine.protocols.load(OPERATOR, load_protocol_text(FACTS, "feiten.yaml"))
    ids = [
        first.engine.cases.open(HANDLER, "feiten", school="de-linde", subject=f"Leerling-C{i}", role="handler").id
        for i in range(CASES)
    ]
    others = [make_db(db_url) for _ in range(PROCESSES - 1)]
    drivers: list[Driver] = [first, *(make_driver(e, clock) for e in others)]
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def client(driver: Driver, n: int) -> None:
        i = 0
        while time.monotonic() < deadline and i < 200:
            case_id = ids[(n + i) % CASES]
            request = Firing("tellen", "handler", {"stand": str(i)})
            try:
                driver.engine.cases.fire_and_show(HANDLER, case_id, request)
                outcome = "ok"
            except Exception as exc:  # every failure is counted by its kind and message
                outcome = f"{type(exc).__name__}: {exc}"
            with lock:
                outcomes[outcome] += 1
            i += 1

    threads = [
        threading.Thread(target=client, args=(driver, p * THREADS + t))
        for p, driver in enumerate(drivers)
        for t in range(THREADS)
    ]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(SECONDS + 60)
        assert not any(t.is_alive() for t in threads)
    finally:
        for e in others:
            e.dispose()

    assert set(outcomes) == {"ok"}, outcomes
    recorded = sum(len(first.events(case_id)) - 1 for case_id in ids)
    assert recorded == outcomes["ok"] > CASES
    for case_id in ids:
        assert first.verify(case_id).ok
    verified = first.engine.checkpoints.verify_store(OPERATOR)
    assert verified.ok, verified.problems  # the access log still chains


def test_a_fire_that_names_a_version_gets_its_conflict_and_is_not_retried(trede: Driver) -> None:
    trede.engine.protocols.load(OPERATOR, load_protocol_text(FACTS, "feiten.yaml"))
    case_id = trede.engine.cases.open(HANDLER, "feiten", school="de-linde", subject="Leerling-C", role="handler").id
    trede.engine.cases.fire(HANDLER, case_id, "tellen", role="handler", inputs={"stand": "1"})
    with pytest.raises(ConcurrencyConflict):
        trede.engine.cases.fire_and_show(HANDLER, case_id, Firing("tellen", "handler", {"stand": "2"}, expected_seq=1))
    assert len(trede.events(case_id)) == 2


def test_a_fire_without_a_version_is_tried_again_after_losing_a_race(trede: Driver) -> None:
    trede.engine.protocols.load(OPERATOR, load_protocol_text(FACTS, "feiten.yaml"))
    case_id = trede.engine.cases.open(HANDLER, "feiten", school="de-linde", subject="Leerling-R", role="handler").id
    commits = trede.engine.services.commits
    real, lost = commits.submit, []

    def loses_once(work, **options):  # type: ignore[no-untyped-def]
        def first_loses(uow):  # type: ignore[no-untyped-def]
            if not lost:  # in the writer's transaction, as when another process recorded an event on the case in between
                lost.append(case_id)
                raise ConcurrencyConflict(case_id, None, None)
            return work(uow)

        return real(first_loses, **options)

    commits.submit = loses_once  # type: ignore[method-assign]
    shown = trede.engine.cases.fire_and_show(HANDLER, case_id, Firing("tellen", "handler", {"stand": "1"}))
    assert lost == [case_id] and shown.case.seq == 2
    lost.clear()
    with pytest.raises(ConcurrencyConflict):
        trede.engine.cases.fire_and_show(HANDLER, case_id, Firing("tellen", "handler", {"stand": "2"}, expected_seq=2))
    assert len(trede.events(case_id)) == 2
