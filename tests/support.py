"""A test driver for the engine: acts as a named person in one role, the way the features
are written ("de directeur dhr.bos ..."). Each call builds that person as a principal
holding the role board-wide and goes through the engine's use cases, access rules included."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine as SqlEngine

from adapters.calendar_nl import DutchCalendar
from adapters.letter_renderer import JinjaLetters
from adapters.passwords import Argon2Passwords, TotpCodes
from adapters.sql.database import init_database
from adapters.sql.uow import SqlUnitOfWorkFactory
from engine.access import OPERATOR, REPORTER_ROLES, Membership, Principal
from engine.audit import ReplayStep, Verification
from engine.case import Case
from engine.clock import Clock, OffsetClock
from engine.events import Event
from engine.letters import StoredLetter
from engine.ports import SchoolRecord, StoredProtocol, UnitOfWork
from engine.protocol.model import Protocol
from engine.usecases import Engine
from engine.views import CaseView

SCHOOLS = ("de-linde", "het-anker", "het-baken", "bestuursbureau", "s")


def person(username: str, *roles: str, school: str | None = None) -> Principal:
    return Principal(username, username, tuple(Membership(r, school) for r in roles))


@dataclass
class Driver:
    engine: Engine

    @property
    def clock(self) -> Clock:
        return self.engine.clock

    # --- set-up ----------------------------------------------------------------

    def load_protocol(self, protocol: Protocol) -> tuple[StoredProtocol, bool]:
        return self.engine.protocols.load(OPERATOR, protocol)

    def protocol(self, content_hash: str) -> Protocol:
        return self.engine.services.protocol(content_hash)

    def uow(self, *, write: bool = False) -> UnitOfWork:
        return self.engine.services.uow(write=write)

    def everyone(self) -> Principal:
        """Someone holding every role of every loaded protocol: sees every case unmasked
        (except another melder's report)."""
        roles = {r for p in self.engine.protocols.latest() for r in p.protocol.spec.roles}
        roles |= {r for s in self.engine.protocols.list() for r in self.protocol(s.content_hash).spec.roles}
        return person("test.alles", *sorted(roles))

    # --- acting ----------------------------------------------------------------

    def open_case(
        self,
        protocol_id: str,
        *,
        school: str,
        subject: str,
        actor: str,
        role: str,
        version: int | None = None,
        effective: date | datetime | None = None,
        group: str | None = None,
        inputs: Mapping[str, str] | None = None,
    ) -> Case:
        return self.engine.cases.open(
            person(actor, role),
            protocol_id,
            school=school,
            subject=subject,
            role=role,
            version=version,
            effective=effective,
            group=group,
            inputs=inputs,
        )

    def fire(
        self,
        case_id: str,
        trigger: str,
        *,
        actor: str,
        role: str,
        inputs: Mapping[str, str] | None = None,
        effective: date | datetime | None = None,
        expected_seq: int | None = None,
    ) -> Case:
        return self.engine.cases.fire(
            self._as(actor, role, case_id),
            case_id,
            trigger,
            role=role,
            inputs=inputs,
            effective=effective,
            expected_seq=expected_seq,
        )

    def _as(self, actor: str, role: str, case_id: str) -> Principal:
        """The melder role counts in the melder's own report only: the driver's melder is
        whoever opened the case."""
        if role in REPORTER_ROLES:
            with self.uow() as uow:
                opener = uow.cases.get(case_id).opened_by
            return person(opener or actor, role)
        return person(actor, role)

    def letter(
        self, case_id: str, name: str, *, actor: str, role: str, inputs: Mapping[str, str] | None = None
    ) -> StoredLetter:
        return self.engine.cases.letter(person(actor, role), case_id, name, role=role, inputs=inputs)

    def migrate(self, case_id: str, to_version: int, *, actor: str, role: str, **kw: Any) -> Case:
        return self.engine.cases.migrate(person(actor, role), case_id, to_version, role=role, **kw)

    def anonymise(self, case_id: str, *, actor: str, role: str = "privacyfunctionaris", reason: str) -> Case:
        return self.engine.retention.anonymise(person(actor, role), case_id, reason=reason)

    def record_departure(self, school: str, subject: str, left_on: date, *, actor: str) -> None:
        self.engine.retention.record_departure(person(actor, "directeur"), school, subject, left_on)

    def apply_retention(self) -> list[str]:
        return self.engine.retention.apply()

    def run_timers(self, until: datetime | None = None, batch: int = 200) -> list[Event]:
        return self.engine.timers.run(until, batch)

    def advance_clock(self, until: datetime) -> None:
        self.engine.timers.advance_clock(until)

    def expire_batch(self, limit: int) -> tuple[list[Event], int]:
        return self.engine.timers.expire_batch(limit)

    # --- reading ---------------------------------------------------------------

    def show(self, case_id: str, role: str | None = None) -> CaseView:
        viewer = self._as("test.lezer", role, case_id) if role else self.everyone()
        return self.engine.reads.case(viewer, case_id, role=role)

    def events(self, case_id: str) -> list[Event]:
        return self.engine.reads.events(self.everyone(), case_id)

    def replay(self, case_id: str, upto: int | None = None) -> list[ReplayStep]:
        steps = self.engine.reads.replay(self.everyone(), case_id).steps
        return steps[:upto] if upto is not None else steps

    def verify(self, case_id: str) -> Verification:
        return self.engine.reads.verify(OPERATOR, case_id)

    def verify_all(self) -> list[Verification]:
        return self.engine.reads.verify_all(OPERATOR)


def make_engine(db: SqlEngine, clock: Clock, *, sandbox: bool = True) -> Engine:
    init_database(db, sandbox=sandbox)
    engine = Engine.create(
        uow=SqlUnitOfWorkFactory(db),
        clock=clock,
        calendar=DutchCalendar(),
        letters=JinjaLetters(),
        passwords=Argon2Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)),  # cheap: tests only
        codes=TotpCodes(),
    )
    known = {s.id for s in engine.schools.list()}
    for school in SCHOOLS:
        if school not in known:  # the demo board
            engine.schools.save(OPERATOR, SchoolRecord(school, f"School {school}", "stichting-demo", "midden"))
    return engine


def make_driver(db: SqlEngine, clock: Clock, *, sandbox: bool = True) -> Driver:
    return Driver(make_engine(db, clock, sandbox=sandbox))


__all__ = ["Driver", "OffsetClock", "make_driver", "make_engine", "person"]
