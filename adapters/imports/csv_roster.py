"""A CSV with the same effect as an EDEXML import, for administrations without an EDEXML
export. One row per pupil; the first row names the columns (in any order, any case):

    leerlingnummer   the school's own pupil number (required; never the ECK iD or BSN)
    roepnaam         (required)
    tussenvoegsel    (optional) e.g. "van der"
    achternaam       (required)
    groep            the stamgroep, e.g. "5a" (optional)
    leerkrachten     (optional) e-mail addresses of the group's teachers, separated by spaces
                     or commas; a teacher is linked to every group a row names them for

Separated by ';' (as Dutch spreadsheets save), ',' or a tab; UTF-8 (with or without BOM) or
Windows-1252. Columns not listed are ignored.
"""

from __future__ import annotations

import csv
import io
import re

from engine.errors import ImportRefused
from engine.pupils import Roster, RosterPupil, RosterTeacher, checked_roster

MAX_BYTES = 10_000_000
REQUIRED = ("leerlingnummer", "roepnaam", "achternaam")
KNOWN = (*REQUIRED, "tussenvoegsel", "groep", "leerkrachten")


def read_csv(content: bytes, file: str = "leerlingen.csv") -> Roster:
    if len(content) > MAX_BYTES:
        raise ImportRefused(file, 1, f"het bestand is te groot (ten hoogste {MAX_BYTES // 1_000_000} MB).")
    text = _decode(content)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(";,\t", key=first.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().casefold() for h in next(rows, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "geen"
        raise ImportRefused(file, 1, f"de kolom(men) {', '.join(missing)} ontbreken in de eerste regel (gevonden: {found[:200]}).")
    column = {name: header.index(name) for name in KNOWN if name in header}
    pupils: list[RosterPupil] = []
    teachers: list[RosterTeacher] = []
    seen: dict[str, int] = {}
    for row in rows:
        line = rows.line_num  # the file's line, also when a quoted value spans lines
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))

        def cell(name: str, row: list[str] = row) -> str:
            return row[column[name]].strip() if name in column else ""

        number, first_name, last_name = cell("leerlingnummer"), cell("roepnaam"), cell("achternaam")
        if not number or not first_name or not last_name:
            empty = [n for n, v in (("leerlingnummer", number), ("roepnaam", first_name), ("achternaam", last_name)) if not v]
            raise ImportRefused(file, line, f"{', '.join(empty)} is leeg.", empty[0])
        if len(number) > 64 or len(first_name) > 100 or len(last_name) > 100:
            raise ImportRefused(file, line, "een waarde is te lang (leerlingnummer 64, namen 100 tekens).")
        if number in seen:
            raise ImportRefused(file, line, f"leerling '{number}' staat er twee keer in (ook op regel {seen[number]}).", "leerlingnummer")
        seen[number] = line
        group = cell("groep") or None
        last = " ".join(part for part in (cell("tussenvoegsel"), last_name) if part)
        pupils.append(RosterPupil(number, first_name, last, group, line))
        for address in re.split(r"[\s,]+", cell("leerkrachten")):
            if address and group:
                teachers.append(RosterTeacher(address, None, frozenset({group}), line))
    groups = tuple(sorted({p.group for p in pupils if p.group}))
    return checked_roster(Roster(None, groups, tuple(pupils), tuple(teachers), "CSV"), file)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")
