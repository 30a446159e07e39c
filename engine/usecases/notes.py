"""Notes and attachments on a case: appended to its chain like any other event, by anyone
who holds a role in the case. They do not move the case or settle a term.

Each carries two moments: when what it is about happened (its ``effective_at``, the fact
moment the handler states: "Datum van het gesprek of de gebeurtenis", "Datum van het stuk")
and when it was recorded (``recorded_at``, the chain's order). The fact moment is part of
the hashed record; it may lie before what was recorded since, never before the case was
opened or in the future, and it moves nothing: the projection's time and every deadline
ignore it (``engine.case.apply``). The timeline orders by it (``engine.views.timeline``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.access import REPORTER_ROLES, Principal
from engine.attachments import NOTE_LIMIT, AttachmentFile, StoredAttachment, file_name, is_audio, media_type, sha256
from engine.case import Case, apply
from engine.decisions import Act, Draft
from engine.errors import CaseNotFound, InputError, ReportClosed
from engine.events import ERASED, Event, EventType
from engine.inputs import check_text, fact_moment
from engine.ports import UnitOfWork
from engine.usecases.base import Access, Services, load_access, log_shown

Moment = date | datetime | None
NOTE_MOMENT = "Datum van het gesprek of de gebeurtenis"  # the fact moment of a note, as the forms call it
ATTACHMENT_MOMENT = "Datum van het stuk"
RECORDING_CONSENT = "toestemming_opname"  # the fact that records the melder's consent to a recording


@dataclass
class CaseNotes:
    services: Services

    def add_note(
        self, principal: Principal, case_id: str, text: str, *, role: str | None = None, effective: Moment = None
    ) -> Case:
        """A note (a conversation report, a phone call): its text is a personal value.
        ``effective``: when the conversation or event happened (default: now)."""
        if not text.strip():
            raise InputError("notitie", "schrijf eerst de notitie")
        text = check_text("notitie", text, NOTE_LIMIT, "notitie")
        return self._append(principal, case_id, role, effective, Draft(EventType.NOTE, data={"note": text.strip()}, personal=("note",)))

    def attach(
        self,
        principal: Principal,
        case_id: str,
        *,
        name: str,
        content: bytes,
        description: str = "",
        role: str | None = None,
        effective: Moment = None,
    ) -> Case:
        """A file with the case: its type is read from its content; its SHA-256 goes into the
        chain, the file is stored beside it. ``effective``: the date of the document."""
        shown = file_name(name)
        kind = media_type(content)
        check_text("omschrijving", description, 500, "omschrijving")
        data = {"file_name": shown, "media_type": kind, "size": len(content), "sha256": sha256(content)}
        personal: tuple[str, ...] = ("file_name",)
        if description.strip():
            data["description"] = description.strip()
            personal += ("description",)
        draft = Draft(EventType.ATTACHMENT, data=data, personal=personal)
        return self._append(principal, case_id, role, effective, draft, content)

    def _append(
        self,
        principal: Principal,
        case_id: str,
        role: str | None,
        effective: Moment,
        draft: Draft,
        content: bytes | None = None,
    ) -> Case:
        s = self.services
        with s.uow(write=True) as uow:
            found = load_access(s, uow, principal, case_id, role, strict=True)
            case = found.case
            acting = found.acting_role("een notitie of bijlage toevoegen")
            if case.subject == ERASED:
                raise InputError("zaak", "deze zaak is geanonimiseerd; er kan niets meer aan worden toegevoegd")
            if case.closed and acting in REPORTER_ROLES:  # as the meldpunt's own messages: the school closed the conversation
                raise ReportClosed()
            if is_audio(str(draft.data.get("media_type", ""))) and case.facts.get(RECORDING_CONSENT) != "ja":
                # a recording of a person's voice only with their consent, recorded first in the
                # case (Directive 2019/1937 art. 18 lid 2: the oral report's recording)
                raise InputError(
                    "bestand",
                    "een geluidsopname kan alleen worden toegevoegd als eerst is vastgelegd dat de melder instemt met een opname",
                )
            now = s.clock.now()
            label = NOTE_MOMENT if draft.kind == EventType.NOTE else ATTACHMENT_MOMENT
            act = Act(principal.username, acting, now, fact_moment(effective, now, case.opened_at, label))
            event = s.decider.seal(found.protocol, case, act, draft)
            after = apply(case, event)
            uow.cases.record(case, after, event)
            if content is not None:
                uow.attachments.add(
                    StoredAttachment(case_id, event.seq, event.data["media_type"], len(content), event.data["sha256"], content)
                )
            uow.commit()
        return after

    def attachment(self, principal: Principal, case_id: str, seq: int) -> AttachmentFile:
        """An attachment's file, to someone who may see the case and everything in the file:
        a file cannot be redacted, so where a melder's identity is hidden from this viewer
        only its record is shown, not the file."""
        s = self.services
        with s.uow() as uow:
            found = load_access(s, uow, principal, case_id, None)
            event = _attachment_event(uow, found, seq)
            if not found.sees_files():
                identity = found.protocol.spec.identity
                raise found.refused(
                    "deze bijlage openen",
                    identity.visible_to if identity else [],
                    why="een bestand kan niet worden afgeschermd en kan noemen wie meldde",
                )
            opened = open_file(uow, event)
            if opened is None:
                raise InputError("bijlage", "deze bijlage is gewist (de zaak is geanonimiseerd)")
        log_shown(s, [found], "bijlage")
        return opened


def open_file(uow: UnitOfWork, event: Event) -> AttachmentFile | None:
    """The file an attachment event added, as stored; None once erased."""
    stored = uow.attachments.get(event.case_id, event.seq)
    if stored is None or stored.erased:
        return None
    name = str(event.data["file_name"])
    return AttachmentFile(event.case_id, event.seq, name, stored.media_type, stored.content, stored.sha256)


def _attachment_event(uow: UnitOfWork, found: Access, seq: int) -> Event:
    """The event that added attachment ``seq``, as this viewer may see it; a handler's
    attachment does not exist for a melder."""
    events = uow.cases.events(found.case.id)
    event = next((e for e in events if e.seq == seq and e.type == EventType.ATTACHMENT), None)
    if event is None:
        raise CaseNotFound(found.case.id)
    shown = found.redactor(events).event(event)
    if shown.data.get("internal"):
        raise CaseNotFound(found.case.id)
    return event
