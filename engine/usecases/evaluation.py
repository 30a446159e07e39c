"""The yearly safety evaluation per school and per board (issue 28, item 5; engine/evaluation.py).

Who: the directeur of a school reads its evaluation; the bevoegd gezag reads the board's (or
one school's); an auditor reads either. Like the reports, it counts only the cases the reader
may open, and the access log gets a row per case and per incident counted ('evaluatie').
Every count from 1 to 4 is hidden, and as many others as it takes that no total gives one
back (engine/suppression.py), in the school's evaluation as in the board's: it is written
for the MR and the Inspectie.

A school imports its monitor results (docs/evaluatie.md): the directeur for the school,
the bevoegd gezag for any school of the board; each import is a new version.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from engine.access import AUDITOR, Principal
from engine.case import Case, DeadlineStatus
from engine.errors import InputError
from engine.evaluation import (
    MONTHS,
    EvaluationTable,
    MonitorImport,
    SchoolYear,
    counted,
    parse_monitor_csv,
    table,
)
from engine.incidents import Incident, IncidentCategories, fold
from engine.inputs import check_identifier
from engine.ports import AccessEntry
from engine.refusals import refused
from engine.terms import local_date
from engine.usecases.base import Services, check_school, known_school, log_shown
from engine.usecases.reads import Reads
from engine.usecases.reports import _descends_from

SCHOOL_READERS = ("directeur", "bevoegd_gezag", AUDITOR)
BOARD_READERS = ("bevoegd_gezag", AUDITOR)
IMPORTERS = ("directeur", "bevoegd_gezag")
COMPLAINTS = "klachtenregeling"
SERIOUS = "melding-ernstig-incident"
MET, MISSED, OPEN = "op tijd", "te laat", "nog open"


@dataclass(frozen=True)
class Evaluation:
    title: str  # the school's or the board's name
    school_year: SchoolYear
    schools: tuple[str, ...]  # names
    tables: tuple[EvaluationTable, ...]
    monitor: tuple[MonitorImport, ...]
    made_at: datetime

    @property
    def hidden(self) -> bool:
        return any(t.counts.hidden for t in self.tables)


@dataclass
class Evaluations:
    services: Services
    reads: Reads

    def make(self, principal: Principal, year: SchoolYear, *, school: str | None = None,
             board: str | None = None) -> Evaluation:
        if (school is None) == (board is None):
            raise InputError("school", "kies een school of een bestuur")
        s = self.services
        with s.uow() as uow:
            if school is not None:
                check_school(school)
                record = known_school(uow, school)
                if not principal.roles_at(school) & set(SCHOOL_READERS):
                    raise refused(principal, "de jaarevaluatie van deze school lezen", list(SCHOOL_READERS),
                                  school=school, school_name=record.name)
                records = [record]
                title = record.name
            else:
                assert board is not None
                check_identifier("board", board, 100, "bestuur")
                records = [r for r in uow.schools.list() if r.board == board]
                if not records or any(not principal.roles_at(r.id) & set(BOARD_READERS) for r in records):
                    raise refused(principal, "de jaarevaluatie van het bestuur lezen", list(BOARD_READERS), board_wide=True)
                title = records[0].board_name or board
            ids = {r.id for r in records}
            seen = [a for a in self.reads.visible(uow, principal) if a.case.school in ids]
            incidents = [i for i in fold(uow.incidents.entries(frozenset(ids))).values()
                         if local_date(i.happened_at) in year]
            categories: dict[int, IncidentCategories | None] = {}
            for i in incidents:
                if i.categories_version not in categories:
                    categories[i.categories_version] = uow.incidents.categories(i.categories_version)
            monitor = [m for m in (uow.monitor.latest(r.id, str(year)) for r in records) if m is not None]
        cases = [a.case for a in seen]
        counted_cases = [a for a in seen if local_date(a.case.opened_at) in year
                         or any(d.due_date and d.due_date[:10] >= year.first.isoformat()
                                and d.due_date[:10] <= year.last.isoformat() for d in a.case.deadlines.values())]
        log_shown(s, counted_cases, "evaluatie")
        now = s.clock.now()
        if incidents:
            entries = [AccessEntry(now, principal.username, ",".join(sorted(principal.roles_at(i.school))),
                                   f"incident:{i.id}", i.school, "evaluatie") for i in incidents]
            s.commits.run(lambda w: w.access_log.add_many(entries))

        def label(section: str, version: int, key: str) -> str:
            found = categories.get(version)
            return found.label(section, key) if found is not None else key

        names = {r.id: r.name for r in records}
        tables = [
            *self._incident_tables(incidents, label, names, board is not None),
            *self._case_tables(cases, year),
        ]
        return Evaluation(title, year, tuple(sorted(names.values())), tuple(tables), tuple(monitor), now)

    def _incident_tables(self, found: Sequence[Incident], lab: Callable[[str, int, str], str], names: dict[str, str],
                         board: bool) -> list[EvaluationTable]:
        rows, cols, cells = counted([(lab("kinds", i.categories_version, i.kind), lab("seriousness", i.categories_version, i.seriousness)) for i in found])
        out = [table(
            "Incidenten naar soort en ernst",
            "Alle incidenten die in dit schooljaar zijn vastgelegd (incidentregistratie), geteld naar de soort "
            "en de ernst die bij het vastleggen zijn gekozen.",
            "soort", rows, cols or ["aantal"], cells,
        )]
        rows, _, cells = counted([(lab("places", i.categories_version, i.place), "aantal") for i in found])
        out.append(table("Incidenten naar plaats", "Waar de incidenten gebeurden: laat zien welke plekken extra toezicht vragen.",
                         "plaats", rows, ["aantal"], cells))
        months = Counter(local_date(i.happened_at).month for i in found)
        out.append(table("Incidenten per maand", "Het aantal incidenten per maand van het schooljaar (augustus tot en met juli).",
                         "maand", list(MONTHS), ["aantal"], [[months[(k + 7) % 12 + 1]] for k in range(12)]))
        if board:
            rows, _, cells = counted([(names.get(i.school, i.school), "aantal") for i in found], sorted(names.values()))
            out.append(table("Incidenten per school", "Het aantal vastgelegde incidenten per school van het bestuur.",
                             "school", rows, ["aantal"], cells))
        return out

    def _case_tables(self, all_cases: Sequence[Case], year: SchoolYear) -> list[EvaluationTable]:
        s = self.services
        opened = [c for c in all_cases if local_date(c.opened_at) in year]
        kind: dict[str, str] = {}
        for c in all_cases:
            if c.protocol_hash not in kind:
                p = s.protocol(c.protocol_hash)
                kind[c.protocol_hash] = (COMPLAINTS if _descends_from(s, p, COMPLAINTS)
                                         else SERIOUS if _descends_from(s, p, SERIOUS) else "")

        def title(c: Case) -> str:
            return s.protocol(c.protocol_hash).spec.title

        def step(c: Case) -> str:
            return f"{title(c)}: {s.protocol(c.protocol_hash).step(c.step).label}"

        out = []
        rows, cols, cells = counted([(title(c), "afgerond" if c.closed else "lopend") for c in opened],
                                    columns=["lopend", "afgerond"])
        out.append(table("Zaken naar protocol en stand",
                         "De zaken die in dit schooljaar zijn geopend, per protocol: nog lopend of afgerond.",
                         "protocol", rows, cols, cells))
        rows, _, cells = counted([(step(c), "aantal") for c in opened])
        out.append(table("Zaken naar bereikte stap",
                         "Tot welke stap de zaken van dit schooljaar zijn gekomen (de stap waarin ze nu staan).",
                         "protocol en stap", rows, ["aantal"], cells))
        decided = ["besluit genomen", "afgesloten zonder besluit", "in behandeling"]
        pairs = []
        for c in opened:
            if kind[c.protocol_hash] != COMPLAINTS:
                continue
            oordeel = str(c.facts.get("oordeel_commissie") or "geen oordeel vastgelegd")
            state = ("besluit genomen" if c.step in ("besluit_genomen", "afgesloten")
                     else "afgesloten zonder besluit" if c.closed else "in behandeling")
            pairs.append((oordeel, state))
        rows, cols, cells = counted(pairs, ["gegrond", "deels gegrond", "ongegrond", "geen oordeel vastgelegd"], decided)
        out.append(table("Klachten (klachtenregeling)",
                         "De klachten die in dit schooljaar zijn ingediend, naar het oordeel van de klachtencommissie "
                         "(als dat is vastgelegd) en of het bevoegd gezag een besluit heeft genomen.",
                         "oordeel", rows, cols, cells))
        pairs = []
        for c in opened:
            if kind[c.protocol_hash] != SERIOUS:
                continue
            soort = str(c.facts.get("incident_soort") or "onbekend")
            status = {d.id: d.status for d in c.deadlines.values()}.get("melding_ernstig_incident")
            pairs.append((soort, _outcome(status) or OPEN))
        rows, cols, cells = counted(pairs, columns=[MET, MISSED, OPEN])
        out.append(table("Meldingen van ernstige incidenten",
                         "Per soort ernstig incident: is de melding aan de Inspectie (en zo nodig de politie) binnen "
                         "de termijn gedaan, te laat, of loopt de termijn nog.",
                         "soort incident", rows, cols, cells))
        pairs = []
        for c in all_cases:
            for d in c.deadlines.values():
                if not d.due_date or not year.first.isoformat() <= d.due_date[:10] <= year.last.isoformat():
                    continue
                outcome = _outcome(d.status)
                if outcome:
                    pairs.append((f"{title(c)}: {d.label}", outcome))
        rows, cols, cells = counted(pairs, columns=[MET, MISSED])
        out.append(table("Termijnen gehaald en gemist",
                         "Alle termijnen die in dit schooljaar afliepen, per protocol en soort termijn: op tijd "
                         "nagekomen of te laat.", "protocol en termijn", rows, cols, cells))
        return out

    # --- the monitor ------------------------------------------------------------------

    def import_monitor(self, principal: Principal, text: str, file: str) -> list[tuple[MonitorImport, int | None]]:
        """Import a monitor CSV: a new version per school and school year in it (None: unchanged)."""
        parsed = parse_monitor_csv(text, file)
        s = self.services
        out = []
        with s.uow(write=True) as uow:
            for imported in parsed:
                record = known_school(uow, imported.school)
                if not principal.roles_at(imported.school) & set(IMPORTERS):
                    raise refused(principal, "monitorresultaten inlezen", list(IMPORTERS),
                                  school=imported.school, school_name=record.name)
                out.append((imported, uow.monitor.add(imported, s.clock.now(), principal.username)))
            uow.commit()
        return out


def _outcome(status: str | None) -> str | None:
    if status in (DeadlineStatus.FULFILLED, DeadlineStatus.FIRED):
        return MET
    if status in (DeadlineStatus.OVERDUE, DeadlineStatus.MISSED, DeadlineStatus.LATE):
        return MISSED
    return None
