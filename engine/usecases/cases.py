"""Acting in cases: open, fire, migrate, make a letter. Each checks the acting principal
against the case, records one event and commits it with the projection and deadlines."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, TypeVar

from engine.access import Principal, case_roles, migrating_roles, opening_roles, sees_identity
from engine.case import TRACK_OPEN, Case, apply
from engine.commits import Pending
from engine.decisions import Act, Draft
from engine.errors import (
    ConcurrencyConflict,
    InputError,
    LetterChanged,
    LetterNotAvailable,
    MigrationRefused,
    MissingInput,
    ProtocolNotFound,
    SentBeforeLetter,
    SentTooLate,
    StorageError,
    plain_label,
)
from engine.events import GENESIS, Event, EventType, canonical_text
from engine.inputs import check_identifier, check_inputs, check_pseudonym, check_text, effective_moment
from engine.letters import (
    SENDING_WINDOW,
    LetterPreview,
    RenderedLetter,
    StoredLetter,
    check_addressee,
    dutch_date,
    letter_context,
)
from engine.ports import UnitOfWork
from engine.protocol.model import Protocol, holds, remedy_timer
from engine.protocol.schema import NOBODY, ObligationSpec, TimerSpec
from engine.refusals import recorded, refused
from engine.scheduling import fact_date
from engine.terms import local_date
from engine.usecases.base import Access, Services, check_school, known_school, load_access, log_shown, log_views
from engine.usecases.handover import handover_role, pupil_group, school_protocol
from engine.usecases.schools import school_context
from engine.views import CaseView, actions_for, role_label

Inputs = Mapping[str, str]
T = TypeVar("T")
FIRE_ATTEMPTS = 3  # a fire without expected_seq, against a case that another writer changed meanwhile


@dataclass(frozen=True)
class Opening:
    """What a new case is opened for; ``linked_from`` when an action in another case opens it."""

    protocol_id: str
    school: str
    subject: str
    role: str | None = None
    group: str | None = None
    version: int | None = None
    linked_from: dict[str, Any] | None = None
    step: str | None = None  # a linked case may start elsewhere than the initial step (opens.step)
    facts: Mapping[str, str] = field(default_factory=dict)  # what the opening records (need_to_know)


Moment = date | datetime | None


@dataclass(frozen=True)
class Firing:
    """One action as asked: which, in which role, with what, when, and on which version."""

    trigger: str
    role: str | None = None
    inputs: dict[str, str] = field(default_factory=dict)
    effective: Moment = None
    expected_seq: int | None = None


@dataclass(frozen=True)
class _Composed:
    """A letter rendered for the case as it is now, with what it was made from."""

    found: Access
    role: str
    now: datetime
    values: dict[str, str]
    facts: dict[str, Any]
    template: str
    rendered: RenderedLetter

    @property
    def confirmation(self) -> str:
        """What the writer confirms: the letter and every value it records, in the role it is
        made in. A field the preview did not show changes it. The PDF is left out: it is made
        from this HTML (the logo inside it) and carries the second it was made as its creation
        date, so reading the preview for a while would otherwise refuse every letter."""
        seen = {"html": self.rendered.sha256_html, "role": self.role, "values": self.values}
        return hashlib.sha256(canonical_text(seen).encode("utf-8")).hexdigest()

    @property
    def case(self) -> Case:
        return self.found.case

    @property
    def protocol(self) -> Protocol:
        return self.found.protocol


@dataclass
class CaseCommands:
    services: Services

    def open(
        self,
        principal: Principal,
        protocol_id: str,
        *,
        school: str,
        subject: str,
        role: str | None = None,
        group: str | None = None,
        version: int | None = None,
        effective: Moment = None,
        inputs: Inputs | None = None,
    ) -> Case:
        """Open a case at a school that exists, in a role the principal holds there.
        ``inputs``: what the opening records: a report's channel and the role it concerns
        where the protocol limits who sees it (need_to_know), and nothing else."""
        check_school(school)
        check_text("protocol", protocol_id, 100, "protocol")
        if role is not None:
            check_identifier("role", role, 100, "rol")
        subject = check_pseudonym("subject", subject)
        if group is not None:
            group = check_identifier("group", group, 50, "groep") or None
        s = self.services
        with s.uow(write=True) as uow:
            now = s.clock.now()
            pupil = uow.pupils.named(school, subject)
            if pupil is not None and pupil.group:  # a pupil from the school's list: the administration's group
                group = pupil.group
            opening = Opening(protocol_id, school, subject, role=role, group=group, version=version, facts=dict(inputs or {}))
            case = self.open_in(uow, principal, opening, s.new_id(), effective_moment(effective, now, None))
            uow.commit()
        return case

    def open_in(
        self, uow: UnitOfWork, principal: Principal, o: Opening, case_id: str, effective_at: datetime
    ) -> Case:
        """Open a case inside a unit of work that the caller commits (also a linked case)."""
        s = self.services
        record = known_school(uow, o.school)
        # without a version: the newest offered at this school (another school's own newer
        # version does not take the board's away from it)
        try:
            stored = uow.protocols.get(o.protocol_id, o.version, school=o.school if o.version is None else None)
        except ProtocolNotFound:
            stored = uow.protocols.get(o.protocol_id, o.version)  # another school's own: refused below
        if stored.scope is not None and stored.scope != o.school:
            raise InputError(
                "protocol",
                f"'{stored.title}' is het eigen protocol van een andere school; kies een protocol van uw school of van het bestuur",
            )
        protocol = s.protocol(stored.content_hash)
        school, group, role = o.school, o.group, o.role
        roles = opening_roles(principal, protocol, school, group)
        if role is None and roles:
            role = roles[0]
        if role is None or role not in roles:
            opening, may = f"een zaak openen volgens ‘{protocol.spec.title}’", list(protocol.spec.roles)
            if roles:  # they may open one, but not in the role they asked
                opening, may = f"{opening} als {plain_label(role_label(protocol, str(role)))}", [str(role)]
            raise refused(
                principal,
                opening,
                may,
                school=school,
                school_name=record.name or school,
                group=group,
                protocol=protocol,
                deed="de zaak te openen",
            )
        now = s.clock.now()
        facts = _opening_facts(protocol, o.facts, now)
        context = school_context(uow, record)
        first = o.step or protocol.initial
        if first not in protocol.spec.steps or protocol.is_final(first):
            steps = ", ".join(sid for sid, st in protocol.spec.steps.items() if not st.final)
            raise InputError(
                "opens.step",
                f"'{protocol.spec.title}' heeft geen stap '{first}' om een zaak in te beginnen; bekend: {steps}",
            )
        event = Event(
            case_id=case_id,
            seq=1,
            type=EventType.OPENED,
            recorded_at=now,
            effective_at=effective_at,
            actor=principal.username,
            role=role,
            trigger=None,
            from_step=None,
            to_step=first,
            protocol_hash=protocol.content_hash,
            calendar_version=s.calendar.version(school),
            data={
                "protocol_id": protocol.id,
                "protocol_version": stored.version,
                "school": school,
                "subject": o.subject,
                **({"group": group} if group else {}),
                **({"linked_from": o.linked_from} if o.linked_from else {}),
                **({"tracks": dict.fromkeys(protocol.tracks(first), TRACK_OPEN)} if protocol.tracks(first) else {}),
                **({"school_context": context} if context else {}),
                "final": protocol.is_final(first),
                "deadlines": s.decider.scheduler.enter(protocol, school, first, 1, effective_at, context),
            },
            prev_hash=GENESIS,
            inputs=facts,
        ).sealed(personal=[("data", "subject")])
        case = apply(None, event)
        rule = protocol.spec.need_to_know
        if rule is not None and role not in case_roles(principal, case, protocol):
            # whoever opens a report must be one who may see it (not the one it concerns)
            via = f" via '{facts[rule.channel]}'" if rule.channel else ""
            about = f" over '{facts[rule.concerns]}'" if rule.concerns and facts[rule.concerns] != NOBODY else ""
            raise InputError(
                rule.channel or rule.concerns or "need_to_know",
                f"een melding{via}{about} mag u als {role} niet zien, dus ook niet openen",
            )
        uow.cases.add(case, event)
        return case

    def fire(
        self,
        principal: Principal,
        case_id: str,
        trigger: str,
        *,
        role: str | None = None,
        inputs: Inputs | None = None,
        effective: Moment = None,
        expected_seq: int | None = None,
    ) -> Case:
        request = Firing(trigger, role, dict(inputs or {}), effective, expected_seq)
        _, after = self._retried(request, lambda: self.services.commits.run(
            lambda uow: self._fire_in(uow, principal, case_id, request), cases=(case_id,)
        ))
        return after

    def fire_and_show(self, principal: Principal, case_id: str, request: Firing, *, what: str = "api") -> CaseView:
        """Fire, and return the case as this person now sees it, with the access-log row of
        that view in the same transaction. Concurrent fires share that transaction's commit."""
        return self.fire_and_show_pending(principal, case_id, request, what=what).result()

    def fire_and_show_pending(
        self, principal: Principal, case_id: str, request: Firing, *, what: str = "api"
    ) -> Pending[CaseView]:
        """``fire_and_show`` handed to the group commit without waiting for it: every check
        runs in the writer's transaction, and the view is given only once that transaction is
        durable (``Pending.result``). An event loop awaits it without blocking a thread."""
        s = self.services

        def fire_and_log(uow: UnitOfWork) -> tuple[Access, list[Event]]:
            found, after = self._fire_in(uow, principal, case_id, request)
            shown = replace(found, case=after)
            events = uow.cases.events(case_id) if found.protocol.spec.identity else []
            log_views(s, uow, [shown], what)
            return shown, events

        def show(written: tuple[Access, list[Event]]) -> CaseView:
            shown, events = written
            return shown.view(events)

        outcome: Pending[CaseView] = Pending(show)
        attempts = [FIRE_ATTEMPTS]

        def attempt() -> None:
            attempts[0] -= 1
            written: Pending[tuple[Access, list[Event]]] = s.commits.submit(fire_and_log, cases=(case_id,))

            def settled() -> None:  # in the writer's thread: only hands the outcome on
                lost = isinstance(written.error, ConcurrencyConflict) and request.expected_seq is None
                if lost and attempts[0] > 0:
                    attempt()  # see _retried
                else:
                    outcome.settle(written.value, written.error)

            written.when_done(settled)

        attempt()
        return outcome

    @staticmethod
    def _retried(request: Firing, attempt: Callable[[], T]) -> T:
        """A fire that names no version (``expected_seq``) did not ask for optimistic
        concurrency: when another writer changed the case in between, it is tried again on
        the case as it now is, a bounded number of times. One that names a version gets
        its conflict. (The group commit locks the case before the fire reads it, so on
        PostgreSQL and SQLite alike this is a safety net, not the normal path.)"""
        for _ in range(FIRE_ATTEMPTS - 1):
            try:
                return attempt()
            except ConcurrencyConflict:
                if request.expected_seq is not None:
                    raise
        return attempt()

    def fire_in(self, uow: UnitOfWork, principal: Principal, case_id: str, request: Firing) -> Case:
        """Fire inside a unit of work that the caller commits (e.g. right after ``open_in``)."""
        return self._fire_in(uow, principal, case_id, request)[1]

    def _fire_in(self, uow: UnitOfWork, principal: Principal, case_id: str, request: Firing) -> tuple[Access, Case]:
        trigger, role = request.trigger, request.role
        check_text("trigger", trigger, 200, "actie")
        if role is not None:
            check_identifier("role", role, 100, "rol")
        s = self.services
        found = load_access(s, uow, principal, case_id, role, strict=True)
        case = found.case
        fixed_at_opening(found.protocol, request.inputs)
        if request.expected_seq is not None and request.expected_seq != case.seq:
            raise ConcurrencyConflict(case_id, request.expected_seq, case.seq)
        candidates = found.protocol.candidates(case.step, trigger)
        # Recording a fact may be dated back to the day it happened, even before what was
        # recorded since; an action that moves the case or settles a term may not.
        facts_only = bool(candidates) and all(
            t.dest is None and not t.fulfils and not t.opens and not t.answer_of for t in candidates
        )
        floor = case.opened_at if facts_only else case.updated_at
        act = self._act(principal, _role_for(found, trigger, role), case, request.effective, floor)
        opens = next((t.opens for t in candidates if t.opens), None)
        if opens is not None:  # the school's own variant of the protocol it opens, if it has one
            act = replace(act, link_id=s.new_id(), link_protocol=school_protocol(s, uow, opens.protocol, case.school))
        event = s.decider.action(found.protocol, case, trigger, act, request.inputs)
        after = apply(case, event)
        uow.cases.record(case, after, event)
        opened = event.data.get("opened_case")
        if opened is not None:  # in the same unit of work: both cases, or neither
            self._open_linked(uow, principal, found, event, opened)
        return found, after

    def _open_linked(
        self, uow: UnitOfWork, principal: Principal, found: Access, event: Event, opened: dict[str, str]
    ) -> None:
        taken = next(t for t in found.protocol.candidates(found.case.step, event.trigger or "") if t.opens)
        assert taken.opens is not None
        subject = found.case.subject
        if taken.opens.subject_from is not None:
            subject = check_pseudonym(taken.opens.subject_from, event.inputs[taken.opens.subject_from])
        link = {"case_id": found.case.id, "seq": event.seq, "protocol": found.protocol.id}
        school = found.case.school
        named = event.inputs.get(taken.opens.group_from) if taken.opens.group_from else None
        if named:  # the group the action names, for a pupil the register does not know
            named = check_identifier(taken.opens.group_from or "group", str(named), 50, "groep")
        group = pupil_group(uow, school, subject, named or found.case.group)
        target = self.services.protocol(uow.protocols.get(opened["protocol"], school=found.case.school).content_hash)
        role = handover_role(principal, target, school, group, event.role)
        opening = Opening(
            opened["protocol"], school, subject, role=role, group=group, linked_from=link, step=taken.opens.step
        )
        self.open_in(uow, principal, opening, opened["id"], event.effective_at)

    def migrate(
        self,
        principal: Principal,
        case_id: str,
        to_version: int,
        *,
        role: str | None = None,
        effective: Moment = None,
    ) -> Case:
        """Move a case to another version of its protocol, explicitly and on the record."""
        s = self.services
        with s.uow(write=True) as uow:
            found = load_access(s, uow, principal, case_id, role, strict=True)
            case = found.case
            deed = "deze zaak naar een andere versie van het protocol overzetten"
            allowed = migrating_roles(found.protocol)
            acting = role if role is not None else next((r for r in found.roles if r in allowed), found.role)
            if acting not in allowed:
                raise found.refused(deed, allowed, why="een zaak overzetten bepaalt welke regels er gelden")
            target = uow.protocols.get(case.protocol_id, to_version)
            if target.content_hash == case.protocol_hash:
                raise MigrationRefused(case_id, to_version, "de zaak volgt die versie al")
            protocol = s.protocol(target.content_hash)
            if case.step not in protocol.spec.steps:
                raise MigrationRefused(case_id, to_version, f"stap '{case.step}' bestaat daar niet", step=case.step)
            if protocol.spec.need_to_know != found.protocol.spec.need_to_know:
                # who may see a report is fixed when it is opened; another version may not widen it
                raise MigrationRefused(case_id, to_version, "wie de melding mag zien (need_to_know) is daar anders geregeld")
            if found.protocol.spec.identity is not None and (
                protocol.spec.identity != found.protocol.spec.identity
                or set(protocol.spec.roles) != set(found.protocol.spec.roles)
            ):
                # who may know the melder, and who holds a role in the report, is fixed with it:
                # moving it to a version that names more people would unmask the melder
                raise MigrationRefused(
                    case_id, to_version, "wie de melder mag kennen of wie een rol in de melding heeft, is daar anders geregeld"
                )
            known = {**protocol.timer_index, **protocol.obligation_index}
            missing = sorted({d.id for d in case.active_deadlines() if d.id not in known})
            if missing:
                raise MigrationRefused(
                    case_id, to_version, f"lopende termijnen ontbreken daar: {', '.join(missing)}", deadlines=missing
                )
            act = self._act(principal, str(acting), case, effective)
            data = {
                "from_version": case.protocol_version,
                "to_version": target.version,
                "from_hash": case.protocol_hash,
                "deadlines": [],
            }
            event = s.decider.seal(protocol, case, act, Draft(EventType.MIGRATED, data=data))
            return _record(uow, case, event)

    def _act(
        self, principal: Principal, role: str, case: Case, effective: Moment, floor: datetime | None = None
    ) -> Act:
        now = self.services.clock.now()
        previous = floor if floor is not None else case.updated_at
        return Act(principal.username, role, now, effective_moment(effective, now, previous))

    def letter(
        self,
        principal: Principal,
        case_id: str,
        name: str,
        *,
        role: str | None = None,
        inputs: Inputs | None = None,
        expected_sha256: str | None = None,
    ) -> StoredLetter:
        """Generate a letter from the case, store it, and record its hashes in the audit trail.

        What the letter asks (signer, date and way of sending, addressee, ...) is recorded with
        it; a date among them starts the terms that run from it (a remedy runs from sending).
        ``expected_sha256``: the ``confirmation`` of the letter the writer saw in
        ``preview_letter``; when the case, the day or any value it records changed since, it
        differs and the letter is refused (``LetterChanged``): what is stored, and every value
        recorded with it, is exactly what was checked."""
        s = self.services
        with s.uow(write=True) as uow:
            made = self._compose(uow, principal, case_id, name, role, dict(inputs or {}))
            case, protocol, rendered, values = made.case, made.protocol, made.rendered, made.values
            if expected_sha256 is not None and expected_sha256 != made.confirmation:
                raise LetterChanged(case_id, name)
            data = {
                "letter": name,
                "template": made.template,
                "sha256_html": rendered.sha256_html,
                "sha256_pdf": rendered.sha256_pdf,
                "deadlines": [
                    *s.decider.scheduler.start_waiting(protocol, case, made.facts, cancelled=set()),
                    # the same letter sent again: the terms that ran from the earlier sending move
                    *s.decider.scheduler.follow_dispatch(protocol, case, _dispatched(protocol, values)),
                ],
            }
            act = Act(principal.username, made.role, made.now, made.now)
            event = s.decider.seal(protocol, case, act, Draft(EventType.LETTER, values=values, data=data))
            uow.cases.record(case, apply(case, event), event)
            stored = StoredLetter(
                case_id, event.seq, name, rendered.html, rendered.pdf, rendered.sha256_html, rendered.sha256_pdf
            )
            uow.letters.add(stored)
            uow.commit()
        return stored

    def preview_letter(
        self,
        principal: Principal,
        case_id: str,
        name: str,
        *,
        role: str | None = None,
        inputs: Inputs | None = None,
    ) -> LetterPreview:
        """The letter as ``letter`` would store it now, with the same checks, recording nothing
        in the case (no event, no letter, no fact). Like every view of a case it is written to
        the access log ('brief')."""
        s = self.services
        with s.uow() as uow:
            made = self._compose(uow, principal, case_id, name, role, dict(inputs or {}))
        log_shown(s, [made.found], "brief")
        spec, known = made.protocol.spec.letters[name], made.protocol.inputs()
        return LetterPreview(
            case_id,
            name,
            spec.label,
            made.rendered,
            made.confirmation,
            made.values,
            tuple(spec.asks),
            tuple(spec.accepts),
            {n: known[n] for n in (*spec.asks, *spec.accepts)},
        )

    def _compose(
        self, uow: UnitOfWork, principal: Principal, case_id: str, name: str, role: str | None, inputs: dict[str, str]
    ) -> _Composed:
        """Check who makes which letter with what, and render it (nothing is written)."""
        s = self.services
        if s.letters is None:
            raise StorageError("Er is geen briefmodule ingesteld.")
        found = load_access(s, uow, principal, case_id, role, strict=True)
        case, protocol = found.case, found.protocol
        letters = protocol.spec.letters
        spec = letters.get(name)
        if spec is None or case.step not in spec.steps:
            available = sorted(n for n, letter in letters.items() if case.step in letter.steps)
            raise LetterNotAvailable(name, case.step, available)
        acting = next((r for r in found.roles if r in spec.roles and (role is None or r == role)), None)
        making = f"de brief ‘{spec.label}’ maken"
        if acting is None:
            raise found.refused(making, spec.roles)
        if not sees_identity(protocol, case, acting):
            # A letter to the melder names them: only roles that may know who they are make it.
            visible = [r for r in protocol.spec.identity.visible_to if r in spec.roles] if protocol.spec.identity else []
            raise found.refused(making, visible, why="de brief noemt de melder, en wie meldde is voor uw rol afgeschermd")
        now = s.clock.now()
        values = self._asked(protocol, spec.asks, inputs, now, accepts=spec.accepts)
        record = uow.schools.get(case.school)
        # The school's context as the case recorded it when it opened; for a case opened
        # before the register knew it, as the register says now.
        context_facts = {**school_context(uow, record), **case.facts}
        facts = {**context_facts, **values}
        if self._terms_from(protocol, case, facts, values, all_routes=True) and not facts.get("school_denominatie"):
            # The remedy in a decision letter depends on it: Awb bezwaar or the school's own route.
            raise InputError(
                "school",
                f"leg eerst in het scholenregister vast of {case.school} openbaar of bijzonder onderwijs geeft; "
                "daarvan hangt de bezwaarroute in deze brief af",
            )
        context = letter_context(
            protocol,
            case,
            uow.cases.events(case_id),
            name,
            now,
            school=record,
            denominatie=str(facts.get("school_denominatie", "")),
            asked=values,
            terms=self._terms_from(protocol, case, facts, values),
            role=acting,
            logo=uow.schools.logo(case.school),
        )
        rendered = s.letters.render(spec.template, context, now)
        return _Composed(found, acting, now, values, facts, spec.template, rendered)

    @staticmethod
    def _asked(
        protocol: Protocol, asks: list[str], inputs: dict[str, str], now: datetime, *, accepts: Sequence[str] = ()
    ) -> dict[str, str]:
        unknown = sorted(set(inputs) - set(asks) - set(accepts))
        if unknown:
            raise InputError(unknown[0], f"deze brief vraagt alleen: {', '.join([*asks, *accepts]) or 'niets'}")
        today = local_date(now)
        values = check_inputs(protocol, inputs, today)
        for name in asks:
            if name not in values:
                raise MissingInput(name, protocol.inputs()[name].label)
        check_addressee(values, {n: spec.label for n, spec in protocol.inputs().items()})
        for name, value in _dispatched(protocol, values).items():
            sent, label = date.fromisoformat(value), protocol.inputs()[name].label
            if sent < today:  # the letter is made today: it cannot have gone out before
                raise SentBeforeLetter(name, label, short_date(sent), short_date(today))
            if sent > today + SENDING_WINDOW:  # a remedy term runs from sending: no date parks it far ahead
                raise SentTooLate(name, label, short_date(sent), short_date(today + SENDING_WINDOW))
        return values

    def _terms_from(
        self, protocol: Protocol, case: Case, facts: dict[str, Any], values: dict[str, str], *, all_routes: bool = False
    ) -> dict[str, dict[str, str]]:
        """The terms that start on a date the letter asks (e.g. the bezwaartermijn from the
        day of sending), computed as the timer will be: the letter states its last day.
        ``all_routes``: also those whose condition does not hold (is this a decision letter?)."""
        scheduler = self.services.decider.scheduler
        found: dict[str, dict[str, str]] = {}
        groups: list[list[TimerSpec | ObligationSpec]] = [[*st.timers, *st.obligations] for st in protocol.spec.steps.values()]
        groups += [list(t.obligations) for t in protocol.transitions if t.obligations]
        # a remedy's term (protocol section remedies), on the route the school's denominatie gives
        groups.append([remedy_timer(r) for r in protocol.remedies.values() if all_routes or r.when is None or holds(r.when, facts)])
        for items in groups:
            for spec in items:
                start = fact_date(values.get(spec.start))
                if start is None or (not all_routes and spec.when is not None and not holds(spec.when, facts)):
                    continue
                duration = scheduler.duration(protocol, spec, facts)
                term = scheduler.term(spec, duration, start, case.school)
                found[spec.id] = {
                    "due": dutch_date(term["due_date"]),
                    "start": dutch_date(term["start_date"]),
                    "duration": str(duration),
                    "basis": spec.basis,
                    "extended": "; ".join(term["extensions"]),
                }
        return found


