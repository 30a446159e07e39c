"""What a handler types: input values and the moment an action took effect."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time

from engine.errors import InputError, InvalidEffectiveDate, MissingInput
from engine.protocol.model import Protocol
from engine.protocol.schema import InputSpec
from engine.terms import AMSTERDAM, local_date


def check_inputs(protocol: Protocol, inputs: Mapping[str, str], today: date) -> dict[str, str]:
    """Validated and normalised values; an unknown or bad field is named in the error."""
    known = protocol.inputs()
    values: dict[str, str] = {}
    for name, raw in inputs.items():
        spec = known.get(name)
        if spec is None:
            raise InputError(name, f"onbekend veld; dit protocol kent: {', '.join(sorted(known))}")
        values[name] = coerce(name, spec, raw, today)
    return values


def coerce(name: str, spec: InputSpec, raw: str, today: date) -> str:
    value = str(raw).strip()
    if not value:
        raise MissingInput(name, spec.label)
    if spec.type == "datum":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InputError(name, f"'{value}' is geen datum; schrijf JJJJ-MM-DD") from None
        if day > today and not spec.future:
            raise InputError(name, f"{day.isoformat()} ligt in de toekomst")
        return day.isoformat()
    if spec.type == "keuze" and value not in (spec.options or []):
        raise InputError(name, f"'{value}' is geen keuze; kies uit {', '.join(spec.options or [])}")
    if spec.type == "akkoord" and value.lower() != "ja":
        raise InputError(name, "akkoord geef je met 'ja'")
    if spec.type == "getal" and not value.lstrip("-").isdigit():
        raise InputError(name, f"'{value}' is geen geheel getal")
    return value.lower() if spec.type == "akkoord" else value


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
        moment = stated.astimezone(UTC)
    elif stated == local_date(now):
        moment = now
    else:
        moment = datetime.combine(stated, time(12, 0), tzinfo=AMSTERDAM).astimezone(UTC)
        if previous is not None and stated == local_date(previous) and moment < previous:
            moment = previous
    if moment > now:
        raise InvalidEffectiveDate(f"{_show(moment)} ligt in de toekomst")
    if previous is not None and moment < previous:
        raise InvalidEffectiveDate(f"{_show(moment)} ligt voor de vorige gebeurtenis ({_show(previous)})")
    return moment


def _show(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
