"""The SQL unit of work and repositories behind the engine's ports (those of who is asking
live in users.py, sessions.py, tokens.py, identities.py, login_attempts.py, notifications.py).

A unit of work is one connection and one transaction. A fire costs one INSERT (the event),
one UPDATE (the case) and one statement per changed deadline; its case (with its deadlines)
is read in the one SELECT that reads every case its group-commit batch locked.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    and_,
    bindparam,
    cast,
    extract,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError

from adapters.sql.database import SqlSettings
from adapters.sql.driver import IN_CHUNK, DriverCases
from adapters.sql.identities import SqlIdentities, SqlPendingLogins
from adapters.sql.incidents import SqlIncidents
from adapters.sql.login_attempts import SqlLoginAttempts
from adapters.sql.monitor import SqlMonitor
from adapters.sql.notifications import SqlNotifications
from adapters.sql.proposals import SqlProposals
from adapters.sql.registry import PendingChains, SqlAccessLog, SqlCheckpoints, SqlReporterLog, SqlSchools
from adapters.sql.sessions import SqlSessions
from adapters.sql.tables import (
    STEP_CHANGE,
    AttachmentRow,
    CaseRow,
    DeadlineRow,
    DepartureRow,
    EventRow,
    LetterRow,
    ProtocolRow,
    PupilRow,
    ReceiptRow,
)
from adapters.sql.tokens import SqlApiTokens, SqlFeeds
from adapters.sql.triage import SqlTriage
from adapters.sql.users import SqlUsers
from engine.attachments import StoredAttachment
from engine.case import Case, DeadlineStatus
from engine.checkpoints import CaseHead
from engine.errors import InputError, LetterNotFound, ProtocolNotFound, StorageError
from engine.events import ERASED, Event, EventType
from engine.letters import StoredLetter
from engine.meldpunt import StoredReceipt
from engine.ports import (
    ActiveDeadline,
    CaseClass,
    CaseFigures,
    DueDeadline,
    ReportCounts,
    RetentionCandidate,
    StepChange,
    StoredProtocol,
)
from engine.protocol.model import Protocol
from engine.pupils import Pupil, PupilStatus

CASES = CaseRow.__table__  # type: ignore[attr-defined]
DEADLINES = DeadlineRow.__table__  # type: ignore[attr-defined]
PROTOCOLS = ProtocolRow.__table__  # type: ignore[attr-defined]
LETTERS = LetterRow.__table__  # type: ignore[attr-defined]
DEPARTURES = DepartureRow.__table__  # type: ignore[attr-defined]
EVENTS = EventRow.__table__  # type: ignore[attr-defined]
ATTACHMENTS = AttachmentRow.__table__  # type: ignore[attr-defined]
PUPILS = PupilRow.__table__  # type: ignore[attr-defined]
RECEIPTS = ReceiptRow.__table__  # type: ignore[attr-defined]


class SqlProtocols:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, protocol: Protocol, loaded_at: datetime, scope: str | None = None) -> bool:
        """Store a new version when the content is new; the version number counts per id."""
        known = self.conn.execute(
            select(PROTOCOLS.c.content_hash).where(PROTOCOLS.c.content_hash == protocol.content_hash)
        ).scalar()
        if known is not None:
            return False
        latest = self.conn.execute(
            select(func.max(PROTOCOLS.c.version)).where(PROTOCOLS.c.protocol_id == protocol.id)
        ).scalar()
        self.conn.execute(
            insert(PROTOCOLS).values(
                content_hash=protocol.content_hash,
                protocol_id=protocol.id,
                version=max(protocol.version, (latest or 0) + 1),
                title=protocol.spec.title,
                text=protocol.text,
                file=protocol.file,
                loaded_at=loaded_at,
                scope=scope,
            )
        )
        return True

    def get(self, protocol_id: str, version: int | None = None, *, school: str | None = None) -> StoredProtocol:
        query = select(PROTOCOLS).where(PROTOCOLS.c.protocol_id == protocol_id)
        if school is not None:
            query = query.where(or_(PROTOCOLS.c.scope.is_(None), PROTOCOLS.c.scope == school))
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

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(PROTOCOLS)).scalar_one())


def _stored(row: Any) -> StoredProtocol:
    return StoredProtocol(
        id=row.protocol_id,
        version=row.version,
        content_hash=row.content_hash,
        title=row.title,
        text=row.text,
        file=row.file,
        loaded_at=row.loaded_at,
        scope=row.scope,
    )


class SqlCases:
    """Cases, events and deadlines. The per-fire statements run on the driver (see driver.py);
    queries over many cases use SQLAlchemy Core."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.driver = DriverCases(conn)

    def lock(self, case_ids: Sequence[str]) -> None:
        self.driver.lock(case_ids)

    def read_ahead(self, case_ids: Sequence[str]) -> None:
        self.driver.read_ahead(case_ids)

    def get(self, case_id: str) -> Case:
        return self.driver.get(case_id)

    def add(self, case: Case, event: Event) -> None:
        self.driver.add(case, event)

    def record(self, before: Case, after: Case, event: Event) -> None:
        self.driver.record(before, after, event)

    def record_many(self, changes: Sequence[tuple[Case, Case, Event]]) -> None:
        self.driver.record_many(changes)

    def get_many(self, case_ids: Sequence[str]) -> dict[str, Case]:
        return self.driver.get_many(case_ids)

    def events(self, case_id: str, upto: int | None = None) -> list[Event]:
        return self.driver.events(case_id, upto)

    def events_many(self, case_ids: Sequence[str]) -> dict[str, list[Event]]:
        return self.driver.events_many(case_ids)

    def step_changes_many(self, case_ids: Sequence[str]) -> dict[str, list[StepChange]]:
        c = EVENTS.c
        found: dict[str, list[StepChange]] = {}
        changes = or_(and_(c.to_step.is_not(None), or_(c.from_step.is_(None), c.to_step != c.from_step)), c.type == EventType.TRIAGE)
        for start in range(0, len(case_ids), IN_CHUNK):
            query = (
                select(c.case_id, c.seq, c.type, c.effective_at, c.role, c.trigger, c.from_step, c.to_step)
                .where(c.case_id.in_(list(case_ids[start : start + IN_CHUNK])), changes)
                .order_by(c.case_id, c.seq)
            )
            for r in self.conn.execute(query):
                moment = r.effective_at if r.effective_at.tzinfo else r.effective_at.replace(tzinfo=UTC)
                found.setdefault(r.case_id, []).append(
                    StepChange(r.case_id, r.seq, r.type, moment, r.role, r.trigger, r.from_step, r.to_step)
                )
        return found

    def heads(self) -> list[CaseHead]:
        rows = self.conn.execute(select(CASES.c.id, CASES.c.seq, CASES.c.last_hash).order_by(CASES.c.id))
        return [CaseHead(r.id, r.seq, r.last_hash) for r in rows]

    def event_count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(EVENTS)).scalar_one())

    def orphans(self) -> dict[str, int]:
        query = (
            select(EVENTS.c.case_id, func.count())
            .where(~select(CASES.c.id).where(CASES.c.id == EVENTS.c.case_id).exists())
            .group_by(EVENTS.c.case_id)
            .order_by(EVENTS.c.case_id)
        )
        return {case_id: int(n) for case_id, n in self.conn.execute(query)}

    def report_counts(self, schools: Collection[str] | None, protocol_hashes: Collection[str]) -> ReportCounts:
        c, d, e = CASES.c, DEADLINES.c, EVENTS.c
        if (schools is not None and not schools) or not protocol_hashes:
            return ReportCounts({}, {}, {})
        key = (c.protocol_hash, c.school, c.group)
        where = [c.protocol_hash.in_(sorted(protocol_hashes))]
        if schools is not None:
            where.append(c.school.in_(sorted(schools)))
        steps = {
            ((r[0], r[1], r[2]), r[3], bool(r[4])): int(r[5])
            for r in self.conn.execute(select(*key, c.step, c.closed, func.count()).where(*where).group_by(*key, c.step, c.closed))
        }
        if self.conn.dialect.name == "sqlite":
            deadlines, step_times = self._sqlite_report_counts(schools, protocol_hashes)
            return ReportCounts(steps, deadlines, step_times)
        month = func.substr(d.due_date, 1, 7)
        deadlines = {
            ((r[0], r[1], r[2]), r[3], r[4]): int(r[5])
            for r in self.conn.execute(
                select(*key, month, d.status, func.count())
                .select_from(DEADLINES.join(CASES, c.id == d.case_id))
                .where(d.due_date.is_not(None), d.due_date != "", *where)
                .group_by(*key, month, d.status)
            )
        }
        # every step change with the time since the case's step change before it (an interval:
        # summed exactly, and cheaper per row than a number of microseconds), from the partial
        # index ix_events_step_changes
        window = {"partition_by": e.case_id, "order_by": e.seq}
        spent = e.effective_at - func.lag(e.effective_at).over(**window)
        changes = select(e.case_id, e.from_step, spent.label("spent")).where(text(STEP_CHANGE))
        if schools is not None:  # a few schools: their cases' step changes only
            changes = changes.where(e.case_id.in_(select(c.id).where(*where)))
        moved = changes.subquery()
        total = func.sum(moved.c.spent)
        step_times = {
            ((r[0], r[1], r[2]), r[3]): (int(r[4]), int(r[5]))
            for r in self.conn.execute(
                select(*key, moved.c.from_step, func.count(), cast(extract("epoch", total) * 1_000_000, BigInteger))
                .select_from(moved.join(CASES, c.id == moved.c.case_id))
                .where(moved.c.spent.is_not(None), moved.c.from_step.is_not(None), *where)
                .group_by(*key, moved.c.from_step)
            )
        }
        return ReportCounts(steps, deadlines, step_times)

    def _sqlite_report_counts(
        self, schools: Collection[str] | None, protocol_hashes: Collection[str]
    ) -> tuple[dict[tuple[CaseClass, str, str], int], dict[tuple[CaseClass, str], tuple[int, int]]]:
        """``report_counts``' deadlines and time per step on SQLite, with their plans pinned
        (SQLite has no statistics to choose by, and chose a scan of every event's record): the
        step changes from the partial index ix_events_step_changes, each with the case's step
        change before it from the same index; their cases' classes (and, board-wide, the
        deadlines' cases') from the covering index ix_cases_report, never the cases' rows."""
        params: dict[str, Any] = {"hashes": sorted(protocol_hashes)}
        where = "c.protocol_hash IN :hashes"
        joined = "cases AS c"
        if schools is None:  # every case: each deadline and step change looked up by its case id
            joined += " INDEXED BY ix_cases_report"
        else:
            where += " AND c.school IN :schools"
            params["schools"] = sorted(schools)
        expanding = [bindparam(name, expanding=True) for name in params]  # type: ignore[var-annotated]
        deadlines = {
            ((r[0], r[1], r[2]), r[3], r[4]): int(r[5])
            for r in self.conn.execute(
                text(
                    'SELECT c.protocol_hash, c.school, c."group", substr(d.due_date, 1, 7) AS month, d.status, count(*) '
                    f"FROM deadlines AS d JOIN {joined} ON c.id = d.case_id "
                    f"WHERE d.due_date IS NOT NULL AND d.due_date != '' AND {where} "
                    'GROUP BY c.protocol_hash, c.school, c."group", month, d.status'
                ).bindparams(*expanding),
                params,
            )
        }
        # SQLite holds the UTC moment as 'jjjj-mm-dd uu:mm:ss.ffffff': whole microseconds
        # (unixepoch, SQLite 3.38 and later, is strftime('%s') without a string in between)
        seconds = "unixepoch({0}.effective_at)" if sqlite3.sqlite_version_info >= (3, 38) else "strftime('%s', {0}.effective_at)"
        moment = "CAST(" + seconds + " AS INTEGER) * 1000000 + CAST(substr({0}.effective_at, 21, 6) AS INTEGER)"
        change = STEP_CHANGE.replace("from_step", "{0}.from_step").replace("to_step", "{0}.to_step")
        # each step change (of a step left) with the one before it of the same case: one search
        # of the index each, cheaper in SQLite than LAG (which copies every row of a partition);
        # LIMIT -1 keeps the subquery whole, so that the time spent is computed once per row
        few = f" AND e.case_id IN (SELECT c.id FROM cases AS c WHERE {where})" if schools is not None else ""
        step_times = {
            ((r[0], r[1], r[2]), r[3]): (int(r[4]), int(r[5]))
            for r in self.conn.execute(
                text(
                    'SELECT protocol_hash, school, "group", from_step, count(spent), sum(spent) FROM ('
                    f'SELECT c.protocol_hash, c.school, c."group", e.from_step, {moment.format("e")} - ('
                    f"SELECT {moment.format('p')} FROM events AS p INDEXED BY ix_events_step_changes "
                    f"WHERE p.case_id = e.case_id AND p.seq < e.seq AND {change.format('p')} ORDER BY p.seq DESC LIMIT 1"
                    ") AS spent "
                    f"FROM events AS e INDEXED BY ix_events_step_changes JOIN {joined} ON c.id = e.case_id "
                    f"WHERE {change.format('e')} AND e.from_step IS NOT NULL AND {where}{few} LIMIT -1) "
                    'GROUP BY protocol_hash, school, "group", from_step HAVING count(spent) > 0'
                ).bindparams(*expanding),
                params,
            )
        }
        return deadlines, step_times

    def ids_of(self, protocol_hashes: Collection[str], schools: Collection[str]) -> list[str]:
        if not protocol_hashes or not schools:
            return []
        query = (
            select(CASES.c.id)
            .where(CASES.c.protocol_hash.in_(sorted(protocol_hashes)), CASES.c.school.in_(sorted(schools)))
            .order_by(CASES.c.opened_at, CASES.c.id)
        )
        return list(self.conn.execute(query).scalars())

    def ids(self, schools: Collection[str] | None = None, *, open_only: bool = False) -> list[str]:
        query = select(CASES.c.id).order_by(CASES.c.opened_at, CASES.c.id)
        if schools is not None:
            query = query.where(CASES.c.school.in_(list(schools)))
        if open_only:
            query = query.where(CASES.c.closed.is_(False))
        return list(self.conn.execute(query).scalars())

    def due(self, now: datetime, limit: int) -> list[DueDeadline]:
        rows = self.conn.execute(_due_query(now, limit))
        return [DueDeadline(r.case_id, r.key, r.due_at) for r in rows]

    def active_until(self, moment: datetime, fired_since: datetime) -> list[ActiveDeadline]:
        return self.driver.active_until(moment, fired_since)

    def erase_personal(self, case_id: str) -> None:
        self.driver.erase_personal(case_id)

    def closed_unanonymised(self) -> list[RetentionCandidate]:
        departed = and_(DEPARTURES.c.school == CASES.c.school, DEPARTURES.c.subject == CASES.c.subject)
        rows = self.conn.execute(
            select(CASES.c.id, CASES.c.protocol_hash, CASES.c.closed_at, DEPARTURES.c.left_on)
            .select_from(CASES.outerjoin(DEPARTURES, departed))
            .where(and_(CASES.c.closed.is_(True), CASES.c.subject != ERASED, CASES.c.closed_at.is_not(None)))
        )
        return [RetentionCandidate(r.id, r.protocol_hash, r.closed_at, r.left_on) for r in rows]

    def record_departure(self, school: str, subject: str, left_on: date, recorded_at: datetime, actor: str) -> None:
        key = and_(DEPARTURES.c.school == school, DEPARTURES.c.subject == subject)
        values = {"left_on": left_on, "recorded_at": recorded_at, "recorded_by": actor}
        if self.conn.execute(update(DEPARTURES).where(key).values(**values)).rowcount == 0:
            self.conn.execute(insert(DEPARTURES).values(school=school, subject=subject, **values))

    def figures(self, now: datetime) -> CaseFigures:
        open_cases = {
            h: int(n)
            for h, n in self.conn.execute(
                select(CASES.c.protocol_hash, func.count())
                .where(CASES.c.closed.is_(False))
                .group_by(CASES.c.protocol_hash)
            )
        }
        overdue = {
            h: int(n)
            for h, n in self.conn.execute(
                select(CASES.c.protocol_hash, func.count())
                .select_from(DEADLINES.join(CASES, CASES.c.id == DEADLINES.c.case_id))
                .where(DEADLINES.c.status == DeadlineStatus.OVERDUE)
                .group_by(CASES.c.protocol_hash)
            )
        }
        oldest = self.conn.execute(
            select(func.min(DEADLINES.c.due_at)).where(and_(DEADLINES.c.status == "open", DEADLINES.c.due_at <= now))
        ).scalar()
        return CaseFigures(open_cases, overdue, oldest)

    def claim_due(self, now: datetime, limit: int) -> list[DueDeadline]:
        query = _due_query(now, limit)
        if self.conn.dialect.name == "postgresql":
            # Lock whole cases, not single deadlines: two workers never work on one case,
            # so they never wait on each other (no deadlocks) and never race on its events.
            query = query.join(CASES, CASES.c.id == DEADLINES.c.case_id).with_for_update(skip_locked=True, of=CASES)
        # SQLite: the unit of work already holds the database's write lock (BEGIN IMMEDIATE)
        return [DueDeadline(r.case_id, r.key, r.due_at) for r in self.conn.execute(query)]


