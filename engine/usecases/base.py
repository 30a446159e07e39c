"""What every group of use cases shares: storage, clock, calendar, the protocol cache,
and the one place where a principal's access to a case is decided and logged."""

from __future__ import annotations

import hashlib
import hmac
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from engine.access import DEPARTURE_ROLES, REPORTER_ROLES, Principal, can_view, case_roles, sees_identity
from engine.account_ports import OneTimeCodes, PasswordHasher
from engine.authentication import TOKEN_CACHE_SIZE, TOKEN_CACHE_TTL
from engine.calendar import Calendar
from engine.case import Case
from engine.clock import Clock
from engine.commits import GroupCommit, Pending
from engine.decisions import Decider
from engine.errors import (
    CaseNotFound,
    InputError,
    PermissionDenied,
    ProtocolNotFound,
    TamperedProtocol,
    TredeError,
    plain_label,
)
from engine.events import Event
from engine.inputs import check_identifier, require_text
from engine.letters import LetterRenderer
from engine.ports import (
    AccessEntry,
    ParallelVerifier,
    ReporterEntry,
    SandboxStorage,
    SchoolRecord,
    SignatureChecker,
    Signer,
    UnitOfWork,
    UnitOfWorkFactory,
)
from engine.protocol.loader import load_protocol_text
from engine.protocol.model import Protocol
from engine.pupils import Pupil, PupilStatus
from engine.refusals import refused
from engine.terms import local_date
from engine.views import CaseView, Redactor, actions_for, redactor_for, role_label

T = TypeVar("T")
V = TypeVar("V")


@dataclass(eq=False)
class PrincipalCache:
    """Who is behind an API token (by the token's SHA-256), remembered for at most ``ttl`` on
    ``clock``: a request with a remembered token needs no unit of work, and the web edge can
    answer it without a hop to the thread pool. Only live tokens are remembered, never a
    refusal (a new token works at once). An entry is used only while ``seen <= now < seen +
    ttl``: a clock set back does not stretch it. Thread-safe; bounded to ``size`` tokens."""

    clock: Clock
    ttl: timedelta = TOKEN_CACHE_TTL
    size: int = TOKEN_CACHE_SIZE
    _entries: OrderedDict[str, tuple[Principal, datetime]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, digest: str) -> Principal | None:
        now = self.clock.now()
        with self._lock:
            found = self._entries.get(digest)
            if found is None:
                return None
            principal, seen = found
            if not seen <= now < seen + self.ttl:
                del self._entries[digest]
                return None
            self._entries.move_to_end(digest)
            return principal

    def put(self, digest: str, principal: Principal, seen: datetime) -> None:
        with self._lock:
            self._entries[digest] = (principal, seen)
            self._entries.move_to_end(digest)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass
