"""Small counts suppressed, with complementary suppression (the yearly evaluation, issue 28).

A table of counts is shown with its row totals, column totals and grand total. A count
from 1 to ``threshold - 1`` is hidden (primary suppression: it could point at a pupil).
Hiding it is not enough when a total is shown: the total minus the visible cells gives the
hidden cell back. So, on the table extended with its totals (the row totals a column of
their own, the column totals a row, the grand total their corner), every line (a row or a
column, totals included) holds either no hidden entry or at least two; where a line holds
one, a second is hidden: the smallest visible non-zero cell, else the line's total
(secondary suppression). That is the standard rule; it stops subtraction along one line.

One line at a time is not the only attack: several lines together form a linear system,
and a pattern where every line has two hidden entries can still pin one down (two blocks
joined by a single cell). So the result is checked with exact linear algebra too: a hidden
entry whose value follows from the visible entries and the equations of the table is
unprotected, and another entry of its row (else its column) is hidden until none is. Zeros are shown
(no one is singled out by a zero) and never chosen as the second cell when another fits.

Pure: counts in, a mask out. Bounds (a hidden count is at least 1) are not treated as
revealing; a hidden primary cell is known only to lie between 1 and ``threshold - 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 5
PRIMARY, SECONDARY = "primair", "aanvullend"


@dataclass(frozen=True)
class Suppressed:
    """A table of counts with its totals and, per entry, why it is hidden (or None).

    ``cells[i][j]`` are the counts; ``row_totals[i]``, ``column_totals[j]`` and ``total``
    their sums. ``hidden`` maps an entry of the extended table, ``(i, j)`` with ``i ==
    rows`` for the column-totals row and ``j == columns`` for the row-totals column, to
    PRIMARY or SECONDARY."""

    cells: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int
    hidden: dict[tuple[int, int], str]

    def why(self, i: int, j: int) -> str | None:
        return self.hidden.get((i, j))

    def extended(self) -> list[list[int]]:
        """The table with its totals: rows of cells + row total, then the column totals + total."""
        return [[*row, t] for row, t in zip(self.cells, self.row_totals, strict=True)] + [[*self.column_totals, self.total]]


def suppress(cells: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> Suppressed:
    """Hide the small counts and enough others that none can be recomputed (module doc)."""
    table = tuple(tuple(int(c) for c in row) for row in cells)
    m = len(table)
    n = len(table[0]) if table else 0
    if any(len(row) != n for row in table) or any(c < 0 for row in table for c in row):
        raise ValueError("a table of counts has rows of one length and no negative counts")
    rows = tuple(sum(row) for row in table)
    cols = tuple(sum(table[i][j] for i in range(m)) for j in range(n))
    result = Suppressed(table, rows, cols, sum(rows), {})
    if m == 0 or n == 0:
        return result
    ext = result.extended()
    hidden: dict[tuple[int, int], str] = {}
    for i in range(m + 1):
        for j in range(n + 1):
            if 0 < ext[i][j] < threshold:
                hidden[(i, j)] = PRIMARY
    while True:
        _lines(ext, hidden, m, n)
        exposed = recomputable(ext, set(hidden))
        if not exposed:
            break
        i, j = min(exposed)
        visible = [(a, b) for a in range(m + 1) for b in range(n + 1) if (a, b) not in hidden]
        if not visible:  # pragma: no cover - everything hidden
            break
        # another entry of its row, else of its column, else any: the smallest non-zero first
        near = [e for e in visible if e[0] == i] or [e for e in visible if e[1] == j] or visible
        hidden[min(near, key=lambda e: (ext[e[0]][e[1]] == 0, ext[e[0]][e[1]], e))] = SECONDARY
    return Suppressed(table, rows, cols, result.total, hidden)


def _lines(ext: list[list[int]], hidden: dict[tuple[int, int], str], m: int, n: int) -> None:
    """Until every line of the extended table has no hidden entry or at least two."""
    changed = True
    while changed:
        changed = False
        lines = [[(i, j) for j in range(n + 1)] for i in range(m + 1)] + [
            [(i, j) for i in range(m + 1)] for j in range(n + 1)
        ]
        for line in lines:
            if sum(1 for e in line if e in hidden) != 1:
                continue
            cells = [e for e in line[:-1] if e not in hidden]
            nonzero = [e for e in cells if ext[e[0]][e[1]] > 0]
            total = line[-1]
            pick = min(nonzero, key=lambda e: (ext[e[0]][e[1]], e)) if nonzero else (
                total if total not in hidden else min(cells)
            )
            hidden[pick] = SECONDARY
            changed = True


def recomputable(ext: Sequence[Sequence[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The hidden entries of an extended table whose value follows from the visible entries
    and the table's equations (each row and column of the extended table: its cells sum to
    its last entry), by exact Gaussian elimination over the hidden entries."""
    m1 = len(ext)
    n1 = len(ext[0]) if ext else 0
    unknowns = sorted(hidden)
    if not unknowns:
        return set()
    index = {e: k for k, e in enumerate(unknowns)}
    lines = [[(i, j) for j in range(n1)] for i in range(m1)] + [[(i, j) for i in range(m1)] for j in range(n1)]
    matrix: list[list[Fraction]] = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for e in line:
            if e in index:
                row[index[e]] += -1 if e == line[-1] else 1
        if any(row):
            matrix.append(row)
    # reduced row echelon form; an unknown is determined when a row has it as its only entry
    pivots: list[int] = []
    r = 0
    for c in range(len(unknowns)):
        pivot = next((k for k in range(r, len(matrix)) if matrix[k][c] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][c]
        matrix[r] = [v / lead for v in matrix[r]]
        for k in range(len(matrix)):
            if k != r and matrix[k][c] != 0:
                factor = matrix[k][c]
                matrix[k] = [a - factor * b for a, b in zip(matrix[k], matrix[r], strict=True)]
        pivots.append(c)
        r += 1
    found = set()
    for k, c in enumerate(pivots):
        if sum(1 for v in matrix[k] if v != 0) == 1:
            found.add(unknowns[c])
    return found


def shown(table: Suppressed, i: int, j: int, threshold: int = THRESHOLD) -> str:
    """An entry as printed: the count, '<5' for a small count, 'x' for a cell hidden so that
    a small one cannot be recomputed."""
    why = table.why(i, j)
    if why == PRIMARY:
        return f"<{threshold}"
    if why == SECONDARY:
        return "x"
    return str(table.extended()[i][j])
