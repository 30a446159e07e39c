"""Pupils from the school's administration: import a roster, pick a pupil for a new case,
and confirm the departures an import proposes (which starts retention from departure)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from engine.access import Principal
from engine.errors import InputError
from engine.ports import UnitOfWork
from engine.pupils import Pupil, PupilStatus, Roster, plan_import
from engine.refusals import refused
from engine.terms import local_date
from engine.usecases.base import Services, check_school, known_school, pupil_choices
from engine.usecases.retention import require_departure_right
from engine.usecases.users import link_groups

IMPORT_ROLES = ("directeur",)


@dataclass(frozen=True)
class ImportReport:
    """What an import did, for the directeur who ran it (names only as trede shows them)."""

    school: str
    source: str
    pupils: int
    groups: int
    added: int
    changed: int
    unchanged: int
    proposed_departures: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    teachers_linked: dict[str, list[str]] = field(default_factory=dict)
    teachers_unmatched: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass
class Pupils:
    services: Services

    def import_roster(self, principal: Principal, school: str, roster: Roster) -> ImportReport:
        """Apply a roster as a whole: new pupils added, changed ones updated, missing ones
        proposed as departed; then the teachers' groups. Importing the same file twice
        changes nothing the second time."""
        check_school(school)
        if not (principal.is_operator() or set(IMPORT_ROLES) & principal.roles_for(school)):
            raise refused(
                principal,
                "de leerlingen van de school inlezen",
                IMPORT_ROLES,
                school=school,
                school_name=self.services.school_name(school),
            )
        s = self.services
        with s.uow(write=True) as uow:
            known_school(uow, school)
            secret = uow.settings.secret("pupil_key")
            plan = plan_import(secret, school, roster, uow.pupils.list(school), local_date(s.clock.now()))
            uow.pupils.save_many(plan.saved())
            links = link_groups(uow, school, roster.teachers) if roster.teachers else None
            uow.commit()
        if links is not None:
            s.token_principals.clear()  # a leerkracht's groups decide what they see
        return ImportReport(
            school=school,
            source=roster.source,
            pupils=len(roster.pupils),
            groups=len(roster.groups),
            added=len(plan.added),
            changed=len(plan.changed) + len(plan.returned),
            unchanged=plan.unchanged,
            proposed_departures=sorted(p.name for p in plan.missing),
            returned=sorted(p.name for p in plan.returned),
            teachers_linked={u: sorted(g) for u, g in sorted(links.linked.items())} if links else {},
            teachers_unmatched=links.unmatched if links else [],
        )

    def choices(self, principal: Principal, school: str) -> list[Pupil]:
        """The pupils this user may open a case for: present at the school, and in a group
        that one of their roles there covers in which a case about a pupil can be opened (a
        leerkracht: their own groups). A reporting role (melder, medewerker) opens a report
        about what they saw, never a pupil's case: it sees no names; nor does an auditor."""
        check_school(school)
        with self.services.uow() as uow:
            return pupil_choices(self.services, uow, principal, school)

    def proposed_departures(self, principal: Principal, school: str) -> list[Pupil]:
        require_departure_right(principal, school, self.services)
        with self.services.uow() as uow:
            return [p for p in uow.pupils.list(school) if p.status == PupilStatus.MISSING]

    def confirm_departure(self, principal: Principal, school: str, name: str, left_on: date) -> Pupil:
        """The pupil left on ``left_on``: recorded as a departure, so that retention which
        runs from departure starts (the same record as /privacy/vertrek)."""
        require_departure_right(principal, school, self.services)
        s = self.services
        with s.uow(write=True) as uow:
            pupil = self._proposed(uow, school, name)
            left = replace(pupil, status=PupilStatus.LEFT, left_on=left_on)
            uow.pupils.save_many([left])
            uow.cases.record_departure(school, pupil.name, left_on, s.clock.now(), principal.username)
            uow.commit()
        return left

    def keep(self, principal: Principal, school: str, name: str) -> Pupil:
        """The proposal was wrong (the export missed the pupil): they stay."""
        require_departure_right(principal, school, self.services)
        with self.services.uow(write=True) as uow:
            kept = replace(self._proposed(uow, school, name), status=PupilStatus.PRESENT, missing_since=None)
            uow.pupils.save_many([kept])
            uow.commit()
        return kept

    @staticmethod
    def _proposed(uow: UnitOfWork, school: str, name: str) -> Pupil:
        found = next((p for p in uow.pupils.list(school) if p.name == name and p.status == PupilStatus.MISSING), None)
        if found is None:
            raise InputError("leerling", f"'{name[:60]}' staat niet bij de voorgestelde vertrekkers")
        return found

