"""What the engine needs from storage, as ports. adapters/sql implements them."""

from __future__ import annotations

import base64
import builtins
import hashlib
from collections.abc import Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Self
from typing import Protocol as Port

from engine.account_ports import (
    ApiTokenRepository,
    FeedRepository,
    IdentityRepository,
    LoginAttemptRepository,
    NotificationRepository,
    PendingLoginRepository,
    SessionRepository,
    UserRepository,
)
from engine.attachments import StoredAttachment
from engine.audit import Verification
from engine.case import Case, Deadline
from engine.checkpoints import CaseHead
from engine.evaluation import MonitorImport
from engine.events import Event
from engine.incidents import ChainedIncidentEntry, IncidentCategories, IncidentEntry
from engine.letters import StoredLetter
from engine.meldpunt import StoredReceipt
from engine.protocol.model import Protocol
from engine.pupils import Pupil
from engine.safety_roles import SafetyRole
from engine.triage import Triage

CaseClass = tuple[str, str, str | None]  # protocol hash, school, group: what access is decided by


@dataclass(frozen=True)
class ReportCounts:
    """A report's counts, per class of cases (``CaseClass``), counted in the database: the
    engine decides per class whether its reader may see every case of it (``engine.access.reach``).

    ``steps``: (class, step, closed) -> cases; ``deadlines``: (class, month of the due date
    "jjjj-mm", status) -> deadlines with a due date; ``step_times``: (class, step left) ->
    (times a case left it, microseconds spent in it): a step change's moment minus the
    case's previous step change's."""

    steps: dict[tuple[CaseClass, str, bool], int]
    deadlines: dict[tuple[CaseClass, str, str], int]
    step_times: dict[tuple[CaseClass, str], tuple[int, int]]


@dataclass(frozen=True)
class StepChange:
    """An event that moved a case to another step (or opened it), or a meldpunt triage event,
    as its indexed columns hold it: what a report counts for every case, read without
    parsing its record. ``inputs``, ``data`` and ``actor`` are left empty: a table that needs
    them reads those cases' events in full."""

    case_id: str
    seq: int
    type: str
    effective_at: datetime
    role: str
    trigger: str | None
    from_step: str | None
    to_step: str | None
    inputs: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    actor: str = ""


@dataclass(frozen=True)
class StoredProtocol:
    id: str
    version: int
    content_hash: str
    title: str
    text: str
    file: str
    loaded_at: datetime
    scope: str | None = None  # the school it belongs to; None: every school of the board


@dataclass(frozen=True)
class ActiveDeadline:
    """A running or late deadline with what is needed to tell the right people about it."""

    case_id: str
    school: str
    group: str | None
    protocol_hash: str
    deadline: Deadline


@dataclass(frozen=True)
class RetentionCandidate:
    case_id: str
    protocol_hash: str
    closed_at: datetime
    left_on: date | None  # the day the pupil left the school, when recorded


@dataclass(frozen=True)
class CaseFigures:
    open_cases: dict[str, int]  # protocol hash -> open cases
    overdue: dict[str, int]  # protocol hash -> deadlines past due and not met
    oldest_due: datetime | None  # the earliest open deadline whose moment has passed


@dataclass(frozen=True)
class DueDeadline:
    case_id: str
    key: str
    due_at: datetime


class ProtocolRepository(Port):
    def add(self, protocol: Protocol, loaded_at: datetime, scope: str | None = None) -> bool:
        """Store new content as the next version of its id; False when this content is stored.
        ``scope``: the school the protocol belongs to (None: the whole board)."""
        ...

    def get(self, protocol_id: str, version: int | None = None, *, school: str | None = None) -> StoredProtocol:
        """A version (the newest when None); with ``school``, only the board's versions and that
        school's own (another school's version for itself is not offered there)."""
        ...

    def by_hash(self, content_hash: str) -> StoredProtocol: ...

    def list(self) -> list[StoredProtocol]: ...

    def count(self) -> int:
        """How many versions are stored (one cheap query: the health check's)."""
        ...


