"""The engine's use cases, grouped by concern, behind one facade.

Every read and every action of a person takes the acting ``Principal``; the access rule,
identity protection and the access log are applied inside, once, whatever the edge. The
unit of work is private to the engine: edges call these, never storage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.account_ports import OneTimeCodes, PasswordHasher
from engine.calendar import Calendar
from engine.clock import Clock, OffsetClock
from engine.letters import LetterRenderer
from engine.ports import Mailer, ParallelVerifier, SandboxStorage, SignatureChecker, Signer, UnitOfWorkFactory
from engine.usecases.access_requests import AccessRequests
from engine.usecases.base import Services
from engine.usecases.cases import CaseCommands
from engine.usecases.checkpoints import Checkpoints
from engine.usecases.evaluation import Evaluations
from engine.usecases.figures import Figures
from engine.usecases.identities import Identities
from engine.usecases.incidents import Incidents
from engine.usecases.login import Login
from engine.usecases.meldpunt import Meldpunt
from engine.usecases.notes import CaseNotes
from engine.usecases.proposals import Proposals
from engine.usecases.protocol_editor import ProtocolEditor
from engine.usecases.protocols import Protocols
from engine.usecases.pupils import Pupils
from engine.usecases.reads import Reads
from engine.usecases.reminders import Reminders
from engine.usecases.reports import Reports
from engine.usecases.retention import Retention
from engine.usecases.schools import Schools
from engine.usecases.sessions import Sessions
from engine.usecases.timers import Timers
from engine.usecases.tokens import Tokens
from engine.usecases.triage import Triages
from engine.usecases.trial_runs import TrialRuns
from engine.usecases.trials import Trials
from engine.usecases.users import Users


@dataclass
class Engine:
    services: Services
    mailer: Mailer | None = None
    case_link: Callable[[str], str] | None = None  # the edge's address of a case, for mails
    protocols: Protocols = field(init=False)
    editor: ProtocolEditor = field(init=False)
    cases: CaseCommands = field(init=False)
    incidents: Incidents = field(init=False)
    notes: CaseNotes = field(init=False)
    timers: Timers = field(init=False)
    retention: Retention = field(init=False)
    reads: Reads = field(init=False)
    reports: Reports = field(init=False)
    evaluations: Evaluations = field(init=False)
    access_requests: AccessRequests = field(init=False)
    schools: Schools = field(init=False)
    checkpoints: Checkpoints = field(init=False)
    pupils: Pupils = field(init=False)
    meldpunt: Meldpunt = field(init=False)
    triage: Triages = field(init=False)
    figures: Figures = field(init=False)
    trials: Trials = field(init=False)
    proposals: Proposals = field(init=False)
    trial_runs: TrialRuns = field(init=False)
    # who is asking
    users: Users = field(init=False)
    sessions: Sessions = field(init=False)
    login: Login = field(init=False)
    tokens: Tokens = field(init=False)
    identities: Identities = field(init=False)

    def __post_init__(self) -> None:
        s = self.services
        self.protocols = Protocols(s)
        self.editor = ProtocolEditor(s)
        self.cases = CaseCommands(s)
        self.incidents = Incidents(s, self.cases)
        self.notes = CaseNotes(s)
        self.timers = Timers(s)
        self.retention = Retention(s, self.incidents)
        self.reads = Reads(s)
        self.reports = Reports(s, self.reads)
        self.evaluations = Evaluations(s, self.reads)
        self.access_requests = AccessRequests(s)
        self.schools = Schools(s)
        self.checkpoints = Checkpoints(s)
        self.pupils = Pupils(s)
        self.triage = Triages(s, self.cases)
        self.meldpunt = Meldpunt(s, self.cases, self.triage)
        self.figures = Figures(s)
        self.trials = Trials.of(s)
        self.proposals = Proposals(s)
        self.trial_runs = TrialRuns(s)
        self.users = Users(s)
        self.sessions = Sessions(s)
        self.login = Login(s)
        self.tokens = Tokens(s)
        self.identities = Identities(s)

    @classmethod
    def create(
        cls,
        *,
        uow: UnitOfWorkFactory,
        clock: Clock,
        calendar: Calendar,
        letters: LetterRenderer | None = None,
        passwords: PasswordHasher | None = None,
        codes: OneTimeCodes | None = None,
        mailer: Mailer | None = None,
        case_link: Callable[[str], str] | None = None,
        parallel_verifier: ParallelVerifier | None = None,
        audit_signer: Signer | None = None,
        audit_checker: SignatureChecker | None = None,
        sandboxes: SandboxStorage | None = None,
    ) -> Engine:
        """An engine on this storage; in a sandbox database its clock runs at the stored offset."""
        with uow() as unit:
            sandbox, offset = unit.settings.sandbox, unit.settings.clock_offset
        services = Services(
            uow=uow,
            clock=OffsetClock(clock, offset) if sandbox else clock,
            calendar=calendar,
            letters=letters,
            parallel_verifier=parallel_verifier,
            audit_signer=audit_signer,
            audit_checker=audit_checker,
            passwords=passwords,
            codes=codes,
            sandboxes=sandboxes,
        )
        return cls(services, mailer, case_link)

    @property
    def clock(self) -> Clock:
        return self.services.clock

    @property
    def calendar(self) -> Calendar:
        return self.services.calendar

    @property
    def sandbox(self) -> bool:
        return isinstance(self.services.clock, OffsetClock)

    def use_passwords(self, passwords: PasswordHasher) -> None:
        """Hash and check passwords with this (tests use a cheaper one)."""
        self.services.passwords = passwords

    def reminders(self) -> Reminders:
        """Reminders and overdue notices, in the app and (with a mailer) by mail."""
        return Reminders(self.services, self.mailer, self.case_link)


__all__ = ["Engine", "Services"]