class Services:
    uow: UnitOfWorkFactory
    clock: Clock
    calendar: Calendar
    letters: LetterRenderer | None = None
    new_id: Callable[[], str] = field(default=lambda: uuid.uuid4().hex[:16])
    # verifies chunks of case ids in parallel processes (an adapter); None: in this process
    parallel_verifier: ParallelVerifier | None = None
    # The audit key, when configured: it signs the note of a full verification, and only
    # what verifies against it feeds monitoring (the application role can write rows, not sign)
    audit_signer: Signer | None = None
    audit_checker: SignatureChecker | None = None
    # the secrets people type (adapters/passwords.py): None where nobody logs in (some tests)
    passwords: PasswordHasher | None = None
    codes: OneTimeCodes | None = None
    # where proefscenario's run (an adapter); None: they are not run on loading (some tests)
    sandboxes: SandboxStorage | None = None
    trialled: set[tuple[str, str | None]] = field(default_factory=set)  # scenarios that passed here
    _protocols: dict[str, Protocol] = field(default_factory=dict)
    decider: Decider = field(init=False)  # built once: a fire and the timer sweep reuse it
    commits: GroupCommit = field(init=False)  # concurrent actions and access-log rows share a commit
    token_principals: PrincipalCache = field(init=False)  # who is behind an API token, for a few seconds

    def __post_init__(self) -> None:
        self.decider = Decider(self.calendar)
        self.commits = GroupCommit(self.uow)
        self.token_principals = PrincipalCache(self.clock)

    def protocol(self, content_hash: str) -> Protocol:
        cached = self._protocols.get(content_hash)
        if cached is None:
            with self.uow() as uow:
                stored = uow.protocols.by_hash(content_hash)
            loaded = load_protocol_text(stored.text, stored.file, self.stored_base, stored=True)
            if loaded.content_hash != content_hash:  # the text was edited in the database
                raise TamperedProtocol(content_hash, loaded.content_hash)
            cached = self._protocols[content_hash] = loaded
        return cached

    def reader(self, uow: UnitOfWork, username: str) -> str:
        """The keyed commitment that stands for a user in the melders' access log: the same
        for every view of one user (their own access request finds them), and without the
        installation's key nobody can tell whose it is (write unit of work: made on first use).
        The key is read in ``uow`` (once per unit of work), not remembered by the process: one
        made in a transaction that then does not commit must not outlive it."""
        key = uow.settings.secret("reporter_log")
        return hmac.new(key.encode(), username.encode(), hashlib.sha256).hexdigest()

    def school_name(self, school: str) -> str:
        """A school as its register names it (its id when the register does not know it)."""
        with self.uow() as uow:
            record = uow.schools.get(school)
        return record.name if record is not None and record.name else school

    def remember(self, protocol: Protocol) -> None:
        self._protocols[protocol.content_hash] = protocol

    def stored_base_at(self, school: str | None) -> Callable[[str, int], tuple[str, str]]:
        """A resolver of bases for what is written for ``school`` (None: the board): the board's
        versions and that school's own, never another school's own version (its owners' text,
        and not what runs at ``school``): that one is not found."""

        def resolve(protocol_id: str, version: int) -> tuple[str, str]:
            with self.uow() as uow:
                stored = uow.protocols.get(protocol_id, version)
            if stored.scope is not None and stored.scope != school:
                raise ProtocolNotFound(protocol_id, version)
            return stored.text, stored.file

        return resolve

    def stored_base(self, protocol_id: str, version: int) -> tuple[str, str]:
        """Resolves a variant's base from the loaded protocols (immutable, so replays agree)."""
        with self.uow() as uow:
            stored = uow.protocols.get(protocol_id, version)
        return stored.text, stored.file


@dataclass(frozen=True)
class Access:
    """A principal's access to one case: the roles they hold in it and the one they act in."""

    principal: Principal
    case: Case
    protocol: Protocol
    roles: tuple[str, ...]
    role: str | None
    now: datetime | None = None  # when it was looked up: guards on terms are decided at that moment

    def redactor(self, events: Iterable[Event] = ()) -> Redactor:
        return redactor_for(self.protocol, self.case, self.roles or (None,), events, self.principal.username)

    def view(self, events: Iterable[Event] = ()) -> CaseView:
        actions = actions_for(self.protocol, self.case, self.role, self.now) if self.role else []
        return CaseView(self.redactor(events).case(self.case), self.protocol, actions, self.role, self.roles)

    def sees_files(self) -> bool:
        """A file cannot be redacted: only a viewer who may know who reported opens one."""
        return any(sees_identity(self.protocol, self.case, r) for r in self.roles or (None,))

    def acting_role(self, action: str, allowed: Collection[str] | None = None) -> str:
        """The role to act in: the one asked for, else the first held; none held is refused,
        saying which roles may ``action`` (a Dutch phrase; default: every role of the protocol)."""
        if self.role is None:
            may = list(self.protocol.spec.roles) if allowed is None else allowed
            raise self.refused(action, may)
        return self.role

    def refused(
        self, action: str, allowed: Collection[str], *, why: str | None = None, advice: str | None = None
    ) -> PermissionDenied:
        """Why this person may not ``action`` in this case, which ``allowed`` roles may."""
        case = self.case
        return refused(
            self.principal, action, allowed, school=case.school, group=case.group, protocol=self.protocol,
            held=self.roles if self.roles else None, why=why, advice=advice,
        )