class CaseRepository(Port):
    def lock(self, case_ids: Sequence[str]) -> None:
        """Hold these cases (those that exist) until the transaction ends, locked in the
        order given; a later read in the transaction sees them as last committed."""
        ...

    def get(self, case_id: str) -> Case:
        """The stored projection; raises CaseNotFound."""
        ...

    def read_ahead(self, case_ids: Sequence[str]) -> None:
        """These cases are about to be read (``get``), each once, and nothing changes them
        meanwhile: they may be read now, together."""
        ...

    def heads(self) -> list[CaseHead]:
        """Every case's id, last seq and last event hash, by id (for a checkpoint)."""
        ...

    def event_count(self) -> int: ...

    def orphans(self) -> dict[str, int]:
        """Case ids that have events but no stored case (the row was removed), with their
        number of events."""
        ...

    def add(self, case: Case, event: Event) -> None:
        """A new case with its opening event."""
        ...

    def record(self, before: Case, after: Case, event: Event) -> None:
        """Append ``event`` and store ``after``; ConcurrencyConflict when the stored case
        is no longer ``before``."""
        ...

    def get_many(self, case_ids: Sequence[str]) -> dict[str, Case]:
        """The stored projections of those cases that exist."""
        ...

    def record_many(self, changes: Sequence[tuple[Case, Case, Event]]) -> None:
        """``record`` for several events at once, in order (a case may appear repeatedly)."""
        ...

    def events(self, case_id: str, upto: int | None = None) -> list[Event]: ...

    def events_many(self, case_ids: Sequence[str]) -> dict[str, list[Event]]: ...

    def step_changes_many(self, case_ids: Sequence[str]) -> dict[str, list[StepChange]]:
        """Per case, in order: its events that change the step (to_step set and not from_step)
        and its meldpunt triage events, from their indexed columns (see StepChange)."""
        ...

    def report_counts(self, schools: Collection[str] | None, protocol_hashes: Collection[str]) -> ReportCounts:
        """The counts of every case of these protocol versions at these schools (None: at every
        school), by class (see ReportCounts)."""
        ...

    def ids_of(self, protocol_hashes: Collection[str], schools: Collection[str]) -> list[str]:
        """Ids of the cases of these protocol versions at these schools, oldest first."""
        ...

    def ids(self, schools: Collection[str] | None = None, *, open_only: bool = False) -> list[str]:
        """Case ids, oldest first; only those of the given schools when given; only open cases
        when ``open_only``."""
        ...

    def due(self, now: datetime, limit: int) -> list[DueDeadline]:
        """Open deadlines whose moment has passed, earliest first."""
        ...

    def active_until(self, moment: datetime, fired_since: datetime) -> list[ActiveDeadline]:
        """Open or late deadlines due before ``moment``, earliest first."""
        ...

    def erase_personal(self, case_id: str) -> None:
        """Erase the personal values of a case; its records and hashes stay."""
        ...

    def closed_unanonymised(self) -> list[RetentionCandidate]:
        """Closed cases that still hold personal data, with the day their pupil left the
        school if that was recorded."""
        ...

    def record_departure(self, school: str, subject: str, left_on: date, recorded_at: datetime, actor: str) -> None:
        """Record (or correct) the day a pupil left a school."""
        ...

    def figures(self, now: datetime) -> CaseFigures:
        """Counts for monitoring: open cases and overdue deadlines per protocol version, and
        the earliest open deadline already due (how far the timer worker lags)."""
        ...

    def claim_due(self, now: datetime, limit: int) -> list[DueDeadline]:
        """As ``due``, but held by this unit of work until it ends; deadlines another unit
        of work holds are skipped (PostgreSQL: FOR UPDATE SKIP LOCKED)."""
        ...


class LetterRepository(Port):
    def add(self, letter: StoredLetter) -> None: ...

    def get(self, case_id: str, name: str) -> StoredLetter:
        """The latest letter of that name in the case."""
        ...

    def hashes(self, case_ids: Sequence[str]) -> dict[tuple[str, int], tuple[str, str]]:
        """(case_id, seq) -> (sha256 of the HTML, sha256 of the PDF) as stored; letters
        erased by retention answer ("erased", "erased")."""
        ...

    def erase(self, case_id: str) -> None:
        """Erase the content of a case's letters (retention); their hashes stay in the events."""
        ...


class AttachmentRepository(Port):
    def add(self, attachment: StoredAttachment) -> None: ...

    def get(self, case_id: str, seq: int) -> StoredAttachment | None: ...

    def hashes(self, case_ids: Sequence[str]) -> dict[tuple[str, int], str]:
        """(case_id, seq) -> SHA-256 of the content as stored now; "erased" once retention
        erased it."""
        ...

    def erase(self, case_id: str) -> None:
        """Erase the content of a case's attachments (retention); their hashes stay in the events."""
        ...


