"""Incident registration of its own (issue 28): a quick record of an incident, apart from any
protocol case and linkable to one later, classified under a versioned list of categories.

Tamper evidence. Every change is an entry in the *incident log*: one append-only hash chain
for the installation (like the access log), whose entries are canonical JSON records
(``engine.events.canonical_text``); each hash covers the previous hash and the record's
exact bytes. An incident is never stored as a mutable row: it is the fold of its entries
(recorded, linked to a case, its reporting case opened), so that what is shown always
follows from what was chained. Loading a categories version and a board switching the bill's
duties on or off are entries too: the chain states under which rules an incident was
classified, and signed checkpoints hold its length and head (engine/checkpoints.py).

The people involved are pseudonyms (as pupils are everywhere in trede) with their part;
the log carries no names. Even a pseudonym is personal data: it enters the record only as a
salted commitment (``engine.events.commitment``, as a case's personal values do), its value
and salt kept beside the chain (keyed by incident and ref), so that retention can erase
them and the chain still verifies. The erasure is itself an entry: a value gone without one
is named by verification as an erasure that skipped the retention path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import yaml

from engine.errors import CategoriesError
from engine.events import ERASED, canonical_text, commitment

INCIDENT_GENESIS = "0" * 64
PARTS = ("slachtoffer", "dader", "getuige", "medewerker")
QUICK_PARTS = ("slachtoffer", "dader", "getuige")  # what a quick record offers: a pupil's part
PART_LABELS = {"slachtoffer": "slachtoffer", "dader": "dader", "getuige": "getuige", "medewerker": "medewerker"}
RECIPIENTS = ("inspectie", "politie")
REPORT_PROTOCOL = "melding-ernstig-incident"
REPORT_TERMS = ("0 dagen", "1 werkdag", "2 werkdagen", "3 werkdagen", "5 werkdagen", "10 werkdagen", "1 week", "2 weken", "4 weken")


class EntryType:
    RECORDED = "incident_recorded"
    LINKED = "incident_linked"
    REPORT_OPENED = "report_case_opened"
    CATEGORIES = "categories_loaded"
    BILL = "bill_duties_switched"
    ERASED = "incident_personal_erased"


# --- categories ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Serious:
    """A kind the categories call serious: whom it is reported to, within which term."""

    report_to: tuple[str, ...]
    term: str
    source: str


@dataclass(frozen=True)
class Category:
    label: str
    source: str = ""
    serious: Serious | None = None


@dataclass(frozen=True)
class IncidentCategories:
    """One loaded version of the categories (a parsed, validated YAML text)."""

    text: str
    content_hash: str
    title: str
    source: str
    kinds: Mapping[str, Category]
    places: Mapping[str, Category]
    seriousness: Mapping[str, Category]
    bill: Mapping[str, Any] = field(default_factory=dict)
    version: int = 0  # set by the store
    loaded_at: datetime | None = None

    def label(self, section: str, key: str) -> str:
        found = getattr(self, section).get(key)
        return found.label if found is not None else key


def categories_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_categories(text: str, file: str = "") -> IncidentCategories:
    """Read and validate a categories file; every problem is named at once."""
    where = f"{file}: " if file else ""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CategoriesError([f"{where}geen geldige YAML ({str(exc).splitlines()[0]})"]) from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise CategoriesError([f"{where}het bestand moet een lijst met sleutels zijn (kinds, places, seriousness)"])
    known = {"id", "title", "source", "bill", "kinds", "places", "seriousness"}
    problems += [f"{where}onbekende sleutel '{k}'; bekend: {', '.join(sorted(known))}" for k in data if k not in known]

    def section(name: str, serious_allowed: bool) -> dict[str, Category]:
        raw = data.get(name)
        if not isinstance(raw, dict) or not raw:
            problems.append(f"{where}'{name}' ontbreekt of is leeg")
            return {}
        out: dict[str, Category] = {}
        for key, spec in raw.items():
            if not isinstance(key, str) or not key.replace("_", "").isalnum() or not key.islower():
                problems.append(f"{where}{name}: '{key}' is geen geldige sleutel (kleine letters, cijfers, _)")
                continue
            if not isinstance(spec, dict) or not isinstance(spec.get("label"), str):
                problems.append(f"{where}{name}.{key}: 'label' ontbreekt")
                continue
            extra = set(spec) - {"label", "source", *(("serious",) if serious_allowed else ())}
            if extra:
                problems.append(f"{where}{name}.{key}: onbekende sleutel(s) {', '.join(sorted(extra))}")
            out[key] = Category(spec["label"], str(spec.get("source") or ""), _serious(spec.get("serious"), f"{where}{name}.{key}", problems))
        return out

    kinds = section("kinds", True)
    places = section("places", False)
    seriousness = section("seriousness", False)
    bill = data.get("bill") or {}
    if not isinstance(bill, dict):
        problems.append(f"{where}'bill' moet kamerstuk, date en in_force noemen")
        bill = {}
    if not isinstance(data.get("source"), str) or not data["source"].strip():
        problems.append(f"{where}'source' ontbreekt: noem de bron van de categorieën")
    if problems:
        raise CategoriesError(problems)
    return IncidentCategories(
        text=text,
        content_hash=categories_hash(text),
        title=str(data.get("title") or "Incidentcategorieën"),
        source=str(data["source"]).strip(),
        kinds=kinds,
        places=places,
        seriousness=seriousness,
        bill={str(k): v if isinstance(v, bool | int) else str(v) for k, v in bill.items()},
    )


def _serious(raw: Any, where: str, problems: list[str]) -> Serious | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where}.serious: noem report_to, term en source")
        return None
    to = raw.get("report_to")
    if not isinstance(to, list) or not to or any(r not in RECIPIENTS for r in to):
        problems.append(f"{where}.serious.report_to: een lijst uit {', '.join(RECIPIENTS)}")
        to = []
    term = raw.get("term")
    if term not in REPORT_TERMS:
        problems.append(f"{where}.serious.term: '{term}' kan niet; mogelijk: {', '.join(REPORT_TERMS)}")
    if not isinstance(raw.get("source"), str) or not raw["source"].strip():
        problems.append(f"{where}.serious.source ontbreekt: noem de bron van de meldplicht en de termijn")
    return Serious(tuple(to), str(term), str(raw.get("source") or ""))


# --- the incident and its log ---------------------------------------------------------------


@dataclass(frozen=True)
class Involved:
    pseudonym: str
    part: str


@dataclass(frozen=True)
class Incident:
    id: str
    school: str
    kind: str
    place: str
    seriousness: str
    happened_at: datetime
    recorded_at: datetime
    recorded_by: str
    role: str
    involved: tuple[Involved, ...]
    categories_version: int
    categories_hash: str
    serious: bool = False
    cases: tuple[str, ...] = ()
    report_case: str | None = None
    report_none_because: str = ""  # why a serious incident has no reporting case

    def as_dict(self) -> dict[str, Any]:
        """The incident as the REST API and ``trede incident --json`` give it: categories'
        keys (not labels), moments in ISO 8601, the cases this reader may open."""
        return {
            "id": self.id,
            "school": self.school,
            "kind": self.kind,
            "place": self.place,
            "seriousness": self.seriousness,
            "happened_at": self.happened_at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "recorded_by": self.recorded_by,
            "role": self.role,
            "involved": [{"pseudonym": p.pseudonym, "part": p.part} for p in self.involved],
            "categories_version": self.categories_version,
            "serious": self.serious,
            "cases": list(self.cases),
            "report_case": self.report_case,
            **({"no_report_because": self.report_none_because} if self.report_none_because else {}),
        }

    def parts_summary(self) -> str:
        """The people involved as counts per part: what a report needs, and no names."""
        counts = {p: sum(1 for i in self.involved if i.part == p) for p in PARTS}
        shown = [f"{n} {PART_LABELS[p]}{'s' if n > 1 and p != 'medewerker' else ''}" for p, n in counts.items() if n]
        return ", ".join(shown) or "geen personen vastgelegd"


@dataclass(frozen=True)
class IncidentEntry:
    """One entry of the incident log as the engine writes it (before it is chained)."""

    type: str
    incident_id: str
    school: str
    at: datetime
    actor: str
    role: str
    data: Mapping[str, Any]
    # the personal values the record commits to: ref -> (value, salt); value None once erased.
    # Kept beside the record, never in it.
    personal: Mapping[str, tuple[str | None, str]] = field(default_factory=dict, compare=False)

    def body(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "incident_id": self.incident_id,
            "school": self.school,
            "at": self.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": self.actor,
            "role": self.role,
            "data": dict(self.data),
        }

    def record(self) -> str:
        return canonical_text(self.body())


@dataclass(frozen=True)
class ChainedIncidentEntry:
    """An entry as stored: its position, its record text, and the chain around it."""

    position: int
    incident_id: str
    school: str
    record: str
    prev_hash: str
    hash: str

    def entry(self) -> IncidentEntry:
        body = json.loads(self.record)
        return IncidentEntry(
            body["type"], body["incident_id"], body["school"], datetime.fromisoformat(body["at"]),
            body["actor"], body["role"], body["data"],
        )


def incident_chain(prev_hash: str, record: str) -> str:
    """The hash of one incident-log entry, chained to the one before it."""
    return hashlib.sha256(f"incident\x1f{prev_hash}\x1f{record}".encode()).hexdigest()


def chain_problems(chain: Sequence[ChainedIncidentEntry]) -> list[str]:
    """Every problem of the incident log's chain (each entry checked against the one stored
    before it), and entries whose indexed columns disagree with their record."""
    problems: list[str] = []
    prev = INCIDENT_GENESIS
    before: datetime | None = None
    for n, row in enumerate(chain, start=1):
        if row.prev_hash != prev:
            problems.append(f"incidentenlog: regel {n} sluit niet aan op de vorige (verwijderd, verplaatst of ingevoegd)")
        elif row.hash != incident_chain(row.prev_hash, row.record):
            problems.append(f"incidentenlog: regel {n} is gewijzigd")
        try:
            entry = row.entry()
        except (ValueError, KeyError, TypeError):
            problems.append(f"incidentenlog: regel {n} is geen leesbaar record")
        else:
            if (entry.incident_id, entry.school) != (row.incident_id, row.school):
                problems.append(f"incidentenlog: regel {n}: de kolommen passen niet bij het record (gewijzigd)")
            if before is not None and entry.at < before:
                problems.append(f"incidentenlog: regel {n} is vastgelegd vóór regel {n - 1}")
            before = entry.at
        prev = row.hash
    return problems


def fold(entries: Iterable[IncidentEntry]) -> dict[str, Incident]:
    """The incidents as their entries make them (in chain order)."""
    found: dict[str, Incident] = {}
    for e in entries:
        if e.type == EntryType.RECORDED:
            d = e.data
            found[e.incident_id] = Incident(
                id=e.incident_id,
                school=e.school,
                kind=d["kind"],
                place=d["place"],
                seriousness=d["seriousness"],
                happened_at=datetime.fromisoformat(d["happened_at"]),
                recorded_at=e.at,
                recorded_by=e.actor,
                role=e.role,
                involved=tuple(Involved(_pseudonym(p, e.personal), r) for p, r in d["involved"]),
                categories_version=int(d["categories_version"]),
                categories_hash=d["categories_hash"],
                serious=bool(d.get("serious")),
                report_none_because=str(d.get("no_report") or ""),
            )
        elif e.incident_id in found:
            incident = found[e.incident_id]
            if e.type == EntryType.LINKED and e.data["case_id"] not in incident.cases:
                found[e.incident_id] = replace(incident, cases=(*incident.cases, e.data["case_id"]))
            elif e.type == EntryType.REPORT_OPENED:
                found[e.incident_id] = replace(incident, report_case=e.data["case_id"])
    return found


def _pseudonym(value: Any, personal: Mapping[str, tuple[str | None, str]]) -> str:
    """A pseudonym as the record holds it: a commitment resolved from the values kept
    beside it (erased: ERASED), or plain text in a record made before commitments."""
    if not isinstance(value, dict):
        return str(value)
    stored = personal.get(str(value.get("$pd")), (None, ""))[0]
    return ERASED if stored is None else stored


def personal_problems(chain: Sequence[ChainedIncidentEntry], personal: Mapping[tuple[str, str], tuple[str | None, str]]) -> list[str]:
    """Every pseudonym that does not match the commitment in its record, and every one that
    is gone while the chain holds no erasure of its incident before it was looked at: an
    erasure that skipped the retention path (or a value removed in the database)."""
    problems: list[str] = []
    erased: set[str] = set()
    committed: list[tuple[int, str, str, dict[str, str]]] = []
    for n, row in enumerate(chain, start=1):
        try:
            entry = row.entry()
        except (ValueError, KeyError, TypeError):
            continue  # named by chain_problems
        if entry.type == EntryType.ERASED:
            erased.add(entry.incident_id)
        elif entry.type == EntryType.RECORDED:
            for pair in entry.data.get("involved", ()):
                if isinstance(pair, list) and pair and isinstance(pair[0], dict):
                    committed.append((n, entry.incident_id, str(pair[0].get("$pd")), pair[0]))
    for n, incident_id, ref, promised in committed:
        value, salt = personal.get((incident_id, ref), (None, ""))
        if value is None:
            if incident_id not in erased:
                problems.append(
                    f"incidentenlog: regel {n}: een pseudoniem is gewist zonder dat het log dat vastlegt "
                    "(buiten de bewaartermijn om)"
                )
        elif commitment(ref, value, salt) != promised:
            problems.append(f"incidentenlog: regel {n}: een pseudoniem past niet bij het record (gewijzigd)")
    return problems


def bill_switches(entries: Iterable[IncidentEntry]) -> dict[str, bool]:
    """Per board: are the bill's duties switched on (the latest switch; default off)."""
    state: dict[str, bool] = {}
    for e in entries:
        if e.type == EntryType.BILL:
            state[str(e.data["board"])] = bool(e.data["on"])
    return state


