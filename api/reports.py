"""Charts for the report pages: small server-side SVG, no scripts."""

from __future__ import annotations

import textwrap
from html import escape

from engine.usecases.reports import Table

WIDTH = 640
LABEL_CHARS = 42  # a label line of at most this many characters fits the label column at 12 px
LINE = 15  # px between the lines of one label
BAR_X = 320  # the bars start right of the label column
BAR_WIDTH = 280


def label_lines(label: str) -> list[str]:
    """A row's label on as many lines as it needs, broken between words: never cut off, so
    that rows that differ only at the end still read differently."""
    return textwrap.wrap(label, LABEL_CHARS, break_long_words=False, break_on_hyphens=False) or [""]


def bar_chart(table: Table, value_column: int, label_columns: list[int]) -> str:
    """A small horizontal bar chart as SVG (server-side, no scripts). Each row's label wraps
    over lines of its own and the row is as tall as its label."""
    rows = [(" · ".join(str(r[i]) for i in label_columns), r[value_column]) for r in table.rows]
    numbers = [int(v) if str(v).isdigit() else 0 for _, v in rows]
    top = max(numbers, default=0) or 1
    labels = [label_lines(label) for label, _ in rows]
    height = sum(max(len(lines) * LINE + 9, 24) for lines in labels) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(table.title)}" font-family="system-ui, sans-serif" font-size="12">'
    ]
    y = 5
    for (_, value), number, lines in zip(rows, numbers, labels, strict=True):
        row_height = max(len(lines) * LINE + 9, 24)
        width = BAR_WIDTH * number / top
        bar_y = y + (row_height - 16) / 2 - 2
        spans = "".join(
            f'<tspan x="0" dy="{0 if n == 0 else LINE}">{escape(line)}</tspan>' for n, line in enumerate(lines)
        )
        out.append(f'<text class="label" y="{y + 15}">{spans}</text>')
        out.append(f'<rect x="{BAR_X}" y="{bar_y:.0f}" width="{width:.0f}" height="16" fill="#0b5cab"/>')
        out.append(f'<text x="{BAR_X + 6 + width:.0f}" y="{bar_y + 12:.0f}">{escape(str(value))}</text>')
        y += row_height
    out.append("</svg>")
    return "\n".join(out)
