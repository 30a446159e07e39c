"""Overviews for a school and a board: open cases per protocol and step, deadlines met and
missed per month, time spent per step. They count only the cases the reader may open, so
a report never reveals a case's existence or step to someone who may not see it; board
figures below five are suppressed, so that no pupil can be singled out.

Every cell is what a school reads (the page, the CSV and the PDF alike): schools and people
by name, choices by the protocol's label, days as dd-mm-jjjj and months as "maart 2026"."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from engine.access import AUDITOR, REPORTER_ROLES, Principal, Reach, reach
from engine.case import DeadlineStatus
from engine.errors import CaseNotFound
from engine.events import EventType
from engine.ports import AccessEntry, CaseClass, ReportCounts
from engine.refusals import refused
from engine.terms import local_date
from engine.triage import TriageKind
from engine.usecases.base import Services, access, log_shown
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
class Tally:
    """What the count tables add up: open cases per (protocol, step label), deadlines met and
    missed per month, and per (protocol, step label) how often a case left it and the
    microseconds it spent there (whole numbers, so that a sum is the same in any order)."""

    open_cases: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_month: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    step_times: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add_counts(self, services: Services, counts: ReportCounts, classes: set[CaseClass]) -> None:
        """The database's counts of the cases of ``classes`` (each one the reader sees whole)."""
        for (key, step, closed), n in counts.steps.items():
            if key in classes and not closed:
                protocol = services.protocol(key[0])
                self.open_cases[(protocol.spec.title, protocol.step(step).label)] += n
        for (key, month, status), n in counts.deadlines.items():
            if key in classes and (column := _deadline_column(status)) is not None:
                self.by_month[month][column] += n
        for (key, step), (n, spent) in counts.step_times.items():
            protocol = services.protocol(key[0])
            if key in classes and step in protocol.spec.steps:
                total = self.step_times[(protocol.spec.title, protocol.step(step).label)]
                total[0] += n
                total[1] += spent

    def add_case(self, services: Services, case: Any, events: Sequence[Any]) -> None:
        """One case read from its rows (its step changes, or all its events)."""
        protocol = services.protocol(case.protocol_hash)
        title = protocol.spec.title
        if not case.closed:
            self.open_cases[(title, protocol.step(case.step).label)] += 1
        for d in case.deadlines.values():
            if d.due_date and (column := _deadline_column(d.status)) is not None:
                self.by_month[d.due_date[:7]][column] += 1
        entered = None
        for e in events:
            if e.to_step and e.to_step != e.from_step:
                if entered is not None and e.from_step in protocol.spec.steps:
                    total = self.step_times[(title, protocol.step(e.from_step).label)]
                    total[0] += 1
                    total[1] += (e.effective_at - entered) // MICROSECOND
                entered = e.effective_at


MICROSECOND = timedelta(microseconds=1)
DAY_US = 86_400_000_000


def _deadline_column(status: str) -> str | None:
    if status in (DeadlineStatus.FULFILLED, DeadlineStatus.FIRED):
        return MET
    if status in (DeadlineStatus.OVERDUE, DeadlineStatus.MISSED, DeadlineStatus.LATE):
        return MISSED
    return None