def _due_query(now: datetime, limit: int) -> Any:
    return (
        select(DEADLINES.c.case_id, DEADLINES.c.key, DEADLINES.c.due_at)
        .where(and_(DEADLINES.c.status == "open", DEADLINES.c.due_at <= now))
        .order_by(DEADLINES.c.due_at, DEADLINES.c.case_id, DEADLINES.c.key)
        .limit(limit)
    )


class SqlLetters:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, letter: StoredLetter) -> None:
        self.conn.execute(
            insert(LETTERS).values(
                case_id=letter.case_id,
                seq=letter.seq,
                name=letter.name,
                html=letter.html,
                pdf=letter.pdf,
                sha256_html=letter.sha256_html,
                sha256_pdf=letter.sha256_pdf,
            )
        )

    def get(self, case_id: str, name: str) -> StoredLetter:
        row = self.conn.execute(
            select(LETTERS)
            .where(and_(LETTERS.c.case_id == case_id, LETTERS.c.name == name))
            .order_by(LETTERS.c.seq.desc())
            .limit(1)
        ).first()
        if row is None:
            raise LetterNotFound(case_id, name)
        return StoredLetter(row.case_id, row.seq, row.name, row.html, bytes(row.pdf), row.sha256_html, row.sha256_pdf)

    def hashes(self, case_ids: Sequence[str]) -> dict[tuple[str, int], tuple[str, str]]:
        rows = self.conn.execute(
            select(LETTERS.c.case_id, LETTERS.c.seq, LETTERS.c.html, LETTERS.c.pdf).where(
                LETTERS.c.case_id.in_(list(case_ids))
            )
        )
        # recomputed from the stored content, so a changed letter shows
        return {
            (r.case_id, r.seq): (
                ("erased", "erased")
                if r.html == "" and not r.pdf
                else (hashlib.sha256(r.html.encode("utf-8")).hexdigest(), hashlib.sha256(bytes(r.pdf)).hexdigest())
            )
            for r in rows
        }

    def erase(self, case_id: str) -> None:
        self.conn.execute(update(LETTERS).where(LETTERS.c.case_id == case_id).values(html="", pdf=b""))


