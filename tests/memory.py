"""An in-memory unit of work for the tests, like cosmicpython's FakeUnitOfWork and
pyeventsourcing's POPO recorder: the engine's storage ports with plain Python objects.

It behaves as the SQL adapters do wherever the engine relies on them (the contract tests in
tests/integration/test_store_contract.py run on it too):

- a unit of work changes nothing unless it commits; leaving it by an exception, or a
  ``savepoint()`` by an exception, undoes only what it (the savepoint) did;
- write units of work are serialised by one lock, held from entering to leaving (SQLite's
  ``BEGIN IMMEDIATE``); a read unit of work reads one consistent copy, the state as committed
  when it began, and never waits (``snapshot`` is therefore always true; SQLite in WAL mode
  reads a snapshot too). A read unit of work that writes is refused (``StorageError``): the
  engine writes only in write units of work;
- what the SQL adapters compute themselves is computed here the same way: the access log's
  and the melders' log's hash chains, appended at the commit with their time clamped so it
  never goes back; the personal values kept beside the record (salts included) and erased on
  anonymisation; letter and file hashes recomputed from the stored content; protocol versions
  counted per id; the indexed event columns (seq, type, actor's digest) checked against the
  record when events are read;
- the same errors: ``CaseNotFound``, ``ProtocolNotFound``, ``LetterNotFound``,
  ``ConcurrencyConflict`` when an event's seq is taken or the stored case is no longer the
  one the writer read (the primary key and ``UPDATE ... WHERE seq = n``), and the same
  orderings (cases oldest first, due deadlines earliest first, the access log newest first).

What it does not do: it has no SQL guards (triggers refusing UPDATE and DELETE, the
application role's rights), no accounts (users, sessions, tokens, notifications: the SQL
accounts adapter; ``users`` only answers display names, from those a test puts in ``Tables.people``), no PostgreSQL row locks (one lock serialises every writer, as on SQLite),
and no translation of a database's refusals (NUL characters, a lost connection). What the
engine never writes is refused, not modelled: a duplicate key (a second case with one id, a
second letter for one event) is a ``StorageError``, a case of a protocol that is not stored a
``ProtocolNotFound``, where a database raises its IntegrityError.

The committed state is a ``Tables`` of plain dicts and lists whose values are immutable (or,
for the two nested dicts, replaced and never changed in place), so a copy of the tables is a
shallow copy per table: a write unit of work works on one, and a commit installs it.
"""

from __future__ import annotations

import builtins
import copy
import hashlib
import json
import secrets
import threading
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any

from adapters.calendar_nl import DutchCalendar
from engine.account_ports import Account, Notice, Notification
from engine.attachments import StoredAttachment
from engine.calendar import Calendar
from engine.case import Case, Deadline, DeadlineStatus
from engine.checkpoints import ACCESS_GENESIS, CaseHead, access_chain, proposal_chain, reporter_chain
from engine.clock import Clock
from engine.errors import CaseNotFound, ConcurrencyConflict, LetterNotFound, ProtocolNotFound, StorageError
from engine.evaluation import MonitorImport
from engine.events import ERASED, Event, EventType, actor_column_of
from engine.incidents import (
    INCIDENT_GENESIS,
    ChainedIncidentEntry,
    IncidentCategories,
    IncidentEntry,
    categories_hash,
    incident_chain,
)
from engine.letters import LetterRenderer, StoredLetter
from engine.meldpunt import StoredReceipt
from engine.ports import (
    AccessEntry,
    ActiveDeadline,
    CaseClass,
    CaseFigures,
    ChainedAccess,
    ChainedReporterEntry,
    DueDeadline,
    ProposalEntry,
    ReportCounts,
    ReporterEntry,
    ReporterViews,
    RetentionCandidate,
    SchoolRecord,
    StepChange,
    StoredCheckpoint,
    StoredProtocol,
    UnitOfWork,
    UnitOfWorkFactory,
)
from engine.protocol.model import Protocol
from engine.pupils import Pupil, PupilStatus
from engine.safety_roles import SafetyRole
from engine.triage import Triage, versioned
from engine.usecases import Engine
from tests.support import SCHOOLS

LOCK_TIMEOUT = 30.0  # seconds, as SQLite's busy timeout: a writer that waits longer gets a StorageError
Personal = dict[str, tuple[str | None, str]]  # ref -> (value, salt); the value None once erased


