"""The hot path of the case repository, on the bare database driver.

A fire reads one case and writes an event, the case and a few deadlines; replay and
verification read events in bulk. Through SQLAlchemy's execution layer each statement
costs more than the commit it belongs to, so these few statements go straight to the
DBAPI cursor of the unit of work's own connection (same transaction). The SQL is
generated from the SQLModel tables, so it cannot drift from the schema.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection, Table

from adapters.sql.chains import ACCESS_LOCK, advisory_lock, linked
from adapters.sql.tables import AccessLogRow, CaseRow, DeadlineRow, EventRow
from engine.case import Case, Deadline
from engine.checkpoints import ACCESS_GENESIS, access_chain
from engine.errors import CaseNotFound, ConcurrencyConflict
from engine.events import Event, actor_column_of
from engine.ports import AccessEntry, ActiveDeadline

CASES: Table = CaseRow.__table__  # type: ignore[attr-defined]
EVENTS: Table = EventRow.__table__  # type: ignore[attr-defined]
DEADLINES: Table = DeadlineRow.__table__  # type: ignore[attr-defined]
ACCESS: Table = AccessLogRow.__table__  # type: ignore[attr-defined]

CASE_COLUMNS = [c.name for c in CASES.c]
EVENT_COLUMNS = [c.name for c in EVENTS.c]
DEADLINE_COLUMNS = [c.name for c in DEADLINES.c]
ACCESS_COLUMNS = [c.name for c in ACCESS.c if c.name != "id"]
# Columns that repeat part of the record for queries; a stored value that disagrees with
# the record is reported by verification. The actor column holds the digest of the actor's
# commitment (the plain name only for events sealed before actors were committed): the
# events table is never erased, so a name there would outlive anonymisation.
_TIME_COLUMNS = ["recorded_at", "effective_at"]
_PLAIN_COLUMNS = [c for c in EVENT_COLUMNS if c not in ("record", "hash", "actor", *_TIME_COLUMNS)]
# a stored event row read by position, its columns compared with the record in one go
_RECORD, _HASH, _ACTOR, _CASE_ID, _SEQ, _RECORDED_AT, _EFFECTIVE_AT = (
    EVENT_COLUMNS.index(c) for c in ("record", "hash", "actor", "case_id", "seq", *_TIME_COLUMNS)
)
_plain_of_row = itemgetter(*(EVENT_COLUMNS.index(c) for c in _PLAIN_COLUMNS))
_plain_of_body = itemgetter(*_PLAIN_COLUMNS)
_times_of_body = itemgetter(*_TIME_COLUMNS)
CASE_UPDATE_COLUMNS = [
    "protocol_version",
    "protocol_hash",
    "subject",
    "step",
    "closed",
    "facts",
    "seq",
    "last_hash",
    "updated_at",
    "closed_at",
    "counts",
    "opened_by",  # erased on anonymisation
    "last_recorded_at",
]
DEADLINE_UPDATE_COLUMNS = [c for c in DEADLINE_COLUMNS if c not in ("case_id", "key")]
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's own SQLite DateTime format


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _ordered(values: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    return [values[c] for c in columns]


def names(columns: Sequence[str], prefix: str = "") -> str:
    """Column names for generated SQL, quoted: ``cases.group`` is a reserved word."""
    return ", ".join(f'{prefix}"{c}"' for c in columns)


def _assignments(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}" = ?' for c in columns)


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({names(columns)}) VALUES ({', '.join('?' for _ in columns)})"


_SQL = {
    "select_cases": (
        f"SELECT {names(CASE_COLUMNS, 'c.')}, {names(DEADLINE_COLUMNS, 'd.')} "
        "FROM cases c LEFT OUTER JOIN deadlines d ON d.case_id = c.id WHERE c.id IN (IN)"
    ),
    "insert_case": _insert("cases", CASE_COLUMNS),
    "insert_event": _insert("events", EVENT_COLUMNS),
    "insert_deadline": _insert("deadlines", DEADLINE_COLUMNS),
    "update_case": f"UPDATE cases SET {_assignments(CASE_UPDATE_COLUMNS)} WHERE id = ? AND seq = ?",
    "update_deadline": (
        f"UPDATE deadlines SET {_assignments(DEADLINE_UPDATE_COLUMNS)} WHERE case_id = ? AND key = ?"
    ),
    "active_until": (
        f"SELECT {names(['school', 'group', 'protocol_hash'], 'c.')}, {names(DEADLINE_COLUMNS, 'd.')} "
        "FROM deadlines d JOIN cases c ON c.id = d.case_id "
        "WHERE (d.status IN ('open', 'verlopen') OR (d.status = 'uitgevoerd' AND d.due_at >= ?)) "
        "AND d.due_at <= ? ORDER BY d.due_at"
    ),
    "insert_personal": _insert("personal_data", ["case_id", "seq", "ref", "value", "salt"]),
    "select_personal": "SELECT case_id, seq, ref, value, salt FROM personal_data WHERE case_id IN (IN)",
    # the salt goes too: with it, a guessed name could still be tested against the record
    "erase_personal": "UPDATE personal_data SET value = NULL, salt = '' WHERE case_id = ?",
    "select_events": f"SELECT {names(EVENT_COLUMNS)} FROM events WHERE case_id = ? AND seq <= ? ORDER BY seq",
    "select_events_many": f"SELECT {names(EVENT_COLUMNS)} FROM events WHERE case_id IN (IN) ORDER BY case_id, seq",
    "access_head": "SELECT hash, at FROM access_log ORDER BY id DESC LIMIT 1",
    "insert_access": _insert("access_log", ACCESS_COLUMNS),
}


IN_CHUNK = 10_000  # ids per IN list: SQLite takes at most 32,766 parameters, PostgreSQL 65,535


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[start : start + IN_CHUNK]) for start in range(0, len(ids), IN_CHUNK)]


class DriverCases:
    """Reads and writes cases, events and deadlines on the connection's DBAPI cursor."""

    def __init__(self, conn: Connection) -> None:
        self.sqlite = conn.dialect.name == "sqlite"
        self.integrity_error = conn.dialect.loaded_dbapi.IntegrityError
        raw = conn.connection.driver_connection
        assert raw is not None
        self.cursor = raw.cursor()
        self.sql = _SQL if self.sqlite else {k: v.replace("?", "%s") for k, v in _SQL.items()}
        # The cases a group-commit batch locked, read once under the lock, and those a run of
        # reading pieces is about to read (``read_ahead``): each piece's own read of its case
        # is answered from here (a round trip less per piece on PostgreSQL). Used once; a case
        # written since is read from the database again.
        self._locked: dict[str, Case] = {}

    # --- time and booleans as each driver stores them ----------------------------

    def _time(self, moment: datetime | None) -> Any:
        if moment is None:
            return None
        moment = moment.astimezone(UTC)
        return moment.strftime(_SQLITE_TIME) if self.sqlite else moment

    def _read_time(self, value: Any) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)  # type: ignore[no-any-return]

    # --- reads ----------------------------------------------------------------

    def get(self, case_id: str) -> Case:
        read = self._locked.pop(case_id, None)
        if read is not None:
            return read
        found = self.get_many([case_id])
        if case_id not in found:
            raise CaseNotFound(case_id)
        return found[case_id]

    def lock(self, case_ids: Sequence[str]) -> None:
        """PostgreSQL: row locks on these cases, taken in the order given (the sort runs
        before the locking); SQLite: the write transaction already holds the database. Then
        the cases are read, once for the batch (see ``_locked``)."""
        if case_ids and not self.sqlite:
            self.cursor.execute(
                "SELECT id FROM cases WHERE id = ANY(%s) ORDER BY id FOR UPDATE", (sorted(case_ids),)
            )
            self.cursor.fetchall()
        if case_ids:  # read after the lock is held (a statement of its own: it sees every commit before it)
            self._locked = self.get_many(case_ids)

    def read_ahead(self, case_ids: Sequence[str]) -> None:
        """The cases the next pieces read, in one statement (see ``_locked``)."""
        self._locked.update(self.get_many(sorted(set(case_ids))))

    def get_many(self, case_ids: Sequence[str]) -> dict[str, Case]:
        rows: dict[str, list[Sequence[Any]]] = {}
        for chunk in _chunks(case_ids):
            self.cursor.execute(self._in(self.sql["select_cases"], len(chunk)), chunk)
            for row in self.cursor.fetchall():
                rows.setdefault(row[0], []).append(row)
        return {case_id: self._case(group) for case_id, group in rows.items()}

    def _in(self, sql: str, count: int) -> str:
        marker = "?" if self.sqlite else "%s"
        return sql.replace("(IN)", f"({', '.join(marker for _ in range(count))})")

    def _case(self, rows: list[Sequence[Any]]) -> Case:
        c = dict(zip(CASE_COLUMNS, rows[0][: len(CASE_COLUMNS)], strict=True))
        deadlines = {}
        for row in rows:
            d = dict(zip(DEADLINE_COLUMNS, row[len(CASE_COLUMNS) :], strict=True))
            if d["key"] is not None:
                deadlines[d["key"]] = self._deadline(d)
        opened_at, updated_at = self._read_time(c["opened_at"]), self._read_time(c["updated_at"])
        assert opened_at is not None and updated_at is not None
        return Case(
            id=c["id"],
            protocol_id=c["protocol_id"],
            protocol_version=c["protocol_version"],
            protocol_hash=c["protocol_hash"],
            school=c["school"],
            subject=c["subject"],
            group=c["group"],
            step=c["step"],
            closed=bool(c["closed"]),
            facts=orjson.loads(c["facts"]),
            seq=c["seq"],
            last_hash=c["last_hash"],
            opened_at=opened_at,
            updated_at=updated_at,
            deadlines=deadlines,
            closed_at=self._read_time(c["closed_at"]),
            opened_by=c["opened_by"] or "",
            counts=orjson.loads(c["counts"]),
            recorded_at=self._read_time(c["last_recorded_at"]),
        )

    def _deadline(self, d: dict[str, Any]) -> Deadline:
        del d["case_id"]
        d["due_at"] = self._read_time(d["due_at"])
        d["extensions"] = tuple(orjson.loads(d["extensions"]))
        return Deadline(**d)

    def active_until(self, moment: datetime, fired_since: datetime) -> list[ActiveDeadline]:
        """Deadlines open or late by ``moment``, and timers fired since ``fired_since`` (one
        that also escalates tells its roles)."""
        self.cursor.execute(self.sql["active_until"], (self._time(fired_since), self._time(moment)))
        found = []
        for row in self.cursor.fetchall():
            school, group, protocol_hash = row[:3]
            d = self._deadline(dict(zip(DEADLINE_COLUMNS, row[3:], strict=True)))
            found.append(ActiveDeadline(row[3], school, group, protocol_hash, d))
        return found

    def events(self, case_id: str, upto: int | None) -> list[Event]:
        self.cursor.execute(self.sql["select_events"], (case_id, upto if upto is not None else 2**31 - 1))
        rows = self.cursor.fetchall()
        personal = self._personal([case_id])
        return [self._event(row, personal) for row in rows]

    def events_many(self, case_ids: Sequence[str]) -> dict[str, list[Event]]:
        found: dict[str, list[Event]] = {}
        for chunk in _chunks(case_ids):
            self.cursor.execute(self._in(self.sql["select_events_many"], len(chunk)), chunk)
            rows = self.cursor.fetchall()
            personal = self._personal(chunk)
            for row in rows:
                found.setdefault(row[0], []).append(self._event(row, personal))
        return found

    def _personal(self, case_ids: Sequence[str]) -> dict[tuple[str, int], dict[str, tuple[str | None, str]]]:
        found: dict[tuple[str, int], dict[str, tuple[str | None, str]]] = {}
        for chunk in _chunks(case_ids):
            self.cursor.execute(self._in(self.sql["select_personal"], len(chunk)), chunk)
            for case_id, seq, ref, value, salt in self.cursor.fetchall():
                found.setdefault((case_id, seq), {})[ref] = (value, salt)
        return found

    def _event(self, row: Sequence[Any], personal: dict[tuple[str, int], dict[str, tuple[str | None, str]]]) -> Event:
        record = row[_RECORD]
        body = orjson.loads(record)  # the hot path of replay and verification
        times = self._stored_time_text(row[_RECORDED_AT]), self._stored_time_text(row[_EFFECTIVE_AT])
        agree = (
            _plain_of_row(row) == _plain_of_body(body)
            and times == _times_of_body(body)
            and row[_ACTOR] == actor_column_of(body["actor"])
        )
        mismatch: tuple[str, ...] = () if agree else self._mismatch(row, body)
        values = personal.get((row[_CASE_ID], row[_SEQ]))
        return Event.from_body(body, record, row[_HASH], mismatch, values)

    def _mismatch(self, row: Sequence[Any], body: dict[str, Any]) -> tuple[str, ...]:
        """Which indexed columns disagree with the record (rare: only after tampering)."""
        stored = dict(zip(EVENT_COLUMNS, row, strict=True))
        mismatch = [c for c in _PLAIN_COLUMNS if stored[c] != body[c]]
        if stored["actor"] != actor_column_of(body["actor"]):
            mismatch.append("actor")
        mismatch += [c for c in _TIME_COLUMNS if self._stored_time_text(stored[c]) != body[c]]
        return tuple(mismatch)

    def erase_personal(self, case_id: str) -> None:
        self._locked.pop(case_id, None)
        self.cursor.execute(self.sql["erase_personal"], (case_id,))

    def _stored_time_text(self, value: Any) -> str:
        """A stored time in the form the record holds it."""
        if isinstance(value, str):  # SQLite: "2026-03-02 09:00:00.000000", always UTC
            return value.replace(" ", "T", 1) + "+00:00"
        return value.astimezone(UTC).isoformat(timespec="microseconds")  # type: ignore[no-any-return]

    # --- writes ---------------------------------------------------------------

    def append_access(self, entries: Sequence[AccessEntry]) -> None:
        """Extend the access log's hash chain (every read writes here). PostgreSQL: one
        writer at a time extends it, under an advisory lock held to the commit; the unit of
        work calls this at its commit, so no lock is taken after this one."""
        if not self.sqlite:
            self.cursor.execute(advisory_lock(ACCESS_LOCK))
        self.cursor.execute(self.sql["access_head"])
        head = self.cursor.fetchone()
        chain = linked(
            entries,
            head[0] if head and head[0] else ACCESS_GENESIS,
            self._read_time(head[1]) if head else None,
            at=lambda e: e.at,
            moved=lambda e, last: replace(e, at=last),
            digest=lambda prev, e: access_chain(prev, e.at, e.username, e.roles, e.case_id, e.school, e.what),
        )
        rows = [{**e.__dict__, "at": self._time(e.at), "prev_hash": prev, "hash": own} for e, prev, own in chain]
        self.cursor.executemany(self.sql["insert_access"], [[row[c] for c in ACCESS_COLUMNS] for row in rows])

    def add(self, case: Case, event: Event) -> None:
        self._locked.pop(case.id, None)
        values = self._case_values(case)
        self.cursor.execute(self.sql["insert_case"], [values[c] for c in CASE_COLUMNS])
        self.append(event)
        self.write_deadlines(case, event)

    def record(self, before: Case, after: Case, event: Event) -> None:
        self.record_many([(before, after, event)])

    def record_many(self, changes: Sequence[tuple[Case, Case, Event]]) -> None:
        """Append events and store the cases after them, each kind of statement sent as one
        batch (psycopg pipelines executemany): a worker's batch costs a few round trips."""
        for before, after, _ in changes:
            self._locked.pop(before.id, None)
            self._locked.pop(after.id, None)
        events = [_ordered(self._event_values(e), EVENT_COLUMNS) for _, _, e in changes]
        cases = [
            [*_ordered(self._case_values(after), CASE_UPDATE_COLUMNS), before.id, before.seq]
            for before, after, _ in changes
        ]
        inserts, updates = [], []
        for _, after, event in changes:
            for change in event.data.get("deadlines", ()):
                key = change["schedule"]["key"] if "schedule" in change else change["key"]
                values = self._deadline_values(after.id, after.deadlines[key])
                if "schedule" in change:
                    inserts.append([values[c] for c in DEADLINE_COLUMNS])
                else:
                    updates.append([*(values[c] for c in DEADLINE_UPDATE_COLUMNS), after.id, key])
        try:
            self._many("insert_event", events)
        except self.integrity_error:
            first = changes[0][2]
            raise ConcurrencyConflict(first.case_id, first.seq - 1, None) from None
        self._many("insert_personal", [row for _, _, e in changes for row in self._personal_rows(e)])
        if self._many("update_case", cases) != len(cases):
            raise ConcurrencyConflict(changes[0][0].id, changes[0][0].seq, None)
        self._many("insert_deadline", inserts)
        self._many("update_deadline", updates)

    def _many(self, statement: str, rows: list[list[Any]]) -> int:
        if not rows:
            return 0
        if len(rows) == 1:
            self.cursor.execute(self.sql[statement], rows[0])
        else:
            self.cursor.executemany(self.sql[statement], rows)
        return int(self.cursor.rowcount)

    def append(self, event: Event) -> None:
        values = self._event_values(event)
        try:
            self.cursor.execute(self.sql["insert_event"], [values[c] for c in EVENT_COLUMNS])
        except self.integrity_error:
            raise ConcurrencyConflict(event.case_id, event.seq - 1, None) from None
        self._many("insert_personal", self._personal_rows(event))

    @staticmethod
    def _personal_rows(event: Event) -> list[list[Any]]:
        return [[event.case_id, event.seq, ref, value, salt] for ref, (value, salt) in event.personal.items()]

    def _event_values(self, event: Event) -> dict[str, Any]:
        assert event.record is not None, "only sealed events are stored"
        values = {c: getattr(event, c) for c in EVENT_COLUMNS}
        values["actor"] = event.actor_column()
        values["recorded_at"] = self._time(event.recorded_at)
        values["effective_at"] = self._time(event.effective_at)
        return values

    def write_deadlines(self, case: Case, event: Event) -> None:
        self._locked.pop(case.id, None)
        for change in event.data.get("deadlines", ()):
            if "schedule" in change:
                values = self._deadline_values(case.id, case.deadlines[change["schedule"]["key"]])
                self.cursor.execute(self.sql["insert_deadline"], [values[c] for c in DEADLINE_COLUMNS])
            else:
                values = self._deadline_values(case.id, case.deadlines[change["key"]])
                self.cursor.execute(
                    self.sql["update_deadline"],
                    [*(values[c] for c in DEADLINE_UPDATE_COLUMNS), case.id, change["key"]],
                )

    def _case_values(self, case: Case) -> dict[str, Any]:
        return {
            "id": case.id,
            "protocol_id": case.protocol_id,
            "protocol_version": case.protocol_version,
            "protocol_hash": case.protocol_hash,
            "school": case.school,
            "subject": case.subject,
            "group": case.group,
            "step": case.step,
            "closed": case.closed,
            "facts": dumps(case.facts),
            "seq": case.seq,
            "last_hash": case.last_hash,
            "opened_at": self._time(case.opened_at),
            "updated_at": self._time(case.updated_at),
            "closed_at": self._time(case.closed_at),
            "opened_by": case.opened_by,
            "counts": dumps(case.counts),
            "last_recorded_at": self._time(case.recorded_at),
        }

    def _deadline_values(self, case_id: str, d: Deadline) -> dict[str, Any]:
        values = d.to_dict()
        values.update(case_id=case_id, due_at=self._time(d.due_at), extensions=dumps(list(d.extensions)))
        return values
