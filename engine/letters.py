"""Letters a protocol requires: what goes into them, and the port that renders them.

The engine decides what a letter says (the case, its recorded facts and motivations, its
computed deadlines); an adapter turns that into HTML and PDF. The letter's hashes go into
the audit trail, the letter itself is stored with the case.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from typing import Protocol as Port

from engine.case import Case

if TYPE_CHECKING:  # engine.ports imports this module
    from engine.ports import SchoolRecord
from engine.events import Event
from engine.protocol.model import Protocol
from engine.terms import AMSTERDAM, local_date

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


@dataclass(frozen=True)
class RenderedLetter:
    html: str
    pdf: bytes

    @property
    def sha256_html(self) -> str:
        return hashlib.sha256(self.html.encode("utf-8")).hexdigest()

    @property
    def sha256_pdf(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


class LetterRenderer(Port):
    def render(self, template: str, context: dict[str, Any], moment: datetime) -> RenderedLetter:
        """HTML and PDF of a letter; ``moment`` dates the document (no wall clock)."""
        ...


@dataclass(frozen=True)
class StoredLetter:
    case_id: str
    seq: int
    name: str
    html: str
    pdf: bytes
    sha256_html: str
    sha256_pdf: str


def dutch_date(value: date | str | None) -> str:
    if value is None:
        return "(onbekend)"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def letter_context(
    protocol: Protocol,
    case: Case,
    events: list[Event],
    name: str,
    moment: datetime,
    *,
    school: SchoolRecord | None = None,
    denominatie: str = "",
    asked: dict[str, str] | None = None,
    terms: dict[str, dict[str, str]] | None = None,
    role: str = "",
) -> dict[str, Any]:
    """Everything a template may use, all of it recorded in the case or asked for the letter."""
    latest: dict[str, dict[str, Any]] = {}
    for d in sorted(case.deadlines.values(), key=lambda d: int(d.key.rsplit("@", 1)[1])):
        latest[d.id] = {**d.to_dict(), "due": dutch_date(d.due_date), "start": dutch_date(d.start_date)}
    entered = next((e for e in reversed(events) if e.to_step == case.step and e.from_step != case.step), events[0])
    motivations = [e.inputs["motivering"] for e in events if "motivering" in e.inputs]
    return {
        "letter": protocol.spec.letters[name].label,
        # To whom the protocol addresses the letter ('melder'); empty: the template's own
        # addressee (the pupil's parents, or the pupil of age).
        "addressee": protocol.spec.letters[name].to or "",
        "protocol": protocol.spec.title,
        "case_id": case.id,
        "school": case.school,
        "subject": case.subject,
        "step": protocol.step(case.step).label,
        "facts": dict(case.facts),
        "deadlines": latest,
        "step_entered": dutch_date(local_date(entered.effective_at)),
        "motivation": entered.inputs.get("motivering") or (motivations[-1] if motivations else ""),
        "today": dutch_date(moment.astimezone(AMSTERDAM).date()),
        "kenmerk": f"{case.id}/{case.seq + 1}",
        "school_info": {**_school(school, case.school), **({"denominatie": denominatie} if denominatie else {})},
        "asked": {k: dutch_date(v) if _is_date(v) else v for k, v in (asked or {}).items()},
        "letter_terms": terms or {},
        "measures": _measures(latest),
        # The role in which the letter is made: a directeur signing for an openbaar bevoegd
        # gezag acts in mandate and the letter says so (Awb 10:10).
        "signer_role": role,
    }


def _school(record: SchoolRecord | None, school_id: str) -> dict[str, str]:
    if record is None:
        return {"name": school_id, "address": "", "board_name": f"het bevoegd gezag van {school_id}",
                "board_address": "", "denominatie": "", "sector": ""}
    return {
        "name": record.name,
        "address": record.address or "",
        "board_name": record.board_name or f"het bevoegd gezag van {record.name}",
        "board_address": record.board_address or "",
        "denominatie": record.denominatie or "",
        "sector": record.sector or "",
    }


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def weekday_date(value: str | None) -> str:
    """'maandag 23 november 2026'."""
    if not value:
        return "(onbekend)"
    day = date.fromisoformat(value)
    return f"{WEEKDAYS[day.weekday()]} {dutch_date(day)}"


def _measures(latest: dict[str, dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Measures (schorsing, time-out) with their first and last day: 'van maandag 23 november
    2026 tot en met zondag 29 november 2026'."""
    return {
        key: {"from": weekday_date(d["start_date"]), "to": weekday_date(d["due_date"]), "duration": d["duration"]}
        for key, d in latest.items()
        if d.get("rule") == "maatregel" and d.get("due_date")
    }
