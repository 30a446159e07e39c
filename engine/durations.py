"""Durations as protocols write them: "6 weken", "5 werkdagen", {maanden: 1}."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Unit(str, Enum):
    DAYS = "dagen"
    WEEKS = "weken"
    MONTHS = "maanden"
    YEARS = "jaren"
    WORKDAYS = "werkdagen"
    SCHOOLDAYS = "schooldagen"
    WEEK_END = "einde van de week"  # a measure "tot het einde van de week" (S1270)


_UNIT_WORDS: dict[str, Unit] = {
    "dag": Unit.DAYS,
    "dagen": Unit.DAYS,
    "week": Unit.WEEKS,
    "weken": Unit.WEEKS,
    "maand": Unit.MONTHS,
    "maanden": Unit.MONTHS,
    "jaar": Unit.YEARS,
    "jaren": Unit.YEARS,
    "werkdag": Unit.WORKDAYS,
    "werkdagen": Unit.WORKDAYS,
    "schooldag": Unit.SCHOOLDAYS,
    "schooldagen": Unit.SCHOOLDAYS,
}

_PATTERN = re.compile(r"^\s*([0-9]{1,4})\s+([a-z]+)\s*$")  # ASCII digits: '٥ werkdagen' is no duration
_WEEK_END = re.compile(r"^\s*tot\s+(het\s+)?einde\s+van\s+de\s+week\s*$")


MAX_DAYS = 100 * 365  # a century: longer than any retention term, and dates stay computable


class DurationSyntaxError(ValueError):
    pass


def _brief(text: str, limit: int = 40) -> str:
    """A value as a message repeats it: whole when short, its start when not."""
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Duration:
        if _WEEK_END.match(text.lower()):
            return cls(1, Unit.WEEK_END)
        match = _PATTERN.match(text.lower())
        if not match:
            raise DurationSyntaxError(
                f"duur '{_brief(text)}' niet begrepen; schrijf bijvoorbeeld '6 weken', '5 werkdagen' of 'tot het einde van de week'"
            )
        amount, word = int(match.group(1)), match.group(2)
        unit = _UNIT_WORDS.get(word)
        if unit is None:
            known = ", ".join(u.value for u in Unit if u is not Unit.WEEK_END)
            raise DurationSyntaxError(f"onbekende eenheid '{word}' in '{_brief(text)}'; bekend: {known}")
        if amount == 0 and unit is not Unit.DAYS:
            raise DurationSyntaxError(f"duur '{_brief(text)}' moet minstens 1 zijn; alleen '0 dagen' (dezelfde dag) kan")
        duration = cls(amount, unit)
        if duration.approx_days() > MAX_DAYS:
            raise DurationSyntaxError(f"duur '{_brief(text)}' is te lang; hoogstens {MAX_DAYS // 365} jaar")
        return duration

    @classmethod
    def from_mapping(cls, mapping: dict[str, int]) -> Duration:
        if len(mapping) != 1:
            raise DurationSyntaxError("een duur heeft precies één eenheid, bijvoorbeeld {weken: 6}")
        ((word, amount),) = mapping.items()
        return cls.parse(f"{amount} {word}")

    def shorter_than(self, other: Duration) -> bool:
        """Exact within a unit; across units by typical calendar length (werkdagen and
        schooldagen as 7/5 of a day), which is how legal floors and ceilings are compared."""
        if self.unit is other.unit:
            return self.amount < other.amount
        return self.approx_days() < other.approx_days()

    def approx_days(self) -> float:
        """Typical calendar length in days."""
        factor = {
            Unit.DAYS: 1,
            Unit.WEEKS: 7,
            Unit.MONTHS: 30,
            Unit.YEARS: 365,
            Unit.WORKDAYS: 7 / 5,
            Unit.SCHOOLDAYS: 7 / 5,
            Unit.WEEK_END: 5,  # at most Monday to Friday
        }[self.unit]
        return self.amount * factor

    def __str__(self) -> str:
        if self.unit is Unit.WEEK_END:
            return "tot het einde van de week"
        singular = {
            Unit.DAYS: "dag",
            Unit.WEEKS: "week",
            Unit.MONTHS: "maand",
            Unit.YEARS: "jaar",
            Unit.WORKDAYS: "werkdag",
            Unit.SCHOOLDAYS: "schooldag",
        }
        return f"{self.amount} {singular[self.unit] if self.amount == 1 else self.unit.value}"