def committed(involved: Sequence[Involved], salts: Sequence[str]) -> tuple[list[list[Any]], dict[str, tuple[str | None, str]]]:
    """The people involved as the record holds them (a salted commitment for each pseudonym,
    with its part) and the values kept beside the record: ref -> (pseudonym, salt)."""
    record: list[list[Any]] = []
    personal: dict[str, tuple[str | None, str]] = {}
    for n, (person, salt) in enumerate(zip(involved, salts, strict=True)):
        ref = f"p{n}"
        personal[ref] = (person.pseudonym, salt)
        record.append([commitment(ref, person.pseudonym, salt), person.part])
    return record, personal


def recorded_data(
    categories: IncidentCategories, kind: str, place: str, seriousness: str, happened_at: datetime,
    involved: Sequence[Involved] | Sequence[list[Any]], no_report: str,
) -> dict[str, Any]:
    """``involved``: as the record holds them (``committed``), or people (plain, unchained use)."""
    return {
        "kind": kind,
        "place": place,
        "seriousness": seriousness,
        "happened_at": happened_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "involved": [[i.pseudonym, i.part] if isinstance(i, Involved) else list(i) for i in involved],
        "categories_version": categories.version,
        "categories_hash": categories.content_hash,
        "serious": categories.kinds[kind].serious is not None,
        **({"no_report": no_report} if no_report else {}),
    }

