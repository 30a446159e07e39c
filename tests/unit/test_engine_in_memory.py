"""Use cases through the Engine facade, on the in-memory unit of work (tests/memory.py) with
a clock that moves only when told: what a person does and sees, without a database.

The case opens on Mon 02-03-2026 09:00 UTC (tests.conftest.START); "1 dag" after a report
on that day ends on Tue 03-03.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from engine.access import HIDDEN
from engine.clock import FixedClock
from engine.errors import GuardFailed, UndeclaredInput
from engine.events import EventType
from engine.protocol.loader import load_protocol_file
from tests.conftest import PROEF, START
from tests.memory import MemoryStore, memory_engine
from tests.support import Driver, person

MELDER = Path(__file__).parents[1] / "protocols" / "melder.yaml"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore(sandbox=True)


@pytest.fixture
def trede(clock: FixedClock, store: MemoryStore) -> Driver:
    driver = Driver(memory_engine(clock, store=store))
    driver.load_protocol(load_protocol_file(PROEF))
    driver.load_protocol(load_protocol_file(MELDER))
    return driver


def reported(trede: Driver, ernst: str = "licht", **kw: object) -> str:
    case_id = trede.open_case(
        "proef-escalatie", school="de-linde", subject="Leerling-K3", actor="juf.anna", role="leerkracht", **kw
    ).id
    trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": ernst}, **kw)
    return case_id


def test_a_case_moves_on_the_record_and_its_chain_verifies(trede: Driver) -> None:
    case_id = reported(trede, "ernstig")
    case = trede.fire(
        case_id, "direct_maatregel", actor="dhr.bos", role="directeur", inputs={"motivering": "slaan", "akkoord_directeur": "ja"}
    )
    assert (case.step, case.seq) == ("maatregel", 3)
    events = trede.events(case_id)
    assert [e.type for e in events] == [EventType.OPENED, EventType.TRANSITION, EventType.TRANSITION]
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert "slaan" not in (events[2].record or "")  # free text only as a salted commitment
    assert trede.verify(case_id).ok


def test_a_guard_refuses_and_nothing_is_recorded(trede: Driver) -> None:
    case_id = reported(trede, "licht")
    with pytest.raises(GuardFailed):
        trede.fire(
            case_id, "direct_maatregel", actor="dhr.bos", role="directeur", inputs={"motivering": "x", "akkoord_directeur": "ja"}
        )
    assert trede.show(case_id).case.seq == 2 and len(trede.events(case_id)) == 2


def test_an_undeclared_input_is_refused_and_an_obligation_records_no_facts(trede: Driver) -> None:
    case_id = reported(trede, "licht")
    with pytest.raises(UndeclaredInput):
        trede.fire(case_id, "afsluiten", actor="dhr.bos", role="directeur", inputs={"motivering": "x", "ernst": "ernstig"})
    with pytest.raises(UndeclaredInput):
        trede.fire(case_id, "ouders_geinformeerd", actor="juf.anna", role="leerkracht", inputs={"ernst": "ernstig"})
    before = trede.show(case_id).case
    after = trede.fire(case_id, "ouders_geinformeerd", actor="juf.anna", role="leerkracht")
    assert trede.events(case_id)[-1].type == EventType.OBLIGATION
    assert (after.step, after.facts) == (before.step, before.facts) == ("onderzoek", {"ernst": "licht"})
    assert next(d for d in after.deadlines.values() if d.id == "ouders_geinformeerd").status == "vervuld"


def test_a_deadline_runs_from_the_moment_of_the_act(trede: Driver, clock: FixedClock) -> None:
    clock.advance(timedelta(days=3))  # Thursday: the report is recorded late, dated Monday
    case_id = reported(trede, "licht", effective=date(2026, 3, 2))
    term = next(d for d in trede.show(case_id).case.deadlines.values() if d.id == "ouders_geinformeerd")
    assert (term.start_date, term.due_date) == ("2026-03-02", "2026-03-03")
    assert trede.show(case_id).case.deadlines[term.key].status == "open"  # the worker has not run yet
    assert [e.data["deadline"] for e in trede.run_timers()] == [term.key]  # overdue, dated at its due moment
    assert trede.events(case_id)[-1].effective_at == term.due_at


def test_a_protected_melder_reads_afgeschermd_for_a_viewer_not_in_visible_to(trede: Driver) -> None:
    case_id = trede.open_case("proef-melder", school="de-linde", subject="Melder-M1", actor="juf.anna", role="melder").id
    trede.fire(case_id, "contact_vastleggen", actor="juf.anna", role="melder", inputs={"telefoon": "0612345678"})
    directeur = trede.show(case_id, "directeur").case
    assert (directeur.subject, directeur.opened_by, directeur.facts["telefoon"]) == (HIDDEN, HIDDEN, HIDDEN)
    vertrouwenspersoon = trede.show(case_id, "vertrouwenspersoon").case
    assert (vertrouwenspersoon.subject, vertrouwenspersoon.opened_by) == ("Melder-M1", "juf.anna")
    events = trede.engine.reads.events(person("dhr.bos", "directeur"), case_id)
    assert {e.actor for e in events} == {HIDDEN}


def test_every_view_is_logged_and_a_melders_own_view_goes_to_the_melders_log(trede: Driver, clock: FixedClock) -> None:
    case_id = trede.open_case("proef-melder", school="de-linde", subject="Melder-M1", actor="juf.anna", role="melder").id
    trede.engine.reads.case(person("dhr.bos", "directeur"), case_id)
    trede.engine.reads.case(person("juf.anna", "melder"), case_id)
    with trede.uow() as uow:
        named = uow.access_log.chain()
        reporting = uow.reporter_log.chain()
    assert [(r.entry.username, r.entry.what, r.entry.at) for r in named] == [("dhr.bos", "zaak", clock.now())]
    assert [(r.entry.roles, r.entry.day) for r in reporting] == [("melder", date(2026, 3, 2))]
    assert "juf.anna" not in reporting[0].entry.reader  # a keyed commitment, not the name


def test_verifying_everything_names_only_the_case_whose_event_was_altered(trede: Driver, store: MemoryStore) -> None:
    altered, untouched = reported(trede), reported(trede)
    assert all(v.ok for v in trede.verify_all())
    with store.edit() as tables:  # someone with access to the storage edits the second event
        first, second = tables.events[altered][:2]
        tables.events[altered] = (first, replace(second, record=second.record.replace("licht", "ernstig")))
    results = {v.case_id: v for v in trede.verify_all()}
    assert results[untouched].ok
    assert (results[altered].ok, results[altered].first_bad_seq) == (False, 2)
    assert "gewijzigd" in (results[altered].problem or "")


def test_anonymising_erases_the_personal_values_and_the_chain_still_verifies(trede: Driver) -> None:
    case_id = reported(trede)
    trede.fire(case_id, "afsluiten", actor="dhr.bos", role="directeur", inputs={"motivering": "Leerling-K3 is gestopt"})
    trede.anonymise(case_id, actor="mw.privacy", reason="bewaartermijn verstreken")
    events = trede.events(case_id)
    assert trede.show(case_id).case.subject == "[geanonimiseerd]"
    assert events[2].inputs["motivering"] == "[geanonimiseerd]" and events[0].actor == "[geanonimiseerd]"
    assert events[-1].type == EventType.ANONYMISED and events[-1].actor == "mw.privacy"
    assert trede.verify(case_id).ok
