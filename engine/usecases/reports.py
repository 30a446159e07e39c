"""Overviews for a school and a board: open cases per protocol and step, deadlines met and
missed per month, time spent per step. They count only the cases the reader may open, so
a report never reveals a case's existence or step to someone who may not see it; board
figures below five are suppressed, so that no pupil can be singled out.

Every cell is what a school reads (the page, the CSV and the PDF alike): schools and people
by name, choices by the protocol's label, days as dd-mm-jjjj and months as "maart 2026"."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from engine.access import AUDITOR, Principal
from engine.case import DeadlineStatus
from engine.events import EventType
from engine.refusals import refused
from engine.terms import local_date
from engine.triage import TriageKind
from engine.usecases.base import Services, log_shown
from engine.usecases.reads import Reads
from engine.views import Names, input_shown, month_label, short_date

SCHOOL_ROLES = frozenset({"directeur", "intern_begeleider", "aandachtsfunctionaris"})
BOARD_ROLES = frozenset({"bevoegd_gezag", AUDITOR})
SUPPRESS_BELOW = 5
MET, MISSED = "op tijd", "te laat"


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]
    suppressed: bool = False


def may_report(principal: Principal) -> bool:
    return bool(principal.roles() & (SCHOOL_ROLES | BOARD_ROLES))


def scope(principal: Principal) -> bool:
    """Whether this is a board-level view (figures suppressed, no free text)."""
    return any(m.school is None and m.role in BOARD_ROLES for m in principal.memberships)


@dataclass
class Reports:
    services: Services
    reads: Reads
    _full: dict[str, bool] = field(default_factory=dict)  # protocol hash -> whether its cases are read in full

    def tables(self, principal: Principal) -> list[Table]:
        if not may_report(principal):
            raise refused(principal, "rapportages bekijken", SCHOOL_ROLES | BOARD_ROLES)
        board = scope(principal)
        with self.services.uow() as uow:
            seen = self.reads.visible(uow, principal)
            ids = [a.case.id for a in seen]
            # Every case counts its step changes (read from the indexed columns: a case of
            # twenty events has two or three); only the cases whose tables need more than that
            # (incidents, the meldcode's Bijlage 10, triage) are read event by event.
            changes = uow.cases.step_changes_many(ids) if ids else {}
            full = [a.case.id for a in seen if self._needs_events(a.case.protocol_hash)]
            full += [i for i in ids if any(e.type == EventType.TRIAGE for e in changes.get(i, ()))]
            read = uow.cases.events_many(sorted(set(full))) if full else {}
            events: dict[str, list[Any]] = {**changes, **read}
            contacts = {e.actor for evs in read.values() for e in evs if e.role == CONTACT_ROLE}
            names = Names(
                {school.id: school.name for school in uow.schools.list()},
                uow.users.display_names(contacts) if contacts and not board else {},
            )
        log_shown(self.services, seen, "rapportage")
        cases = {a.case.id: a.case for a in seen}
        return build_tables(self.services, cases, events, board, names)

    def _needs_events(self, protocol_hash: str) -> bool:
        """Whether a case of this protocol feeds a table that reads more than its step changes:
        the incident registration (its inputs) or the meldcode's Bijlage 10 (actors, triggers)."""
        known = self._full.get(protocol_hash)
        if known is None:
            protocol = self.services.protocol(protocol_hash)
            inputs = protocol.inputs()
            known = ("soort_gedrag" in inputs and "plaats" in inputs) or _descends_from(self.services, protocol, MELDCODE)
            self._full[protocol_hash] = known
        return known


