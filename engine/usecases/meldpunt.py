"""The public meldpunt: report without an account, then follow the report with the code.

Every step of the reporter goes through the same engine as a handler's: the report opens
a case (and fires the protocol's `melden` action where it has one), a message is an event
in the case's chain, and the reporter reads the case through the access rules as the
melder of that report. Internal notes and files of the handlers never reach them; what
the school writes for them is the protocol's `bericht_aan_melder` input.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace

from engine.access import REPORTER, Principal
from engine.attachments import StoredAttachment, is_audio, media_type, sha256
from engine.case import Case, apply
from engine.decisions import Act, Draft
from engine.errors import InputError, ReceiptNotFound, ReportClosed
from engine.events import ERASED, Event, EventType
from engine.inputs import check_text
from engine.meldpunt import (
    MESSAGE_LIMIT,
    MESSAGE_TO_REPORTER,
    ORAL_RECORD,
    RECORD_ACTIONS,
    RECORD_APPROVAL,
    RECORD_CORRECTION,
    Message,
    OralRecord,
    Receipt,
    RecordCorrection,
    ReporterView,
    StoredReceipt,
    answering_roles,
    code_hash,
    hash_password,
    listening_roles,
    new_code,
    normalise_code,
    password_matches,
    reporter,
)
from engine.ports import UnitOfWork
from engine.protocol.model import Protocol
from engine.triage import CATEGORY_FACT, TriageKind, routed_roles
from engine.triage import Triage as TriageData
from engine.usecases.base import Access, Services, access, load_access, log_shown, log_views
from engine.usecases.cases import CaseCommands, Opening
from engine.usecases.protocols import latest_in, offered_at
from engine.usecases.reporter_notices import message_notices
from engine.usecases.triage import Triages, for_school
from engine.usecases.users import principals

DEFAULT_PROTOCOL = "meldpunt"
REPORT_ACTION = "melden"
# The whistleblower regulations are for those who work for the school (Wbk art. 1: a
# werknemer or anyone who works for it; the 2016 model regulation art. 1: a medewerker):
# the meldpunt offers them on its page for staff, never to a pupil or parent. A school's
# variant counts as the regulation it extends.
STAFF_PROCEDURES = frozenset({"klokkenluidersregeling-2016", "klokkenluiders-wbk-2023"})


@dataclass(frozen=True)
class PublicReport:
    """What the public form sends: the protocol's own inputs, by name."""

    school: str
    inputs: dict[str, str] = field(default_factory=dict)
    protocol_id: str = DEFAULT_PROTOCOL
    password: str = ""
    # Where the protocol limits who sees a report (need_to_know): the channel the reporter
    # chose and the role the report concerns, recorded when the case opens.
    channel: str = ""
    concerns: str = ""
    # A voice message instead of (or with) the written words: the recording as the browser
    # made it (WebM or Ogg with Opus; the type is read from the content), and whether the
    # reporter had their voice disguised on their device before it was sent.
    audio: bytes = b""
    disguised: bool = False
    # Who reports: someone who works at the school (the meldpunt's page for staff), or a
    # pupil or parent (the default). Only staff may report under the whistleblower regulations.
    staff: bool = False


VOICE_MESSAGE = "spraakbericht"
VOICE_ONLY = "(De melder sprak een spraakbericht in; zie de bijlage.)"  # the description of a voice-only report


@dataclass(frozen=True)
class MeldpuntOption:
    protocol_id: str
    title: str
    kind: str  # the bundled protocol it is (a school's variant: the one it extends)
    channels: tuple[str, ...] = ()  # need_to_know: the channels the reporter chooses from
    concerns: tuple[str, ...] = ()  # need_to_know: the roles a report may concern ('niemand' first)


SYSTEM_ACTOR = "trede"  # who routes a report as it comes in


