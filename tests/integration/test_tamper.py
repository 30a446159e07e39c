"""A database administrator tampers with the trail, after first switching the guards off.

Each attack is played on SQLite and PostgreSQL. Verification must detect and name it: against
a signed checkpoint made before the tampering, and without one wherever that is possible.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from adapters.signing import Ed25519Checker, Ed25519Signer, generate
from engine.access import OPERATOR
from engine.checkpoints import ACCESS_GENESIS, Checkpoint, access_chain
from engine.clock import FixedClock
from engine.errors import TamperedProtocol
from engine.events import Event
from engine.protocol.model import Protocol
from engine.usecases.checkpoints import IntegrityReport
from tests.conftest import make_trede
from tests.support import Driver as Trede
from tests.support import person

GUARDED = (
    "events",
    "protocol_versions",
    "access_log",
    "reporter_access_log",
    "personal_data",
    "letters",
    "attachments",
    "checkpoints",
    "cases",
    "deadlines",
)


@contextmanager
def guards_off(db: Engine) -> Iterator[Connection]:
    """Play the administrator: every trigger off, then raw SQL."""
    with db.begin() as conn:
        if db.dialect.name == "postgresql":
            for table in GUARDED:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all():
                conn.execute(text(f'DROP TRIGGER "{name}"'))
        yield conn


class Trail:
    """Three cases, a fourth with an attachment, personal values, access-log entries, and a
    checkpoint of them all."""

    def __init__(self, db: Engine, clock: FixedClock, proef: Protocol) -> None:
        self.db = db
        self.trede = make_trede(db, clock)
        self.trede.load_protocol(proef)
        self.protocol = proef
        private, public = generate()
        self.signer = Ed25519Signer.from_pem(private)
        self.checker = Ed25519Checker.from_pem(public)
        self.ids = []
        for subject in ("Leerling-A1", "Leerling-B2", "Leerling-C3"):
            case = self.trede.open_case(
                "proef-escalatie", school="de-linde", subject=subject, actor="juf.anna", role="leerkracht"
            )
            self.trede.fire(case.id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
            self.ids.append(case.id)
        ib = person("mevr.ib", "intern_begeleider", school="de-linde")
        with_file = self.trede.open_case(
            "proef-escalatie", school="de-linde", subject="Leerling-D4", actor="juf.anna", role="leerkracht"
        )
        self.trede.engine.notes.attach(ib, with_file.id, name="verslag.txt", content=b"Gesprek gevoerd.")
        self.viewer = ib
        for case_id in self.ids:
            self.trede.engine.reads.detail(self.viewer, case_id)  # writes the access log
        self.checkpoint = self.trede.engine.checkpoints.make(OPERATOR, self.signer)

    def against_checkpoint(self) -> IntegrityReport:
        return self.trede.engine.checkpoints.verify(OPERATOR, self.checkpoint, self.checker)

    def without_checkpoint(self) -> list[str]:
        problems = [f"{r.case_id}: {r.problem}" for r in self.trede.verify_all() if not r.ok]
        return problems + self.trede.engine.checkpoints.verify_store(OPERATOR).problems


@pytest.fixture
def trail(db: Engine, clock: FixedClock, proef: Protocol) -> Trail:
    return Trail(db, clock, proef)


def found(report: IntegrityReport, *words: str) -> bool:
    return not report.ok and any(all(w in p for w in words) for p in report.problems)


def test_an_untouched_trail_is_in_order(trail: Trail) -> None:
    assert trail.against_checkpoint().ok and trail.without_checkpoint() == []


@pytest.mark.parametrize(
    ("attack", "named"),
    [
        ("UPDATE events SET actor = 'vervalst' WHERE case_id = :a AND seq = 2", "gebeurtenis 2"),
        ("DELETE FROM events WHERE case_id = :a AND seq = 2", "gebeurtenis 2"),
        ("UPDATE events SET seq = 3 - seq WHERE case_id = :a", "gebeurtenis 1"),
    ],
    ids=["edit", "delete", "reorder"],
)
def test_an_edited_deleted_or_reordered_event_is_named(trail: Trail, attack: str, named: str) -> None:
    a = trail.ids[0]
    with guards_off(trail.db) as conn:
        if "seq = 3 - seq" in attack:  # swap the two events in two statements (unique keys)
            conn.execute(text("UPDATE events SET seq = -seq WHERE case_id = :a"), {"a": a})
            conn.execute(text("UPDATE events SET seq = 3 + seq WHERE case_id = :a"), {"a": a})
        else:
            conn.execute(text(attack), {"a": a})
    assert any(p.startswith(a) and named in p for p in trail.without_checkpoint())
    assert found(trail.against_checkpoint(), a)


def _rechain(conn: Connection, events: list[Event], start: int, change: dict[str, Any]) -> str:
    """Rewrite events from ``start`` on and recompute every hash after them consistently."""
    prev = events[start - 2].hash
    for event in events[start - 1 :]:
        forged = replace(event, prev_hash=prev, **(change if event.seq == start else {})).sealed()
        conn.execute(
            text(
                "UPDATE events SET record = :r, hash = :h, prev_hash = :p, actor = :actor WHERE case_id = :c AND seq = :s"
            ),
            {
                "r": forged.record,
                "h": forged.hash,
                "p": prev,
                "actor": forged.actor_column(),
                "c": event.case_id,
                "s": event.seq,
            },
        )
        # the actor's value and salt live beside the record: a thorough forger rewrites them too
        where = {"c": event.case_id, "s": event.seq}
        conn.execute(text("DELETE FROM personal_data WHERE case_id = :c AND seq = :s AND ref = 'actor'"), where)
        value, salt = forged.personal["actor"]
        conn.execute(
            text("INSERT INTO personal_data (case_id, seq, ref, value, salt) VALUES (:c, :s, 'actor', :v, :salt)"),
            {**where, "v": value, "salt": salt},
        )
        prev = forged.hash
    return prev


def test_a_case_rechained_consistently_is_caught_by_the_checkpoint(trail: Trail) -> None:
    a = trail.ids[0]
    events = trail.trede.events(a)
    with guards_off(trail.db) as conn:
        head = _rechain(conn, events, 2, {"actor": "vervalst"})
        conn.execute(text("UPDATE cases SET last_hash = :h WHERE id = :a"), {"h": head, "a": a})
    assert trail.without_checkpoint() == []  # consistent: only a checkpoint can tell
    assert found(trail.against_checkpoint(), a, "gebeurtenis 2 is anders dan bij het controlepunt")


def test_a_deleted_case_is_named(trail: Trail) -> None:
    b = trail.ids[1]
    with guards_off(trail.db) as conn:
        for table in ("deadlines", "personal_data", "events"):
            conn.execute(text(f"DELETE FROM {table} WHERE case_id = :b"), {"b": b})
        conn.execute(text("DELETE FROM cases WHERE id = :b"), {"b": b})
    assert found(trail.against_checkpoint(), b, "ontbreekt")


def test_a_truncated_case_with_a_rewritten_projection_is_named(db: Engine, clock: FixedClock, proef: Protocol) -> None:
    trail = Trail(db, clock, proef)
    c = trail.ids[2]
    with db.connect() as conn:  # the projection after its first event, as an attacker would rebuild it
        before = dict(conn.execute(text("SELECT * FROM cases WHERE id = :c"), {"c": c}).mappings().one())
    trede = trail.trede
    trede.fire(c, "onderzoek_afronden", actor="mevr.ib", role="intern_begeleider", inputs={"motivering": "klaar"})
    trail.checkpoint = trede.engine.checkpoints.make(OPERATOR, trail.signer)
    first = trede.events(c)[:2]
    replayed = trede.show(c).case
    with guards_off(db) as conn:
        conn.execute(text("DELETE FROM events WHERE case_id = :c AND seq = 3"), {"c": c})
        conn.execute(text("DELETE FROM personal_data WHERE case_id = :c AND seq = 3"), {"c": c})
        conn.execute(
            text("UPDATE cases SET seq = 2, last_hash = :h, step = :step, counts = :counts WHERE id = :c"),
            {"h": first[-1].hash, "step": before["step"], "counts": before["counts"], "c": c},
        )
        for key, deadline in replayed.deadlines.items():
            if deadline.key.endswith("@3"):
                conn.execute(text("DELETE FROM deadlines WHERE case_id = :c AND key = :k"), {"c": c, "k": key})
            elif deadline.closed_seq == 3:
                conn.execute(
                    text("UPDATE deadlines SET status = 'open', closed_seq = NULL WHERE case_id = :c AND key = :k"),
                    {"c": c, "k": key},
                )
    assert all(not p.startswith(c) for p in trail.without_checkpoint())  # the truncation is consistent
    assert found(trail.against_checkpoint(), c, "ingekort")


def test_an_edited_protocol_text_is_named_and_never_run(trail: Trail, db: Engine, clock: FixedClock) -> None:
    with guards_off(db) as conn:
        conn.execute(text("UPDATE protocol_versions SET text = replace(text, '5 werkdagen', '50 werkdagen')"))
    assert any("de opgeslagen tekst is gewijzigd" in p for p in trail.without_checkpoint())
    assert found(trail.against_checkpoint(), "de opgeslagen tekst is gewijzigd")
    fresh = make_trede(db, clock)  # a new process reads the protocol from the database
    with pytest.raises(TamperedProtocol):
        fresh.fire(
            trail.ids[0], "onderzoek_afronden", actor="mevr.ib", role="intern_begeleider", inputs={"motivering": "x"}
        )


@pytest.mark.parametrize("how", ["null", "delete"])
def test_an_erased_personal_value_without_anonymisation_is_named(trail: Trail, how: str) -> None:
    a = trail.ids[0]
    if how == "null":  # allowed by the guard itself: erasing is what anonymisation does
        with trail.db.begin() as conn:
            conn.execute(text("UPDATE personal_data SET value = NULL WHERE case_id = :a"), {"a": a})
    else:
        with guards_off(trail.db) as conn:
            conn.execute(text("DELETE FROM personal_data WHERE case_id = :a"), {"a": a})
    assert any(p.startswith(a) and "zonder vastgelegde anonimisering" in p for p in trail.without_checkpoint())
    assert found(trail.against_checkpoint(), a, "zonder vastgelegde anonimisering")


def test_a_rewritten_access_log_is_named(trail: Trail) -> None:
    with guards_off(trail.db) as conn:
        conn.execute(text("UPDATE access_log SET username = 'niemand' WHERE id = (SELECT min(id) FROM access_log)"))
    assert any("toegangslog: regel 1 is gewijzigd" in p for p in trail.without_checkpoint())
    assert found(trail.against_checkpoint(), "toegangslog")


def test_an_access_log_rewritten_and_rechained_is_caught_by_the_checkpoint(trail: Trail) -> None:
    """The first view is removed and the rest rechained: consistent, so only a checkpoint tells."""
    with guards_off(trail.db) as conn:
        rows = conn.execute(text("SELECT id, username, roles, case_id, school, what FROM access_log ORDER BY id")).all()
        conn.execute(text("DELETE FROM access_log WHERE id = :i"), {"i": rows[0].id})
        prev = ACCESS_GENESIS
        for row in rows[1:]:
            moment = _aware(conn.execute(text("SELECT at FROM access_log WHERE id = :i"), {"i": row.id}).scalar_one())
            digest = access_chain(prev, moment, row.username, row.roles, row.case_id, row.school, row.what)
            conn.execute(
                text("UPDATE access_log SET prev_hash = :p, hash = :h WHERE id = :i"),
                {"p": prev, "h": digest, "i": row.id},
            )
            prev = digest
    assert trail.trede.engine.checkpoints.verify_store(OPERATOR).ok  # consistent again
    assert found(trail.against_checkpoint(), "toegangslog")


def _aware(stamp: Any) -> Any:
    from datetime import UTC, datetime

    if isinstance(stamp, str):
        return datetime.fromisoformat(stamp.replace(" ", "T")).replace(tzinfo=UTC)
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


REPLACES = {
    "events": "REPLACE INTO events SELECT * FROM events WHERE case_id = :a AND seq = 1",
    "protocol_versions": "INSERT OR REPLACE INTO protocol_versions SELECT * FROM protocol_versions",
    "access_log": "REPLACE INTO access_log SELECT * FROM access_log",
    "personal_data": "REPLACE INTO personal_data SELECT * FROM personal_data WHERE case_id = :a",
    "checkpoints": "REPLACE INTO checkpoints SELECT * FROM checkpoints",
    "attachments": "REPLACE INTO attachments SELECT * FROM attachments",
}


@pytest.mark.parametrize("table", sorted(REPLACES))
def test_replace_is_refused_with_the_guards_in_place(trail: Trail, table: str) -> None:
    if trail.db.dialect.name == "postgresql":  # no REPLACE; an upsert is an UPDATE, which the guards refuse
        statement = {
            "events": "INSERT INTO events SELECT * FROM events WHERE case_id = :a AND seq = 1 "
            "ON CONFLICT (case_id, seq) DO UPDATE SET actor = 'vervalst'",
            "protocol_versions": "INSERT INTO protocol_versions SELECT * FROM protocol_versions "
            "ON CONFLICT (content_hash) DO UPDATE SET text = 'vervalst'",
            "access_log": "INSERT INTO access_log SELECT * FROM access_log ON CONFLICT (id) DO UPDATE SET username = 'x'",
            "personal_data": "INSERT INTO personal_data SELECT * FROM personal_data WHERE case_id = :a "
            "ON CONFLICT (case_id, seq, ref) DO UPDATE SET value = 'vervalst'",
            "checkpoints": "INSERT INTO checkpoints SELECT * FROM checkpoints ON CONFLICT (id) DO UPDATE SET signature = 'x'",
            "attachments": "INSERT INTO attachments SELECT * FROM attachments "
            "ON CONFLICT (case_id, seq) DO UPDATE SET content = 'x'",
        }[table]
    else:
        statement = REPLACES[table]
    with pytest.raises(DBAPIError, match="trede"), trail.db.begin() as conn:
        conn.execute(text(statement), {"a": trail.ids[0]})
    assert trail.against_checkpoint().ok


def test_a_checkpoint_file_edited_after_export_or_signed_by_another_key_is_refused(trail: Trail) -> None:
    data = trail.checkpoint.to_file()
    data["cases"] = data["cases"][1:]  # hide a case from the auditor's copy
    report = trail.trede.engine.checkpoints.verify(OPERATOR, Checkpoint.from_file(data), trail.checker)
    assert found(report, "lijst met zaken")
    _, other = generate()
    report = trail.trede.engine.checkpoints.verify(OPERATOR, trail.checkpoint, Ed25519Checker.from_pem(other))
    assert found(report, "handtekening")


PINGPONG = """
id: pingpong
version: 1
title: Heen en weer
source: test
roles: {leerkracht: {label: Leerkracht}}
initial: heen
steps:
  heen: {label: Heen}
  terug: {label: Terug}