def _opening_facts(protocol: Protocol, given: Mapping[str, str], now: datetime) -> dict[str, str]:
    """What an opening records: exactly the channel and the role concerned of a protocol
    with need_to_know (both required), and nothing for any other protocol."""
    rule = protocol.spec.need_to_know
    asked = rule.opening_facts() if rule else []
    unknown = sorted(set(given) - set(asked))
    if unknown:
        raise InputError(unknown[0], f"bij het openen legt dit protocol alleen vast: {', '.join(asked) or 'niets'}")
    values = check_inputs(protocol, given, local_date(now))
    for name in asked:
        if name not in values:
            raise MissingInput(name, protocol.inputs()[name].label)
    return values


def fixed_at_opening(protocol: Protocol, inputs: Mapping[str, str]) -> None:
    """The channel and the role concerned are fixed when the case opens: no later action
    changes who may see it (a role could otherwise give itself access)."""
    rule = protocol.spec.need_to_know
    for name in rule.opening_facts() if rule else []:
        if name in inputs:
            raise InputError(name, f"'{name}' is bij het openen van de melding vastgelegd en kan niet worden gewijzigd")


def _dispatched(protocol: Protocol, values: Mapping[str, str]) -> dict[str, str]:
    """The sending dates among what a letter asked (inputs marked ``dispatch``)."""
    known = protocol.inputs()
    return {name: value for name, value in values.items() if name in known and known[name].dispatch}


def short_date(day: date) -> str:
    """6-12-2026: a date as a Dutch person types it."""
    return f"{day.day}-{day.month}-{day.year}"


def _record(uow: UnitOfWork, case: Case, event: Event) -> Case:
    """Append the event, store the projection it gives, commit; the new case."""
    after = apply(case, event)
    uow.cases.record(case, after, event)
    uow.commit()
    return after


def _role_for(found: Access, trigger: str, asked: str | None) -> str:
    """The role asked for; else the first role held in which this action is open now."""
    if asked is not None:
        return asked
    for role in found.roles:
        if any(a.trigger == trigger for a in actions_for(found.protocol, found.case, role, found.now)):
            return role
    candidates = found.protocol.candidates(found.case.step, trigger)
    label = candidates[0].label if candidates else trigger
    return found.acting_role(recorded(label), sorted({r for t in candidates for r in t.roles}) if candidates else None)
