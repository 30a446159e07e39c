"""The calendar port: which days are feestdagen and which days a school is closed."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class Calendar(Protocol):
    def version(self, school: str) -> str:
        """Identifies the data behind the answers for this school, recorded with every deadline."""
        ...

    def is_feestdag(self, day: date) -> bool:
        """An algemeen erkende feestdag (Atw art. 3), including days added by Royal Decree."""
        ...

    def is_school_holiday(self, day: date, school: str) -> bool:
        """A day in the school's own holidays (its region's, with its overrides)."""
        ...
