"""Triage of meldpunt reports (issue 29 item 4), as Signalen does it.

A board loads one YAML file (``trede meldpunt categories load FILE``): the categories a
reporter chooses from (labels in words a child understands), per category the roles that
handle it (per school if a school differs), the standard answers a coordinator picks and
edits before sending, and whether the reporter is asked how satisfied they are once the
report is closed. Every load with new content is a new version for that board; a report
records the version and content hash it was routed under.

In a report everything of the triage is an event in its chain (``EventType.TRIAGE``):
the routing (which roles handle it), a corrected category, a split into several cases,
and the reporter's satisfaction. The routing sets the case fact ``behandelaars`` (the
roles it was routed to); a protocol role marked ``routed: true`` (the vertrouwenspersoon
and aandachtsfunctionaris in the meldpunt) sees a report only when it was routed to it
(``engine.access.case_roles``). The coordinating roles (the others) see every report.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from engine.errors import TriageError
from engine.protocol.yamlsource import Located, read_yaml

CATEGORY_FACT = "categorie"  # the meldpunt input the reporter chooses, and the case fact
ROUTED_FACT = "behandelaars"  # the case fact: the roles a report was routed to (routed_value)
ROUTED_NOTICE = "doorgestuurd"  # the in-app notice to the roles a report was routed to
ROUTED_LABEL = "melding doorgestuurd"
PLACEHOLDERS = ("school", "categorie")
SCORES = {
    1: "Heel ontevreden",
    2: "Ontevreden",
    3: "Niet blij, niet boos",
    4: "Tevreden",
    5: "Heel tevreden",
}
SMILEYS = {1: "\U0001f61e", 2: "\U0001f641", 3: "\U0001f610", 4: "\U0001f642", 5: "\U0001f600"}
COMMENT_LIMIT = 2_000
MAX_PARTS = 10
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


class TriageKind:
    """What a triage event records (``data['kind']``)."""

    ROUTED = "doorgestuurd"
    CORRECTED = "categorie_gecorrigeerd"
    SPLIT = "gesplitst"
    SATISFACTION = "tevredenheid"


@dataclass(frozen=True)
class TriageCategory:
    key: str
    label: str
    handlers: tuple[str, ...]
    schools: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def handlers_at(self, school: str) -> tuple[str, ...]:
        return self.schools.get(school, self.handlers)


@dataclass(frozen=True)
class StandardAnswer:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class Triage:
    """One loaded version of a board's triage data."""

    board: str
    text: str
    content_hash: str
    title: str
    source: str
    categories: Mapping[str, TriageCategory]
    answers: Mapping[str, StandardAnswer]
    satisfaction: bool
    version: int = 0  # set by the store
    loaded_at: datetime | None = None

    def label(self, key: str) -> str:
        found = self.categories.get(key)
        return found.label if found is not None else (key or "geen categorie")


def triage_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def versioned(parsed: Triage, version: int, content_hash: str, loaded_at: datetime) -> Triage:
    return replace(parsed, version=version, content_hash=content_hash, loaded_at=loaded_at)


def fill(text: str, values: Mapping[str, str]) -> str:
    """A standard answer with its placeholders ({school}, {categorie}) filled in."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


def board_of(text: str) -> str:
    """The board a triage file names (empty when it cannot be read; parse_triage says why)."""
    located, _ = read_yaml(text, "")
    board = located.data.get("board") if isinstance(located.data, dict) else None
    return board.strip() if isinstance(board, str) else ""


def parse_triage(
    text: str, file: str = "", *, roles: Collection[str] | None = None, schools: Collection[str] | None = None
) -> Triage:
    """Read and validate a triage file; every problem at once, each at file:line.

    ``roles``: the handling roles the board's meldpunt knows (a route must name those);
    ``schools``: the board's schools (a per-school route must name one of those)."""
    name = file or "indeling"
    located, found = read_yaml(text, name)
    problems = [str(p) for p in found]
    if problems:
        raise TriageError(problems)
    data: dict[str, Any] = located.data

    def at(path: tuple[str | int, ...], message: str, *, key: bool = False) -> None:
        where = located.locate(path, at_key=key)
        problems.append(f"{where[0]}:{where[1]}: {message}")

    known = {"id", "board", "title", "source", "categories", "answers", "satisfaction"}
    for k in data:
        if k not in known:
            at((k,), f"onbekende sleutel '{k}'; bekend: {', '.join(sorted(known))}", key=True)
    board = data.get("board")
    if not isinstance(board, str) or not board.strip():
        at(("board",), "'board' ontbreekt: noem het bestuur waarvoor deze indeling geldt")
        board = ""
    for required in ("title", "source"):
        if not isinstance(data.get(required), str) or not str(data.get(required)).strip():
            at((required,), f"'{required}' ontbreekt of is leeg")
    satisfaction = data.get("satisfaction", False)
    if not isinstance(satisfaction, bool):
        at(("satisfaction",), "'satisfaction' is true of false (de tevredenheidsvraag na het afsluiten)")
    categories = _categories(data, located, at, roles, schools)
    answers = _answers(data, at)
    if problems:
        raise TriageError(problems)
    return Triage(
        board=str(board).strip(),
        text=text,
        content_hash=triage_hash(text),
        title=str(data["title"]).strip(),
        source=str(data["source"]).strip(),
        categories=categories,
        answers=answers,
        satisfaction=bool(satisfaction),
    )


