"""What the forms share: the labels of the fields the engine names by id, its errors said
with those labels, and the dates people type."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from engine.errors import InputError, TredeError
from engine.inputs import parse_clock, parse_day
from engine.protocol.model import Protocol
from engine.terms import AMSTERDAM

# What the forms call the fields the engine names by id (protocol inputs add their own labels).
FORM_LABELS = {
    "effective": "Datum waarop dit gebeurde",
    "notitie": "Notitie",
    "bestand": "Bestand",
    "omschrijving": "Omschrijving",
    "school": "School",
    "protocol": "Protocol",
    "subject": "Pseudoniem",
    "leerling": "Pseudoniem",
    "group": "Groep",
    "role": "Rol",
}


def labelled(message: str, field: str, labels: Mapping[str, str] = FORM_LABELS) -> str:
    """The engine names a field by its id ("effective: ..."); a person reads its label."""
    prefix = f"{field}: "
    if not field or not message.startswith(prefix):
        return message
    label = labels.get(field) or FORM_LABELS.get(field, field)
    rest = message[len(prefix) :]
    named, colon, said = rest.partition(": ")
    if colon and _names(named, field, label):  # the engine named the field again: once is enough
        rest = said
    return f"{label}: {rest}"


def _names(named: str, field: str, label: str) -> bool:
    """Whether ``named`` is the field: its id, its label or words of it ("pseudoniem")."""
    words = named.strip().casefold()
    if words == field.casefold():
        return True
    return len(words) >= 4 and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", label.casefold()) is not None


def input_labels(protocol: Protocol) -> dict[str, str]:
    return {**FORM_LABELS, **{name: spec.label for name, spec in protocol.inputs().items()}}


def said(exc: TredeError, labels: Mapping[str, str] = FORM_LABELS) -> str:
    """An engine error as a form shows it: the field by its label."""
    return labelled(exc.message, str(exc.fields.get("field", "")), labels)



def form_date(value: str, field: str, label: str | None = None) -> date | None:
    """A date typed in a form (dag-maand-jaar); empty: none. ``label``: as the form shows it."""
    return parse_day(field, value, label or FORM_LABELS.get(field, field)) if value.strip() else None


def form_moment(day: str, at: str, field: str, label: str, today: date) -> date | datetime | None:
    """A date and an optional time of day typed in a form (dag-maand-jaar, uu:mm), in Dutch
    time; a time without a date is one of today. Neither: none (the engine takes now)."""
    chosen = form_date(day, field, label)
    if not at.strip():
        return chosen
    return datetime.combine(chosen or today, parse_clock(field, at, f"{label} (tijd)"), tzinfo=AMSTERDAM)


def departure_day(value: str) -> date:
    """The day a pupil left, as the departure forms ask it (required)."""
    day = form_date(value, "datum", "Dag van vertrek")
    if day is None:
        raise InputError("datum", "vul de dag van vertrek in")
    return day