@dataclass
class Meldpunt:
    services: Services
    cases: CaseCommands
    triage: Triages

    def options(self, school: str, *, staff: bool = True) -> list[MeldpuntOption]:
        """The protocols a reporter may use at this school: those with a melder role, the
        school's own variant before the board's; for a pupil or parent (``staff`` False)
        without the whistleblower regulations (STAFF_PROCEDURES)."""
        with self.services.uow() as uow:
            if uow.schools.get(school) is None:
                return []
            offered = offered_at(latest_in(self.services, uow), school)  # its own variant in its base's place
        found = [
            MeldpuntOption(v.stored.id, v.stored.title, v.protocol.spec.extends.id if v.protocol.spec.extends else v.stored.id, *_choices(v.protocol))
            for v in offered
            if REPORTER in v.protocol.spec.roles
        ]
        if not staff:
            found = [o for o in found if not {o.protocol_id, o.kind} & STAFF_PROCEDURES]
        return sorted(found, key=lambda o: (o.kind != DEFAULT_PROTOCOL, o.title))

    def report(self, report: PublicReport) -> Receipt:
        """Open the case as the one-off melder of this report, record what they reported,
        and hand back the receipt code (shown once; only its hash is kept). Only a procedure
        the meldpunt offers this kind of reporter (``options``) is accepted, whatever the
        form sent."""
        offered = {o.protocol_id for o in self.options(report.school, staff=report.staff)}
        if report.protocol_id not in offered:
            if not report.staff and report.protocol_id in {o.protocol_id for o in self.options(report.school)}:
                # a whistleblower regulation sent from the form for pupils and parents (by hand)
                raise InputError(
                    "protocol", "deze regeling is voor wie op de school werkt; meld via de pagina van het meldpunt voor medewerkers"
                )
            raise InputError("school", "op deze school kan hier niet worden gemeld; controleer het adres van het meldpunt")
        password_hash = hash_password(report.password) if report.password else None
        audio = _voice_message(report.audio) if report.audio else None
        if audio and not report.inputs.get("beschrijving", "").strip():
            report = replace(report, inputs={**report.inputs, "beschrijving": VOICE_ONLY})
        s = self.services
        melder = reporter(report.school)
        code = new_code()
        with s.uow(write=True) as uow:
            subject = f"Melding {secrets.token_hex(3).upper()}"  # names nobody
            rule = s.protocol(uow.protocols.get(report.protocol_id).content_hash).spec.need_to_know
            fixed = rule.opening_facts() if rule else []
            given = ((rule.channel, report.channel), (rule.concerns, report.concerns)) if rule else ()
            chosen = {name: value for name, value in given if name}
            # the channel and who it concerns open the case; they are not the report's words
            facts = {k: v for k, v in {**chosen, **report.inputs}.items() if k in fixed and v.strip()}
            words = {k: v for k, v in report.inputs.items() if k not in fixed}
            triage = for_school(uow, report.school)
            chosen_category = words.get(CATEGORY_FACT, "").strip()
            if triage is None or not chosen_category:
                words.pop(CATEGORY_FACT, None)  # no categories at this school: nothing to choose from
            elif chosen_category not in triage.categories:
                raise InputError(CATEGORY_FACT, "kies een van de onderwerpen uit de lijst")
            opening = Opening(report.protocol_id, report.school, subject, role=REPORTER, facts=facts)
            case = self.cases.open_in(uow, melder, opening, s.new_id(), s.clock.now())
            protocol = s.protocol(case.protocol_hash)
            case = self._first_words(uow, protocol, case, melder, words)
            if audio:
                case = self._voice(uow, protocol, case, melder, report.audio, audio, report.disguised)
            now = s.clock.now()
            case = self.triage.route_in(uow, protocol, case, Act(SYSTEM_ACTOR, REPORTER, now, now))
            uow.receipts.add(StoredReceipt(code_hash(code), case.id, melder.username, password_hash, s.clock.now()))
            uow.commit()
        return Receipt(code, case.id)

    def _first_words(
        self, uow: UnitOfWork, protocol: Protocol, case: Case, melder: Principal, inputs: dict[str, str]
    ) -> Case:
        """The protocol's `melden` action with what was reported; a protocol without one gets
        the description as the reporter's first message."""
        s = self.services
        now = s.clock.now()
        act = Act(melder.username, REPORTER, now, now)
        if any(t.trigger == REPORT_ACTION and REPORTER in t.roles for t in protocol.candidates(case.step, REPORT_ACTION)):
            # the form is one for all protocols: only the fields this protocol asks are kept
            asked = protocol.inputs()
            event = s.decider.action(
                protocol, case, REPORT_ACTION, act, {k: v for k, v in inputs.items() if k in asked and v.strip()}
            )
        else:
            draft = _message(
                "beschrijving", inputs.get("beschrijving", ""), "wat er is gebeurd", empty="beschrijf wat er is gebeurd"
            )
            event = s.decider.seal(protocol, case, act, draft)
        after = apply(case, event)
        uow.cases.record(case, after, event)
        return after

    def _voice(
        self, uow: UnitOfWork, protocol: Protocol, case: Case, melder: Principal, content: bytes, kind: str, disguised: bool
    ) -> Case:
        """The voice message as an attachment of the report, added by its melder: the same
        event, hash and file store as a handler's attachment, so the same rules apply to it
        (only roles that may open the report's files hear it; erased with the report)."""
        now = self.services.clock.now()
        digest = sha256(content)
        how = "stem vervormd op het apparaat van de melder" if disguised else "stem niet vervormd"
        data = {
            "file_name": f"{VOICE_MESSAGE}{'.webm' if kind == 'audio/webm' else '.ogg'}",
            "media_type": kind,
            "size": len(content),
            "sha256": digest,
            "description": f"Spraakbericht van de melder ({how})",
        }
        draft = Draft(EventType.ATTACHMENT, data=data, personal=("file_name", "description"))
        event = self.services.decider.seal(protocol, case, Act(melder.username, REPORTER, now, now), draft)
        after = apply(case, event)
        uow.cases.record(case, after, event)
        uow.attachments.add(StoredAttachment(case.id, event.seq, kind, len(content), digest, content))
        return after

    def hand_out_code(self, principal: Principal, case_id: str, role: str | None = None) -> Receipt:
        """A receipt code for the melder of an oral report, so that they can check, correct
        and approve its record (and read and write messages) without an account. Handed out
        once per case by a role that records oral reports; shown once, only its hash is kept.
        A report made through the meldpunt already has its code."""
        s = self.services
        code = new_code()
        with s.uow(write=True) as uow:
            found = load_access(s, uow, principal, case_id, role, strict=True)
            acting = found.acting_role("een code voor de melder uitreiken")
            recorders = {r for t in found.protocol.transitions if t.trigger == ORAL_RECORD for r in t.roles}
            if acting not in recorders:
                raise found.refused("een code voor de melder uitreiken", sorted(recorders))
            if found.case.closed or found.case.subject == ERASED:
                raise ReportClosed()
            if uow.receipts.of_case(case_id) is not None:
                raise InputError(
                    "code", "voor deze melding is al een code uitgereikt; de melder gebruikt die (een code wordt maar één keer getoond)"
                )
            uow.receipts.add(StoredReceipt(code_hash(code), case_id, reporter(found.case.school).username, None, s.clock.now()))
            log_views(s, uow, [found], "meldercode")  # who handed out a code to this report is on record
            uow.commit()
        return Receipt(code, case_id)

    def check_record(self, code: str, password: str, trigger: str, inputs: dict[str, str]) -> ReporterView:
        """The melder corrects or approves the record of their oral report: the protocol's
        own action, taken as the melder, an event in the case's chain like any other."""
        if trigger not in RECORD_ACTIONS:
            raise InputError("actie", "dat kan hier niet")
        s = self.services
        with s.uow(write=True) as uow:
            found, events = self._own(uow, code, password)
            case = found.case
            if case.closed or case.subject == ERASED:
                raise ReportClosed()
            now = s.clock.now()
            event = s.decider.action(found.protocol, case, trigger, Act(found.principal.username, REPORTER, now, now), inputs)
            shown = self._recorded(uow, found, event)
            log_views(s, uow, [shown], "meldpunt")
            listeners = principals(uow, holding=listening_roles(found.protocol, shown.case.step))
            uow.notifications.record(message_notices(found.protocol, shown.case, event, listeners), now)
            uow.commit()
        events = [*events, event]
        return _view(shown, shown.redactor(events).events(events))

    def follow(self, code: str, password: str = "") -> ReporterView:
        """The report as its reporter sees it (logged as a view by the melder)."""
        with self.services.uow() as uow:
            found, events = self._own(uow, code, password)
            triage = for_school(uow, found.case.school)
        log_shown(self.services, [found], "meldpunt")
        return _view(found, found.redactor(events).events(events), triage)

    def write(self, code: str, password: str, text: str) -> ReporterView:
        """A message from the reporter: an event in the case's chain, committed with the
        view of the report it answers with (one password check, one commit)."""
        draft = _message("bericht", text, "bericht", empty="schrijf eerst uw bericht")
        s = self.services
        with s.uow(write=True) as uow:
            found, events = self._own(uow, code, password)
            triage = for_school(uow, found.case.school)
            case = found.case
            if case.subject == ERASED:
                raise found.refused(
                    "nog een bericht sturen bij deze melding",
                    [],
                    why="de melding is afgesloten en geanonimiseerd",
                    advice="Wilt u iets nieuws melden, doe dan een nieuwe melding.",
                )
            if case.closed:  # the school closed the report, or the conversation about it
                raise ReportClosed()
            now = s.clock.now()
            event = s.decider.seal(found.protocol, case, Act(found.principal.username, REPORTER, now, now), draft)
            shown = self._recorded(uow, found, event)
            log_views(s, uow, [shown], "meldpunt")
            # the handlers hear of it in the app, in the same commit as the message
            listeners = principals(uow, holding=listening_roles(found.protocol, shown.case.step))
            uow.notifications.record(message_notices(found.protocol, shown.case, event, listeners), now)
            uow.commit()
        events = [*events, event]
        return _view(shown, shown.redactor(events).events(events), triage)

    @staticmethod
    def _recorded(uow: UnitOfWork, found: Access, event: Event) -> Access:
        """Record the reporter's event on the case as stored (``_own`` shows the case to the
        reporter as opened by them, which the stored projection need not say), and hand back
        the reporter's access to the case after it."""
        stored = uow.cases.get(found.case.id)
        after = apply(stored, event)
        uow.cases.record(stored, after, event)
        return replace(found, case=replace(after, opened_by=found.case.opened_by))

    def _own(self, uow: UnitOfWork, code: str, password: str) -> tuple[Access, list[Event]]:
        receipt = uow.receipts.find(code_hash(normalise_code(code)))
        if receipt is None or (receipt.password_hash and not password_matches(receipt.password_hash, password)):
            raise ReceiptNotFound()
        case = uow.cases.get(receipt.case_id)
        # The receipt names the melder of its report: the one who opened it through the
        # meldpunt, or the melder of an oral report a handler recorded and handed a code to
        # (the case was opened by the handler); after anonymisation the receipt still does.
        case = replace(case, opened_by=receipt.reporter)
        melder = reporter(case.school, receipt.reporter)
        return access(self.services, melder, case), uow.cases.events(case.id)