class SqlAttachments:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, attachment: StoredAttachment) -> None:
        self.conn.execute(
            insert(ATTACHMENTS).values(
                case_id=attachment.case_id,
                seq=attachment.seq,
                media_type=attachment.media_type,
                size=attachment.size,
                sha256=attachment.sha256,
                content=attachment.content,
            )
        )

    def get(self, case_id: str, seq: int) -> StoredAttachment | None:
        row = self.conn.execute(
            select(ATTACHMENTS).where(and_(ATTACHMENTS.c.case_id == case_id, ATTACHMENTS.c.seq == seq))
        ).first()
        if row is None:
            return None
        return StoredAttachment(row.case_id, row.seq, row.media_type, row.size, row.sha256, bytes(row.content))

    def hashes(self, case_ids: Sequence[str]) -> dict[tuple[str, int], str]:
        rows = self.conn.execute(
            select(ATTACHMENTS.c.case_id, ATTACHMENTS.c.seq, ATTACHMENTS.c.content)
            .where(ATTACHMENTS.c.case_id.in_(list(case_ids)))
            .execution_options(yield_per=4)  # a few files in memory at a time, not a chunk's worth
        )
        # recomputed from the stored content, so a changed or swapped file shows
        return {
            (r.case_id, r.seq): hashlib.sha256(bytes(r.content)).hexdigest() if r.content else "erased" for r in rows
        }

    def erase(self, case_id: str) -> None:
        self.conn.execute(update(ATTACHMENTS).where(ATTACHMENTS.c.case_id == case_id).values(content=b""))


