"""Letters a protocol requires: what goes into them, and the port that renders them.

The engine decides what a letter says (the case, its recorded facts and motivations, its
computed deadlines); an adapter turns that into HTML and PDF. The letter's hashes go into
the audit trail, the letter itself is stored with the case.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any
from typing import Protocol as Port

from engine.case import Case
from engine.errors import InputError

if TYPE_CHECKING:  # engine.ports imports this module
    from engine.ports import SchoolLogo, SchoolRecord
from engine.events import Event
from engine.protocol.model import Protocol
from engine.protocol.schema import InputSpec
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
    """A letter's HTML, and its PDF made from it when first asked: a preview on a page shows
    only the HTML (its confirmation covers the HTML, not the PDF), so it makes no PDF."""

    html: str
    make_pdf: Callable[[], bytes] = field(repr=False, compare=False)

    @cached_property
    def pdf(self) -> bytes:
        return self.make_pdf()

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

    def check_image(self, media_type: str, content: bytes) -> None:
        """Refuse (InputError on 'logo') an image the PDF could not carry: decoded once, on
        upload, so that no letter fails on it later."""
        ...


@dataclass(frozen=True)
class LetterPreview:
    """A letter as it would be stored, before anything is recorded: the writer checks it and
    confirms with ``confirmation``; the letter stored, and what it records, are then exactly these."""

    case_id: str
    name: str
    label: str
    rendered: RenderedLetter
    confirmation: str  # the letter and every value it records: what ``letter(expected_sha256=)`` checks
    values: dict[str, str]  # what the letter asked, as checked (typed again on confirming)
    asks: tuple[str, ...] = ()  # the letter's fields, to change them on the preview's form
    accepts: tuple[str, ...] = ()
    fields: dict[str, InputSpec] = field(default_factory=dict)  # their labels and types

    @property
    def html(self) -> str:
        return self.rendered.html

    @property
    def pdf(self) -> bytes:  # made only when asked (trede case letter --preview --out x.pdf)
        return self.rendered.pdf

    @property
    def sha256_html(self) -> str:
        return self.rendered.sha256_html


@dataclass(frozen=True)
class StoredLetter:
    case_id: str
    seq: int
    name: str
    html: str
    pdf: bytes
    sha256_html: str
    sha256_pdf: str


# The inputs a letter may ask for its address block (docs/protocol-format.md, Letters): the
# name and the postal address as they go on the envelope. Free text (type tekst), so kept as
# personal values of the case, erased with it; checked here as a name and an address.
# How long after it is made a letter may say it goes out: its sending date starts the remedy
# term (Awb 6:8), so a date far ahead would park that term; later, the letter is made again.
SENDING_WINDOW = timedelta(days=14)
ADDRESSEE_NAME = "geadresseerde_naam"
ADDRESSEE_ADDRESS = "geadresseerde_adres"
NAME_LIMIT = 100
ADDRESS_LINES = (2, 5)  # street and number, postcode and place; abroad also the country
LINE_LIMIT = 60  # what fits a window envelope's line
_POSTCODE = re.compile(r"[1-9][0-9]{3} ?[A-Za-z]{2}\s+\S")


def address_lines(value: str) -> list[str]:
    """The lines of a postal address as typed: one per line, or on one line separated by
    commas ('Lindelaan 12, 3511 AB Utrecht')."""
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if len(lines) == 1:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return lines


def check_addressee(values: Mapping[str, str], labels: Mapping[str, str]) -> None:
    """A name and a postal address that a letter can be sent to; the message names the field
    by its label and never repeats what was typed (it is personal data)."""
    name = values.get(ADDRESSEE_NAME)
    if name is not None:
        label = labels.get(ADDRESSEE_NAME, ADDRESSEE_NAME)
        if len(name.splitlines()) > 1:
            raise InputError(ADDRESSEE_NAME, f"{label}: één regel; het adres komt in het veld eronder")
        if len(name) > NAME_LIMIT or not any(c.isalpha() for c in name):
            raise InputError(ADDRESSEE_NAME, f"{label}: vul een naam in (ten hoogste {NAME_LIMIT} tekens)")
    address = values.get(ADDRESSEE_ADDRESS)
    if address is not None:
        label = labels.get(ADDRESSEE_ADDRESS, ADDRESSEE_ADDRESS)
        lines = address_lines(address)
        low, high = ADDRESS_LINES
        example = "bijvoorbeeld 'Dorpsstraat 1' en op de volgende regel '1234 AB Plaats'"
        if not low <= len(lines) <= high or any(len(line) > LINE_LIMIT for line in lines):
            raise InputError(
                ADDRESSEE_ADDRESS,
                f"{label}: straat en huisnummer, postcode en plaats, elk op een eigen regel ({example}); "
                f"{low} tot {high} regels van ten hoogste {LINE_LIMIT} tekens",
            )
        postcode = next((i for i, line in enumerate(lines) if _POSTCODE.match(line)), None)
        if postcode is None and len(lines) < 3:
            raise InputError(
                ADDRESSEE_ADDRESS,
                f"{label}: de postcode en plaats ontbreken ({example}); een adres in het buitenland eindigt met het land",
            )
        if postcode == 0 or not any(c.isdigit() for c in lines[(postcode or len(lines) - 1) - 1]):
            raise InputError(ADDRESSEE_ADDRESS, f"{label}: de regel vóór de postcode noemt straat en huisnummer of postbus ({example})")


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
    logo: SchoolLogo | None = None,
) -> dict[str, Any]:
    """Everything a template may use, all of it recorded in the case or asked for the letter.
    ``logo``: the school's logo, carried inside the letter (None: the letter shows none). The letter is dated on the day it is sent or handed over when it asks that
    day (an input with ``dispatch``), else on the day it is made."""
    latest: dict[str, dict[str, Any]] = {}
    for d in sorted(case.deadlines.values(), key=lambda d: int(d.key.rsplit("@", 1)[1])):
        latest[d.id] = {**d.to_dict(), "due": dutch_date(d.due_date), "start": dutch_date(d.start_date)}
    entered = next((e for e in reversed(events) if e.to_step == case.step and e.from_step != case.step), events[0])
    motivations = [e.inputs["motivering"] for e in events if "motivering" in e.inputs]
    spec, known, given = protocol.spec.letters[name], protocol.inputs(), asked or {}
    sent = next((given[n] for n in spec.asks if n in given and n in known and known[n].dispatch), None)
    made = moment.astimezone(AMSTERDAM).date()
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
        "today": dutch_date(made),  # the day the letter is made
        "letter_date": dutch_date(sent or made),  # the date the letter carries
        "kenmerk": f"{case.id}/{case.seq + 1}",
        "school_info": {
            **_school(school, case.school),
            **({"denominatie": denominatie} if denominatie else {}),
            "logo": _logo(logo),
        },
        # The address block: name and postal address as asked (personal values of the case).
        "recipient": {
            "name": given.get(ADDRESSEE_NAME, ""),
            "lines": address_lines(given.get(ADDRESSEE_ADDRESS, "")),
        },
        "asked": {k: dutch_date(v) if _is_date(v) else v for k, v in (asked or {}).items()},
        "letter_terms": terms or {},
        "measures": _measures(latest),
        # The role in which the letter is made: a directeur signing for an openbaar bevoegd
        # gezag acts in mandate and the letter says so (Awb 10:10).
        "signer_role": role,
    }


LOGO_BOX = (170, 50)  # points (1/72 inch) in the PDF, CSS pixels in the HTML: about 6 x 1.8 cm


def _logo(logo: SchoolLogo | None) -> dict[str, Any] | None:
    """The logo as the template places it: inside the letter, scaled into the letterhead's box."""
    if logo is None:
        return None
    scale = min(LOGO_BOX[0] / logo.width, LOGO_BOX[1] / logo.height, 1.0)
    return {
        "src": logo.data_uri(),
        "width": max(1, round(logo.width * scale)),
        "height": max(1, round(logo.height * scale)),
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