class ReceiptRepository(Port):
    def add(self, receipt: StoredReceipt) -> None: ...

    def find(self, code_hash: str) -> StoredReceipt | None: ...

    def of_case(self, case_id: str) -> StoredReceipt | None: ...


class PupilRepository(Port):
    def list(self, school: str) -> list[Pupil]:
        """Every pupil the school's imports brought, departed ones included, by name."""
        ...

    def save_many(self, pupils: Sequence[Pupil]) -> None:
        """Add each pupil, or update the one with that school and key."""
        ...

    def named(self, school: str, name: str) -> Pupil | None:
        """The pupil still at the school whom trede shows by that name."""
        ...


@dataclass(frozen=True)
class AccessEntry:
    """One view of a case: who, in which roles, how (zaak, api, lijst, audit, dossier, ...)."""

    at: datetime
    username: str
    roles: str
    case_id: str
    school: str
    what: str


class AccessLogRepository(Port):
    def add_many(self, entries: Sequence[AccessEntry]) -> None:
        """Append, each entry chained to the one before (engine.checkpoints.access_chain),
        at the commit of this unit of work (so the log's lock is the last one it takes)."""
        ...

    def chain(self) -> list[ChainedAccess]:
        """Every entry in order, with its stored chain hashes (for verification)."""
        ...

    def of_user(self, username: str, schools: Collection[str] | None) -> list[AccessEntry]:
        """One user's entries, oldest first; only those of the given schools when given."""
        ...

    def list(self, schools: Collection[str] | None, case_id: str | None = None, limit: int = 500) -> list[AccessEntry]:
        """Newest first; only those of the given schools when given."""
        ...


@dataclass(frozen=True)
class ChainedAccess:
    id: int
    entry: AccessEntry
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True)
class ReporterEntry:
    """A view made in a reporting role (melder, medewerker), kept apart from the named log:
    no name (``reader`` is a keyed commitment of it), no moment (only the day)."""

    day: date
    reader: str
    roles: str
    case_id: str
    school: str
    what: str


@dataclass(frozen=True)
class ChainedReporterEntry:
    id: int
    entry: ReporterEntry
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ReporterViews:
    """How often a case was viewed in one reporting role, up to a day: never when, nor by whom."""

    case_id: str
    school: str
    roles: str
    count: int


class ReporterLogRepository(Port):
    def add_many(self, entries: Sequence[ReporterEntry]) -> None:
        """Append, each entry chained to the one before (engine.checkpoints.reporter_chain),
        at the commit of this unit of work (after the access log's rows)."""
        ...

    def chain(self) -> list[ChainedReporterEntry]:
        """Every entry in order, with its chain hashes (for verification)."""
        ...

    def counts(self, schools: Collection[str] | None, case_id: str | None, before: date) -> list[ReporterViews]:
        """Per case and roles, the entries of days before ``before``."""
        ...

    def of_reader(self, reader: str, schools: Collection[str] | None) -> list[ReporterEntry]:
        """One reader's entries (by commitment), oldest first."""
        ...


@dataclass(frozen=True)
class StoredCheckpoint:
    id: int
    made_at: datetime
    key_id: str
    statement: str  # the canonical JSON that was signed
    signature: str


class Signer(Port):
    """Signs checkpoints with a key the database never holds."""

    key_id: str

    def sign(self, data: bytes) -> str: ...


class SignatureChecker(Port):
    key_id: str

    def verify(self, data: bytes, signature: str) -> bool: ...


class CheckpointRepository(Port):
    def add(self, made_at: datetime, key_id: str, statement: str, signature: str) -> int: ...

    def list(self) -> list[StoredCheckpoint]:
        """Oldest first."""
        ...


@dataclass(frozen=True)
class SchoolRecord:
    id: str
    name: str
    board: str
    region: str
    denominatie: str | None = None  # openbaar | bijzonder: Awb route or WPO art. 63 route
    sector: str | None = None  # po | vo | so
    address: str | None = None
    board_name: str | None = None
    board_address: str | None = None

    def context(self) -> dict[str, str]:
        """The facts a case records about its school when it opens."""
        found = {
            "school_denominatie": self.denominatie,
            "school_sector": self.sector,
        }
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True)
class SchoolLogo:
    """The logo at the head of a school's letters (engine/logos.py checked it)."""

    school: str
    media_type: str  # image/png | image/jpeg
    content: bytes
    width: int
    height: int
    uploaded_at: datetime
    uploaded_by: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def data_uri(self) -> str:
        """The logo inside the letter itself: a stored letter never depends on a later logo."""
        return f"data:{self.media_type};base64,{base64.b64encode(self.content).decode('ascii')}"


