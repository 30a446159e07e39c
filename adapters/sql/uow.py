"""The SQL unit of work and repositories behind the engine's ports.

Hot paths (a fire, the due-timer sweep) use SQLAlchemy Core statements on the SQLModel
tables: one SELECT for the case, one for its deadlines, one INSERT for the event, one
UPDATE for the case and one statement per changed deadline.
"""

from __future__ import annotations

import json
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from adapters.sql.database import SqlSettings
from adapters.sql.tables import CaseRow, DeadlineRow, EventRow, ProtocolRow
from engine.case import Case, Deadline
from engine.errors import CaseNotFound, ConcurrencyConflict, DuplicateProtocol, ProtocolNotFound, StorageError
from engine.events import Event
from engine.ports import DueDeadline, StoredProtocol
from engine.protocol.model import Protocol

CASES = CaseRow.__table__  # type: ignore[attr-defined]
EVENTS = EventRow.__table__  # type: ignore[attr-defined]
DEADLINES = DeadlineRow.__table__  # type: ignore[attr-defined]
PROTOCOLS = ProtocolRow.__table__  # type: ignore[attr-defined]

# Built once: a statement whose shape never changes is compiled once and then only bound.
# The case and all its deadlines in one round trip.
_SELECT_CASE = (
    select(CASES, *[c.label(f"d_{c.name}") for c in DEADLINES.c])
    .select_from(CASES.outerjoin(DEADLINES, DEADLINES.c.case_id == CASES.c.id))
    .where(CASES.c.id == bindparam("case_id"))
)
_INSERT_CASE = insert(CASES)
_INSERT_EVENT = insert(EVENTS)
_INSERT_DEADLINE = insert(DEADLINES)
_UPDATE_CASE = update(CASES).where(and_(CASES.c.id == bindparam("b_id"), CASES.c.seq == bindparam("b_seq")))
_UPDATE_DEADLINE = update(DEADLINES).where(
    and_(DEADLINES.c.case_id == bindparam("b_case_id"), DEADLINES.c.key == bindparam("b_key"))
)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class SqlProtocols:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, protocol: Protocol, loaded_at: datetime) -> bool:
        existing = self.conn.execute(
            select(PROTOCOLS.c.content_hash).where(
                PROTOCOLS.c.protocol_id == protocol.id, PROTOCOLS.c.version == protocol.version
            )
        ).scalar()
        if existing == protocol.content_hash:
            return False
        if existing is not None:
            raise DuplicateProtocol(protocol.id, protocol.version)
        self.conn.execute(
            insert(PROTOCOLS).values(
                content_hash=protocol.content_hash,
                protocol_id=protocol.id,
                version=protocol.version,
                title=protocol.spec.title,
                text=protocol.text,
                file=protocol.file,
                loaded_at=loaded_at,
            )
        )
        return True

    def get(self, protocol_id: str, version: int | None = None) -> StoredProtocol:
        query = select(PROTOCOLS).where(PROTOCOLS.c.protocol_id == protocol_id)
        if version is not None:
            query = query.where(PROTOCOLS.c.version == version)
        row = self.conn.execute(query.order_by(PROTOCOLS.c.version.desc()).limit(1)).first()
        if row is None:
            raise ProtocolNotFound(protocol_id, version)
        return _stored(row)

    def by_hash(self, content_hash: str) -> StoredProtocol:
        row = self.conn.execute(select(PROTOCOLS).where(PROTOCOLS.c.content_hash == content_hash)).first()
        if row is None:
            raise ProtocolNotFound(content_hash)
        return _stored(row)

    def list(self) -> list[StoredProtocol]:
        rows = self.conn.execute(select(PROTOCOLS).order_by(PROTOCOLS.c.protocol_id, PROTOCOLS.c.version))
        return [_stored(r) for r in rows]


def _stored(row: Any) -> StoredProtocol:
    return StoredProtocol(
        id=row.protocol_id,
        version=row.version,
        content_hash=row.content_hash,
        title=row.title,
        text=row.text,
        file=row.file,
        loaded_at=row.loaded_at,
    )


