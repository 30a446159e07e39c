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

from sqlalchemy import Engine, and_, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from adapters.sql.database import SqlSettings
from adapters.sql.tables import CaseRow, DeadlineRow, EventRow, ProtocolRow
from engine.case import Case, Deadline
from engine.errors import CaseNotFound, ConcurrencyConflict, DuplicateProtocol, ProtocolNotFound
from engine.events import Event
from engine.ports import DueDeadline, StoredProtocol
from engine.protocol.model import Protocol

CASES = CaseRow.__table__  # type: ignore[attr-defined]
EVENTS = EventRow.__table__  # type: ignore[attr-defined]
DEADLINES = DeadlineRow.__table__  # type: ignore[attr-defined]
PROTOCOLS = ProtocolRow.__table__  # type: ignore[attr-defined]


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class SqlProtocols:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, protocol: Protocol, loaded_at: datetime) -> bool:
        existing = self.session.execute(
            select(PROTOCOLS.c.content_hash).where(
                PROTOCOLS.c.protocol_id == protocol.id, PROTOCOLS.c.version == protocol.version
            )
        ).scalar()
        if existing == protocol.content_hash:
            return False
        if existing is not None:
            raise DuplicateProtocol(protocol.id, protocol.version)
        self.session.execute(
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
        row = self.session.execute(query.order_by(PROTOCOLS.c.version.desc()).limit(1)).first()
        if row is None:
            raise ProtocolNotFound(protocol_id, version)
        return _stored(row)

    def by_hash(self, content_hash: str) -> StoredProtocol:
        row = self.session.execute(select(PROTOCOLS).where(PROTOCOLS.c.content_hash == content_hash)).first()
        if row is None:
            raise ProtocolNotFound(content_hash)
        return _stored(row)

    def list(self) -> list[StoredProtocol]:
        rows = self.session.execute(select(PROTOCOLS).order_by(PROTOCOLS.c.protocol_id, PROTOCOLS.c.version))
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
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, case_id: str) -> Case:
        row = self.session.execute(select(CASES).where(CASES.c.id == case_id)).first()
        if row is None:
            raise CaseNotFound(case_id)
        deadlines = self.session.execute(select(DEADLINES).where(DEADLINES.c.case_id == case_id))
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
            deadlines={d.key: _deadline(d) for d in deadlines},
        )

    def add(self, case: Case, event: Event) -> None:
        self.session.execute(insert(CASES).values(**_case_values(case)))
        self._append(event)
        self._write_deadlines(case, event)

    def record(self, before: Case, after: Case, event: Event) -> None:
        self._append(event)
        values = _case_values(after)
        del values["id"]
        result = self.session.execute(
            update(CASES).where(and_(CASES.c.id == before.id, CASES.c.seq == before.seq)).values(**values)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ConcurrencyConflict(before.id, before.seq, None)
        self._write_deadlines(after, event)

    def _append(self, event: Event) -> None:
        try:
            self.session.execute(
                insert(EVENTS).values(
                    case_id=event.case_id,
                    seq=event.seq,
                    type=event.type,
                    recorded_at=event.recorded_at,
                    effective_at=event.effective_at,
                    actor=event.actor,
                    role=event.role,
                    trigger=event.trigger,
                    from_step=event.from_step,
                    to_step=event.to_step,
                    protocol_hash=event.protocol_hash,
                    calendar_version=event.calendar_version,
                    inputs=_json(event.inputs),
                    data=_json(event.data),
                    prev_hash=event.prev_hash,
                    hash=event.hash,
                )
            )
        except IntegrityError:
            raise ConcurrencyConflict(event.case_id, event.seq - 1, None) from None

    def _write_deadlines(self, case: Case, event: Event) -> None:
        for change in event.data.get("deadlines", ()):
            if "schedule" in change:
                key = change["schedule"]["key"]
                self.session.execute(insert(DEADLINES).values(case_id=case.id, **_deadline_values(case.deadlines[key])))
            else:
                d = case.deadlines[change["key"]]
                values = _deadline_values(d)
                del values["key"]
                self.session.execute(
                    update(DEADLINES)
                    .where(and_(DEADLINES.c.case_id == case.id, DEADLINES.c.key == d.key))
                    .values(**values)
                )

    def events(self, case_id: str, upto: int | None = None) -> list[Event]:
        query = select(EVENTS).where(EVENTS.c.case_id == case_id)
        if upto is not None:
            query = query.where(EVENTS.c.seq <= upto)
        return [_event(row) for row in self.session.execute(query.order_by(EVENTS.c.seq))]

    def ids(self) -> list[str]:
        return list(self.session.execute(select(CASES.c.id).order_by(CASES.c.opened_at, CASES.c.id)).scalars())

    def due(self, now: datetime, limit: int) -> list[DueDeadline]:
        rows = self.session.execute(
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
        key=row.key,
        id=row.id,
        kind=row.kind,
        step=row.step,
        label=row.label,
        status=row.status,
        basis=row.basis,
        rule=row.rule,
        duration=row.duration,
        start=row.start,
        start_date=row.start_date,
        due_date=row.due_date,
        due_at=row.due_at,
        calendar_version=row.calendar_version,
        extensions=tuple(json.loads(row.extensions)),
        closed_seq=row.closed_seq,
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
    def __init__(self, engine: Engine, write: bool) -> None:
        self._engine = engine
        self._write = write

    def __enter__(self) -> SqlUnitOfWork:
        self.session = Session(self._engine)
        try:
            self.session.connection(execution_options={"trede_write": self._write})
        except OperationalError:
            self.session.close()
            raise
        self.protocols = SqlProtocols(self.session)
        self.cases = SqlCases(self.session)
        self.settings = SqlSettings(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()  # a no-op after commit
        self.session.close()

    def commit(self) -> None:
        try:
            self.session.commit()
        except IntegrityError:
            raise ConcurrencyConflict("?", None, None) from None

    def rollback(self) -> None:
        self.session.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, *, write: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, write)