class SchoolRepository(Port):
    def get(self, school_id: str) -> SchoolRecord | None: ...

    def list(self) -> list[SchoolRecord]: ...

    def save(self, school: SchoolRecord) -> None:
        """Add the school, or correct the one with that id."""
        ...

    def logo(self, school_id: str) -> SchoolLogo | None: ...

    def save_logo(self, logo: SchoolLogo) -> None:
        """Set the school's logo, replacing the one it had."""
        ...

    def remove_logo(self, school_id: str) -> bool:
        """Remove the school's logo; False when it had none."""
        ...

    def safety_roles(self, school_id: str) -> builtins.list[SafetyRole]:
        """The school's safety roles, in the order they were given (issue 28)."""
        ...

    def save_safety_roles(self, school_id: str, roles: Sequence[SafetyRole]) -> None:
        """Replace the school's safety roles with these."""
        ...


class Settings(Port):
    @property
    def sandbox(self) -> bool: ...

    @property
    def clock_offset(self) -> timedelta: ...

    def set_clock_offset(self, offset: timedelta) -> None: ...

    def secret(self, name: str) -> str:
        """A random secret of this installation, made on first use (write unit of work)."""
        ...

    def note(self, name: str, value: str) -> None:
        """Keep an operational fact (e.g. the last verification's outcome), replacing the last."""
        ...

    def noted(self, name: str) -> str | None: ...


@dataclass(frozen=True)
class ProposalEntry:
    """One step of a protocol proposal (four eyes): voorgesteld, goedgekeurd, afgewezen,
    gepubliceerd, vervallen or ingetrokken, by whom, in which role, when; what it proposes
    and from when it applies."""

    proposal_id: str
    kind: str
    protocol_id: str
    scope: str | None
    actor: str
    role: str
    at: datetime
    text: str = ""
    file: str = ""
    content_hash: str = ""
    effective_on: date | None = None
    reason: str = ""
    version: int | None = None  # gepubliceerd: the version it was stored as
    # voorgesteld: the version of its id that was current for its scope when it was proposed
    # (its base; 0: there was none); it is published only while that is still the current one
    base_version: int | None = None
    # who the actor is beyond their user name, when the step was recorded: digests of the
    # provider identities linked to their account and of their e-mail address
    # (``engine.usecases.proposals.person_of``), so that one person with two accounts is
    # recognised even after an account's link or address changed
    person: str = ""
    # the chain (set by the repository when the step is added): the hash of the step recorded
    # before it in the whole log, and this step's own (``engine.checkpoints.proposal_chain``)
    prev_hash: str = ""
    hash: str = ""


class ProposalRepository(Port):
    def lock(self) -> None:
        """Keep other writers of the log out until this unit of work ends (what is read after
        it is the state as last committed): a decision and a publication of one proposal
        never both pass their checks."""
        ...

    def add(self, entry: ProposalEntry) -> None:
        """Append a step (the log is append-only), chained to the last step of the whole log
        (its ``prev_hash`` and ``hash`` are set here, whatever the entry carries)."""
        ...

    def entries(self, proposal_id: str | None = None) -> list[ProposalEntry]:
        """Every step, in the order recorded; of one proposal, or of all."""
        ...

    def entries_where_last(self, kind: str) -> list[ProposalEntry]:
        """Every step, in the order recorded, of the proposals whose latest step is of ``kind``
        (the worker's round asks for the approved ones, not for the whole log and its texts)."""
        ...