class SqlPupils:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def list(self, school: str) -> list[Pupil]:
        rows = self.conn.execute(select(PUPILS).where(PUPILS.c.school == school).order_by(PUPILS.c.name))
        return [Pupil(r.school, r.key, r.name, r.group, r.status, r.missing_since, r.left_on) for r in rows]

    def named(self, school: str, name: str) -> Pupil | None:
        row = self.conn.execute(
            select(PUPILS).where(
                and_(PUPILS.c.school == school, PUPILS.c.name == name, PUPILS.c.status != PupilStatus.LEFT)
            )
        ).first()
        return (
            Pupil(row.school, row.key, row.name, row.group, row.status, row.missing_since, row.left_on) if row else None
        )

    def save_many(self, pupils: Sequence[Pupil]) -> None:
        if not pupils:
            return
        keys = {(p.school, p.key) for p in pupils}
        schools = sorted({school for school, _ in keys})
        stored = {
            (r.school, r.key)
            for r in self.conn.execute(select(PUPILS.c.school, PUPILS.c.key).where(PUPILS.c.school.in_(schools)))
        }
        rows = [
            {
                "school": p.school,
                "key": p.key,
                "name": p.name,
                "group": p.group,
                "status": p.status,
                "missing_since": p.missing_since,
                "left_on": p.left_on,
            }
            for p in pupils
        ]
        new = [r for r in rows if (r["school"], r["key"]) not in stored]
        if new:
            self.conn.execute(insert(PUPILS), new)
        for row in (r for r in rows if (r["school"], r["key"]) in stored):
            where = and_(PUPILS.c.school == row["school"], PUPILS.c.key == row["key"])
            self.conn.execute(update(PUPILS).where(where).values(**row))