class SqlCases:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, case_id: str) -> Case:
        rows = self.conn.execute(_SELECT_CASE, {"case_id": case_id}).all()
        if not rows:
            raise CaseNotFound(case_id)
        row = rows[0]
        return Case(
            id=row.id,
            protocol_id=row.protocol_id,
            protocol_version=row.protocol_version,
            protocol_hash=row.protocol_hash,
            school=row.school,
            subject=row.subject,
            step=row.step,
            closed=bool(row.closed),
            facts=json.loads(row.facts),
            seq=row.seq,
            last_hash=row.last_hash,
            opened_at=row.opened_at,
            updated_at=row.updated_at,
            deadlines={r.d_key: _deadline(r) for r in rows if r.d_key is not None},
        )

    def add(self, case: Case, event: Event) -> None:
        self.conn.execute(_INSERT_CASE, _case_values(case))
        self._append(event)
        self._write_deadlines(case, event)

    def record(self, before: Case, after: Case, event: Event) -> None:
        self._append(event)
        values = _case_values(after)
        del values["id"]
        values.update(b_id=before.id, b_seq=before.seq)
        if self.conn.execute(_UPDATE_CASE, values).rowcount != 1:
            raise ConcurrencyConflict(before.id, before.seq, None)
        self._write_deadlines(after, event)

    def _append(self, event: Event) -> None:
        try:
            self.conn.execute(
                _INSERT_EVENT,
                {
                    "case_id": event.case_id,
                    "seq": event.seq,
                    "type": event.type,
                    "recorded_at": event.recorded_at,
                    "effective_at": event.effective_at,
                    "actor": event.actor,
                    "role": event.role,
                    "trigger": event.trigger,
                    "from_step": event.from_step,
                    "to_step": event.to_step,
                    "protocol_hash": event.protocol_hash,
                    "calendar_version": event.calendar_version,
                    "inputs": _json(event.inputs),
                    "data": _json(event.data),
                    "prev_hash": event.prev_hash,
                    "hash": event.hash,
                },
            )
        except IntegrityError:
            raise ConcurrencyConflict(event.case_id, event.seq - 1, None) from None

    def _write_deadlines(self, case: Case, event: Event) -> None:
        for change in event.data.get("deadlines", ()):
            if "schedule" in change:
                key = change["schedule"]["key"]
                self.conn.execute(_INSERT_DEADLINE, {"case_id": case.id, **_deadline_values(case.deadlines[key])})
            else:
                values = _deadline_values(case.deadlines[change["key"]])
                values.update(b_case_id=case.id, b_key=values.pop("key"))
                self.conn.execute(_UPDATE_DEADLINE, values)

    def events(self, case_id: str, upto: int | None = None) -> list[Event]:
        query = select(EVENTS).where(EVENTS.c.case_id == case_id)
        if upto is not None:
            query = query.where(EVENTS.c.seq <= upto)
        return [_event(row) for row in self.conn.execute(query.order_by(EVENTS.c.seq))]

    def ids(self) -> list[str]:
        return list(self.conn.execute(select(CASES.c.id).order_by(CASES.c.opened_at, CASES.c.id)).scalars())

    def due(self, now: datetime, limit: int) -> list[DueDeadline]:
        rows = self.conn.execute(
            select(DEADLINES.c.case_id, DEADLINES.c.key, DEADLINES.c.due_at)
            .where(and_(DEADLINES.c.status == "open", DEADLINES.c.due_at <= now))
            .order_by(DEADLINES.c.due_at)
            .limit(limit)
        )
        return [DueDeadline(r.case_id, r.key, r.due_at) for r in rows]


def _case_values(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "protocol_id": case.protocol_id,
        "protocol_version": case.protocol_version,
        "protocol_hash": case.protocol_hash,
        "school": case.school,
        "subject": case.subject,
        "step": case.step,
        "closed": case.closed,
        "facts": _json(case.facts),
        "seq": case.seq,
        "last_hash": case.last_hash,
        "opened_at": case.opened_at,
        "updated_at": case.updated_at,
    }


def _deadline_values(d: Deadline) -> dict[str, Any]:
    values = d.to_dict()
    values["due_at"] = d.due_at
    values["extensions"] = _json(list(d.extensions))
    return values


def _deadline(row: Any) -> Deadline:
    return Deadline(
        key=row.d_key,
        id=row.d_id,
        kind=row.d_kind,
        step=row.d_step,
        label=row.d_label,
        status=row.d_status,
        basis=row.d_basis,
        rule=row.d_rule,
        duration=row.d_duration,
        start=row.d_start,
        start_date=row.d_start_date,
        due_date=row.d_due_date,
        due_at=row.d_due_at,
        calendar_version=row.d_calendar_version,
        extensions=tuple(json.loads(row.d_extensions)),
        closed_seq=row.d_closed_seq,
    )


def _event(row: Any) -> Event:
    return Event(
        case_id=row.case_id,
        seq=row.seq,
        type=row.type,
        recorded_at=row.recorded_at,
        effective_at=row.effective_at,
        actor=row.actor,
        role=row.role,
        trigger=row.trigger,
        from_step=row.from_step,
        to_step=row.to_step,
        protocol_hash=row.protocol_hash,
        calendar_version=row.calendar_version,
        inputs=json.loads(row.inputs),
        data=json.loads(row.data),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class SqlUnitOfWork:
    """One database transaction. Writers on SQLite take the write lock at BEGIN."""

    def __init__(self, engine: Engine, write: bool) -> None:
        self._engine = engine
        self._write = write

    def __enter__(self) -> SqlUnitOfWork:
        try:
            self.conn = self._engine.connect().execution_options(trede_write=self._write)
            self.conn.begin()
        except OperationalError as exc:
            raise StorageError(f"Kan de database niet bereiken: {exc.orig}") from None
        self.protocols = SqlProtocols(self.conn)
        self.cases = SqlCases(self.conn)
        self.settings = SqlSettings(self.conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.conn.close()  # rolls back whatever was not committed

    def commit(self) -> None:
        try:
            self.conn.commit()
        except IntegrityError:
            raise ConcurrencyConflict("?", None, None) from None

    def rollback(self) -> None:
        self.conn.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, *, write: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, write)
