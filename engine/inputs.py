"""What a handler types: input values and the moment an action took effect."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from engine.access import HIDDEN
from engine.errors import InputError, InvalidEffectiveDate, MissingInput, UndeclaredInput
from engine.events import ERASED
from engine.protocol.model import Protocol
from engine.protocol.schema import InputSpec
from engine.terms import AMSTERDAM, local_date

# Limits on what a handler may type. Free text (a motivation, a standpunt) may be long;
# everything else is a word, a date or a choice.
TEXT_LIMIT = 10_000
SHORT_LIMIT = 200
PSEUDONYM_LIMIT = 100
MAX_INPUTS = 50
# C0/C1 control characters except tab, newline and carriage return; the Unicode bidi
# overrides and isolates, which can make text read differently from what is stored.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
# Besides those, characters that show nothing where they stand: Unicode's format characters
# (category Cf: zero-width space U+200B, word joiner U+2060, byte order mark U+FEFF, the
# Arabic letter mark U+061C, the bidi marks, the invisible tag characters) and the line and
# paragraph separators U+2028/U+2029 (Zl, Zp), which break a line in some programs and not
# in others. "Leerling-V\u200bos" looks like "Leerling-Vos" and is not the same pupil.
_INVISIBLE = frozenset({"Cf", "Zl", "Zp"})
# Free text keeps the three invisible characters that have a use in what people write: the
# soft hyphen U+00AD (a hyphenation hint that word processors put in pasted text), the zero
# width non-joiner U+200C (part of the spelling of Persian and some Indic words) and the zero
# width joiner U+200D (joins emoji into one, e.g. a family or a profession). They change no
# letter of the text; an identifier has no use for them and keeps none.
_TEXT_INVISIBLE_ALLOWED = frozenset("\u00ad\u200c\u200d")
# What trede itself shows instead of a name: no pupil or reporter may be called so.
_RESERVED = {"".join(c for c in word.casefold() if c.isalnum()): word for word in (HIDDEN, ERASED)}


def _flaw(value: str, *, identifier: bool) -> int | None:
    """The index of the first character ``value`` may not hold, or None.

    Free text: no control character (except tab, newline, carriage return) and no invisible
    character but the three above. An identifier (a pseudonym, a user name, a school, a group,
    a pupil number): no control or invisible character at all, and no space but the plain one
    (a no-break space makes a second "Leerling Vos")."""
    found = _FORBIDDEN.search(value)
    end = found.start() if found else len(value)
    for index, char in enumerate(value[:end]):
        if identifier and char.isascii():
            if char < " " or char == "\x7f":
                return index
        elif not char.isascii():
            kind = unicodedata.category(char)
            if kind in _INVISIBLE and (identifier or char not in _TEXT_INVISIBLE_ALLOWED):
                return index
            if identifier and kind in ("Zs", "Cc"):
                return index
    return found.start() if found else None


def _refuse_at(name: str, shown: str, value: str, index: int) -> InputError:
    code = f"U+{ord(value[index]):04X}"
    return InputError(name, f"{shown}: bevat een niet toegestaan teken ({code}) op positie {index + 1}")


def check_text(name: str, value: str, limit: int, label: str | None = None) -> str:
    """Free text, normalised to NFC; refused when too long or carrying a control character,
    a bidi override or an invisible character (see ``_flaw``)."""
    shown = label or name
    if len(value) > limit:
        raise InputError(name, f"{shown}: te lang ({len(value)} tekens; ten hoogste {limit})")
    if value.isascii():
        bad = _FORBIDDEN.search(value)
        if bad:
            raise _refuse_at(name, shown, value, bad.start())
        return value
    index = _flaw(value, identifier=False)
    if index is not None:
        raise _refuse_at(name, shown, value, index)
    normal = unicodedata.normalize("NFC", value)
    if len(normal) > limit:
        raise InputError(name, f"{shown}: te lang ({len(normal)} tekens; ten hoogste {limit})")
    return normal


def check_identifier(name: str, value: str, limit: int, label: str | None = None) -> str:
    """A name that tells people or things apart (a pseudonym, a user name, a school, a group,
    a pupil number): stripped, normalised to NFC (a composed and a decomposed "ë" are one
    letter), and refused when it holds a control or invisible character or a space other
    than the plain one. Position and code in the message are of the value as it was typed."""
    shown = label or name
    stripped = value.strip()
    if len(stripped) > limit:
        raise InputError(name, f"{shown}: te lang ({len(stripped)} tekens; ten hoogste {limit})")
    index = _flaw(stripped, identifier=True)
    if index is not None:
        raise _refuse_at(name, shown, value, index + len(value) - len(value.lstrip()))
    normal = unicodedata.normalize("NFC", stripped)
    if len(normal) > limit:
        raise InputError(name, f"{shown}: te lang ({len(normal)} tekens; ten hoogste {limit})")
    return normal


def is_plain(value: str, limit: int = 200) -> bool:
    """An identifier a person could have typed: not too long, no hidden characters."""
    return len(value) <= limit and _flaw(value, identifier=True) is None


def check_pseudonym(name: str, value: str) -> str:
    """The name a case gives its pupil or reporter: an identifier (``check_identifier``) that
    is not one of the words trede shows in place of a name, in any casing or spacing."""
    require_text(name, value)
    pseudonym = check_identifier(name, value, PSEUDONYM_LIMIT, "pseudoniem")
    reserved = _RESERVED.get("".join(c for c in pseudonym.casefold() if c.isalnum()))
    if reserved:
        raise InputError(
            name,
            f"pseudoniem: '{pseudonym[:40]}' kan niet: zo ('{reserved}') toont trede een naam die is afgeschermd "
            "of gewist; kies een ander pseudoniem",
        )
    return pseudonym


def check_declared(protocol: Protocol, inputs: Mapping[str, str], action: str, declared: list[str]) -> None:
    """Refuse a field the action (named by its label) does not declare. A field unknown to
    the protocol is left to ``check_inputs`` (which lists the protocol's fields)."""
    allowed = set(declared)
    known = protocol.inputs()
    for name in inputs:
        if name not in allowed and name in known:
            asked = [f"{known[d].label} ({d})" for d in dict.fromkeys(declared)]
            raise UndeclaredInput(name, known[name].label, action, asked)


def check_inputs(protocol: Protocol, inputs: Mapping[str, str], today: date) -> dict[str, str]:
    """Validated and normalised values; an unknown or bad field is named in the error."""
    known = protocol.inputs()
    if len(inputs) > MAX_INPUTS:
        raise InputError("inputs", f"te veel velden ({len(inputs)}; ten hoogste {MAX_INPUTS})")
    values: dict[str, str] = {}
    for name, raw in inputs.items():
        spec = known.get(name)
        if spec is None:
            shown = name if len(name) <= 60 and not _FORBIDDEN.search(name) else "(ongeldige naam)"
            raise InputError(shown, f"onbekend veld; dit protocol kent: {', '.join(sorted(known))}")
        limit = TEXT_LIMIT if spec.type == "tekst" else SHORT_LIMIT
        check_text(name, str(raw), limit, spec.label)
        values[name] = coerce(name, spec, raw, today)
    return values


# How far ahead a date that may lie ahead (an agreed end, an evaluation) may be: a year, so
# that no typed date parks a term beyond any school year the case can be in.
AHEAD = timedelta(days=366)
# The years a date may name at all: a term computed from it stays within the calendar.
YEARS = range(1900, 2201)


def coerce(name: str, spec: InputSpec, raw: str, today: date) -> str:
    value = unicodedata.normalize("NFC", str(raw)).strip()
    if not value:
        raise MissingInput(name, spec.label)
    if spec.type == "datum":
        day = parse_day(name, value, spec.label)
        if day > today and not spec.future:
            raise InputError(name, f"{day.isoformat()} ligt in de toekomst")
        if day > today + AHEAD:
            latest = _day(today + AHEAD)
            raise InputError(name, f"{spec.label}: {_day(day)} ligt meer dan een jaar vooruit; vul een datum tot en met {latest} in")
        return day.isoformat()
    if spec.type == "keuze" and value not in (spec.options or []):
        raise InputError(name, f"'{value}' is geen keuze; kies uit {', '.join(spec.options or [])}")
    if spec.type == "akkoord" and value.lower() != "ja":
        raise InputError(name, "akkoord geef je met 'ja'")
    if spec.type == "getal" and (not value.lstrip("-").isdigit() or len(value) > 12):
        raise InputError(name, f"'{value[:20]}' is geen geheel getal (ten hoogste 12 cijfers)")
    return value.lower() if spec.type == "akkoord" else value


_DUTCH_DAY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def parse_day(name: str, value: str, label: str | None = None) -> date:
    """A date as a Dutch person writes it (23-11-2026, 23/11/2026, 23.11.2026) or as an
    integration sends it (2026-11-23); anything else is refused, saying how to write it."""
    text = value.strip()
    found = _DUTCH_DAY.fullmatch(text)
    shown = label or name
    day: date | None = None
    try:
        if found:
            day = date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        elif len(text) == 10 and text[4] == "-":
            day = date.fromisoformat(text)
    except ValueError:
        pass
    if day is None:
        raise InputError(name, f"{shown}: '{text[:40]}' is geen datum; schrijf dag-maand-jaar, bijvoorbeeld 23-11-2026")
    in_years(name, shown, day)
    return day


_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})")


