"""How long one PDF takes in a warm server process: a report (tables_to_pdf, 300 rows) and a
letter (html_to_pdf), each made 10 times after one warm-up; median and slowest, in CPU seconds of this process (the machine is shared). Both embed
DejaVu Sans (adapters/pdf_fonts.py), whose parsed form a process keeps across PDFs.

    .venv/bin/python benchmarks/pdf_timing.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.letter_renderer import html_to_pdf
from adapters.report_pdf import PdfTable, tables_to_pdf

MOMENT = datetime(2026, 12, 6, tzinfo=UTC)
LETTER = "<h1>Uitnodiging</h1>" + "".join(
    f"<p>Beste ouder van Şahin Yıldız, Łukasz en Nguyễn: alinea {i} van de brief, met <b>vet</b>.</p>" for i in range(30)
)


def timed(make: Callable[[], bytes], runs: int = 10) -> tuple[float, float, float]:
    started = time.process_time()
    make()
    first = time.process_time() - started
    times = []
    for _ in range(runs):
        started = time.process_time()
        make()
        times.append(time.process_time() - started)
    return first, statistics.median(times), max(times)


def main() -> None:
    table = PdfTable("Zaken", ["zaak", "protocol", "stap", "school"], [[f"z{i}", "gedrag", "Gesprek met Şahin", "De Linde"] for i in range(300)])
    rows = [
        ("report PDF (300 rows)", timed(lambda: tables_to_pdf("Jaarverslag", ["Een notitie."], [table], MOMENT))),
        ("letter PDF", timed(lambda: html_to_pdf(LETTER, "uitnodiging", MOMENT))),
    ]
    print("| PDF | first CPU ms (fonts parsed) | median CPU ms | slowest CPU ms |")
    print("|---|---|---|---|")
    for what, (first, median, slowest) in rows:
        print(f"| {what} | {first * 1000:.0f} | {median * 1000:.0f} | {slowest * 1000:.0f} |")


if __name__ == "__main__":
    main()