def _utc(moment: datetime) -> datetime:
    """Times come back from storage as aware UTC datetimes, as the SQL adapters return them."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC)


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else _utc(moment)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# --- what is stored ---------------------------------------------------------------


@dataclass(frozen=True)
class StoredCase:
    """A case row: the projection without its deadlines; facts and counts kept as JSON text
    (as the SQL column holds them), so that nobody can change a stored case by reference."""

    case: Case
    facts: str
    counts: str

    @classmethod
    def of(cls, case: Case) -> StoredCase:
        bare = replace(
            case,
            facts={},
            counts={},
            deadlines={},
            opened_at=_utc(case.opened_at),
            updated_at=_utc(case.updated_at),
            closed_at=_utc_or_none(case.closed_at),
            recorded_at=_utc_or_none(case.recorded_at),
        )
        return cls(bare, _json(case.facts), _json(case.counts))

    def load(self, deadlines: dict[str, Deadline]) -> Case:
        return replace(self.case, facts=json.loads(self.facts), counts=json.loads(self.counts), deadlines=dict(deadlines))


@dataclass(frozen=True)
class StoredEvent:
    """An event row: its canonical record and hash, and the columns indexed beside them."""

    case_id: str
    seq: int
    type: str
    actor: str  # the digest of the actor's commitment, never the name
    record: str
    hash: str

    @classmethod
    def of(cls, event: Event) -> StoredEvent:
        if event.record is None:
            raise StorageError("only sealed events are stored")
        return cls(event.case_id, event.seq, event.type, event.actor_column(), event.record, event.hash)

    def load(self, personal: Personal | None) -> Event:
        body = json.loads(self.record)
        mismatch = [c for c in ("case_id", "seq", "type") if getattr(self, c) != body[c]]
        if self.actor != actor_column_of(body["actor"]):
            mismatch.append("actor")
        return Event.from_body(body, self.record, self.hash, tuple(mismatch), personal)


@dataclass(frozen=True)
class Departure:
    left_on: date
    recorded_at: datetime
    recorded_by: str


@dataclass
class Tables:
    """Everything stored. Values are immutable; the nested dicts (a case's deadlines, an
    event's personal values) are replaced whole, never changed in place."""

    meta: dict[str, str] = field(default_factory=dict)
    protocols: dict[str, StoredProtocol] = field(default_factory=dict)  # by content hash
    cases: dict[str, StoredCase] = field(default_factory=dict)
    deadlines: dict[str, dict[str, Deadline]] = field(default_factory=dict)  # case id -> key -> deadline
    events: dict[str, tuple[StoredEvent, ...]] = field(default_factory=dict)  # case id -> events by seq
    personal: dict[tuple[str, int], Personal] = field(default_factory=dict)  # (case id, seq) -> values
    departures: dict[tuple[str, str], Departure] = field(default_factory=dict)  # (school, subject)
    letters: dict[tuple[str, int], StoredLetter] = field(default_factory=dict)
    attachments: dict[tuple[str, int], StoredAttachment] = field(default_factory=dict)
    receipts: dict[str, StoredReceipt] = field(default_factory=dict)
    pupils: dict[tuple[str, str], Pupil] = field(default_factory=dict)  # (school, key)
    schools: dict[str, SchoolRecord] = field(default_factory=dict)
    safety_roles: dict[str, tuple[SafetyRole, ...]] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)  # username -> display name (no accounts here)
    access_log: list[ChainedAccess] = field(default_factory=list)
    reporter_log: list[ChainedReporterEntry] = field(default_factory=list)
    checkpoints: list[StoredCheckpoint] = field(default_factory=list)
    proposals: list[ProposalEntry] = field(default_factory=list)  # chained, in the order recorded
    incident_log: list[ChainedIncidentEntry] = field(default_factory=list)
    incident_personal: dict[tuple[str, str], tuple[str | None, str]] = field(default_factory=dict)
    incident_categories: list[tuple[IncidentCategories, str]] = field(default_factory=list)  # (version, file)
    incident_keys: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (school, user, key) -> incident
    monitor_results: list[MonitorImport] = field(default_factory=list)
    notifications: list[Sent] = field(default_factory=list)  # by id (its place + 1)
    triage: list[Triage] = field(default_factory=list)  # every board's versions, in load order

    def copy(self) -> Tables:
        return Tables(**{f.name: copy.copy(getattr(self, f.name)) for f in fields(self)})


class MemoryStore:
    """The committed state, and the lock that serialises writers."""

    def __init__(self, *, sandbox: bool = False) -> None:
        self.state = Tables(meta={"sandbox": "1" if sandbox else "0", "clock_offset_us": "0"})
        self.lock = threading.Lock()
        self.writer: int | None = None  # the thread that holds the lock

    def acquire(self) -> None:
        if self.writer == threading.get_ident():  # SQLite would wait for itself until its timeout
            raise StorageError("Een schrijvende transactie wacht op zichzelf; er is niets vastgelegd.")
        if not self.lock.acquire(timeout=LOCK_TIMEOUT):
            raise StorageError("De database is bezet; er is niets vastgelegd.")
        self.writer = threading.get_ident()

    def release(self) -> None:
        self.writer = None
        self.lock.release()

    @contextmanager
    def edit(self) -> Iterator[Tables]:
        """Change the committed state directly, as someone with access to the database would
        (tests that tamper with the trail)."""
        self.acquire()
        try:
            tables = self.state.copy()
            yield tables
            self.state = tables
        finally:
            self.release()


# --- repositories -----------------------------------------------------------------


class _Repository:
    def __init__(self, uow: MemoryUnitOfWork) -> None:
        self.uow = uow

    @property
    def tables(self) -> Tables:
        """For reading: what this unit of work sees."""
        return self.uow.tables

    def writable(self) -> Tables:
        """For writing: only a write unit of work writes."""
        return self.uow.writable()


