"""`audit verify --all` on a multi-core server verifies in worker processes, each case in
a chunk read in a snapshot of the worker's own. Every kind of tampering is found there just
as in one process, on SQLite and PostgreSQL: chunks of one case (each worker reads some),
against chunks of two in the caller's own transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from adapters.sql.parallel import ProcessVerifier, read_ahead
from engine.access import OPERATOR
from engine.audit import Verification
from engine.clock import FixedClock
from tests.integration.test_tamper import guards_off
from tests.support import Driver as Trede

# (statements on case :c, the first bad event, words of the problem)
ATTACKS: dict[str, tuple[list[str], int | None, str]] = {
    "content-changed-hash-kept": (
        ["UPDATE events SET record = replace(record, '\"licht\"', '\"ernstig\"') WHERE case_id = :c AND seq = 2"],
        2,
        "gebeurtenis 2 is gewijzigd",
    ),
    "hash-changed": (
        ["UPDATE events SET hash = replace(hash, substr(hash, 1, 1), 'x') WHERE case_id = :c AND seq = 2"],
        2,
        "gebeurtenis 2 is gewijzigd",
    ),
    "deleted-in-the-middle": (["DELETE FROM events WHERE case_id = :c AND seq = 2"], 2, "gebeurtenis 2 ontbreekt"),
    "reordered": (
        [
            "UPDATE events SET seq = -seq WHERE case_id = :c AND seq IN (2, 3)",
            "UPDATE events SET seq = 5 + seq WHERE case_id = :c AND seq IN (-2, -3)",
        ],
        2,
        "gebeurtenis 2",
    ),
    "last-deleted": (["DELETE FROM events WHERE case_id = :c AND seq = 4"], 4, "gebeurtenis 4 ontbreekt"),
    "column": (["UPDATE events SET to_step = 'afgesloten' WHERE case_id = :c AND seq = 2"], 2, "to_step wijkt af"),
    "time-column": (
        [
            "UPDATE events SET recorded_at = (SELECT e.recorded_at FROM events e WHERE e.case_id = :c AND e.seq = 1)"
            " WHERE case_id = :c AND seq = 3"
        ],
        3,
        "recorded_at wijkt af",
    ),
    "actor-column": (["UPDATE events SET actor = 'vervalst' WHERE case_id = :c AND seq = 2"], 2, "actor wijkt af"),
    "personal-value": (
        ["UPDATE personal_data SET value = 'iemand anders' WHERE case_id = :c AND seq = 2 AND ref = 'actor'"],
        2,
        "persoonsgegevens (actor) zijn gewijzigd",
    ),
    "projection": (["UPDATE cases SET step = 'melding' WHERE id = :c"], None, "de opgeslagen zaak wijkt af"),
}


def _cases(trede: Trede, clock: FixedClock, n: int) -> list[str]:
    """Cases of four events each, a minute apart."""
    ids = []
    for i in range(n):
        case_id = trede.open_case(
            "proef-escalatie", school="de-linde", subject=f"Leerling-P{i}", actor="juf.anna", role="leerkracht"
        ).id
        for trigger, actor, role, inputs in (
            ("melden", "juf.anna", "leerkracht", {"ernst": "licht"}),
            ("onderzoek_afronden", "mevr.ib", "intern_begeleider", {"motivering": "gesproken"}),
            ("afsluiten", "dhr.directeur", "directeur", {"motivering": "gestopt"}),
        ):
            clock.advance(timedelta(minutes=1))
            trede.fire(case_id, trigger, actor=actor, role=role, inputs=inputs)
        ids.append(case_id)
    return ids


def _both_ways(trede: Trede, db: Engine) -> tuple[list[Verification], list[Verification], list[int]]:
    services = trede.engine.services
    services.parallel_verifier = None
    in_process = trede.engine.reads.verify_all(OPERATOR, chunk=2)
    verifier = ProcessVerifier(db.url.render_as_string(hide_password=False), processes=2)
    handed: list[int] = []

    def parallel(chunks: Sequence[Sequence[str]]) -> list[Verification]:
        handed.append(len(chunks))
        return verifier(chunks)

    services.parallel_verifier = parallel
    in_parallel = trede.engine.reads.verify_all(OPERATOR, chunk=1)
    return in_process, in_parallel, handed


def test_an_untouched_trail_verifies_in_the_worker_processes(trede: Trede, db: Engine, clock: FixedClock) -> None:
    cases = _cases(trede, clock, 5)
    in_process, in_parallel, handed = _both_ways(trede, db)
    assert handed == [5]  # one chunk a case, all through the workers
    assert in_parallel == in_process
    assert [(v.case_id, v.ok, v.events) for v in in_parallel] == [(c, True, 4) for c in cases]


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_tampering_is_found_in_the_worker_processes(trede: Trede, db: Engine, clock: FixedClock, attack: str) -> None:
    cases = _cases(trede, clock, 5)
    statements, first_bad, named = ATTACKS[attack]
    with guards_off(db) as conn:
        for statement in statements:
            conn.execute(text(statement), {"c": cases[2]})
    in_process, in_parallel, handed = _both_ways(trede, db)
    assert handed == [5]
    assert in_parallel == in_process  # the same results, in the same order (the cases' opening)
    assert [v.case_id for v in in_parallel] == cases
    [bad] = [v for v in in_parallel if not v.ok]
    assert (bad.case_id, bad.first_bad_seq) == (cases[2], first_bad) and named in (bad.problem or ""), bad


def test_a_case_row_deleted_leaves_its_events_named_as_orphans(trede: Trede, db: Engine, clock: FixedClock) -> None:
    cases = _cases(trede, clock, 5)
    gone = cases[2]
    if db.dialect.name == "postgresql":
        with guards_off(db) as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # the foreign keys too
            conn.execute(text("DELETE FROM deadlines WHERE case_id = :c"), {"c": gone})
            conn.execute(text("DELETE FROM cases WHERE id = :c"), {"c": gone})
    else:  # the file, opened without foreign keys
        raw = sqlite3.connect(str(db.url.database), isolation_level=None)
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute("DELETE FROM deadlines WHERE case_id = ?", (gone,))
        raw.execute("DELETE FROM cases WHERE id = ?", (gone,))
        raw.close()
    in_process, in_parallel, handed = _both_ways(trede, db)
    assert handed == [4] and in_parallel == in_process
    assert [v.case_id for v in in_parallel] == [c for c in cases if c != gone] + [gone]
    [bad] = [v for v in in_parallel if not v.ok]
    assert bad.case_id == gone and "de zaak ontbreekt, maar 4 gebeurtenis(sen)" in (bad.problem or "")


def test_reading_ahead_passes_over_what_is_no_file(tmp_path: Path) -> None:
    for url in ("sqlite://", "sqlite:///:memory:", f"sqlite:///{tmp_path / 'nog-niet.db'}", "postgresql+psycopg://h/db"):
        read_ahead(url)  # nothing to read ahead: no error, no file made
    assert list(tmp_path.iterdir()) == []
