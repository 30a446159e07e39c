"""Readers for files from a school's administration: EDEXML 2.1 and CSV, into an
``engine.pupils.Roster``. They check structure and name the line of any problem."""

from __future__ import annotations

from adapters.imports.csv_roster import read_csv
from adapters.imports.edexml import read_edexml
from engine.pupils import Roster


def read_roster(content: bytes, file: str) -> Roster:
    """An EDEXML file (XML) or a CSV, told apart by their content."""
    start = content[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return read_edexml(content, file) if start.startswith(b"<") else read_csv(content, file)


__all__ = ["read_csv", "read_edexml", "read_roster"]