class MemoryProtocols(_Repository):
    def add(self, protocol: Protocol, loaded_at: datetime, scope: str | None = None) -> bool:
        t = self.tables
        if protocol.content_hash in t.protocols:
            return False
        latest = max((p.version for p in t.protocols.values() if p.id == protocol.id), default=0)
        self.writable().protocols[protocol.content_hash] = StoredProtocol(
            id=protocol.id,
            version=max(protocol.version, latest + 1),
            content_hash=protocol.content_hash,
            title=protocol.spec.title,
            text=protocol.text,
            file=protocol.file,
            loaded_at=_utc(loaded_at),
            scope=scope,
        )
        return True

    def get(self, protocol_id: str, version: int | None = None, *, school: str | None = None) -> StoredProtocol:
        found = [
            p
            for p in self.tables.protocols.values()
            if p.id == protocol_id and version in (None, p.version) and (school is None or p.scope in (None, school))
        ]
        if not found:
            raise ProtocolNotFound(protocol_id, version)
        return max(found, key=lambda p: p.version)

    def by_hash(self, content_hash: str) -> StoredProtocol:
        found = self.tables.protocols.get(content_hash)
        if found is None:
            raise ProtocolNotFound(content_hash)
        return found

    def list(self) -> list[StoredProtocol]:
        return sorted(self.tables.protocols.values(), key=lambda p: (p.id, p.version))

    def count(self) -> int:
        return len(self.tables.protocols)


# The case columns a recorded event changes (adapters/sql/driver.py, CASE_UPDATE_COLUMNS): a
# case keeps its id, protocol id, school, group and opening moment.
_KEPT_ON_RECORD = ("id", "protocol_id", "school", "group", "opened_at")