class SqlReceipts:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, receipt: StoredReceipt) -> None:
        self.conn.execute(
            insert(RECEIPTS).values(
                code_hash=receipt.code_hash,
                case_id=receipt.case_id,
                reporter=receipt.reporter,
                password_hash=receipt.password_hash,
                created_at=receipt.created_at,
            )
        )

    def find(self, code_hash: str) -> StoredReceipt | None:
        row = self.conn.execute(select(RECEIPTS).where(RECEIPTS.c.code_hash == code_hash)).first()
        if row is None:
            return None
        return StoredReceipt(row.code_hash, row.case_id, row.reporter, row.password_hash, row.created_at)

    def of_case(self, case_id: str) -> StoredReceipt | None:
        row = self.conn.execute(select(RECEIPTS).where(RECEIPTS.c.case_id == case_id)).first()
        if row is None:
            return None
        return StoredReceipt(row.code_hash, row.case_id, row.reporter, row.password_hash, row.created_at)


WRITER_WAIT = 30.0  # seconds: as long as SQLite's busy timeout (adapters/sql/database.py)
_writer_locks: dict[str, threading.RLock] = {}
_writer_locks_guard = threading.Lock()


def _writer_lock(engine: Engine) -> threading.RLock | None:
    """One lock per SQLite database file in this process (None for PostgreSQL and memory)."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    with _writer_locks_guard:
        return _writer_locks.setdefault(str(engine.url), threading.RLock())


class _Held(threading.local):
    """A thread's kept connection (``SqlUnitOfWorkFactory.held``)."""

    keeping = False
    conn: Connection | None = None