def access(
    services: Services, principal: Principal, case: Case, role: str | None = None, *, strict: bool = False
) -> Access:
    """The principal's access to the case; a case they may not see does not exist for them.
    A role they do not hold in it is refused when acting (``strict``), ignored when reading."""
    protocol = services.protocol(case.protocol_hash)
    roles = tuple(case_roles(principal, case, protocol))
    if not roles and not can_view(principal, case, protocol):  # an auditor may read without a role
        raise CaseNotFound(case.id)
    if role is not None and role not in roles:
        if strict:
            label = role_label(protocol, role)
            why = "deze zaak is afgeschermd voor die rol" if role in principal.roles_for(case.school, case.group) else None
            raise refused(
                principal, f"in deze zaak handelen als {plain_label(label)}", [role], school=case.school,
                group=case.group, protocol=protocol, held=roles or None, why=why,
            )
        role = None
    return Access(principal, case, protocol, roles, role or (roles[0] if roles else None), services.clock.now())


def load_access(
    services: Services, uow: UnitOfWork, principal: Principal, case_id: str, role: str | None, *, strict: bool = False
) -> Access:
    return access(services, principal, uow.cases.get(case_id), role, strict=strict)


def check_school(school: str) -> None:
    """A school as an edge names it: present, a sensible length, no hidden characters."""
    require_text("school", school)
    check_identifier("school", school, 100, "school")


def known_school(uow: UnitOfWork, school: str) -> SchoolRecord:
    """The school's register entry; a school that is not in it is refused."""
    record = uow.schools.get(school)
    if record is None:
        raise InputError("school", f"school '{school[:60]}' bestaat niet; kies een school uit het register")
    return record


def log_views(services: Services, uow: UnitOfWork, seen: Sequence[Access], what: str) -> None:
    """The access log: one row per case a principal was shown, written with the action.
    A view in a reporting role goes to the melders' log instead (see ``log_shown``)."""
    named, reporting = _split(seen)
    uow.access_log.add_many(_entries(services, named, what))
    uow.reporter_log.add_many(_reporter_entries(services, uow, reporting, what))


def log_shown(services: Services, seen: Sequence[Access], what: str, *, also: Sequence[AccessEntry] = ()) -> None:
    """The access log of a read: durable before the caller shows anything. Readers do not
    write, so they do not wait on writers; their rows share the writers' next commit.

    The views this person made in a reporting role (a melder's own reports) are written to
    the melders' log in a commit of their own, after the named rows: never in the same
    batch, with the day for the moment and a commitment for the name, so that nobody who
    reads either log can tie them to this person's named views of other cases (nor does a
    named row queued meanwhile share that commit: it is made apart). ``also``:
    named rows of the same read that name no case (a report itself), in the same commit."""
    logged(services, seen, what, lambda: None, also=also).result()


def logged(
    services: Services, seen: Sequence[Access], what: str, show: Callable[[], T], *, also: Sequence[AccessEntry] = ()
) -> Pending[T]:
    """``log_shown`` without waiting: what is shown (``show``, called by whoever asks for the
    result) is given only once every row of the log is durable; a failed commit is raised
    instead. An event loop awaits it without a thread of its own blocked on the commit."""
    named, reporting = _split(seen)
    entries = [*_entries(services, named, what), *also]
    outcome: Pending[T] = Pending(lambda _: show())

    def then_reporting() -> None:
        if not reporting:
            outcome.settle(None, None)
        else:
            _settle_after_reporting(services, reporting, what, outcome, None)

    if not entries:
        then_reporting()
        return outcome
    first: Pending[None] = services.commits.submit(lambda uow: uow.access_log.add_many(entries))

    def after_named() -> None:  # in the writer's thread: only hands on
        if first.error is not None:
            outcome.settle(None, first.error)
        else:
            then_reporting()

    first.when_done(after_named)
    return outcome


