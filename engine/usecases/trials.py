"""Proefdraaien: a protocol's proefscenario's run against a sandbox, with simulated time.

Each scenario gets a fresh sandbox storage (``SandboxStorage``, an adapter), its own engine
on it with a clock that starts when the scenario's case is opened and moves only as the
scenario says (``Timers.run(until=...)`` fires every term on its own moment on the way).
Nothing touches the real database: the sandbox holds the protocol, its bases and one
school, and is thrown away afterwards.

Besides the checks, a run gives an agenda: every term and obligation the case had, with
who had to act and when (date, role, what, deadline). Run ``until`` a later day it shows a
simulated month or school year of that case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from engine.access import OPERATOR, REPORTER_ROLES, Membership, Principal
from engine.calendar import Calendar
from engine.case import Case, DeadlineStatus
from engine.clock import FixedClock
from engine.errors import Problem, ProtocolError, StorageError, TredeError
from engine.ports import SandboxStorage, SchoolRecord, UnitOfWorkFactory
from engine.protocol.loader import load_protocol_text
from engine.protocol.model import Protocol
from engine.protocol.scenarios import ACTED_AT, OPENED_AT, Act, Expect, Moment, Scenario
from engine.protocol.variants import Resolver
from engine.protocol.yamlsource import read_yaml
from engine.terms import AMSTERDAM, local_date

if TYPE_CHECKING:
    from engine.usecases import Engine
    from engine.usecases.base import Services

TRIAL_SCHOOL = "proefschool"


@dataclass(frozen=True)
class Check:
    text: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True)
class AgendaRow:
    """What one role had to do, or what ran by itself ("vanzelf"), and when."""

    day: str  # when the term started (or the case opened)
    role: str
    what: str
    deadline: str
    status: str


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    checks: list[Check] = field(default_factory=list)
    error: str | None = None  # the scenario could not be run to its end
    error_at: tuple[str | int, ...] = ()
    agenda: list[AgendaRow] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.error is None and all(c.passed for c in self.checks)

    def lines(self) -> list[str]:
        verdict = "geslaagd" if self.passed else "MISLUKT"
        out = [f"Proefscenario '{self.scenario.name}': {verdict}"]
        if self.error:
            out.append(f"  ✗ {self.error}")
        for check in self.checks:
            out.append(f"  {'✓' if check.passed else '✗'} {check.text}" + (f": {check.detail}" if check.detail else ""))
        return out


@dataclass(frozen=True)
class TrialReport:
    protocol: Protocol
    results: list[ScenarioResult]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def text(self) -> str:
        head = f"{self.protocol.file}: {self.protocol.id} versie {self.protocol.version}"
        if not self.results:
            return head + ": geen proefscenario's"
        lines = [head]
        for result in self.results:
            lines += result.lines()
        passed = sum(r.passed for r in self.results)
        lines.append(f"{passed} van {len(self.results)} proefscenario's geslaagd")
        return "\n".join(lines)

    def problems(self) -> list[Problem]:
        """Every failure as a problem at its line in the protocol file."""
        located, _ = read_yaml(self.protocol.text, self.protocol.file)
        found = []
        for result in self.results:
            where: tuple[str | int, ...] = ("proefscenarios", result.scenario.index)
            name = result.scenario.name
            if result.error:
                found.append(
                    located.problem(where + result.error_at, f"proefscenario '{name}' mislukt: {result.error}")
                )
            for j, check in enumerate(result.checks):
                if not check.passed:
                    at = where + ("dan", _index(result.scenario, check.text, j))
                    found.append(located.problem(at, f"proefscenario '{name}' mislukt: {check.text}: {check.detail}"))
        return found


def _index(scenario: Scenario, text: str, default: int) -> int:
    return next((i for i, e in enumerate(scenario.expects) if e.text == text), default)


def utc(moment: Moment, default: time) -> datetime:
    """A scenario's moment (Amsterdam time; ``default`` when it names only a day) in UTC."""
    return datetime.combine(moment.day, moment.at or default, AMSTERDAM).astimezone(UTC)