class IncidentRepository(Port):
    """The incident log (one hash chain, append-only) and the categories' versions (issue 28)."""

    def append(self, entries: Sequence[IncidentEntry]) -> None:
        """Chain these entries at the commit (the chain's lock last; engine/commits.py)."""
        ...

    def chain(self) -> list[ChainedIncidentEntry]:
        """The whole log in chain order."""
        ...

    def entries(self, schools: Collection[str] | None, incident_id: str | None = None) -> list[IncidentEntry]:
        """The log's entries of these schools (None: all), in chain order, read from their
        records, each with the personal values kept beside it (None where erased)."""
        ...

    def personal(self) -> dict[tuple[str, str], tuple[str | None, str]]:
        """Every kept personal value: (incident, ref) -> (value or None once erased, salt)."""
        ...

    def erase_personal(self, incident_id: str) -> None:
        """Erase the incident's personal values and their salts (retention)."""
        ...

    def add_categories(self, categories: IncidentCategories, file: str, loaded_at: datetime) -> int | None:
        """Store a new version (numbered on); None when this content is already loaded."""
        ...

    def categories(self, version: int | None = None) -> IncidentCategories | None:
        """A loaded version (None: the newest), as stored text; None when none is loaded."""
        ...

    def categories_versions(self) -> list[tuple[int, str, str]]:
        """(version, content hash, SHA-256 of the stored text) of every loaded version."""
        ...

    def keyed(self, school: str, username: str, key: str) -> str | None:
        """The incident this user recorded at this school under this client key (a quick
        record's idempotency key), or None. Held until the commit: a second writer with the
        same key waits and then finds the first one's incident."""
        ...

    def add_key(self, school: str, username: str, key: str, incident_id: str, at: datetime) -> None:
        """Remember the client key of a new incident (unique per school and user)."""
        ...


class MonitorRepository(Port):
    """The social-safety monitor's results a school imported, versioned per school and
    school year (the yearly evaluation, issue 28); append-only."""

    def add(self, imported: MonitorImport, at: datetime, by: str) -> int | None:
        """Store a new version; None when it equals the latest version for its school and year."""
        ...

    def latest(self, school: str, school_year: str) -> MonitorImport | None: ...


class TriageRepository(Port):
    """Each board's meldpunt triage data, in versions (issue 29; append-only)."""

    def add(self, triage: Triage, file: str, loaded_at: datetime) -> int | None:
        """Store a new version for its board (numbered on); None when that content is already loaded."""
        ...

    def latest(self, board: str) -> Triage | None:
        """The board's newest version; None when it has none."""
        ...


class UnitOfWork(Port):
    @property
    def protocols(self) -> ProtocolRepository: ...

    @property
    def proposals(self) -> ProposalRepository: ...

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def incidents(self) -> IncidentRepository: ...

    @property
    def triage(self) -> TriageRepository: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def letters(self) -> LetterRepository: ...

    @property
    def attachments(self) -> AttachmentRepository: ...

    @property
    def pupils(self) -> PupilRepository: ...

    @property
    def receipts(self) -> ReceiptRepository: ...

    @property
    def access_log(self) -> AccessLogRepository: ...

    @property
    def reporter_log(self) -> ReporterLogRepository: ...

    @property
    def schools(self) -> SchoolRepository: ...

    @property
    def monitor(self) -> MonitorRepository: ...

    @property
    def checkpoints(self) -> CheckpointRepository: ...

    # who is asking (engine/account_ports.py)
    @property
    def users(self) -> UserRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def api_tokens(self) -> ApiTokenRepository: ...

    @property
    def feeds(self) -> FeedRepository: ...

    @property
    def identities(self) -> IdentityRepository: ...

    @property
    def pending_logins(self) -> PendingLoginRepository: ...

    @property
    def login_attempts(self) -> LoginAttemptRepository: ...

    @property
    def notifications(self) -> NotificationRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def savepoint(self) -> AbstractContextManager[object]:
        """A nested transaction: leaving it by an exception undoes only what it did."""
        ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class ParallelVerifier(Port):
    def __call__(self, chunks: Sequence[Sequence[str]]) -> list[Verification]:
        """Verify every case of every chunk, chunks in parallel, results in chunk order."""
        ...


class UnitOfWorkFactory(Port):
    def __call__(self, *, write: bool = False, snapshot: bool = False) -> UnitOfWork:
        """``snapshot``: every read sees the database as of the first one (verification)."""
        ...

    def held(self) -> AbstractContextManager[None]:
        """Within the block, the write units of work this thread opens one after another
        may share one connection (the group-commit writer: batch after batch). Each is still
        a transaction of its own."""
        ...


class SandboxStorage(Port):
    """Fresh, empty sandbox storage for a proefscenario: never the real database."""

    def open(self) -> AbstractContextManager[UnitOfWorkFactory]:
        """A new sandbox database (simulated time allowed), removed when the block ends."""
        ...


class Mailer(Port):
    def send(self, to: str, subject: str, body: str) -> None: ...

