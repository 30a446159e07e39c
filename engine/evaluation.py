"""The yearly safety evaluation (issue 28, item 5): its school year, its tables of counts
(with small counts suppressed, engine/suppression.py) and the social-safety monitor's
results a school imports (docs/evaluatie.md describes the CSV format).

Pure: no storage, no clock. The use case (engine/usecases/evaluation.py) gathers the
incidents, cases and monitor results a reader may see and builds the evaluation here."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from engine.errors import InputError, MonitorFileError
from engine.suppression import THRESHOLD, Suppressed, shown, suppress

MONTHS = ("augustus", "september", "oktober", "november", "december", "januari", "februari", "maart", "april",
          "mei", "juni", "juli")


@dataclass(frozen=True)
class SchoolYear:
    """A school year: 1 August to 31 July (WPO art. 1: 'schooljaar')."""

    start: int  # the calendar year it begins in

    @property
    def first(self) -> date:
        return date(self.start, 8, 1)

    @property
    def last(self) -> date:
        return date(self.start + 1, 7, 31)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def __str__(self) -> str:
        return f"{self.start}-{self.start + 1}"

    def month(self, day: date) -> int:
        """0 for August ... 11 for July."""
        return (day.month - 8) % 12


def parse_school_year(text: str) -> SchoolYear:
    """'2025-2026' (the second year the first plus one)."""
    found = re.fullmatch(r"\s*(\d{4})\s*[-/]\s*(\d{4})\s*", str(text))
    if not found or int(found[2]) != int(found[1]) + 1 or not 2000 <= int(found[1]) <= 2100:
        raise InputError("schooljaar", f"'{str(text)[:20]}' is geen schooljaar; schrijf het als 2025-2026")
    return SchoolYear(int(found[1]))


def school_year_of(day: date) -> SchoolYear:
    return SchoolYear(day.year if day.month >= 8 else day.year - 1)


@dataclass(frozen=True)
class EvaluationTable:
    """A table of counts: labelled rows and columns, with totals; small counts suppressed."""

    title: str
    explanation: str
    row_heading: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: Suppressed

    @property
    def single(self) -> bool:
        return len(self.columns) == 1

    def header(self) -> list[str]:
        return [self.row_heading, *self.columns] + ([] if self.single else ["totaal"])

    def shown_rows(self) -> list[list[str]]:
        """Each row as printed (its total last), then the totals row; hidden entries as '<5' or 'x'."""
        n = len(self.columns)
        width = n if self.single else n + 1
        out = [[label, *(shown(self.counts, i, j) for j in range(width))] for i, label in enumerate(self.rows)]
        out.append(["totaal", *(shown(self.counts, len(self.rows), j) for j in range(n))]
                   + ([] if self.single else [shown(self.counts, len(self.rows), n)]))
        return out

    def hidden_cells(self) -> list[tuple[str, str, str]]:
        """(row, column, why) for every hidden entry, totals included: what the page explains."""
        names = [*self.rows, "totaal"]
        cols = [*self.columns, "totaal"]
        return [(names[i], cols[j], why) for (i, j), why in sorted(self.counts.hidden.items())
                if not (self.single and j == len(self.columns))]

    def chart(self) -> list[tuple[str, str]]:
        """Each row's label and its total as shown (hidden ones as their mark): a bar chart."""
        j = 0 if self.single else len(self.columns)
        return [(label, shown(self.counts, i, j)) for i, label in enumerate(self.rows)]

    @property
    def empty(self) -> bool:
        return self.counts.total == 0