transitions:
  - {trigger: naar_terug, label: Naar terug, from: heen, to: terug, roles: [leerkracht]}
  - {trigger: naar_heen, label: Naar heen, from: terug, to: heen, roles: [leerkracht]}
"""


def test_verification_under_concurrent_writes_gives_no_false_alarms(db: Engine, clock: FixedClock) -> None:
    """Two writers keep appending while verify --all runs in a loop: never a false alarm."""
    from engine.protocol.loader import load_protocol_text

    trede: Trede = make_trede(db, clock)
    trede.load_protocol(load_protocol_text(PINGPONG, "pingpong.yaml"))
    ids = [
        trede.open_case("pingpong", school="de-linde", subject=f"Leerling-W{i}", actor="juf.anna", role="leerkracht").id
        for i in range(4)
    ]
    stop = threading.Event()
    errors: list[BaseException] = []

    def write(writer: Trede, case_ids: list[str]) -> None:
        try:
            while not stop.is_set():
                for case_id in case_ids:
                    step = writer.show(case_id).case.step
                    writer.fire(
                        case_id, "naar_terug" if step == "heen" else "naar_heen", actor="juf.anna", role="leerkracht"
                    )
        except BaseException as exc:
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(make_trede(db, clock), ids[i::2])) for i in range(2)]
    for w in writers:
        w.start()
    alarms = []
    rounds = 0
    try:
        while rounds < 21 or sum(len(trede.events(i)) for i in ids) < 4 + 60:
            alarms += [r for r in trede.verify_all() if not r.ok]
            rounds += 1
            assert rounds < 5000, "the writers made no progress"
    finally:
        stop.set()
        for w in writers:
            w.join()
    assert not errors, errors
    assert alarms == []
    assert rounds >= 21  # verification ran while at least 60 events were written


def test_the_worker_writes_a_signed_checkpoint_once_a_day(
    trail: Trail, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from adapters.mail import SmtpMailer
    from api.worker import run_worker
    from tests.integration.test_reminders import Inbox

    inbox = Inbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        private, public = generate()
        monkeypatch.setenv("TREDE_AUDIT_KEY", private.decode())
        monkeypatch.setenv("TREDE_CHECKPOINT_DIR", str(tmp_path / "controlepunten"))
        monkeypatch.setenv("TREDE_CHECKPOINT_MAIL", "auditor@bestuur.example, bestuur@bestuur.example")
        engine = trail.trede.engine
        engine.mailer = SmtpMailer("127.0.0.1", port)
        run_worker(engine, once=True, reminders=None)
    finally:
        controller.stop()
    [file] = (tmp_path / "controlepunten").glob("trede-controlepunt-*.json")
    written = Checkpoint.from_file(json.loads(file.read_text(encoding="utf-8")))
    report = trail.trede.engine.checkpoints.verify(OPERATOR, written, Ed25519Checker.from_pem(public))
    assert report.ok and written.statement.cases == 4  # three cases and the one with a file
    assert sorted(m["To"] for m in inbox.messages) == ["auditor@bestuur.example", "bestuur@bestuur.example"]
    body = inbox.messages[0].get_content()  # type: ignore[attr-defined]
    assert written.signature in body and written.statement.cases_root in body and "Leerling" not in body


def test_the_auditor_verifies_against_a_checkpoint_on_the_web(app: Any, web: Any) -> None:
    """A board-wide auditor uploads the checkpoint and the public key they keep."""
    from tests.integration.helpers import csrf_of, login

    private, public = generate()
    made = app.engine.checkpoints.make(OPERATOR, Ed25519Signer.from_pem(private))
    login(web, "juf.anna")
    assert web.get("/audit/controlepunt").status_code in (403, 404)
    web.cookies.clear()
    login(web, "dhr.audit")
    csrf = csrf_of(web, "/audit/controlepunt")
    files = {
        "controlepunt": ("cp.json", json.dumps(made.to_file()).encode()),
        "sleutel": ("trede-audit.pub", public),
    }
    page = web.post("/audit/controlepunt", data={"csrf": csrf}, files=files)
    assert page.status_code == 200 and "In orde: alles is er nog" in page.text
    _, other = generate()
    files["sleutel"] = ("ander.pub", other)
    page = web.post("/audit/controlepunt", data={"csrf": csrf}, files=files)
    assert "NIET IN ORDE" in page.text and "handtekening" in page.text