@dataclass
class Reports:
    services: Services
    reads: Reads
    _full: dict[str, bool] = field(default_factory=dict)  # protocol hash -> whether its cases are read in full

    def tables(self, principal: Principal) -> list[Table]:
        """The report. The database counts the cases of every (protocol, school, group) whose
        cases this reader may all see (``engine.access.reach``, the access rule for a whole
        class); a case is read itself only where the rule depends on the case (its opener,
        routing, need to know) or where a table needs its events (incidents, the meldcode's
        Bijlage 10, triage). The access log gets a row per case whose details the report shows
        one by one (``individually``), and per school in the reader's scope a row for the
        report itself (``REPORT_WHAT``): counts reveal no case's personal data."""
        if not may_report(principal):
            raise refused(principal, "rapportages bekijken", SCHOOL_ROLES | BOARD_ROLES)
        board = scope(principal)
        services = self.services
        within = principal.schools()
        with services.uow(snapshot=True) as uow:  # the counts and the cases read as of one moment
            register = uow.schools.list()
            schools = within if within is not None else {school.id for school in register}
            hashes = [stored.content_hash for stored in uow.protocols.list()]
            # where a case could count at all (the access rule, by protocol version and school;
            # OTHER: a school outside the register, which only a board-wide role covers): the
            # database counts only there, and every class it returns is decided again below
            groups = {None} | {g for m in principal.memberships for g in m.groups}
            candidates = [
                (h, school)
                for h in hashes
                for school in (schools if within is not None else {*schools, OTHER})
                if any(reach(principal, services.protocol(h), school, g) is not Reach.NONE for g in groups)
            ]
            at = {s for _, s in candidates}
            counts = uow.cases.report_counts(None if OTHER in at else at, {h for h, _ in candidates})
            reaches = {
                key: reach(principal, services.protocol(key[0]), key[1], key[2]) for key, _, _ in counts.steps
            }
            counted = {key for key, r in reaches.items() if r is Reach.ALL and not self._needs_events(key[0])}
            wanted = {key for key, r in reaches.items() if r is not Reach.NONE and key not in counted}
            ids = uow.cases.ids_of({k[0] for k in wanted}, {k[1] for k in wanted}) if wanted else []
            loaded = uow.cases.get_many(ids) if ids else {}
            seen = []
            for case_id in ids:
                case = loaded[case_id]
                if (case.protocol_hash, case.school, case.group) not in wanted:
                    continue
                try:
                    seen.append(access(services, principal, case))
                except CaseNotFound:
                    continue  # not theirs to see
            full = [a.case.id for a in seen if self._needs_events(a.case.protocol_hash)]
            steps_only = [a.case.id for a in seen if not self._needs_events(a.case.protocol_hash)]
            read = uow.cases.events_many(full) if full else {}
            events: dict[str, list[Any]] = {**(uow.cases.step_changes_many(steps_only) if steps_only else {}), **read}
            contacts = {e.actor for evs in read.values() for e in evs if e.role == CONTACT_ROLE}
            names = Names(
                {school.id: school.name for school in register},
                uow.users.display_names(contacts) if contacts and not board else {},
            )
        tally = Tally()
        tally.add_counts(services, counts, counted)
        cases = {a.case.id: a.case for a in seen}
        tables = build_tables(services, cases, events, board, names, tally)
        shown = individually(services, cases, events, board)
        now, roles = services.clock.now(), ",".join(sorted(principal.roles()))
        report = [
            AccessEntry(now, principal.username, roles, "", school, REPORT_WHAT)
            for school in sorted(schools)
        ]
        log_shown(services, [a for a in seen if a.case.id in shown], "rapportage", also=report)
        return tables

    def _needs_events(self, protocol_hash: str) -> bool:
        """Whether a case of this protocol feeds a table that reads more than its step changes:
        the incident registration (its inputs), the meldcode's Bijlage 10 (actors, triggers) or
        the meldpunt's satisfaction (triage events: only in a protocol with a reporting role,
        where a melder reports)."""
        known = self._full.get(protocol_hash)
        if known is None:
            protocol = self.services.protocol(protocol_hash)
            inputs = protocol.inputs()
            known = (
                ("soort_gedrag" in inputs and "plaats" in inputs)
                or bool(REPORTER_ROLES & set(protocol.spec.roles))
                or _descends_from(self.services, protocol, MELDCODE)
            )
            self._full[protocol_hash] = known
        return known


OTHER = ""  # stands for any school outside the register (a school id is never empty)
REPORT_WHAT = "rapportage-aantallen"  # the access log's row for a report itself (case id empty)


def individually(services: Services, cases: dict[str, Any], events: dict[str, list[Any]], board: bool) -> set[str]:
    """The cases whose details the report shows one by one (a row each): the meldcode's
    Bijlage 10, and in a school's own view the incident registration."""
    meldcode: dict[str, bool] = {}
    shown = set()
    for case in cases.values():
        if case.protocol_hash not in meldcode:
            meldcode[case.protocol_hash] = _descends_from(services, services.protocol(case.protocol_hash), MELDCODE)
        if meldcode[case.protocol_hash] or (not board and any(_is_incident(e) for e in events.get(case.id, []))):
            shown.add(case.id)
    return shown


def _is_incident(event: Any) -> bool:
    return "soort_gedrag" in event.inputs and "plaats" in event.inputs


def build_tables(
    services: Services,
    cases: dict[str, Any],
    events: dict[str, list[Any]],
    board: bool,
    names: Names | None = None,
    tally: Tally | None = None,
) -> list[Table]:
    """The tables of these cases (each with its events or step changes), added to ``tally``
    (the counts of the cases counted in the database)."""
    names = names or Names()
    tally = tally or Tally()
    for case in cases.values():
        tally.add_case(services, case, events.get(case.id, []))
    shown = _suppress if board else str
    incidents, m5 = _incidents(services, cases, events, names)

    def mean(n: int, spent: int) -> str:  # days, from the exact total (one rounding)
        return _decimal(spent / (n * DAY_US)) if n >= SUPPRESS_BELOW or not board else "-"

    return [
        Table(
            "Open zaken per protocol en stap",
            ["protocol", "stap", "aantal"],
            [[p, s, shown(n)] for (p, s), n in sorted(tally.open_cases.items())],
            board,
        ),
        Table(
            "Termijnen per maand: op tijd en te laat",
            ["maand", MET, MISSED],
            [[month_label(m), shown(c[MET]), shown(c[MISSED])] for m, c in sorted(tally.by_month.items())],
            board,
        ),
        Table(
            "Gemiddelde tijd per stap (dagen)",
            ["protocol", "stap", "zaken", "gemiddeld"],
            [[p, s, shown(n), mean(n, spent)] for (p, s), (n, spent) in sorted(tally.step_times.items())],
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
            if _is_incident(e):
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