def in_years(name: str, label: str, moment: date) -> None:
    """A date within the years trede reckons with (1900-2200), refused before any term is
    computed from it: beyond them a deadline would fall outside the calendar."""
    if moment.year not in YEARS:
        raise InputError(name, f"{label}: het jaar {moment.year} kan niet; vul een datum tussen 1900 en 2200 in")


def _day(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def parse_clock(name: str, value: str, label: str | None = None) -> time:
    """A time of day as a Dutch person writes it (14:30, 9.05); anything else is refused."""
    text = value.strip()
    found = _CLOCK.fullmatch(text)
    if found and int(found.group(1)) < 24 and int(found.group(2)) < 60:
        return time(int(found.group(1)), int(found.group(2)))
    raise InputError(name, f"{label or name}: '{text[:20]}' is geen tijd; schrijf uu:mm, bijvoorbeeld 14:30")


def require_text(name: str, value: str) -> None:
    if not value or not value.strip():
        raise MissingInput(name)


def effective_moment(stated: date | datetime | None, now: datetime, previous: datetime | None) -> datetime:
    """When an action took effect: never in the future, never before the previous event.

    A bare date means that day: the current moment if it is today, else noon, moved up to
    the previous event when that happened later on the same day.
    """
    if stated is None:
        moment = now
    elif isinstance(stated, datetime):
        if stated.tzinfo is None:
            raise InvalidEffectiveDate("geef een tijd met tijdzone, of alleen een datum")
        _effective_in_years(stated, "")
        moment = stated.astimezone(UTC)
    elif stated == local_date(now):
        moment = now
    else:
        _effective_in_years(stated, "")
        moment = datetime.combine(stated, time(12, 0), tzinfo=AMSTERDAM).astimezone(UTC)
        if previous is not None and stated == local_date(previous) and moment < previous:
            moment = previous
    if moment > now:
        raise InvalidEffectiveDate(f"{_show(moment)} ligt in de toekomst")
    if previous is not None and moment < previous:
        raise InvalidEffectiveDate(f"{_show(moment)} ligt voor de vorige gebeurtenis ({_show(previous)})")
    return moment


def fact_moment(stated: date | datetime | None, now: datetime, opened: datetime, label: str) -> datetime:
    """When what a note or an attachment is about happened (a conversation, a letter): its
    own moment beside the moment it is recorded. It may lie before what was recorded since
    (yesterday's phone call, written down after today's action), never before the case was
    opened and never in the future. A bare date means that day: now if it is today, else
    noon, moved up to the opening when the case opened later that day. Refusals name the
    field by ``label``, as the form shows it."""
    if stated is None:
        return now
    if isinstance(stated, datetime):
        if stated.tzinfo is None:
            raise InvalidEffectiveDate(f"{label}: geef een tijd met tijdzone, of alleen een datum")
        _effective_in_years(stated, f"{label}: ")
        moment, shown = stated.astimezone(UTC), _show(stated)
    elif stated == local_date(now):
        return now
    else:
        _effective_in_years(stated, f"{label}: ")
        moment = datetime.combine(stated, time(12, 0), tzinfo=AMSTERDAM).astimezone(UTC)
        if stated == local_date(opened) and moment < opened:
            moment = opened
        shown = f"{stated.day:02d}-{stated.month:02d}-{stated.year}"
    if moment > now:
        raise InvalidEffectiveDate(f"{label}: {shown} ligt in de toekomst; vul de dag in waarop het gebeurde")
    if moment < opened:
        raise InvalidEffectiveDate(
            f"{label}: {shown} ligt vóór de opening van de zaak ({_show(opened)}); "
            "kies de opening of later, en noem de eerdere datum in de tekst zelf"
        )
    return moment


def _effective_in_years(stated: date, label: str, field: str = "effective") -> None:
    """As ``in_years``, for a stated moment: refused before it is converted to UTC."""
    if stated.year not in YEARS:
        raise InvalidEffectiveDate(f"{label}het jaar {stated.year} kan niet; vul een datum tussen 1900 en 2200 in", field)


def _show(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


QUICK_SKEW = timedelta(minutes=5)  # a phone's clock may run a little ahead of the server's
QUICK_MAX_AGE = timedelta(days=7)  # a quick record is made on the spot; older facts go through the registration


def quick_moment(stated: datetime, now: datetime) -> datetime:
    """When a quick record's incident happened, as the device took it at the tap: not more
    than ``QUICK_SKEW`` ahead of the server (then the server's now: a fact never follows its
    record), and not more than ``QUICK_MAX_AGE`` ago (a queue that old is a device problem)."""
    if stated.tzinfo is None:
        raise InvalidEffectiveDate("geef het moment met tijdzone")
    moment = stated.astimezone(UTC)
    if moment > now + QUICK_SKEW:
        raise InvalidEffectiveDate(f"{_show(moment)} ligt in de toekomst; staat de klok van het toestel goed?")
    if moment < now - QUICK_MAX_AGE:
        raise InvalidEffectiveDate(
            f"{_show(moment)} is meer dan {QUICK_MAX_AGE.days} dagen geleden; leg het vast in de incidentregistratie"
        )
    return min(moment, now)


# When a recorded incident happened (``incident_moment``): as the quick record, a moment a
# little ahead of the server is clamped to its now; and no further back than three months.
INCIDENT_MAX_MONTHS = 3
HAPPENED = "happened"  # the field, as the API and the engine name it
HAPPENED_LABEL = "Wanneer gebeurd"  # the field, as a school reads it (the form's label)


def incident_moment(stated: date | datetime, now: datetime) -> datetime:
    """When a recorded incident happened (``Incidents.record``, whatever the edge): a moment
    with its time zone, or a day (today: now; an earlier day: noon, Dutch time).

    Not in the future: a moment at most ``QUICK_SKEW`` ahead of the server is its now (a
    clock that runs a little ahead; a fact never follows its record), a later one or a later
    day is refused. Not before the same day ``INCIDENT_MAX_MONTHS`` months ago (Dutch time).
    Why three months (docs/legal-basis.md, 'Incidenten'): an incident is recorded shortly
    after it happened; its pseudonyms are kept twelve months from the day it happened, so a
    record of an older fact would lose them soon after it was made (one from 1900 at once);
    and a school year's evaluation (1 August to 31 July) no longer changes after 31 October.
    A fact from longer ago belongs in a note of the case it concerns, with its own date."""
    label = f"{HAPPENED_LABEL}: "
    today = local_date(now)
    if isinstance(stated, datetime):
        if stated.tzinfo is None:
            raise InvalidEffectiveDate(f"{label}geef een tijd met tijdzone, of alleen een datum", HAPPENED)
        _effective_in_years(stated, label, HAPPENED)
        moment, shown = stated.astimezone(UTC), _show(stated)
        if moment > now + QUICK_SKEW:
            raise InvalidEffectiveDate(f"{label}{shown} ligt in de toekomst; vul in wanneer het incident gebeurde", HAPPENED)
        moment = min(moment, now)
    else:
        _effective_in_years(stated, label, HAPPENED)
        shown = _day(stated)
        if stated > today:
            raise InvalidEffectiveDate(f"{label}{shown} ligt in de toekomst; vul in wanneer het incident gebeurde", HAPPENED)
        moment = now if stated == today else datetime.combine(stated, time(12, 0), tzinfo=AMSTERDAM).astimezone(UTC)
    earliest = today - relativedelta(months=INCIDENT_MAX_MONTHS)
    if local_date(moment) < earliest:
        raise InvalidEffectiveDate(
            f"{label}{shown} is meer dan {INCIDENT_MAX_MONTHS} maanden geleden (vóór {_day(earliest)}); een incident "
            "wordt kort na het gebeuren vastgelegd. Leg een ouder voorval vast in een notitie bij de zaak waar het bij hoort",
            HAPPENED,
        )
    return moment
