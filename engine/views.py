"""What the engine hands to the edges: views with access rules and identity protection
already applied. An edge renders a view; it never masks or filters anything itself.

A protected identity (the melder under a whistleblower protocol) is replaced by
``(afgeschermd)`` in every value a view carries when the viewer's role may not see it:
the pseudonym, the melder's own user name as actor, and any free text that repeats them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from engine.access import HIDDEN, REPORTER_ROLES, sees_identity
from engine.account_ports import Notification
from engine.attachments import AttachmentFile
from engine.audit import ReplayStep, Verification
from engine.case import Case, Deadline
from engine.durations import Duration, DurationSyntaxError
from engine.events import Event, EventType
from engine.incidents import Incident
from engine.letters import MONTHS, StoredLetter, dutch_date
from engine.meldpunt import MESSAGE_NOTICE, REPORTER_PREFIX
from engine.ports import StoredProtocol
from engine.protocol.model import SYSTEM_ROLE, Protocol, holds
from engine.protocol.schema import InputSpec
from engine.rebase import PROTOCOL_NOTICE, notice_about
from engine.terms import AMSTERDAM
from engine.triage import ROUTED_NOTICE


@dataclass(frozen=True)
class Action:
    """Something a role may do in a case now."""

    trigger: str
    label: str
    kind: str  # transition | answer | obligation
    to: str | None
    requires: tuple[str, ...]
    accepts: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # soft preconditions that do not hold: shown, then recorded


def actions_for(protocol: Protocol, case: Case, role: str | None, at: datetime | None = None) -> list[Action]:
    """What ``role`` may do in the case at ``at`` (every role's actions when None): guards on
    terms are decided at that moment, whether or not the timer worker has run."""
    found: list[Action] = []
    seen: set[str] = set()
    facts = case.guard_facts(at)
    if not case.closed:
        tracks_open = bool(protocol.open_tracks(case.step, case.facts))  # the step cannot be left yet
        for t in protocol.transitions_from(case.step):
            permitted = role is None or role in t.roles
            blocked = t.dest is not None and tracks_open
            if permitted and not blocked and t.trigger not in seen and (t.guard is None or holds(t.guard, facts)):
                seen.add(t.trigger)
                kind = "answer" if t.answer_of else "transition"
                found.append(Action(t.trigger, t.label, kind, t.dest, t.requires, t.accepts, t.warnings(facts)))
    for deadline in case.due_obligations():
        if deadline.id not in seen and deadline.id not in protocol.fulfilled_by:
            spec = protocol.obligation_index[deadline.id][1]
            if role is None or role in spec.roles:
                seen.add(deadline.id)
                found.append(Action(deadline.id, spec.label, "obligation", None, ()))
    return found


@dataclass(frozen=True)
class Redactor:
    """Replaces protected values wherever they occur in what a viewer receives."""

    hidden: tuple[str, ...] = ()
    mask_opener: bool = False
    # A melder reading their own report: notes and attachments of the handlers are
    # internal; only their own are shown. Holds the melder's user name.
    internal_for: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.hidden) or self.mask_opener or self.internal_for is not None

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(h) for h in sorted(self.hidden, key=len, reverse=True)))

    def text(self, value: str) -> str:
        return self._pattern.sub(HIDDEN, value) if self.hidden else value

    def deep(self, value: Any) -> Any:
        if not self.hidden:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.deep(k): self.deep(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.deep(v) for v in value]
        return value

    def case(self, case: Case) -> Case:
        if not self.active:
            return case
        return replace(
            case,
            subject=self.text(case.subject),
            facts=self.deep(dict(case.facts)),
            opened_by=HIDDEN if self.mask_opener else case.opened_by,
        )

    def event(self, event: Event) -> Event:
        if not self.active:
            return event
        data = event.data
        if self.internal_for is not None and event.type in INTERNAL_EVENTS and event.actor != self.internal_for:
            data = {"internal": True}
        if self.hidden and event.type == EventType.LETTER:
            # a letter names the melder: its hashes would let a viewer test guessed names
            # against a re-rendered letter, as the actor's hash once did (issue 22)
            data = {**data, **{k: HIDDEN for k in LETTER_HASHES if k in data}}
        return replace(
            event,
            actor=self.text(event.actor),
            inputs=self.deep(event.inputs),
            data=self.deep(data),
            # values, salts and the stored record (in older records the actor is plain) stay inside
            personal={},
            record=None,
        )

    def events(self, events: Iterable[Event]) -> list[Event]:
        return [self.event(e) for e in events]


LETTER_HASHES = ("sha256_html", "sha256_pdf")
NO_REDACTION = Redactor()


def redactor_for(
    protocol: Protocol,
    case: Case,
    roles: Iterable[str | None],
    events: Iterable[Event] = (),
    viewer: str | None = None,
) -> Redactor:
    """What to hide from a viewer holding ``roles`` in this case: nothing when one of them
    may know who reported, else the melder's pseudonym and user names. A viewer who is
    only the melder does not see the handlers' notes and attachments."""
    held = [r for r in roles if r]
    internal = viewer if held and all(r in REPORTER_ROLES for r in held) else None
    if any(sees_identity(protocol, case, role) for role in roles):
        return Redactor(internal_for=internal) if internal else NO_REDACTION
    hidden = {case.subject}
    hidden |= {e.actor for e in events if e.role in REPORTER_ROLES}
    fields = protocol.spec.identity.fields if protocol.spec.identity else []
    # contact details that identify the melder, wherever they were typed
    hidden |= {str(v) for e in events for k, v in e.inputs.items() if k in fields and len(str(v)) >= 3}
    hidden |= {str(case.facts[k]) for k in fields if k in case.facts and len(str(case.facts[k])) >= 3}
    return Redactor(tuple(sorted(h for h in hidden if h)), mask_opener=True, internal_for=internal)


@dataclass(frozen=True)
class CaseView:
    """A case as one viewer may see it: redacted, with the actions open to their role."""

    case: Case
    protocol: Protocol
    actions: list[Action]
    role: str | None = None
    roles: tuple[str, ...] = ()

    def subject(self) -> str:
        return self.case.subject

    @property
    def subject_shown(self) -> bool:
        """False when the pupil's or melder's identity is hidden from this viewer."""
        return self.case.subject != HIDDEN

    def to_dict(self) -> dict[str, Any]:
        step = self.protocol.step(self.case.step)
        return {
            **self.case.to_dict(),
            "step_label": step.label,
            "step_source": step.source,
            "actions": [
                a.__dict__ | {"requires": list(a.requires), "accepts": list(a.accepts), "warnings": list(a.warnings)}
                for a in self.actions
            ],
        }


@dataclass(frozen=True)
class LetterOption:
    name: str
    label: str
    asks: tuple[str, ...] = ()  # what the writer is asked when making it
    accepts: tuple[str, ...] = ()  # what the writer may add (not required)


# in-app notices about a protocol proposal (their case_id holds the proposal's id)
PROPOSAL_NOTICE = "voorstel"
PROPOSAL_APPROVED = "voorstel_goedgekeurd"
PROPOSAL_REJECTED = "voorstel_afgewezen"
PROPOSAL_LAPSED = "voorstel_vervallen"
PROPOSAL_WITHDRAWN = "voorstel_ingetrokken"
PROPOSAL_NOTICES = frozenset(
    {PROPOSAL_NOTICE, PROPOSAL_APPROVED, PROPOSAL_REJECTED, PROPOSAL_LAPSED, PROPOSAL_WITHDRAWN}
)


def proposal_key(kind: str, proposal_id: str) -> str:
    """What a notice about a proposal is about (its ``deadline_key``; it has no case)."""
    return f"{kind}@{proposal_id}"


def proposal_of(key: str) -> str:
    """The proposal a proposal notice's key names."""
    return key.rpartition("@")[2]


@dataclass(frozen=True)
class NoticeView:
    """A notice as its reader sees it: the case by protocol and (visible) pseudonym; or a
    protocol proposal (four eyes), by its protocol's id (``protocol``)."""

    notice: Notification
    protocol: str
    subject: str
    deadline: str

    @property
    def heading(self) -> str:
        return {
            "verlopen": "Termijn verlopen",
            "uitgevoerd": "Termijn verstreken, volgende stap gezet",
            MESSAGE_NOTICE: "Bericht van de melder",
            ROUTED_NOTICE: "Melding naar u doorgestuurd",
            PROTOCOL_NOTICE: "Nieuwe basisversie beschikbaar",
            PROPOSAL_NOTICE: "Protocolvoorstel ter beoordeling",
            PROPOSAL_APPROVED: "Uw protocolvoorstel is goedgekeurd",
            PROPOSAL_REJECTED: "Uw protocolvoorstel is afgewezen",
            PROPOSAL_LAPSED: "Een protocolvoorstel is vervallen",
            PROPOSAL_WITHDRAWN: "Een protocolvoorstel is ingetrokken",
        }.get(self.notice.kind, "Herinnering")

    @property
    def variant(self) -> str | None:
        """The variant a notice about a new base version concerns (its protocol page)."""
        if self.notice.case_id is not None or self.about_proposal:
            return None
        found = notice_about(self.notice.deadline_key)
        return found[0] if found else None

    @property
    def about_proposal(self) -> bool:
        return self.notice.kind in PROPOSAL_NOTICES

    @property
    def proposal(self) -> str | None:
        """The proposal a notice about a proposal concerns."""
        return proposal_of(self.notice.deadline_key) if self.about_proposal else None

    @property
    def is_message(self) -> bool:
        """A reporter wrote (its date is the day they wrote, not a deadline)."""
        return self.notice.kind in (MESSAGE_NOTICE, ROUTED_NOTICE) or self.about_proposal


@dataclass(frozen=True)
class CaseLink:
    """A linked case: one this case's action opened, or the one whose action opened it."""

    direction: str  # "geopend" (this case opened it) | "geopend_vanuit" (it opened this case)
    case_id: str
    protocol: str
    seq: int  # the event in this case that records the link
    visible: bool  # may the viewer open it (otherwise only its existence is shown)


def links_in(events: list[Event]) -> list[tuple[str, str, str, int]]:
    """(direction, case id, protocol, seq) of every link recorded in a case's events."""
    found = []
    for e in events:
        opened = e.data.get("opened_case")
        if opened:
            found.append(("geopend", opened["id"], opened["protocol"], e.seq))
        for split in e.data.get("opened_cases", ()):  # a meldpunt report split into cases
            found.append(("geopend", split["id"], split["protocol"], e.seq))
        origin = e.data.get("linked_from") if e.type == EventType.OPENED else None
        if origin:
            found.append(("geopend_vanuit", origin["case_id"], origin["protocol"], e.seq))
    return found


@dataclass(frozen=True)
class Names:
    """Schools and people by the names a page shows, for what the view itself shows: an
    actor the viewer may not know reads (afgeschermd) in the view, and so has no name here."""

    schools: dict[str, str] = field(default_factory=dict)  # school id -> name
    people: dict[str, str] = field(default_factory=dict)  # username -> display name

    def school(self, school_id: str | None) -> str:
        """A school by its name ("De Linde"), not its id."""
        return self.schools.get(school_id or "", school_id or "")

    def person(self, username: str) -> str:
        return person_shown(self.people, username)


def person_shown(people: dict[str, str], username: str) -> str:
    """A user by the name people know them by; a hidden one stays hidden; the one-off
    reporter of a meldpunt report is "Melder (meldpunt)"."""
    if username.startswith(REPORTER_PREFIX):
        return "Melder (meldpunt)"
    return people.get(username, username)


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case page shows, in one read (one access-log row)."""

    view: CaseView
    events: list[Event]
    letters: list[LetterOption]  # letters this role may make now
    made: dict[str, int]  # letters made so far and the event that recorded each
    links: list[CaseLink] = field(default_factory=list)
    names: Names = field(default_factory=Names)  # the case's school and the events' actors
    incidents: list[Incident] = field(default_factory=list)  # linked to the case, for who reads them
    linkable: list[Incident] = field(default_factory=list)  # its school's unlinked incidents, for its staff
    triage: bool = False  # a meldpunt report at a school whose board loaded triage data


@dataclass(frozen=True)
class Openable:
    """A protocol's newest version this user may open cases of, and the schools where they may."""

    stored: StoredProtocol
    protocol: Protocol
    schools: list[str]  # ids, in the order of the schools' names


PER_PAGE = 50  # cases on one page of a list: a school's open cases can run into the hundreds
CASE_STATUSES = ("open", "afgesloten", "alle")


@dataclass(frozen=True)
class CaseFilter:
    """Which of the cases a user may see a list shows, and which page of them."""

    protocol: str = ""
    step: str = ""
    group: str = ""
    status: str = "open"  # one of CASE_STATUSES
    page: int = 1  # from 1; past the last page means the last


API_PAGE, API_MAX_PAGE = 100, 1000  # cases per answer of the API's case list: default, most


@dataclass(frozen=True)
class CasePage:
    """One page of a case list in the order cases were opened; ``next_after``: the case to
    ask the next page after (none: this was the last)."""

    cases: list[CaseView]
    next_after: str | None


@dataclass(frozen=True)
class Overview:
    """The start page, in one read: one page of the cases this user may see that match the
    filter, most urgent first (each with the actions open to them in any of their roles);
    the first page of those they can act in now; their notices, what they may open, the
    schools by name. Every visible case is read (its row and deadlines, to order them);
    only the cases shown are viewed and logged."""

    cases: list[CaseView]
    notifications: list[NoticeView]
    openable: list[Openable]
    names: Names
    mine: list[CaseView] = field(default_factory=list)
    total: int = 0  # cases matching the filter
    mine_total: int = 0  # of those, the ones this user can act in now
    page: int = 1
    pages: int = 1
    protocols: list[tuple[str, str]] = field(default_factory=list)  # (id, title) to filter on


@dataclass(frozen=True)
class AuditView:
    view: CaseView
    steps: list[ReplayStep]
    verification: Verification | None = None


@dataclass(frozen=True)
class Dossier:
    view: CaseView
    events: list[Event]
    steps: list[ReplayStep]
    verification: Verification
    files: list[AttachmentFile] = field(default_factory=list)  # asked for, and this viewer may open them
    letters: list[StoredLetter] = field(default_factory=list)  # likewise

    def to_dict(self) -> dict[str, Any]:
        protocol = self.view.protocol
        return {
            "case": self.view.to_dict(),
            "protocol": {"id": protocol.id, "hash": protocol.content_hash, "text": protocol.text},
            "events": [e.to_dict() for e in self.events],
            # the sequence numbers in the order things happened (the events are in the chain's)
            "timeline": [e.seq for e in timeline(self.events)],
            "verification": self.verification.to_dict(),
        }


@dataclass(frozen=True)
class FeedItem:
    """One deadline in a user's calendar feed; no names."""

    case_id: str
    key: str
    label: str
    due_date: str
    protocol_title: str
    basis: str




INTERNAL_EVENTS = frozenset({EventType.NOTE, EventType.ATTACHMENT})

_EVENT_WORDS = {
    EventType.OPENED: "Zaak geopend",
    EventType.NOTE: "Notitie",
    EventType.REPORTER_MESSAGE: "Bericht van de melder",
    EventType.TIMER_EXPIRED: "Termijn vervallen",
    EventType.ANONYMISED: "Geanonimiseerd",
}


def event_label(protocol: Protocol, event: Event) -> str:
    """What an event was, in the protocol's own words (the one place ids become labels)."""
    if event.type in _EVENT_WORDS:
        return _EVENT_WORDS[event.type]
    if event.type == EventType.TRIAGE:  # its words were written when it was recorded
        return str(event.data.get("summary") or "Triage van de melding")
    deadline_id = str(event.data.get("deadline") or event.data.get("obligation") or "").split("@")[0]
    spec = protocol.timer_index.get(deadline_id) or protocol.obligation_index.get(deadline_id)
    term = spec[1].label if spec else deadline_id
    if event.type == EventType.OVERDUE:
        return f"Termijn verlopen: {term}"
    if event.type == EventType.OBLIGATION:
        return f"Vastgelegd: {term}"
    if event.type == EventType.MIGRATED:
        return f"Overgezet van versie {event.data.get('from_version')} naar versie {event.data.get('to_version')}"
    if event.type == EventType.ATTACHMENT:
        return "Bijlage (intern)" if event.data.get("internal") else f"Bijlage: {event.data.get('file_name', '')}"
    if event.type == EventType.LETTER:
        name = str(event.data.get("letter", ""))
        letter = protocol.spec.letters.get(name)
        return f"Brief gemaakt: {letter.label if letter else name}"
    action = next((t.label for t in protocol.transitions if t.trigger == event.trigger), event.trigger or event.type)
    if event.type == EventType.TIMER_FIRED:
        return f"Termijn verstreken: {term}" + (f" — {action}" if event.trigger else "")
    return action


MOVED_BY_DISPATCH = "termijn verplaatst door nieuwe verzending"


def deadline_moves(protocol: Protocol, event: Event) -> list[str]:
    """The terms an event moved (a decision letter sent again), each with its old and new
    last day: "termijn verplaatst door nieuwe verzending: Einde bezwaartermijn van 14 januari
    2027 naar 20 januari 2027"."""
    moves = []
    for change in event.data.get("deadlines", ()):
        moved = change.get("moved") if isinstance(change, dict) else None
        if not isinstance(moved, dict):
            continue
        deadline_id = str(change.get("key", "")).split("@")[0]
        spec = protocol.timer_index.get(deadline_id) or protocol.obligation_index.get(deadline_id)
        label = spec[1].label if spec and spec[1].label else deadline_id
        old, new = dutch_date(moved.get("due_date")), dutch_date(change.get("due_date"))
        moves.append(f"{MOVED_BY_DISPATCH}: {label} van {old} naar {new}")
    return moves


def timeline(events: Iterable[Event]) -> list[Event]:
    """A case's events in the order things happened: by their moment (``effective_at``: when
    a conversation took place, the date an action states), in the order of recording where
    moments are equal. Yesterday's phone call, written down after today's action, comes
    before it. The chain, its verification and the replay keep the order of recording."""
    return sorted(events, key=lambda e: (e.effective_at, e.seq))


_HAPPENED = {EventType.NOTE: "gesprek of gebeurtenis op", EventType.ATTACHMENT: "stuk van"}


def moments(event: Event) -> str:
    """When something happened and when it was recorded, as the timeline says it: "gesprek of
    gebeurtenis op 04-12-2026 12:00, vastgelegd op 06-12-2026 09:14"; one moment when both
    fall in the same minute."""
    happened, recorded = _local(event.effective_at), _local(event.recorded_at)
    if happened == recorded:
        return f"vastgelegd op {recorded}"
    return f"{_HAPPENED.get(event.type, 'geldt vanaf')} {happened}, vastgelegd op {recorded}"


def _local(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


RULE_WORDS = {
    "atw": "volgens de Algemene termijnenwet",
    "kalender": "kalenderdagen",
    "maatregel": "duur van de maatregel, de eerste dag telt mee",
}


def term_text(deadline: Deadline, protocol: Protocol) -> str:
    """How a term's last day is reached, as the case page explains it: "2 werkdagen na
    3 maart 2026, kalenderdagen"; a term of zero days falls on its start day itself: "op de
    dag van 3 maart 2026" (and "op de dag van afgesproken datum …" while that date is unknown)."""
    if deadline.start_date:
        start = dutch_date(deadline.start_date)
    elif deadline.start == "binnenkomst":
        start = "binnenkomst in de stap"
    else:
        spec = protocol.inputs().get(deadline.start)
        start = spec.label if spec is not None else deadline.start
    if _zero_days(deadline.duration):
        shown = start if deadline.start_date else _in_sentence(start)
        atw = f", {RULE_WORDS['atw']}" if deadline.rule == "atw" else ""  # the Atw may move it still
        return f"op de dag van {shown}{atw}"
    after = "vanaf" if deadline.rule == "maatregel" else "na"
    return f"{deadline.duration} {after} {start}, {RULE_WORDS.get(deadline.rule, deadline.rule)}"


def _zero_days(duration: str) -> bool:
    try:
        return Duration.parse(duration).amount == 0
    except DurationSyntaxError:
        return False


def _in_sentence(label: str) -> str:
    """A label inside a sentence: "Afgesproken datum" becomes "afgesproken datum"; "AVG" stays."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def step_label(protocol: Protocol, step_id: str | None) -> str:
    if not step_id:
        return ""
    step = protocol.spec.steps.get(step_id)
    return step.label if step else step_id


# What trede calls the roles that are not a protocol's (or that are asked outside one).
ROLE_LABELS = {
    "auditor": "Auditor",
    "protocol_eigenaar": "Protocoleigenaar",
    "privacyfunctionaris": "Privacyfunctionaris",
    "beheer": "Beheerder van trede",
    "bevoegd_gezag": "Bevoegd gezag",
    "directeur": "Directeur",
    "intern_begeleider": "Intern begeleider",
    "aandachtsfunctionaris": "Aandachtsfunctionaris",
    "leerkracht": "Leerkracht",
    "melder": "Melder",
    "medewerker": "Medewerker",
    "vertrouwenspersoon": "Vertrouwenspersoon",
    "toezichthouder": "Toezichthouder",
    "behandelaar": "Behandelaar van meldingen",
    "leidinggevende": "Leidinggevende",
    # the school's safety roles and the klachtenregeling (issue 28)
    "contactpersoon": "Contactpersoon",
    "interne_vertrouwenspersoon": "Interne vertrouwenspersoon",
    "externe_vertrouwenspersoon": "Externe vertrouwenspersoon",
    "anti_pestcoordinator": "Coördinator anti-pestbeleid",
    "veiligheidscoordinator": "Veiligheidscoördinator",
    "klachtencommissie": "Klachtencommissie",
    "klager": "Klager",
    "aangeklaagde": "Aangeklaagde",
}


def role_label(protocol: Protocol | None, role: str | None) -> str:
    """A role as the people who hold it call it: the protocol's label ("Intern begeleider"),
    else trede's own (``ROLE_LABELS``); the system by what it is, an unknown role by its id."""
    if not role:
        return ""
    spec = protocol.spec.roles.get(role) if protocol is not None else None
    if spec is not None:
        return spec.label
    return "trede (automatisch)" if role == SYSTEM_ROLE else ROLE_LABELS.get(role, role)


# --- values as a school reads them (issue 26): labels for choices, Dutch dates ----------

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def option_label(value: object) -> str:
    """A choice as the protocol's readers know it: 'verbaal_geweld' reads 'verbaal geweld'."""
    return str(value).replace("_", " ")


def short_date(value: date | str) -> str:
    """A day as dd-mm-jjjj (23-11-2026)."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.strftime("%d-%m-%Y")


def month_label(value: str) -> str:
    """A month key ('2026-03') as 'maart 2026'."""
    year, month = value.split("-")[:2]
    return f"{MONTHS[int(month) - 1]} {int(year)}"


def moment_shown(value: datetime) -> str:
    """A moment as dd-mm-jjjj HH:MM, Dutch time."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def input_shown(spec: InputSpec | None, value: object) -> str:
    """An input value as a person reads it: a choice by its label, a date as dd-mm-jjjj
    and a moment as dd-mm-jjjj HH:MM (Dutch time); anything else as it was typed. A value
    that is not what its type promises (an erased one) is shown as it is."""
    text = str(value)
    kind = spec.type if spec is not None else None
    if kind == "keuze":
        return option_label(text)
    if kind in ("datum", None):
        try:
            if _ISO_DAY.fullmatch(text):
                return short_date(text)
            if _ISO_MOMENT.fullmatch(text):
                return moment_shown(datetime.fromisoformat(text))
        except ValueError:
            return text
    return text
