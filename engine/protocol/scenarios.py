"""Proefscenario's: a protocol's own trial scenarios, in a small Dutch language
(docs/protocol-format.md, "Proefscenario's"). Stored in the protocol file under
``proefscenarios``; they change nothing the protocol does, they are run against a sandbox
(engine.usecases.trials) when the protocol is loaded, proposed or tested.

Each scenario::

    - naam: Schorsing van een week
      gegeven: zaak geopend op 2026-03-02 door leerkracht voor leerling L1 in groep 5
      als:
        - directeur doet schorsen met motivering="Vechtpartij" op 2026-03-03 om 10:00
        - tijd loopt door tot 2026-03-20
      dan:
        - zaak staat in stap schorsing
        - termijn einde_schorsing eindigt op 2026-03-09
        - verplichting inspectie_geinformeerd voor directeur vervalt op 2026-03-04
        - leerkracht doet afsluiten wordt geweigerd

The parser is strict: a line it does not recognise is a problem, said in Dutch, with the
forms it does know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time

IDENT = r"[a-z][a-z0-9_]*"
ACTION = r"[a-z][a-z0-9_]*(?::[a-z][a-z0-9_]*)?"  # a decision answer is stap:antwoord
DATE = r"\d{4}-\d{2}-\d{2}|\d{1,2}-\d{1,2}-\d{4}"
MOMENT = rf"op (?P<date>{DATE})(?: om (?P<time>\d{{1,2}}:\d{{2}}))?"
INPUTS = r"met (?P<inputs>.+?)"
OPENED_AT = time(9, 0)  # a case opened on a day: at nine in the morning
ACTED_AT = time(12, 0)  # an action on a day: at noon, unless the scenario says "om HH:MM"

GIVEN_FORM = (
    'zaak geopend op JJJJ-MM-DD [om UU:MM] [door rol] [voor leerling naam] [in groep groep] [met veld="waarde", ...]'
)
WHEN_FORMS = (
    'rol doet actie [met veld="waarde", ...] op JJJJ-MM-DD [om UU:MM]',
    "tijd loopt door tot JJJJ-MM-DD [om UU:MM]",
)
THEN_FORMS = (
    "zaak staat in stap stap",
    "termijn id eindigt op JJJJ-MM-DD",
    "verplichting id voor rol vervalt op JJJJ-MM-DD",
    'rol doet actie [met veld="waarde", ...] [op JJJJ-MM-DD [om UU:MM]] wordt geweigerd',
)


class ScenarioSyntaxError(ValueError):
    """A scenario line that is not in the language: the message is Dutch and names the forms."""


@dataclass(frozen=True)
class Moment:
    day: date
    at: time | None = None

    def __str__(self) -> str:
        return f"{self.day.isoformat()}" + (f" om {self.at.strftime('%H:%M')}" if self.at else "")


@dataclass(frozen=True)
class Given:
    opened: Moment
    role: str | None = None
    subject: str = "proefleerling"
    group: str | None = None
    inputs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Act:
    """``role`` does ``action``; a ``role`` of None means: time passes until ``moment``."""

    role: str | None
    action: str | None
    moment: Moment | None
    inputs: dict[str, str] = field(default_factory=dict)
    text: str = ""


@dataclass(frozen=True)
class Expect:
    kind: str  # stap | termijn | verplichting | geweigerd
    name: str  # the step, term, obligation or action
    day: date | None = None
    role: str | None = None
    act: Act | None = None
    text: str = ""


def parse_date(text: str) -> date:
    try:
        if "-" in text and len(text.split("-")[0]) == 4:
            return date.fromisoformat(text)
        day, month, year = (int(p) for p in text.split("-"))
        return date(year, month, day)
    except ValueError:
        raise ScenarioSyntaxError(f"'{text}' is geen bestaande datum (schrijf JJJJ-MM-DD, bijv. 2026-03-02)") from None


def _moment(found: re.Match[str]) -> Moment | None:
    if not found.group("date"):
        return None
    at = None
    if found.group("time"):
        hours, minutes = (int(p) for p in found.group("time").split(":"))
        if hours > 23 or minutes > 59:
            raise ScenarioSyntaxError(f"'{found.group('time')}' is geen tijd (schrijf UU:MM, bijv. 10:30)")
        at = time(hours, minutes)
    return Moment(parse_date(found.group("date")), at)


_PAIR = re.compile(rf'\s*(?P<name>{IDENT})\s*=\s*"(?P<value>[^"]*)"\s*')


def parse_inputs(text: str | None) -> dict[str, str]:
    """``veld="waarde", veld2="waarde"`` (also joined by "en")."""
    if not text:
        return {}
    values: dict[str, str] = {}
    rest = text
    while rest:
        found = _PAIR.match(rest)
        if found is None:
            raise ScenarioSyntaxError(f'kan de invoer "{text}" niet lezen; schrijf veld="waarde", veld2="waarde"')
        if found.group("name") in values:
            raise ScenarioSyntaxError(f"het veld '{found.group('name')}' staat twee keer in de invoer")
        values[found.group("name")] = found.group("value")
        rest = rest[found.end() :]
        separator = re.match(r"(,|en\b)\s*", rest)
        if rest and separator is None:
            raise ScenarioSyntaxError(f'kan de invoer "{text}" niet lezen; scheid velden met een komma')
        rest = rest[separator.end() :] if separator else rest
    return values


_GIVEN = re.compile(
    rf"^zaak geopend {MOMENT}"
    rf"(?: door (?P<role>{IDENT}))?"
    r"(?: voor leerling (?P<subject>\S+))?"
    r"(?: in groep (?P<group>\S+))?"
    rf"(?: {INPUTS})?$"
)
_ACT = re.compile(rf"^(?P<role>{IDENT}) doet (?P<action>{ACTION})(?: {INPUTS})? {MOMENT}$")
_PASS = re.compile(rf"^tijd loopt door tot (?P<date>{DATE})(?: om (?P<time>\d{{1,2}}:\d{{2}}))?$")
_REFUSED = re.compile(rf"^(?P<role>{IDENT}) doet (?P<action>{ACTION})(?: {INPUTS})?(?: {MOMENT})? wordt geweigerd$")
_AT_STEP = re.compile(rf"^zaak staat in stap (?P<step>{IDENT})$")
_TERM = re.compile(rf"^termijn (?P<id>{IDENT}) eindigt op (?P<date>{DATE})$")
_DUTY = re.compile(rf"^verplichting (?P<id>{IDENT}) voor (?P<role>{IDENT}) vervalt op (?P<date>{DATE})$")


def _forms(forms: tuple[str, ...]) -> str:
    return "; ".join(f"'{f}'" for f in forms)


def _clean(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise ScenarioSyntaxError(f"{what} is een regel tekst")
    return " ".join(text.split())


def parse_given(text: object) -> Given:
    line = _clean(text, "'gegeven'")
    found = _GIVEN.match(line)
    if found is None:
        raise ScenarioSyntaxError(f"kan '{line}' niet lezen; schrijf {_forms((GIVEN_FORM,))}")
    moment = _moment(found)
    assert moment is not None
    return Given(
        moment,
        found.group("role"),
        found.group("subject") or "proefleerling",
        found.group("group"),
        parse_inputs(found.group("inputs")),
    )


def parse_act(text: object) -> Act:
    line = _clean(text, "een regel onder 'als'")
    found = _PASS.match(line)
    if found is not None:
        return Act(None, None, _moment(found), text=line)
    found = _ACT.match(line)
    if found is None:
        hint = " (een actie heeft een datum: 'op JJJJ-MM-DD')" if " doet " in line and " op " not in line else ""
        raise ScenarioSyntaxError(f"kan '{line}' niet lezen{hint}; schrijf {_forms(WHEN_FORMS)}")
    return Act(found.group("role"), found.group("action"), _moment(found), parse_inputs(found.group("inputs")), line)


def parse_expect(text: object) -> Expect:
    line = _clean(text, "een regel onder 'dan'")
    if found := _AT_STEP.match(line):
        return Expect("stap", found.group("step"), text=line)
    if found := _TERM.match(line):
        return Expect("termijn", found.group("id"), parse_date(found.group("date")), text=line)
    if found := _DUTY.match(line):
        return Expect(
            "verplichting", found.group("id"), parse_date(found.group("date")), found.group("role"), text=line
        )
    if found := _REFUSED.match(line):
        act = Act(found.group("role"), found.group("action"), _moment(found), parse_inputs(found.group("inputs")), line)
        return Expect("geweigerd", found.group("action"), role=found.group("role"), act=act, text=line)
    raise ScenarioSyntaxError(f"kan '{line}' niet lezen; schrijf {_forms(THEN_FORMS)}")


@dataclass(frozen=True)
class Scenario:
    name: str
    given: Given
    acts: tuple[Act, ...]
    expects: tuple[Expect, ...]
    index: int = 0  # its place in the file's list: where a failure is reported
