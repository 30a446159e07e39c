"""Pupils and groups as the school's administration knows them, and what an import changes.

A school exports its pupils, groups and teachers (EDEXML or CSV); an adapter reads the file
into a ``Roster``. trede keeps per pupil only a stable key (a keyed hash of the school's own
pupil number, never the ECK iD), a display name and the group; the number and the full
name stay in the school's own system. A pupil missing from a later import is proposed as
departed; the directeur confirms it, and the retention that runs from departure starts.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from engine.errors import ImportRefused, InputError
from engine.inputs import check_identifier


@dataclass(frozen=True)
class RosterPupil:
    """One pupil as the file has them; ``line`` is where, for error messages."""

    number: str  # the school's own pupil number (EDEXML leerling/@key)
    first_name: str  # roepnaam
    last_name: str  # achternaam (with voorvoegsel)
    group: str | None  # the stamgroep's name, e.g. "5a"
    line: int = 0


@dataclass(frozen=True)
class RosterTeacher:
    """A teacher and the groups they teach, matched to a trede user by e-mail or user name."""

    email: str | None
    username: str | None
    groups: frozenset[str]
    line: int = 0


@dataclass(frozen=True)
class Roster:
    school_year: str | None
    groups: tuple[str, ...]
    pupils: tuple[RosterPupil, ...]
    teachers: tuple[RosterTeacher, ...] = ()
    source: str = "EDEXML"


def roster_value(file: str, line: int, element: str, label: str, value: str, limit: int = 100) -> str:
    """One name or number from a roster file as an identifier, or the file refused at ``line``."""
    try:
        return check_identifier(element, value, limit, label)
    except InputError as exc:
        raise ImportRefused(file, line, f"{exc.message.removeprefix(element + ': ')}.", element) from None


def checked_roster(roster: Roster, file: str) -> Roster:
    """The roster with every name and number as trede keeps identifiers (``check_identifier``:
    NFC, no control or invisible character), or refused at the line of the first that is not:
    "V\u200bos" would be a second pupil next to "Vos", and escape their overview."""

    def clean(line: int, element: str, label: str, value: str, limit: int = 100) -> str:
        return roster_value(file, line, element, label, value, limit)

    def group(line: int, value: str | None) -> str | None:
        return clean(line, "groep", "groep", value, 50) if value else value

    def address(line: int, element: str, label: str, value: str | None) -> str | None:
        return clean(line, element, label, value, 254) if value else value

    pupils = tuple(
        RosterPupil(
            clean(p.line, "leerlingnummer", "leerlingnummer", p.number, 64),
            clean(p.line, "roepnaam", "roepnaam", p.first_name),
            clean(p.line, "achternaam", "achternaam", p.last_name),
            group(p.line, p.group),
            p.line,
        )
        for p in roster.pupils
    )
    teachers = tuple(
        RosterTeacher(
            address(t.line, "emailadres", "e-mailadres", t.email),
            address(t.line, "gebruikersnaam", "gebruikersnaam", t.username),
            frozenset(clean(t.line, "groep", "groep", g, 50) for g in t.groups),
            t.line,
        )
        for t in roster.teachers
    )
    lines = {p.group: p.line for p in reversed(pupils)}  # a group without pupils: read by the reader
    groups = tuple(sorted({clean(lines.get(g, 1), "groep", "groep", g, 50) for g in roster.groups}))
    return replace(roster, groups=groups, pupils=pupils, teachers=teachers)


class PupilStatus:
    PRESENT = "aanwezig"
    MISSING = "vertrek voorgesteld"  # not in the last import: the directeur confirms or not
    LEFT = "vertrokken"


@dataclass(frozen=True)
class Pupil:
    school: str
    key: str  # keyed SHA-256 of the school's pupil number
    name: str  # the display name cases use as pseudonym
    group: str | None
    status: str = PupilStatus.PRESENT
    missing_since: date | None = None
    left_on: date | None = None


@dataclass(frozen=True)
class ImportPlan:
    """What an import will change; applied as a whole or not at all."""

    added: list[Pupil] = field(default_factory=list)
    changed: list[Pupil] = field(default_factory=list)
    unchanged: int = 0
    missing: list[Pupil] = field(default_factory=list)  # newly proposed as departed
    returned: list[Pupil] = field(default_factory=list)  # proposed before, present again

    def saved(self) -> list[Pupil]:
        return [*self.added, *self.changed, *self.missing, *self.returned]


def pupil_key(secret: str, school: str, number: str) -> str:
    """A stable key that does not reveal the pupil number (HMAC-SHA256 with the install's
    secret, per school: the same number at two schools gives two keys)."""
    return hmac.new(secret.encode(), f"{school}\x1f{number.strip()}".encode(), hashlib.sha256).hexdigest()


def display_name(pupil: RosterPupil) -> str:
    """Roepnaam and the first letter of the surname ("Sanne V."): recognisable in a class,
    not a full name. Prefixes such as "van der" are skipped for the initial."""
    words = [w for w in pupil.last_name.split() if w[:1].isupper()] or pupil.last_name.split()
    initial = words[-1][0].upper() + "." if words else ""
    return f"{pupil.first_name.strip()} {initial}".strip()


def plan_import(secret: str, school: str, roster: Roster, existing: list[Pupil], today: date) -> ImportPlan:
    """Compare the roster with the pupils stored for the school: who is new, who changed
    name or group, who is missing (proposed as departed) and who came back."""
    known = {p.key: p for p in existing}
    taken = {p.name for p in existing if p.status != PupilStatus.LEFT}
    plan = ImportPlan()
    seen: set[str] = set()
    unchanged = 0
    for row in roster.pupils:
        key = pupil_key(secret, school, row.number)
        seen.add(key)
        before = known.get(key)
        if before is None:
            name = _unique(display_name(row), row.group, taken)
            taken.add(name)
            plan.added.append(Pupil(school, key, name, row.group))
            continue
        wanted = before.name
        base = display_name(row)
        if not wanted.startswith(base):  # the roepnaam or surname changed in the administration
            taken.discard(wanted)
            wanted = _unique(base, row.group, taken)
            taken.add(wanted)
        after = replace(before, name=wanted, group=row.group, status=PupilStatus.PRESENT, missing_since=None)
        if before.status == PupilStatus.MISSING:
            plan.returned.append(after)
        elif before.status == PupilStatus.LEFT:
            plan.added.append(replace(after, left_on=None))  # enrolled again
        elif after != before:
            plan.changed.append(after)
        else:
            unchanged += 1
    for pupil in existing:
        if pupil.key not in seen and pupil.status == PupilStatus.PRESENT:
            plan.missing.append(replace(pupil, status=PupilStatus.MISSING, missing_since=today))
    return replace(plan, unchanged=unchanged)


def _unique(name: str, group: str | None, taken: set[str]) -> str:
    """Two pupils called "Sanne V." at one school: the group tells them apart, then a number."""
    if name not in taken:
        return name
    with_group = f"{name} ({group})" if group else name
    if with_group not in taken:
        return with_group
    n = 2
    while f"{with_group} {n}" in taken:
        n += 1
    return f"{with_group} {n}"


@dataclass(frozen=True)
class GroupLinks:
    """What an import did to teachers' groups."""

    linked: dict[str, frozenset[str]]  # username -> the groups their leerkracht role now covers
    unmatched: list[str]  # e-mail addresses or user names in the file without a leerkracht account here


def link_teachers(
    teachers: Iterable[RosterTeacher], emails: Mapping[str, str | None], teaching: Collection[str]
) -> GroupLinks:
    """Match each teacher of the file by e-mail address (or else user name) to one of the
    active users (``emails``: username -> address) who holds a leerkracht role at the school
    (``teaching``); the groups the file gives them are what that role is to cover. A teacher
    without groups changes nothing: no groups would mean every group, never by an import."""
    by_email = {address.casefold(): username for username, address in emails.items() if address}
    by_name = {username.casefold(): username for username in emails}
    wanted: dict[str, set[str]] = {}
    unmatched: list[str] = []
    for teacher in teachers:
        username = by_email.get((teacher.email or "").casefold()) or by_name.get((teacher.username or "").casefold())
        if username is None or username not in teaching:
            unmatched.append(teacher.email or teacher.username or "(zonder e-mail of gebruikersnaam)")
            continue
        wanted.setdefault(username, set()).update(teacher.groups)
    return GroupLinks({u: frozenset(g) for u, g in wanted.items() if g}, sorted(set(unmatched)))