class MemoryCases(_Repository):
    def lock(self, case_ids: Sequence[str]) -> None:
        """The write lock already holds every case (as SQLite's write transaction does)."""

    def read_ahead(self, case_ids: Sequence[str]) -> None:
        """Reading from memory costs no round trip: nothing to gather."""

    def get(self, case_id: str) -> Case:
        found = self.get_many([case_id])
        if case_id not in found:
            raise CaseNotFound(case_id)
        return found[case_id]

    def get_many(self, case_ids: Sequence[str]) -> dict[str, Case]:
        t = self.tables
        return {c: t.cases[c].load(t.deadlines.get(c, {})) for c in dict.fromkeys(case_ids) if c in t.cases}

    def heads(self) -> list[CaseHead]:
        return [CaseHead(c, row.case.seq, row.case.last_hash) for c, row in sorted(self.tables.cases.items())]

    def event_count(self) -> int:
        return sum(len(events) for events in self.tables.events.values())

    def orphans(self) -> dict[str, int]:
        t = self.tables
        return {c: len(events) for c, events in sorted(t.events.items()) if events and c not in t.cases}

    def add(self, case: Case, event: Event) -> None:
        t = self.writable()
        if case.id in t.cases:
            raise StorageError(f"Zaak {case.id} bestaat al; er is niets vastgelegd.")
        if case.protocol_hash not in t.protocols:  # the foreign key
            raise ProtocolNotFound(case.protocol_hash)
        t.cases[case.id] = StoredCase.of(case)
        self._append(t, event)
        self._write_deadlines(t, case, event)

    def record(self, before: Case, after: Case, event: Event) -> None:
        self.record_many([(before, after, event)])

    def record_many(self, changes: Sequence[tuple[Case, Case, Event]]) -> None:
        t = self.writable()
        for before, after, event in changes:
            self._append(t, event)
            stored = t.cases[before.id]
            if stored.case.seq != before.seq:  # UPDATE cases ... WHERE id = ? AND seq = ?
                raise ConcurrencyConflict(before.id, before.seq, None)
            kept = {name: getattr(stored.case, name) for name in _KEPT_ON_RECORD}
            t.cases[before.id] = StoredCase.of(replace(after, **kept))
            self._write_deadlines(t, after, event)

    def _append(self, t: Tables, event: Event) -> None:
        """The event and its personal values; its seq taken, or its case absent: a conflict
        (the primary key and the foreign key of the events table)."""
        events = t.events.get(event.case_id, ())
        if event.case_id not in t.cases or any(e.seq == event.seq for e in events):
            raise ConcurrencyConflict(event.case_id, event.seq - 1, None)
        t.events[event.case_id] = tuple(sorted((*events, StoredEvent.of(event)), key=lambda e: e.seq))
        if event.personal:
            t.personal[(event.case_id, event.seq)] = dict(event.personal)

    def _write_deadlines(self, t: Tables, case: Case, event: Event) -> None:
        """The deadlines the event names: new ones inserted, the others updated."""
        deadlines = dict(t.deadlines.get(case.id, {}))
        for change in event.data.get("deadlines", ()):
            if "schedule" in change:
                key = change["schedule"]["key"]
                if key in deadlines:
                    raise StorageError(f"Termijn {key} van zaak {case.id} bestaat al; er is niets vastgelegd.")
                deadlines[key] = _utc_deadline(case.deadlines[key])
            elif change["key"] in deadlines:
                deadlines[change["key"]] = _utc_deadline(case.deadlines[change["key"]])
        t.deadlines[case.id] = deadlines

    def events(self, case_id: str, upto: int | None = None) -> list[Event]:
        t = self.tables
        stored = [e for e in t.events.get(case_id, ()) if upto is None or e.seq <= upto]
        return [e.load(t.personal.get((e.case_id, e.seq))) for e in stored]

    def events_many(self, case_ids: Sequence[str]) -> dict[str, list[Event]]:
        wanted = sorted(c for c in set(case_ids) if self.tables.events.get(c))
        return {c: self.events(c) for c in wanted}

    def step_changes_many(self, case_ids: Sequence[str]) -> dict[str, list[StepChange]]:
        found: dict[str, list[StepChange]] = {}
        for case_id, events in self.events_many(case_ids).items():
            for e in events:
                if (e.to_step and e.to_step != e.from_step) or e.type == EventType.TRIAGE:
                    found.setdefault(case_id, []).append(
                        StepChange(case_id, e.seq, e.type, e.effective_at, e.role, e.trigger, e.from_step, e.to_step)
                    )
        return found

    def report_counts(self, schools: Collection[str] | None, protocol_hashes: Collection[str]) -> ReportCounts:
        steps: Counter[tuple[CaseClass, str, bool]] = Counter()
        deadlines: Counter[tuple[CaseClass, str, str]] = Counter()
        times: dict[tuple[CaseClass, str], tuple[int, int]] = {}
        for row in self.tables.cases.values():
            case = row.case
            if (schools is not None and case.school not in schools) or case.protocol_hash not in protocol_hashes:
                continue
            key: CaseClass = (case.protocol_hash, case.school, case.group)
            steps[(key, case.step, case.closed)] += 1
            for d in self.tables.deadlines.get(case.id, {}).values():
                if d.due_date:
                    deadlines[(key, d.due_date[:7], d.status)] += 1
            entered = None
            for e in self.events(case.id):
                if e.to_step and e.to_step != e.from_step:
                    if entered is not None and e.from_step is not None:
                        n, spent = times.get((key, e.from_step), (0, 0))
                        times[(key, e.from_step)] = (n + 1, spent + (e.effective_at - entered) // timedelta(microseconds=1))
                    entered = e.effective_at
        return ReportCounts(dict(steps), dict(deadlines), times)

    def ids_of(self, protocol_hashes: Collection[str], schools: Collection[str]) -> list[str]:
        rows = [r.case for r in self.tables.cases.values() if r.case.protocol_hash in protocol_hashes and r.case.school in schools]
        return [c.id for c in sorted(rows, key=lambda c: (c.opened_at, c.id))]

    def ids(self, schools: Collection[str] | None = None, *, open_only: bool = False) -> list[str]:
        rows = [
            r.case
            for r in self.tables.cases.values()
            if (schools is None or r.case.school in schools) and not (open_only and r.case.closed)
        ]
        return [c.id for c in sorted(rows, key=lambda c: (c.opened_at, c.id))]

    def _deadlines(self) -> Iterator[tuple[StoredCase, Deadline]]:
        t = self.tables
        for case_id, deadlines in t.deadlines.items():
            for deadline in deadlines.values():
                yield t.cases[case_id], deadline

    def due(self, now: datetime, limit: int) -> list[DueDeadline]:
        found = [
            DueDeadline(row.case.id, d.key, d.due_at)
            for row, d in self._deadlines()
            if d.status == DeadlineStatus.OPEN and d.due_at is not None and d.due_at <= now
        ]
        return sorted(found, key=lambda d: (d.due_at, d.case_id, d.key))[:limit]

    def claim_due(self, now: datetime, limit: int) -> list[DueDeadline]:
        return self.due(now, limit)  # the write lock already keeps other writers out

    def active_until(self, moment: datetime, fired_since: datetime) -> list[ActiveDeadline]:
        def active(d: Deadline) -> bool:
            if d.due_at is None or d.due_at > moment:
                return False
            running = d.status in (DeadlineStatus.OPEN, DeadlineStatus.OVERDUE)
            return running or (d.status == DeadlineStatus.FIRED and d.due_at >= fired_since)

        found = [
            ActiveDeadline(row.case.id, row.case.school, row.case.group, row.case.protocol_hash, d)
            for row, d in self._deadlines()
            if active(d)
        ]
        return sorted(found, key=lambda a: (a.deadline.due_at, a.case_id, a.deadline.key))

    def erase_personal(self, case_id: str) -> None:
        """Values and salts go: without the salt a guessed name can no longer be tested."""
        t = self.writable()
        for key, values in list(t.personal.items()):
            if key[0] == case_id:
                t.personal[key] = {ref: (None, "") for ref in values}

    def closed_unanonymised(self) -> list[RetentionCandidate]:
        t = self.tables
        found = []
        for row in sorted(t.cases.values(), key=lambda r: r.case.id):
            c = row.case
            if c.closed and c.subject != ERASED and c.closed_at is not None:
                departure = t.departures.get((c.school, c.subject))
                found.append(RetentionCandidate(c.id, c.protocol_hash, c.closed_at, departure.left_on if departure else None))
        return found

    def record_departure(self, school: str, subject: str, left_on: date, recorded_at: datetime, actor: str) -> None:
        self.writable().departures[(school, subject)] = Departure(left_on, _utc(recorded_at), actor)

    def figures(self, now: datetime) -> CaseFigures:
        open_cases: dict[str, int] = {}
        for row in self.tables.cases.values():
            if not row.case.closed:
                open_cases[row.case.protocol_hash] = open_cases.get(row.case.protocol_hash, 0) + 1
        overdue: dict[str, int] = {}
        due: list[datetime] = []
        for row, d in self._deadlines():
            if d.status == DeadlineStatus.OVERDUE:
                overdue[row.case.protocol_hash] = overdue.get(row.case.protocol_hash, 0) + 1
            if d.status == DeadlineStatus.OPEN and d.due_at is not None and d.due_at <= now:
                due.append(d.due_at)
        return CaseFigures(open_cases, overdue, min(due, default=None))


def _utc_deadline(deadline: Deadline) -> Deadline:
    return replace(deadline, due_at=_utc_or_none(deadline.due_at))


class MemoryLetters(_Repository):
    def add(self, letter: StoredLetter) -> None:
        t = self.writable()
        if (letter.case_id, letter.seq) in t.letters:
            raise StorageError(f"Zaak {letter.case_id} heeft al een brief bij gebeurtenis {letter.seq}.")
        t.letters[(letter.case_id, letter.seq)] = letter

    def get(self, case_id: str, name: str) -> StoredLetter:
        found = [letter for (c, _), letter in self.tables.letters.items() if c == case_id and letter.name == name]
        if not found:
            raise LetterNotFound(case_id, name)
        return max(found, key=lambda letter: letter.seq)

    def hashes(self, case_ids: Sequence[str]) -> dict[tuple[str, int], tuple[str, str]]:
        """Recomputed from the stored content, so a changed letter shows."""
        wanted = set(case_ids)
        return {
            key: (
                ("erased", "erased")
                if letter.html == "" and not letter.pdf
                else (hashlib.sha256(letter.html.encode("utf-8")).hexdigest(), hashlib.sha256(letter.pdf).hexdigest())
            )
            for key, letter in self.tables.letters.items()
            if key[0] in wanted
        }

    def erase(self, case_id: str) -> None:
        t = self.writable()
        for key, letter in list(t.letters.items()):
            if key[0] == case_id:
                t.letters[key] = replace(letter, html="", pdf=b"")


class MemoryAttachments(_Repository):
    def add(self, attachment: StoredAttachment) -> None:
        t = self.writable()
        if (attachment.case_id, attachment.seq) in t.attachments:
            raise StorageError(f"Zaak {attachment.case_id} heeft al een bijlage bij gebeurtenis {attachment.seq}.")
        t.attachments[(attachment.case_id, attachment.seq)] = attachment

    def get(self, case_id: str, seq: int) -> StoredAttachment | None:
        return self.tables.attachments.get((case_id, seq))

    def hashes(self, case_ids: Sequence[str]) -> dict[tuple[str, int], str]:
        """Recomputed from the stored content, so a changed or swapped file shows."""
        wanted = set(case_ids)
        return {
            key: hashlib.sha256(a.content).hexdigest() if a.content else "erased"
            for key, a in self.tables.attachments.items()
            if key[0] in wanted
        }

    def erase(self, case_id: str) -> None:
        t = self.writable()
        for key, a in list(t.attachments.items()):
            if key[0] == case_id:
                t.attachments[key] = replace(a, content=b"")


class MemoryReceipts(_Repository):
    def add(self, receipt: StoredReceipt) -> None:
        t = self.writable()
        if receipt.code_hash in t.receipts:
            raise StorageError("Dit ontvangstbewijs bestaat al; er is niets vastgelegd.")
        t.receipts[receipt.code_hash] = replace(receipt, created_at=_utc(receipt.created_at))

    def find(self, code_hash: str) -> StoredReceipt | None:
        return self.tables.receipts.get(code_hash)

    def of_case(self, case_id: str) -> StoredReceipt | None:
        return next((r for r in self.tables.receipts.values() if r.case_id == case_id), None)


class MemoryPupils(_Repository):
    def list(self, school: str) -> list[Pupil]:
        return sorted((p for p in self.tables.pupils.values() if p.school == school), key=lambda p: p.name)

    def save_many(self, pupils: Sequence[Pupil]) -> None:
        if not pupils:
            return
        t = self.writable()
        for pupil in pupils:
            t.pupils[(pupil.school, pupil.key)] = pupil

    def named(self, school: str, name: str) -> Pupil | None:
        return next(
            (
                p
                for _, p in sorted(self.tables.pupils.items())
                if p.school == school and p.name == name and p.status != PupilStatus.LEFT
            ),
            None,
        )


class MemorySchools(_Repository):
    def get(self, school_id: str) -> SchoolRecord | None:
        return self.tables.schools.get(school_id)

    def list(self) -> list[SchoolRecord]:
        return [s for _, s in sorted(self.tables.schools.items())]

    def save(self, school: SchoolRecord) -> None:
        self.writable().schools[school.id] = school

    def safety_roles(self, school_id: str) -> builtins.list[SafetyRole]:
        return list(self.tables.safety_roles.get(school_id, ()))

    def save_safety_roles(self, school_id: str, roles: Sequence[SafetyRole]) -> None:
        self.writable().safety_roles[school_id] = tuple(roles)


class MemoryUsers(_Repository):
    """Of the users, only the names they are known by (``uow.users.display_names``): there are
    no accounts in memory, so a test puts the names it needs in ``Tables.people``."""

    def display_names(self, usernames: Collection[str] | None = None) -> dict[str, str]:
        known = self.tables.people
        return dict(sorted(known.items())) if usernames is None else {u: known[u] for u in sorted(usernames) if u in known}

    def account(self, username: str) -> Account | None:
        return None  # no accounts in memory: nobody to tell in the app

    def accounts(self, holding: Collection[str] | None = None) -> list[Account]:
        return []


@dataclass(frozen=True)
class Sent:
    """A notice as stored: when it was sent, if it was."""

    notice: Notification
    sent_at: datetime | None = None


class MemoryNotifications(_Repository):
    """The notices of deadlines and of reporters' messages: each once per case, deadline,
    kind, person, channel and due date, as the SQL table's unique key has it."""

    def record(self, notices: Sequence[Notice], at: datetime) -> int:
        if not notices:
            return 0
        stored = self.writable().notifications
        known = {_notice_key(s.notice) for s in stored}
        new = 0
        for n in notices:
            key = (n.case_id, n.deadline_key, n.kind, n.username, n.channel, n.due_date)
            if key in known:
                continue
            known.add(key)
            stored.append(Sent(Notification(len(stored) + 1, *key, created_at=at)))
            new += 1
        return new

    def next_unsent(self, channel: str, skip: Collection[str] = ()) -> Notification | None:
        return next(
            (s.notice for s in self.tables.notifications if s.sent_at is None and s.notice.channel == channel and s.notice.username not in skip),
            None,
        )

    def unsent(self, username: str, channel: str) -> list[Notification]:
        return [s.notice for s in self.tables.notifications if s.sent_at is None and (s.notice.username, s.notice.channel) == (username, channel)]

    def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        stored = self.writable().notifications
        for i in ids:
            stored[i - 1] = replace(stored[i - 1], sent_at=at)

    def of_user(self, username: str, channel: str, limit: int) -> list[Notification]:
        mine = [s.notice for s in self.tables.notifications if (s.notice.username, s.notice.channel) == (username, channel)]
        return sorted(mine, key=lambda n: (n.created_at, n.id), reverse=True)[:limit]


def _notice_key(n: Notification) -> tuple[str, ...]:
    return (n.case_id, n.deadline_key, n.kind, n.username, n.channel, n.due_date)


class MemoryAccessLog(_Repository):
    """Rows wait until the commit, and are then chained (as the SQL adapter appends them)."""

    def add_many(self, entries: Sequence[AccessEntry]) -> None:
        self.writable()
        self.uow.pending_access.extend(entries)

    def chain(self) -> list[ChainedAccess]:
        return list(self.tables.access_log)

    def of_user(self, username: str, schools: Collection[str] | None) -> list[AccessEntry]:
        return [
            r.entry
            for r in self.tables.access_log
            if r.entry.username == username and (schools is None or r.entry.school in schools)
        ]

    def list(self, schools: Collection[str] | None, case_id: str | None = None, limit: int = 500) -> list[AccessEntry]:
        found = [
            r.entry
            for r in reversed(self.tables.access_log)
            if (schools is None or r.entry.school in schools) and (not case_id or r.entry.case_id == case_id)
        ]
        return found[:limit]


def append_access(t: Tables, entries: Sequence[AccessEntry]) -> None:
    """Extend the access log's chain; its time never goes back (a clock that did is clamped)."""
    head = t.access_log[-1] if t.access_log else None
    prev = head.hash if head is not None and head.hash else ACCESS_GENESIS
    last = head.entry.at if head is not None else None
    for e in entries:
        e = replace(e, at=_utc(e.at))
        if last is not None and e.at < last:
            e = replace(e, at=last)
        last = e.at
        digest = access_chain(prev, e.at, e.username, e.roles, e.case_id, e.school, e.what)
        t.access_log.append(ChainedAccess(len(t.access_log) + 1, e, prev, digest))
        prev = digest


class MemoryReporterLog(_Repository):
    """The melders' log: its own chain, appended at the commit after the access log's rows."""

    def add_many(self, entries: Sequence[ReporterEntry]) -> None:
        self.writable()
        self.uow.pending_reporter.extend(entries)

    def chain(self) -> list[ChainedReporterEntry]:
        return list(self.tables.reporter_log)

    def counts(self, schools: Collection[str] | None, case_id: str | None, before: date) -> list[ReporterViews]:
        counted: dict[tuple[str, str, str], int] = {}
        for r in self.tables.reporter_log:
            e = r.entry
            if e.day < before and (schools is None or e.school in schools) and (not case_id or e.case_id == case_id):
                counted[(e.case_id, e.school, e.roles)] = counted.get((e.case_id, e.school, e.roles), 0) + 1
        ordered = sorted(counted.items(), key=lambda item: (item[0][0], item[0][2]))
        return [ReporterViews(c, school, roles, n) for (c, school, roles), n in ordered]

    def of_reader(self, reader: str, schools: Collection[str] | None) -> list[ReporterEntry]:
        return [
            r.entry
            for r in self.tables.reporter_log
            if r.entry.reader == reader and (schools is None or r.entry.school in schools)
        ]


def append_reporter(t: Tables, entries: Sequence[ReporterEntry]) -> None:
    """Extend the melders' log's chain; its days never go back."""
    head = t.reporter_log[-1] if t.reporter_log else None
    prev = head.hash if head is not None else ACCESS_GENESIS
    last = head.entry.day if head is not None else None
    for e in entries:
        if last is not None and e.day < last:
            e = replace(e, day=last)
        last = e.day
        digest = reporter_chain(prev, e.day.isoformat(), e.reader, e.roles, e.case_id, e.school, e.what)
        t.reporter_log.append(ChainedReporterEntry(len(t.reporter_log) + 1, e, prev, digest))
        prev = digest


class MemoryProposals(_Repository):
    """The protocol proposals log: only added to, each step chained to the one before it."""

    def lock(self) -> None:
        pass  # one lock serialises every writer already

    def add(self, entry: ProposalEntry) -> None:
        t = self.writable()
        prev = t.proposals[-1].hash if t.proposals else ACCESS_GENESIS
        t.proposals.append(replace(entry, prev_hash=prev, hash=proposal_chain(prev, entry)))

    def entries(self, proposal_id: str | None = None) -> list[ProposalEntry]:
        return [e for e in self.tables.proposals if proposal_id is None or e.proposal_id == proposal_id]

    def entries_where_last(self, kind: str) -> list[ProposalEntry]:
        last = {e.proposal_id: e.kind for e in self.tables.proposals}
        return [e for e in self.tables.proposals if last[e.proposal_id] == kind]


class MemoryCheckpoints(_Repository):
    def add(self, made_at: datetime, key_id: str, statement: str, signature: str) -> int:
        t = self.writable()
        checkpoint = StoredCheckpoint(len(t.checkpoints) + 1, _utc(made_at), key_id, statement, signature)
        t.checkpoints.append(checkpoint)
        return checkpoint.id

    def list(self) -> list[StoredCheckpoint]:
        return list(self.tables.checkpoints)


class MemorySettings(_Repository):
    @property
    def sandbox(self) -> bool:
        return self.tables.meta.get("sandbox") == "1"

    @property
    def clock_offset(self) -> timedelta:
        return timedelta(microseconds=int(self.tables.meta.get("clock_offset_us", "0")))

    def set_clock_offset(self, offset: timedelta) -> None:
        self.writable().meta["clock_offset_us"] = str(offset // timedelta(microseconds=1))

    def secret(self, name: str) -> str:
        key = f"secret:{name}"
        if key not in self.tables.meta:
            self.writable().meta[key] = secrets.token_hex(32)
        return self.tables.meta[key]

    def note(self, name: str, value: str) -> None:
        self.writable().meta[f"note:{name}"] = value

    def noted(self, name: str) -> str | None:
        return self.tables.meta.get(f"note:{name}")


# --- the unit of work -------------------------------------------------------------


class MemoryIncidents(_Repository):
    """The incident log, chained as it is appended (a writer holds the store's lock)."""

    def append(self, entries: Sequence[IncidentEntry]) -> None:
        t = self.writable()
        prev = t.incident_log[-1].hash if t.incident_log else INCIDENT_GENESIS
        last = t.incident_log[-1].entry().at if t.incident_log else None
        for e in entries:
            if last is not None and e.at < last:
                e = replace(e, at=last)
            last = e.at
            record = e.record()
            digest = incident_chain(prev, record)
            t.incident_log.append(ChainedIncidentEntry(len(t.incident_log) + 1, e.incident_id, e.school, record, prev, digest))
            for ref, kept in e.personal.items():
                t.incident_personal[(e.incident_id, ref)] = kept
            prev = digest

    def chain(self) -> list[ChainedIncidentEntry]:
        return list(self.tables.incident_log)

    def entries(self, schools: Collection[str] | None, incident_id: str | None = None) -> list[IncidentEntry]:
        kept = self.tables.incident_personal
        return [
            replace(e, personal={ref: v for (i, ref), v in kept.items() if i == e.incident_id})
            if e.type == "incident_recorded" else e
            for r in self.tables.incident_log
            if (schools is None or r.school in schools) and (incident_id is None or r.incident_id == incident_id)
            for e in (r.entry(),)
        ]

    def personal(self) -> dict[tuple[str, str], tuple[str | None, str]]:
        return dict(self.tables.incident_personal)

    def erase_personal(self, incident_id: str) -> None:
        t = self.writable()
        for key in [k for k in t.incident_personal if k[0] == incident_id]:
            t.incident_personal[key] = (None, "")

    def add_categories(self, categories: IncidentCategories, file: str, loaded_at: datetime) -> int | None:
        t = self.writable()
        if any(c.content_hash == categories.content_hash for c, _ in t.incident_categories):
            return None
        version = len(t.incident_categories) + 1
        t.incident_categories.append((replace(categories, version=version, loaded_at=_utc(loaded_at)), file))
        return version

    def categories(self, version: int | None = None) -> IncidentCategories | None:
        found = [c for c, _ in self.tables.incident_categories if version is None or c.version == version]
        return found[-1] if found else None

    def categories_versions(self) -> list[tuple[int, str, str]]:
        return [(c.version, c.content_hash, categories_hash(c.text)) for c, _ in self.tables.incident_categories]

    def keyed(self, school: str, username: str, key: str) -> str | None:
        return self.tables.incident_keys.get((school, username, key))

    def add_key(self, school: str, username: str, key: str, incident_id: str, at: datetime) -> None:
        t = self.writable()
        if (school, username, key) in t.incident_keys:
            raise AssertionError("incident key already taken")
        t.incident_keys[(school, username, key)] = incident_id


class MemoryMonitor(_Repository):
    def add(self, imported: MonitorImport, at: datetime, by: str) -> int | None:
        latest = self.latest(imported.school, imported.school_year)
        if latest is not None and latest.content_hash == imported.content_hash:
            return None
        version = (latest.version if latest else 0) + 1
        self.writable().monitor_results.append(replace(imported, version=version, imported_by=by))
        return version

    def latest(self, school: str, school_year: str) -> MonitorImport | None:
        found = [m for m in self.tables.monitor_results if (m.school, m.school_year) == (school, school_year)]
        return found[-1] if found else None


class MemoryTriage(_Repository):
    def add(self, triage: Triage, file: str, loaded_at: datetime) -> int | None:
        t = self.tables
        own = [x for x in t.triage if x.board == triage.board]
        if any(x.content_hash == triage.content_hash for x in own):
            return None
        t.triage.append(versioned(triage, len(own) + 1, triage.content_hash, _utc(loaded_at)))
        return len(own) + 1

    def latest(self, board: str) -> Triage | None:
        own = [x for x in self.tables.triage if x.board == board]
        return own[-1] if own else None


class MemoryUnitOfWork:
    """One transaction on a MemoryStore (see the module's doc)."""

    def __init__(self, store: MemoryStore, write: bool) -> None:
        self.store = store
        self.write = write
        self.protocols = MemoryProtocols(self)
        self.proposals = MemoryProposals(self)
        self.cases = MemoryCases(self)
        self.incidents = MemoryIncidents(self)
        self.triage = MemoryTriage(self)
        self.settings = MemorySettings(self)
        self.letters = MemoryLetters(self)
        self.attachments = MemoryAttachments(self)
        self.pupils = MemoryPupils(self)
        self.receipts = MemoryReceipts(self)
        self.access_log = MemoryAccessLog(self)
        self.reporter_log = MemoryReporterLog(self)
        self.schools = MemorySchools(self)
        self.monitor = MemoryMonitor(self)
        self.users = MemoryUsers(self)
        self.notifications = MemoryNotifications(self)
        self.checkpoints = MemoryCheckpoints(self)
        self.pending_access: list[AccessEntry] = []
        self.pending_reporter: list[ReporterEntry] = []

    def __enter__(self) -> MemoryUnitOfWork:
        if self.write:
            self.store.acquire()
        self._begin()
        return self

    def _begin(self) -> None:
        # a reader shares the committed tables (never changed in place); a writer works on a copy
        self.tables = self.store.state.copy() if self.write else self.store.state
        self.pending_access, self.pending_reporter = [], []

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        del self.tables  # what was not committed is gone
        if self.write:
            self.store.release()

    def writable(self) -> Tables:
        if not self.write:
            raise StorageError("Een lezende transactie schrijft niet; er is niets vastgelegd.")
        return self.tables

    @contextmanager
    def savepoint(self) -> Iterator[object]:
        """Leaving by an exception undoes only this part."""
        saved = self.tables.copy()
        marks = len(self.pending_access), len(self.pending_reporter)
        try:
            yield self
        except Exception:
            self.tables = saved
            del self.pending_access[marks[0] :]
            del self.pending_reporter[marks[1] :]
            raise

    def commit(self) -> None:
        if not self.write:
            return
        if self.pending_access:
            append_access(self.tables, self.pending_access)
        if self.pending_reporter:
            append_reporter(self.tables, self.pending_reporter)
        self.store.state = self.tables
        self._begin()  # the next transaction of this unit of work, still holding the lock

    def rollback(self) -> None:
        self._begin()


class MemoryUnitOfWorkFactory:
    def __init__(self, store: MemoryStore | None = None) -> None:
        self.store = store if store is not None else MemoryStore()

    def __call__(self, *, write: bool = False, snapshot: bool = False) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.store, write)

    def held(self) -> AbstractContextManager[None]:
        return nullcontext()  # no connections to keep


if TYPE_CHECKING:  # mypy checks that these implement the engine's ports
    _factory: UnitOfWorkFactory = MemoryUnitOfWorkFactory()
    _uow: UnitOfWork = MemoryUnitOfWork(MemoryStore(), write=False)


# --- an engine on it ----------------------------------------------------------------


def memory_engine(
    clock: Clock,
    *,
    sandbox: bool = True,
    store: MemoryStore | None = None,
    schools: Sequence[str] = SCHOOLS,
    calendar: Calendar | None = None,
    letters: LetterRenderer | None = None,
) -> Engine:
    """An Engine on a MemoryStore, with the test schools in its register (as
    tests.support.make_engine does on a database); no accounts, so no reminders."""
    store = store if store is not None else MemoryStore(sandbox=sandbox)
    factory = MemoryUnitOfWorkFactory(store)
    with factory(write=True) as uow:
        for school in schools:
            if uow.schools.get(school) is None:
                uow.schools.save(SchoolRecord(school, f"School {school}", "stichting-demo", "midden"))
        uow.commit()
    return Engine.create(
        uow=factory, clock=clock, calendar=calendar if calendar is not None else DutchCalendar(), letters=letters
    )


__all__ = [
    "MemoryStore",
    "MemoryUnitOfWork",
    "MemoryUnitOfWorkFactory",
    "StoredCase",
    "StoredEvent",
    "Tables",
    "memory_engine",
]