@dataclass
class Trials:
    calendar: Calendar
    sandboxes: SandboxStorage | None
    resolve: Resolver | None = None  # where bases are found by default (the stored ones)
    trialled: set[tuple[str, str | None]] = field(default_factory=set)  # (hash, school) that passed

    @classmethod
    def of(cls, services: Services) -> Trials:
        return cls(services.calendar, services.sandboxes, services.stored_base, services.trialled)

    def run(
        self,
        protocol: Protocol,
        resolve: Resolver | None = None,
        *,
        school: str | None = None,
        until: date | None = None,
    ) -> TrialReport:
        """Run ``protocol``'s scenarios, each in a sandbox of its own. ``resolve``: where its
        bases are found (default: the stored ones); ``school``: the school whose calendar
        applies (a school's own variant); ``until``: simulate on to that day for the agenda."""
        if self.sandboxes is None:
            raise StorageError("Proefdraaien kan hier niet: er is geen proefomgeving ingesteld.")
        bases = _bases(protocol, resolve or self.resolve)
        results = [self._one(protocol, bases, scenario, school, until) for scenario in protocol.spec.scenarios()]
        return TrialReport(protocol, results)

    def require(
        self, protocol: Protocol, resolve: Resolver | None = None, *, school: str | None = None, again: bool = False
    ) -> None:
        """The scenarios pass, or loading is refused with a Dutch report at their lines
        (a protocol without scenarios, or where no sandbox is configured, passes).
        ``again``: run them even when they passed here before (the calendar and trede itself
        may have changed since: an approval and a publication run them anew)."""
        if not protocol.spec.proefscenarios or self.sandboxes is None:
            return
        if (protocol.content_hash, school) in self.trialled and not again:
            return
        report = self.run(protocol, resolve, school=school)
        if not report.passed:
            raise ProtocolError(report.problems())
        self.trialled.add((protocol.content_hash, school))

    def _one(
        self, protocol: Protocol, bases: list[Protocol], scenario: Scenario, school: str | None, until: date | None
    ) -> ScenarioResult:
        from engine.usecases import Engine  # the facade imports this module

        assert self.sandboxes is not None
        with self.sandboxes.open() as storage:
            start = utc(scenario.given.opened, OPENED_AT)
            engine = Engine.create(uow=storage, clock=FixedClock(start), calendar=self.calendar)
            return _Run(engine, storage, protocol, scenario, school or TRIAL_SCHOOL).go(bases, until)


def _bases(protocol: Protocol, resolve: Resolver | None) -> list[Protocol]:
    """The protocols ``protocol`` extends, the deepest first."""
    chain: list[Protocol] = []
    ref = protocol.spec.extends
    if ref is not None and resolve is None:
        raise StorageError(f"Het basisprotocol {ref.id} versie {ref.version} kan hier niet worden opgezocht.")
    while ref is not None and len(chain) < 10:
        assert resolve is not None
        text, file = resolve(ref.id, ref.version)
        base = load_protocol_text(text, file, resolve)
        chain.insert(0, base)
        ref = base.spec.extends
    return chain