def _roles(value: Any, path: tuple[str | int, ...], at: Any, roles: Collection[str] | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(r, str) for r in value):
        at(path, "noem de rollen die de melding behandelen als lijst, bijvoorbeeld [intern_begeleider]")
        return ()
    for n, role in enumerate(value):
        if roles is not None and role not in roles:
            at((*path, n), f"de rol '{role}' kent het meldpunt niet; bekend: {', '.join(sorted(roles))}")
    return tuple(dict.fromkeys(value))


def _categories(
    data: dict[str, Any], located: Located, at: Any, roles: Collection[str] | None, schools: Collection[str] | None
) -> dict[str, TriageCategory]:
    raw = data.get("categories")
    if not isinstance(raw, dict) or not raw:
        at(("categories",), "'categories' ontbreekt of is leeg: noem de categorieën waaruit de melder kiest")
        return {}
    out: dict[str, TriageCategory] = {}
    for key, spec in raw.items():
        path: tuple[str | int, ...] = ("categories", key)
        if not _KEY.match(key):
            at(path, f"'{key}' is geen geldige sleutel (kleine letters, cijfers en _, beginnend met een letter)", key=True)
            continue
        if not isinstance(spec, dict):
            at(path, f"categorie '{key}': noem 'label' en 'handlers'")
            continue
        for extra in sorted(set(spec) - {"label", "handlers", "schools", "source"}):
            at((*path, extra), f"categorie '{key}': onbekende sleutel '{extra}'; bekend: handlers, label, schools, source", key=True)
        label = spec.get("label")
        if not isinstance(label, str) or not label.strip():
            at((*path, "label"), f"categorie '{key}': 'label' ontbreekt (de woorden die de melder ziet)")
            label = key
        handlers = _roles(spec.get("handlers"), (*path, "handlers"), at, roles)
        per_school: dict[str, tuple[str, ...]] = {}
        given = spec.get("schools") or {}
        if not isinstance(given, dict):
            at((*path, "schools"), f"categorie '{key}': 'schools' noemt per school de rollen, bijvoorbeeld de-linde: [vertrouwenspersoon]")
            given = {}
        for school, listed in given.items():
            if schools is not None and school not in schools:
                at((*path, "schools", school), f"de school '{school}' hoort niet bij dit bestuur", key=True)
            per_school[school] = _roles(listed, (*path, "schools", school), at, roles)
        out[key] = TriageCategory(key, label.strip(), handlers, per_school)
    return out


def _answers(data: dict[str, Any], at: Any) -> dict[str, StandardAnswer]:
    raw = data.get("answers") or {}
    if not isinstance(raw, dict):
        at(("answers",), "'answers' noemt de standaardantwoorden, elk met 'label' en 'text'")
        return {}
    out: dict[str, StandardAnswer] = {}
    for key, spec in raw.items():
        path: tuple[str | int, ...] = ("answers", key)
        if not _KEY.match(key):
            at(path, f"'{key}' is geen geldige sleutel (kleine letters, cijfers en _, beginnend met een letter)", key=True)
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("label"), str) or not isinstance(spec.get("text"), str):
            at(path, f"standaardantwoord '{key}': noem 'label' en 'text'")
            continue
        for extra in sorted(set(spec) - {"label", "text"}):
            at((*path, extra), f"standaardantwoord '{key}': onbekende sleutel '{extra}'; bekend: label, text", key=True)
        try:
            names = [n for _, n, _, _ in string.Formatter().parse(spec["text"]) if n is not None]
        except ValueError:
            at((*path, "text"), f"standaardantwoord '{key}': een {{ of }} staat los; schrijf {{{{ of }}}} voor het teken zelf")
            continue
        for n in names:
            if n not in PLACEHOLDERS:
                at((*path, "text"), f"standaardantwoord '{key}': '{{{n}}}' kan niet; mogelijk: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")
        out[key] = StandardAnswer(key, spec["label"].strip(), spec["text"].strip())
    return out


def routed_value(handlers: Collection[str]) -> str:
    """The case fact ``behandelaars``: the roles a report was routed to, comma-separated."""
    return ",".join(handlers)


def routed_roles(facts: Mapping[str, Any]) -> tuple[str, ...]:
    """The roles a report was routed to, in the order of the routing, as its facts hold them
    (``routed_value``; none when it was not routed)."""
    return tuple(r for r in str(facts.get(ROUTED_FACT, "")).split(",") if r)
