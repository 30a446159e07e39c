"""The Dutch calendar: feestdagen (Atw art. 3), Royal Decree days and school holidays.

Feestdagen come from ``holidays`` (NL, categories public + optional, which together are
Atw art. 3 lid 1-2), the days added by Royal Decree from a versioned data file, and school
holidays from ``holidays``' school category per region, with per-school overrides.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib.metadata import version as package_version
from pathlib import Path

import holidays
import yaml

DECREE_FILE = Path(__file__).parent / "data" / "feestdagen_kb.yaml"
REGIONS = ("noord", "midden", "zuid")
DEFAULT_REGION = "midden"


@dataclass(frozen=True)
class SchoolCalendarSettings:
    """A school's holiday region and its own deviations from the advised dates."""

    region: str = DEFAULT_REGION
    extra_free_days: frozenset[date] = field(default_factory=frozenset)
    extra_school_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.region not in REGIONS:
            raise ValueError(f"onbekende regio '{self.region}'; kies uit {', '.join(REGIONS)}")

    def fingerprint(self) -> str:
        if not self.extra_free_days and not self.extra_school_days:
            return self.region
        body = json.dumps(
            [sorted(d.isoformat() for d in self.extra_free_days), sorted(d.isoformat() for d in self.extra_school_days)]
        )
        return f"{self.region}+{hashlib.sha256(body.encode()).hexdigest()[:8]}"


def date_range(first: date, last: date) -> frozenset[date]:
    return frozenset(first + timedelta(days=i) for i in range((last - first).days + 1))


def load_school_settings(path: Path) -> dict[str, SchoolCalendarSettings]:
    """Read a schools file::

        de-linde:
          regio: noord
          vrij: ["2026-03-09..2026-03-10", "2026-06-19"]    # extra days off (studiedagen)
          schooldagen: ["2026-10-23"]                        # advised holiday, but school is open

    Errors name the file, the school and the field.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: verwacht per school een blok met regio, vrij en schooldagen")
    settings = {}
    for school, entry in data.items():
        entry = entry or {}
        unknown = set(entry) - {"regio", "vrij", "schooldagen"}
        if unknown:
            raise ValueError(f"{path}: school {school}: onbekend veld {', '.join(sorted(unknown))}")
        try:
            settings[str(school)] = SchoolCalendarSettings(
                region=str(entry.get("regio", DEFAULT_REGION)),
                extra_free_days=_days(entry.get("vrij", [])),
                extra_school_days=_days(entry.get("schooldagen", [])),
            )
        except ValueError as exc:
            raise ValueError(f"{path}: school {school}: {exc}") from None
    return settings


def _days(items: list[object]) -> frozenset[date]:
    days: set[date] = set()
    for item in items:
        first, _, last = str(item).partition("..")
        try:
            days |= date_range(date.fromisoformat(first), date.fromisoformat(last or first))
        except ValueError:
            raise ValueError(f"'{item}' is geen datum of periode (JJJJ-MM-DD of JJJJ-MM-DD..JJJJ-MM-DD)") from None
    return frozenset(days)


@dataclass(frozen=True)
class DecreeDays:
    version: str
    days: frozenset[date]

    @classmethod
    def load(cls, path: Path = DECREE_FILE) -> DecreeDays:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            version=str(data["version"]),
            days=frozenset(date.fromisoformat(str(d["date"])) for d in data["days"]),
        )


@lru_cache(maxsize=64)
def _feestdagen(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year, categories=("public", "optional")).keys())


@lru_cache(maxsize=256)
def _school_holidays(year: int, region: str) -> frozenset[date]:
    found = holidays.country_holidays("NL", years=year, categories=("school",), subdiv=region.capitalize())
    return frozenset(found.keys())


class DutchCalendar:
    """Implements engine.calendar.Calendar."""

    def __init__(
        self,
        schools: dict[str, SchoolCalendarSettings] | None = None,
        decree: DecreeDays | None = None,
    ) -> None:
        self._schools = dict(schools or {})
        self._decree = decree or DecreeDays.load()
        self._base_version = f"{self._decree.version}/holidays-{package_version('holidays')}"

    def settings(self, school: str) -> SchoolCalendarSettings:
        return self._schools.get(school, SchoolCalendarSettings())

    def version(self, school: str) -> str:
        return f"{self._base_version}/{self.settings(school).fingerprint()}"

    def is_feestdag(self, day: date) -> bool:
        return day in _feestdagen(day.year) or day in self._decree.days

    def is_school_holiday(self, day: date, school: str) -> bool:
        settings = self.settings(school)
        if day in settings.extra_school_days:
            return False
        if day in settings.extra_free_days:
            return True
        return day in _school_holidays(day.year, settings.region)