def read_logged(
    services: Services,
    what: str,
    read: Callable[[UnitOfWork], tuple[Access, V]],
    show: Callable[[Access, V], T],
    *,
    reads: Collection[str] = (),
) -> Pending[T]:
    """One case read in the writer's transaction, together with its access-log row, shown
    (``show``, by whoever asks for the result) only once that row is durable; the access
    check, the read and the row are of one moment. No thread waits on the commit and the read
    takes no connection of its own: for the busiest read (a case by its id) that hop and
    that connection cost more than the read. A refusal (``read`` raising an engine error)
    writes nothing and is raised to the caller; its batch-mates are not redone for it. A view
    in a reporting role is logged to the melders' log in a commit after it, as ``logged``
    does (never in a batch with this person's named views). ``reads``: the cases ``read``
    reads (``GroupCommit.submit``: read together with those of the reads beside it)."""

    def read_and_log(uow: UnitOfWork) -> tuple[Access, V] | TredeError:
        try:
            found, value = read(uow)
        except TredeError as refusal:
            return refusal
        if not in_reporting_role(found):
            uow.access_log.add_many(_entries(services, [found], what))
        return found, value

    def finish(got: tuple[Access, V] | TredeError) -> T:
        if isinstance(got, TredeError):
            raise got
        return show(*got)

    outcome: Pending[T] = Pending(finish)
    written: Pending[tuple[Access, V] | TredeError] = services.commits.submit(read_and_log, reads=reads)

    def settled() -> None:  # in the writer's thread: only hands on
        got = written.value
        if written.error is not None or isinstance(got, TredeError) or not in_reporting_role(got[0]):
            outcome.settle(got, written.error)
            return
        _settle_after_reporting(services, [got[0]], what, outcome, got)

    written.when_done(settled)
    return outcome


def _settle_after_reporting(services: Services, reporting: Sequence[Access], what: str, outcome: Pending[T], value: object) -> None:
    """The melders'-log rows of views in a reporting role, committed apart (never in a batch
    with named rows); then ``outcome`` settles with ``value``, or with that commit's error."""
    own: Pending[None] = services.commits.submit(
        lambda uow: uow.reporter_log.add_many(_reporter_entries(services, uow, reporting, what)), apart=True
    )
    own.when_done(lambda: outcome.settle(value, own.error))


def in_reporting_role(found: Access) -> bool:
    """A view made in a reporting role: the principal holds one in this case (their own report)."""
    return bool(REPORTER_ROLES & set(found.roles))


def _split(seen: Sequence[Access]) -> tuple[list[Access], list[Access]]:
    return [a for a in seen if not in_reporting_role(a)], [a for a in seen if in_reporting_role(a)]


def _entries(services: Services, seen: Sequence[Access], what: str) -> list[AccessEntry]:
    now = services.clock.now()
    return [
        AccessEntry(
            at=now,
            username=a.principal.username,
            roles=",".join(sorted(a.roles or a.principal.roles())),
            case_id=a.case.id,
            school=a.case.school,
            what=what,
        )
        for a in seen
    ]


def _reporter_entries(services: Services, uow: UnitOfWork, seen: Sequence[Access], what: str) -> list[ReporterEntry]:
    if not seen:
        return []
    day = local_date(services.clock.now())
    return [
        ReporterEntry(
            day=day,
            reader=services.reader(uow, a.principal.username),
            roles=",".join(sorted(REPORTER_ROLES & set(a.roles))),  # not the other roles: they narrow who
            case_id=a.case.id,
            school=a.case.school,
            what=what,
        )
        for a in seen
    ]


def pupil_choices(services: Services, uow: UnitOfWork, principal: Principal, school: str) -> list[Pupil]:
    """``Pupils.choices`` inside the caller's unit of work (a quick record checks its pupil
    against the list the phone was given, in the transaction that records it)."""
    pupils = uow.pupils.list(school)
    stored = [p for p in uow.protocols.list() if p.scope in (None, school)]
    openers = {r for p in stored for r in services.protocol(p.content_hash).spec.roles} - REPORTER_ROLES
    allowed = openers | DEPARTURE_ROLES  # the directeur and privacy officer keep the register
    return [p for p in pupils if p.status != PupilStatus.LEFT and allowed & principal.roles_for(school, p.group)]