def build_tables(
    services: Services, cases: dict[str, Any], events: dict[str, list[Any]], board: bool, names: Names | None = None
) -> list[Table]:
    names = names or Names()
    open_cases: Counter[tuple[str, str]] = Counter()
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    step_days: dict[tuple[str, str], list[float]] = defaultdict(list)
    for case in cases.values():
        protocol = services.protocol(case.protocol_hash)
        title = protocol.spec.title
        if not case.closed:
            open_cases[(title, protocol.step(case.step).label)] += 1
        for d in case.deadlines.values():
            if d.due_date and d.status in (DeadlineStatus.FULFILLED, DeadlineStatus.FIRED):
                by_month[d.due_date[:7]][MET] += 1
            elif d.due_date and d.status in (DeadlineStatus.OVERDUE, DeadlineStatus.MISSED, DeadlineStatus.LATE):
                by_month[d.due_date[:7]][MISSED] += 1
        entered = None
        for e in events.get(case.id, []):
            if e.to_step and e.to_step != e.from_step:
                if entered is not None and e.from_step in protocol.spec.steps:
                    days = (e.effective_at - entered).total_seconds() / 86400
                    step_days[(title, protocol.step(e.from_step).label)].append(days)
                entered = e.effective_at
    shown = _suppress if board else str
    incidents, m5 = _incidents(services, cases, events, names)
    return [
        Table(
            "Open zaken per protocol en stap",
            ["protocol", "stap", "aantal"],
            [[p, s, shown(n)] for (p, s), n in sorted(open_cases.items())],
            board,
        ),
        Table(
            "Termijnen per maand: op tijd en te laat",
            ["maand", MET, MISSED],
            [[month_label(m), shown(c[MET]), shown(c[MISSED])] for m, c in sorted(by_month.items())],
            board,
        ),
        Table(
            "Gemiddelde tijd per stap (dagen)",
            ["protocol", "stap", "zaken", "gemiddeld"],
            [
                [p, s, shown(len(v)), _decimal(sum(v) / len(v)) if len(v) >= SUPPRESS_BELOW or not board else "-"]
                for (p, s), v in sorted(step_days.items())
            ],
            board,
        ),
        Table(
            "Incidentenregistratie (Bijlage 11)",
            ["datum", "school", "soort gedrag", "plaats", "stap"],
            [] if board else [[short_date(day), *rest] for day, *rest in incidents],
            board,
        ),
        Table(
            "Incidenten per maand (M5-overzicht: wanneer)",
            ["maand", "aantal"],
            [
                [month_label(month), shown(n)]
                for month, n in sorted(Counter(row[0].isoformat()[:7] for row in incidents).items())
            ],
            board,
        ),
        Table(
            "Soort gedrag en plaats (M5-overzicht)",
            ["soort gedrag", "plaats", "aantal"],
            [[kind, place, shown(n)] for (kind, place), n in sorted(m5.items())],
            board,
        ),
        _meldcode_year(services, cases, events, board, names),
        _satisfaction(cases, events, board),
    ]


def _satisfaction(cases: dict[str, Any], events: dict[str, list[Any]], board: bool) -> Table:
    """The meldpunt's satisfaction question (issue 29): per year, how many reporters answered
    and their average (1-5); never a comment. A board's view suppresses small numbers."""
    scores: dict[int, list[int]] = defaultdict(list)
    for case in cases.values():
        for e in events.get(case.id, []):
            if e.type == EventType.TRIAGE and e.data.get("kind") == TriageKind.SATISFACTION:
                scores[local_date(e.effective_at).year].append(int(e.data["score"]))
    shown = _suppress if board else str
    rows = [
        [str(year), shown(len(v)), _decimal(sum(v) / len(v)) if len(v) >= SUPPRESS_BELOW or not board else "-"]
        for year, v in sorted(scores.items())
    ]
    return Table("Tevredenheid van melders (meldpunt)", ["jaar", "antwoorden", "gemiddeld (1-5)"], rows, board)


