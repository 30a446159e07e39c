"""Letters a protocol requires: what goes into them, and the port that renders them.

The engine decides what a letter says (the case, its recorded facts and motivations, its
computed deadlines); an adapter turns that into HTML and PDF. The letter's hashes go into
the audit trail, the letter itself is stored with the case.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from typing import Protocol as Port

from engine.case import Case
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


def letter_context(protocol: Protocol, case: Case, events: list[Event], name: str, moment: datetime) -> dict[str, Any]:
    """Everything a template may use, all of it recorded in the case."""
    latest: dict[str, dict[str, Any]] = {}
    for d in sorted(case.deadlines.values(), key=lambda d: int(d.key.rsplit("@", 1)[1])):
        latest[d.id] = {**d.to_dict(), "due": dutch_date(d.due_date), "start": dutch_date(d.start_date)}
    entered = next((e for e in reversed(events) if e.to_step == case.step and e.from_step != case.step), events[0])
    motivations = [e.inputs["motivering"] for e in events if "motivering" in e.inputs]
    return {
        "letter": protocol.spec.letters[name].label,
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
    }