class SqlUnitOfWork:
    """One database transaction. Writers on SQLite take the write lock at BEGIN."""

    def __init__(self, engine: Engine, write: bool, snapshot: bool = False, held: _Held | None = None) -> None:
        self._engine = engine
        self._write = write
        self._snapshot = snapshot
        self._held = held if held is not None and held.keeping else None

    def __enter__(self) -> SqlUnitOfWork:
        # SQLite: this process's writers queue on a lock before BEGIN IMMEDIATE, instead of in
        # SQLite's busy handler (which sleeps and retries, up to 100 ms a time: spikes of latency
        # for logins and other direct writes while the group commit writes). Other processes
        # still meet the busy timeout; the lock is given up waiting for after as long.
        self._queued = _writer_lock(self._engine) if self._write else None
        if self._queued is not None and not self._queued.acquire(timeout=WRITER_WAIT):
            self._queued = None
        try:
            self.conn = self._connection()
            if self._snapshot and self._engine.dialect.name == "postgresql":
                # a case row and its events read in one snapshot: no false alarms while others write
                self.conn = self.conn.execution_options(isolation_level="REPEATABLE READ")
            self.conn.begin()  # SQLite: a read transaction in WAL mode is already one snapshot
        except OperationalError as exc:
            self._release()
            raise StorageError(f"Kan de database niet bereiken: {_first_line(exc)}") from None
        except BaseException:
            self._release()
            raise
        self.protocols = SqlProtocols(self.conn)
        self.cases = SqlCases(self.conn)
        self.settings = SqlSettings(self.conn)
        self.letters = SqlLetters(self.conn)
        self.attachments = SqlAttachments(self.conn)
        self.pupils = SqlPupils(self.conn)
        self.receipts = SqlReceipts(self.conn)
        self._chained = PendingChains()
        self.access_log = SqlAccessLog(self.conn, self._chained)
        self.reporter_log = SqlReporterLog(self.conn, self._chained)
        self.incidents = SqlIncidents(self.conn, self._chained.incidents)
        self.triage = SqlTriage(self.conn)
        self.schools = SqlSchools(self.conn)
        self.monitor = SqlMonitor(self.conn)
        self.checkpoints = SqlCheckpoints(self.conn)
        self.users = SqlUsers(self.conn)
        self.sessions = SqlSessions(self.conn)
        self.api_tokens = SqlApiTokens(self.conn)
        self.feeds = SqlFeeds(self.conn)
        self.identities = SqlIdentities(self.conn)
        self.pending_logins = SqlPendingLogins(self.conn)
        self.login_attempts = SqlLoginAttempts(self.conn)
        self.notifications = SqlNotifications(self.conn)
        self.proposals = SqlProposals(self.conn)
        return self

    def _connection(self) -> Connection:
        if self._held is None:
            return self._engine.connect().execution_options(trede_write=self._write)
        if self._held.conn is None:
            self._held.conn = self._engine.connect().execution_options(trede_write=True)
        return self._held.conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._held is not None and exc is None:
                if self.conn.in_transaction():
                    self.conn.rollback()  # what was not committed; the connection is kept
            else:
                self.conn.close()  # rolls back whatever was not committed
                if self._held is not None:  # after a failure the next unit starts on a fresh connection
                    self._held.conn = None
        finally:
            self._release()
        if exc is not None:
            self._translate(exc)

    def _release(self) -> None:
        if self._queued is not None:
            self._queued.release()
            self._queued = None

    def _translate(self, exc: BaseException) -> None:
        """A database's refusal as the engine's error, saying nothing was recorded."""
        dbapi = self._engine.dialect.loaded_dbapi
        if isinstance(exc, DataError | dbapi.DataError):  # e.g. NUL on PostgreSQL
            raise InputError(
                "invoer", "de invoer bevat tekens die niet kunnen worden opgeslagen; er is niets vastgelegd"
            ) from exc
        if isinstance(exc, OperationalError | dbapi.OperationalError):
            # e.g. a lock held longer than the busy timeout, or a server that went away
            raise StorageError(f"De database gaf een fout; er is niets vastgelegd ({_first_line(exc)}).") from exc

    @contextmanager
    def savepoint(self) -> Iterator[object]:
        """Leaving by an exception undoes only this part, and reports it as the whole would."""
        mark = self._chained.mark()
        try:
            with self.conn.begin_nested() as nested:
                yield nested
        except Exception as exc:
            self._chained.undo(mark)  # its log rows go with it
            self._translate(exc)
            raise

    def commit(self) -> None:
        self._chained.write(self.conn)  # the logs' locks last: see engine/commits.py on lock order
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._held = _Held()

    def __call__(self, *, write: bool = False, snapshot: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, write, snapshot, self._held if write and not snapshot else None)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Write units of work of this thread share one connection until the block ends:
        returning a connection to the pool after every batch (a rollback, the pool's queue)
        cost the group-commit writer more than a batch of reads' SQL."""
        self._held.keeping = True
        try:
            yield
        finally:
            conn, self._held.conn, self._held.keeping = self._held.conn, None, False
            if conn is not None:
                with suppress(SQLAlchemyError):  # a connection that broke meanwhile: nothing to give back
                    conn.close()