@dataclass
class _Run:
    engine: Engine
    storage: UnitOfWorkFactory
    protocol: Protocol
    scenario: Scenario
    school: str
    case_id: str = ""
    opener: str = ""

    def go(self, bases: list[Protocol], until: date | None) -> ScenarioResult:
        e, given = self.engine, self.scenario.given
        e.schools.save(OPERATOR, SchoolRecord(self.school, "Proefschool", "proefbestuur", "midden"))
        for base in bases:
            e.protocols.load(OPERATOR, base)
        stored, _ = e.protocols.load(OPERATOR, self.protocol)
        role = given.role or next(iter(self.protocol.spec.roles))
        self.opener = f"proef.{role}"
        try:
            case = e.cases.open(
                _person(self.opener, role),
                stored.id,
                school=self.school,
                subject=given.subject,
                role=role,
                group=given.group,
                version=stored.version,
                inputs=given.inputs or None,
            )
        except TredeError as exc:
            return ScenarioResult(self.scenario, error=f"de zaak kan niet worden geopend: {exc}", error_at=("gegeven",))
        self.case_id = case.id
        for j, act in enumerate(self.scenario.acts):
            problem = self._pass_time(act.moment)
            if problem is None and act.role is not None:
                problem = self._act(act)
            if problem is not None:
                return ScenarioResult(self.scenario, error=f"{act.text}: {problem}", error_at=("als", j))
        checks = [self._check(expect) for expect in self.scenario.expects]
        if until is not None:
            self._pass_time(Moment(until, time(23, 59)))
        return ScenarioResult(self.scenario, checks, agenda=self._agenda())

    def _pass_time(self, moment: Moment | None) -> str | None:
        if moment is None:
            return None
        target = utc(moment, ACTED_AT)
        now = self.engine.clock.now()
        if target < now:
            return (
                f"dit moment ligt vóór het vorige ({local_date(now).isoformat()}); zet de regels op volgorde van tijd"
            )
        try:
            self.engine.timers.run(until=target)
        except TredeError as exc:
            return f"de tijd kan niet doorlopen: {exc}"
        return None

    def _act(self, act: Act) -> str | None:
        assert act.role is not None and act.action is not None
        username = self.opener if act.role in REPORTER_ROLES else f"proef.{act.role}"
        try:
            self.engine.cases.fire(
                _person(username, act.role), self.case_id, act.action, role=act.role, inputs=act.inputs or None
            )
        except TredeError as exc:
            return f"geweigerd: {exc}"
        return None

    def _case(self) -> Case:
        with self.storage() as uow:
            return uow.cases.get(self.case_id)

    def _check(self, expect: Expect) -> Check:
        if expect.kind == "geweigerd":
            assert expect.act is not None
            moved = self._pass_time(expect.act.moment)
            if moved is not None:
                return Check(expect.text, False, moved)
            done = self._act(expect.act)
            if done is None:
                return Check(expect.text, False, "de actie werd niet geweigerd")
            return Check(expect.text, True)
        case = self._case()
        if expect.kind == "stap":
            if case.step == expect.name:
                return Check(expect.text, True)
            return Check(expect.text, False, f"de zaak staat in stap {case.step}")
        wanted = expect.day.isoformat() if expect.day else ""
        found = [d for d in case.deadlines.values() if d.id == expect.name]
        if expect.kind == "verplichting":
            found = [d for d in found if d.kind == "obligation"]
            roles = _obligation_roles(self.protocol, expect.name)
            if expect.role not in roles:
                return Check(expect.text, False, f"de verplichting is voor {', '.join(roles) or 'niemand'}")
        if not found:
            return Check(expect.text, False, "die termijn loopt (nog) niet in deze zaak")
        if any(d.due_date == wanted for d in found):
            return Check(expect.text, True)
        dates = ", ".join(sorted({d.due_date or "(nog onbekend)" for d in found}))
        return Check(expect.text, False, f"eindigt op {dates}")

    def _agenda(self) -> list[AgendaRow]:
        case = self._case()
        rows = [
            AgendaRow(local_date(case.opened_at).isoformat(), self.scenario.given.role or "", "zaak geopend", "", "")
        ]
        for d in case.deadlines.values():
            if d.kind == "obligation":
                who = ", ".join(_obligation_roles(self.protocol, d.id))
            else:
                spec = self.protocol.timer_index.get(d.id)
                escalate = spec[1].on_expiry.roles if spec else []
                who = "vanzelf" + (f" (daarna {', '.join(escalate)})" if escalate else "")
            status = DeadlineStatus.shown(d.status)
            rows.append(AgendaRow(d.start_date or "", who, d.label, d.due_date or "", status))
        return sorted(rows, key=lambda r: (r.deadline or r.day, r.day))


def _obligation_roles(protocol: Protocol, obligation: str) -> list[str]:
    found = protocol.obligation_index.get(obligation)
    if found is not None:
        return list(found[1].roles)
    for remedy in (protocol.spec.remedies or {}).values():
        for duty in remedy.decision:
            if duty.id == obligation:
                return list(duty.roles)
    return []


def _person(username: str, role: str) -> Principal:
    return Principal(username, username, (Membership(role, None),))
