"""Retention: anonymising closed cases when their time has come, and recording the day a
pupil left a school. The rules of who may do this by hand live here, for every edge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.access import PRIVACY_OFFICER, Principal, can_view
from engine.case import Case, apply
from engine.decisions import Act, Draft, is_personal
from engine.durations import Duration
from engine.errors import AnonymisationRefused, CaseNotFound
from engine.events import ERASED, EventType
from engine.inputs import check_pseudonym, check_text, require_text
from engine.ports import RetentionCandidate
from engine.protocol.model import SYSTEM_ROLE
from engine.refusals import refused
from engine.terms import TermRule, compute_term, local_date
from engine.usecases.base import Services, check_school, known_school
from engine.usecases.incidents import Incidents


@dataclass
class Retention:
    services: Services
    incidents: Incidents

    def anonymise(self, principal: Principal, case_id: str, *, reason: str) -> Case:
        """By hand: the privacy officer of the case's school (or board-wide)."""
        require_text("reason", reason)
        check_text("reason", reason, 500, "reden")
        return self._anonymise(case_id, principal.username, PRIVACY_OFFICER, reason, by=principal)

    def _authorise(self, principal: Principal, case: Case) -> None:
        if PRIVACY_OFFICER in principal.roles_for(case.school, case.group):
            return
        if not can_view(principal, case, self.services.protocol(case.protocol_hash)):
            raise CaseNotFound(case.id)
        raise refused(principal, "een zaak anonimiseren", [PRIVACY_OFFICER], school=case.school, group=case.group)

    def _anonymise(self, case_id: str, actor: str, role: str, reason: str, *, by: Principal | None = None) -> Case:
        """Erase a closed case's personal data: pseudonym, actors' names, free text, notes,
        letters and attachments (each value with its salt). The event chain
        stays verifiable, and the anonymisation is itself an event. ``by``: the person asking
        (None: the retention round)."""
        s = self.services
        with s.uow(write=True) as uow:
            case = uow.cases.get(case_id)
            if by is not None:
                self._authorise(by, case)
            if not case.closed:
                raise AnonymisationRefused(case_id, "de zaak is nog niet afgesloten")
            if case.subject == ERASED:
                raise AnonymisationRefused(case_id, "de zaak is al geanonimiseerd")
            protocol = s.protocol(case.protocol_hash)
            now = s.clock.now()
            erased = sorted(name for name in case.facts if is_personal(protocol, name))
            data = {"reason": reason, "erased_facts": erased, "erased_actors": True, "deadlines": []}
            event = s.decider.seal(protocol, case, Act(actor, role, now, now), Draft(EventType.ANONYMISED, data=data))
            uow.cases.erase_personal(case_id)
            uow.letters.erase(case_id)
            uow.attachments.erase(case_id)
            after = apply(case, event)
            uow.cases.record(case, after, event)
            uow.commit()
        return after

    def apply(self) -> list[str]:
        """Anonymise every closed case whose protocol's retention period has passed, or whose
        pupil has left the school where the protocol says so; no case before its time.
        Returns the ids anonymised. The incidents' pseudonyms whose time has come are erased
        in the same round (Incidents.apply_retention)."""
        s = self.services
        now = s.clock.now()
        with s.uow() as uow:
            candidates = uow.cases.closed_unanonymised()
            keeps_decisions = [
                c.case_id for c in candidates if (r := s.protocol(c.protocol_hash).spec.retention) and r.decisions
            ]
            cases = uow.cases.get_many(keeps_decisions) if keeps_decisions else {}
        done = []
        for candidate in candidates:
            if self._decision_kept(candidate, cases.get(candidate.case_id), now):
                continue
            reason = self._reason(candidate, now)
            if reason is not None:
                self._anonymise(candidate.case_id, SYSTEM_ROLE, SYSTEM_ROLE, reason)
                done.append(candidate.case_id)
        self.incidents.apply_retention()  # after the cases: an anonymised case frees its incidents
        return done

    def _decision_kept(self, candidate: RetentionCandidate, case: Case | None, now: datetime) -> bool:
        """A decision stays until the remedies against it have run out, even after departure.
        A decision is known by a fact (the day a decision letter was sent) or by the action
        that took it (a schorsing recorded without any letter is still a schorsing)."""
        retention = self.services.protocol(candidate.protocol_hash).spec.retention
        if retention is None or retention.decisions is None or case is None:
            return False
        decided = any(case.facts.get(name) for name in retention.decisions.facts)
        decided = decided or any(case.counts.get(name) for name in retention.decisions.actions)
        if not decided:
            return False
        start = local_date(candidate.closed_at)
        term = compute_term(start, Duration.parse(retention.decisions.after), TermRule.CALENDAR, self.services.calendar, "")
        return now < term.due_at

    def _reason(self, candidate: RetentionCandidate, now: datetime) -> str | None:
        retention = self.services.protocol(candidate.protocol_hash).spec.retention
        if retention is None:
            return None
        if retention.on_departure and candidate.left_on is not None and local_date(now) >= candidate.left_on:
            left = candidate.left_on.isoformat()
            return f"leerling heeft de school verlaten op {left} ({retention.basis})"
        term = compute_term(
            local_date(candidate.closed_at),
            Duration.parse(retention.after),
            TermRule.CALENDAR,
            self.services.calendar,
            "",
        )
        if now >= term.due_at:
            return f"bewaartermijn van {retention.after} na afsluiten verstreken ({retention.basis})"
        return None

    def record_departure(self, principal: Principal, school: str, subject: str, left_on: date) -> None:
        """The directeur or the privacy officer of that school records the day a pupil left;
        retention rules that end at departure use it."""
        check_school(school)
        subject = check_pseudonym("leerling", subject)
        require_departure_right(principal, school, self.services)
        s = self.services
        with s.uow(write=True) as uow:
            known_school(uow, school)
            uow.cases.record_departure(school, subject, left_on, s.clock.now(), principal.username)
            uow.commit()


def require_departure_right(principal: Principal, school: str, services: Services) -> None:
    """Only the directeur or the privacy officer of that school records that a pupil left
    (here, and when confirming a departure an import proposed)."""
    if not principal.records_departures(school):
        raise refused(
            principal,
            "vastleggen dat een leerling de school verlaat",
            ["directeur", PRIVACY_OFFICER],
            school=school,
            school_name=services.school_name(school),
        )