def _incidents(
    services: Services, cases: dict[str, Any], events: dict[str, list[Any]], names: Names
) -> tuple[list[list[Any]], Counter[tuple[str, str]]]:
    """Every recorded incident in date order (the day as a date, to be shown; no pupils'
    names), and counts by kind and place (by their labels)."""
    rows: list[list[Any]] = []
    counts: Counter[tuple[str, str]] = Counter()
    for case in cases.values():
        protocol = services.protocol(case.protocol_hash)
        inputs = protocol.inputs()
        for e in events.get(case.id, []):
            if "soort_gedrag" in e.inputs and "plaats" in e.inputs:
                kind = input_shown(inputs.get("soort_gedrag"), e.inputs["soort_gedrag"])
                place = input_shown(inputs.get("plaats"), e.inputs["plaats"])
                school = names.schools.get(case.school, case.school)
                rows.append([local_date(e.effective_at), school, kind, place, protocol.step(e.from_step).label])
                counts[(kind, place)] += 1
    return sorted(rows), counts


def _meldcode_year(
    services: Services, cases: dict[str, Any], events: dict[str, list[Any]], board: bool, names: Names
) -> Table:
    """Bijlage 10's report per meldcode case: subject, whether reported, external advice,
    parents involved; the free-text fields only in a school's own view."""
    rows = []
    meldcode: dict[str, bool] = {}  # protocol hash -> is the meldcode or a school's variant of it
    for case in cases.values():
        if case.protocol_hash not in meldcode:
            meldcode[case.protocol_hash] = _descends_from(services, services.protocol(case.protocol_hash), MELDCODE)
        if not meldcode[case.protocol_hash]:
            continue
        case_events = events.get(case.id, [])
        triggers = {e.trigger for e in case_events}
        contact = next((e.actor for e in case_events if e.role == CONTACT_ROLE), "")
        inputs = services.protocol(case.protocol_hash).inputs()
        row = [
            local_date(case.opened_at),
            "" if board else names.people.get(contact, contact),
            input_shown(inputs.get("onderwerp"), case.facts.get("onderwerp", "")) if "onderwerp" in case.facts else "",
            "ja" if "melding_gedaan" in triggers else "nee",
            "ja" if "advies_vragen" in triggers else "nee",
            "ja" if "gesprek_voeren" in triggers else "nee",
        ]
        if not board:
            row += [str(case.facts.get(name, "")) for name in MELDCODE_TEXT_FIELDS]
        rows.append(row)
    columns = ["datum", "contactpersoon", "onderwerp", "melding gedaan", "extern consult", "betrokkenen geïnformeerd"]
    texts = [] if board else [name.replace("_", " ") for name in MELDCODE_TEXT_FIELDS]
    shown = [[short_date(day), *rest] for day, *rest in sorted(rows)]
    return Table("Rapportage meldcode (Bijlage 10)", columns + texts, shown, board)


MELDCODE = "meldcode-hgkm"
CONTACT_ROLE = "aandachtsfunctionaris"  # Bijlage 10's contactpersoon: who acted in this role


def _descends_from(services: Services, protocol: Any, protocol_id: str) -> bool:
    """The protocol itself, or a variant of it (through its ``extends`` chain)."""
    for _ in range(6):  # variants are at most five layers deep
        if protocol.id == protocol_id:
            return True
        base = protocol.spec.extends
        if base is None:
            return False
        with services.uow() as uow:
            stored = uow.protocols.get(base.id, base.version)
        protocol = services.protocol(stored.content_hash)
    return False


# Bijlage 10's free-text fields: in a school's own report only, never at board level.
MELDCODE_TEXT_FIELDS = (
    "omschrijving",
    "maatschappelijke_onrust",
    "betrokkenen",
    "uitgevoerde_activiteiten",
    "knelpunten",
    "opmerkingen",
)


def _decimal(value: float) -> str:
    """One decimal, with the Dutch comma: 2,5."""
    return f"{value:.1f}".replace(".", ",")


def _suppress(count: int) -> str:
    return "<5" if 0 < count < SUPPRESS_BELOW else str(count)