def _choices(protocol: Protocol) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The channels and the roles concerned a reporter chooses from (need_to_know)."""
    rule = protocol.spec.need_to_know
    if rule is None:
        return (), ()
    inputs = protocol.inputs()
    concerns = tuple(inputs[rule.concerns].options or ()) if rule.concerns else ()
    channels = tuple(inputs[rule.channel].options or ()) if rule.channel else ()
    return channels, concerns


def _message(name: str, text: str, label: str, *, empty: str) -> Draft:
    """A message from the reporter, kept in the chain as a personal value."""
    text = text.strip()
    if not text:
        raise InputError(name, empty)
    text = check_text(name, text, MESSAGE_LIMIT, label)
    return Draft(EventType.REPORTER_MESSAGE, data={"message": text}, personal=("message",))


def _view(found: Access, events: list[Event], triage: TriageData | None = None) -> ReporterView:
    """Plain words for the reporter: the step, what they sent, and the messages both ways;
    once the report is closed, the satisfaction question where the board asks it."""
    protocol, case = found.protocol, found.case
    step = protocol.step(case.step)
    inputs = protocol.inputs()
    reported: dict[str, str] = {}
    messages: list[Message] = []
    for e in events:
        if e.actor == found.principal.username and e.trigger == REPORT_ACTION:
            reported = {
                inputs[k].label: triage.label(str(v)) if k == CATEGORY_FACT and triage else _shown(inputs[k], v)
                for k, v in e.inputs.items()
                if k in inputs
            }
        if e.type == EventType.REPORTER_MESSAGE and e.actor == found.principal.username:
            messages.append(Message(True, e.recorded_at, str(e.data.get("message", ""))))
        elif e.inputs.get(MESSAGE_TO_REPORTER):
            messages.append(Message(False, e.recorded_at, str(e.inputs[MESSAGE_TO_REPORTER])))
    score = next(
        (int(e.data["score"]) for e in events if e.type == EventType.TRIAGE and e.data.get("kind") == TriageKind.SATISFACTION),
        None,
    )
    explanation = step.description or ("De melding is afgehandeld." if case.closed else "De school behandelt uw melding.")
    cannot_write = _cannot_write(case)
    oral = oral_record(protocol, events)
    return ReporterView(
        case_id=case.id,
        status=step.label,
        explanation=explanation,
        closed=case.closed,
        reported=reported,
        messages=messages,
        can_write=not cannot_write,
        contact=tuple(protocol.spec.roles[r].label for r in _answering(protocol, case)) if not case.closed else (),
        cannot_write=cannot_write,
        ask_satisfaction=bool(triage and triage.satisfaction and case.closed and case.subject != ERASED and score is None),
        satisfaction=score,
        oral=oral,
    )


def _answering(protocol: Protocol, case: Case) -> tuple[str, ...]:
    """The roles that answer the reporter now; a routed role only where the report went to it."""
    routed = routed_roles(case.facts)
    return tuple(r for r in answering_roles(protocol, case.step) if not protocol.spec.roles[r].routed or r in routed)


def oral_record(protocol: Protocol, events: list[Event]) -> OralRecord | None:
    """The record of the oral report in this case, with its corrections and the approval
    (for the melder on the follow page, for the handlers on the case page)."""
    record: OralRecord | None = None
    for e in events:
        if e.trigger == ORAL_RECORD:
            spoken = e.inputs.get("ontvangen_op") or e.inputs.get("datum_gesprek") or ""
            channel = _shown(protocol.inputs().get("mondeling_kanaal"), e.inputs.get("mondeling_kanaal", ""))
            record = OralRecord(
                channel, str(spoken), str(e.inputs.get("verslag_mondeling", "")), e.inputs.get("toestemming_opname") == "ja"
            )
        elif record is not None and e.trigger == RECORD_CORRECTION:
            fix = RecordCorrection(e.recorded_at, str(e.inputs.get("correctie_verslag", "")), e.role == REPORTER)
            record = replace(record, corrections=(*record.corrections, fix))
        elif record is not None and e.trigger == RECORD_APPROVAL:
            record = replace(record, approved_at=e.recorded_at)
    return record


def _voice_message(content: bytes) -> str:
    """The type of a voice message, read from its content: only a recording is accepted here."""
    kind = media_type(content)
    if not is_audio(kind):
        raise InputError(VOICE_MESSAGE, "het spraakbericht is geen geluidsopname (WebM of Ogg); neem het opnieuw op of schrijf je melding")
    return kind


def _cannot_write(case: Case) -> str:
    """Why the reporter can no longer write about this report, in their words; empty: they can."""
    if case.subject == ERASED:
        return "Deze melding is geanonimiseerd. Je kunt hier geen berichten meer sturen."
    if case.closed:
        return ReportClosed().message
    return ""


def _shown(spec: object, value: object) -> str:
    return str(value).replace("_", " ") if getattr(spec, "type", "") == "keuze" else str(value)
