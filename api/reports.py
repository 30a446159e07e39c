"""Charts for the report pages: small server-side SVG, no scripts."""

from __future__ import annotations

from html import escape

from engine.usecases.reports import Table


def bar_chart(table: Table, value_column: int, label_columns: list[int]) -> str:
    """A small horizontal bar chart as SVG (server-side, no scripts)."""
    rows = [(" · ".join(str(r[i]) for i in label_columns), r[value_column]) for r in table.rows]
    numbers = [int(v) if str(v).isdigit() else 0 for _, v in rows]
    top = max(numbers, default=0) or 1
    height = 24 * len(rows) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {height}" width="100%" role="img" '
        f'aria-label="{escape(table.title)}" font-family="system-ui, sans-serif" font-size="12">'
    ]
    for i, ((label, value), number) in enumerate(zip(rows, numbers, strict=True)):
        y = 5 + i * 24
        width = 300 * number / top
        out.append(f'<text x="0" y="{y + 15}">{escape(label[:48])}</text>')
        out.append(f'<rect x="320" y="{y + 3}" width="{width:.0f}" height="16" fill="#0b5cab"/>')
        out.append(f'<text x="{326 + width:.0f}" y="{y + 15}">{escape(str(value))}</text>')
    out.append("</svg>")
    return "\n".join(out)