def table(title: str, explanation: str, row_heading: str, rows: Sequence[str], columns: Sequence[str],
          cells: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> EvaluationTable:
    if not rows:
        empty = Suppressed((), (), tuple(0 for _ in columns), 0, {})
        return EvaluationTable(title, explanation, row_heading, (), tuple(columns), empty)
    return EvaluationTable(title, explanation, row_heading, tuple(rows), tuple(columns), suppress(cells, threshold))


def counted(pairs: Sequence[tuple[str, str]], rows: Sequence[str] = (), columns: Sequence[str] = ()) -> tuple[list[str], list[str], list[list[int]]]:
    """Rows, columns and counts from (row, column) pairs; the given labels first, in order."""
    row_labels = list(dict.fromkeys([*rows, *sorted({r for r, _ in pairs} - set(rows))]))
    col_labels = list(dict.fromkeys([*columns, *sorted({c for _, c in pairs} - set(columns))]))
    cells = [[0] * len(col_labels) for _ in row_labels]
    ri = {r: k for k, r in enumerate(row_labels)}
    ci = {c: k for k, c in enumerate(col_labels)}
    for r, c in pairs:
        cells[ri[r]][ci[c]] += 1
    return row_labels, col_labels, cells


# --- the monitor's results -----------------------------------------------------------------

MONITOR_COLUMNS = ("school", "schooljaar", "instrument", "indicator", "score", "eenheid", "respondenten")
UNITS = ("percentage", "score")
MAX_MONITOR_ROWS = 2000


@dataclass(frozen=True)
class MonitorRow:
    school: str
    school_year: str
    instrument: str
    indicator: str
    score: float
    unit: str
    respondents: int

    def shown_score(self, threshold: int = THRESHOLD) -> str:
        """The score with a Dutch decimal comma; hidden when fewer than ``threshold`` answered."""
        if self.respondents < threshold:
            return f"verborgen (<{threshold} respondenten)"
        text = f"{self.score:.1f}".replace(".", ",")
        return f"{text} %" if self.unit == "percentage" else text


@dataclass(frozen=True)
class MonitorImport:
    """One imported version of a school's monitor results for one school year."""

    school: str
    school_year: str
    rows: tuple[MonitorRow, ...]
    file: str
    content_hash: str
    version: int = 0
    imported_by: str = ""

    def rows_json(self) -> str:
        return json.dumps([[r.instrument, r.indicator, r.score, r.unit, r.respondents] for r in self.rows],
                          ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def from_json(school: str, school_year: str, text: str, file: str, content_hash: str, version: int,
                  imported_by: str) -> MonitorImport:
        rows = tuple(MonitorRow(school, school_year, str(a), str(b), float(c), str(d), int(e))
                     for a, b, c, d, e in json.loads(text))
        return MonitorImport(school, school_year, rows, file, content_hash, version, imported_by)


def parse_monitor_csv(text: str, file: str = "monitor.csv") -> list[MonitorImport]:
    """A monitor CSV (docs/evaluatie.md): one import per school and school year in it. Every
    problem is named with its file and line, in Dutch, and nothing is imported if there is one."""
    problems: list[str] = []
    body = text.lstrip("\ufeff")
    lines = body.splitlines()
    if not lines or not lines[0].strip():
        raise MonitorFileError([f"{file}:1: het bestand is leeg; de eerste regel noemt de kolommen"])
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    if tuple(header) != MONITOR_COLUMNS:
        raise MonitorFileError([f"{file}:1: de kolommen moeten zijn: {';'.join(MONITOR_COLUMNS)} (gevonden: {';'.join(header)[:200]})"])
    rows: list[MonitorRow] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        where = f"{file}:{line}"
        if len(cells) != len(MONITOR_COLUMNS):
            problems.append(f"{where}: {len(cells)} kolommen, verwacht {len(MONITOR_COLUMNS)}")
            continue
        school, year, instrument, indicator, score, unit, respondents = (c.strip() for c in cells)
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,99}", school):
            problems.append(f"{where}: school '{school[:40]}' is geen schoolcode (kleine letters, cijfers, - en _)")
        try:
            parse_school_year(year)
        except InputError:
            problems.append(f"{where}: schooljaar '{year[:20]}' is geen schooljaar; schrijf het als 2025-2026")
        for name, value in (("instrument", instrument), ("indicator", indicator)):
            if not value or len(value) > 200:
                problems.append(f"{where}: {name} ontbreekt of is langer dan 200 tekens")
        if unit not in UNITS:
            problems.append(f"{where}: eenheid '{unit[:20]}' kan niet; kies uit: {', '.join(UNITS)}")
        number: float | None = None
        try:
            number = float(score.replace(",", "."))
        except ValueError:
            problems.append(f"{where}: score '{score[:20]}' is geen getal (gebruik een komma of punt als decimaalteken)")
        if number is not None and unit == "percentage" and not 0 <= number <= 100:
            problems.append(f"{where}: een percentage ligt tussen 0 en 100, niet {score[:20]}")
        if number is not None and number != number:  # NaN
            problems.append(f"{where}: score is geen getal")
        if not respondents.isdigit() or int(respondents) < 0:
            problems.append(f"{where}: respondenten '{respondents[:20]}' is geen heel getal van 0 of meer")
        key = (school, year, instrument, indicator)
        if key in seen:
            problems.append(f"{where}: dezelfde indicator staat al op regel {seen[key]}")
        seen[key] = line
        if len(seen) > MAX_MONITOR_ROWS:
            raise MonitorFileError([f"{where}: ten hoogste {MAX_MONITOR_ROWS} regels per bestand"])
        if not problems:
            rows.append(MonitorRow(school, year, instrument, indicator, number or 0.0, unit, int(respondents)))
    if problems:
        raise MonitorFileError(problems)
    if not rows:
        raise MonitorFileError([f"{file}:2: het bestand heeft geen resultaten"])
    groups: dict[tuple[str, str], list[MonitorRow]] = {}
    for r in rows:
        groups.setdefault((r.school, str(parse_school_year(r.school_year))), []).append(r)
    out = []
    for (school, year), found in groups.items():
        fixed = tuple(MonitorRow(school, year, r.instrument, r.indicator, r.score, r.unit, r.respondents) for r in found)
        draft = MonitorImport(school, year, fixed, file, "")
        out.append(MonitorImport(school, year, fixed, file, hashlib.sha256(draft.rows_json().encode()).hexdigest()))
    return out
