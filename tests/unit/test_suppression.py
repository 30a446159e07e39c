"""Complementary suppression (engine/suppression.py): small counts hidden so that no total
gives one back."""

from __future__ import annotations

import random

import pytest

from engine.suppression import PRIMARY, SECONDARY, recomputable, shown, suppress


def by_subtraction(ext: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """What a reader recomputes from the visible entries: any line (row or column of the
    table with its totals) with one unknown entry gives it; repeated until nothing changes."""
    m1, n1 = len(ext), len(ext[0])
    unknown = set(hidden)
    found: set[tuple[int, int]] = set()
    lines = [[(i, j) for j in range(n1)] for i in range(m1)] + [[(i, j) for i in range(m1)] for j in range(n1)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            missing = [e for e in line if e in unknown]
            if len(missing) == 1:
                unknown.discard(missing[0])
                found.add(missing[0])
                changed = True
    return found


def test_a_small_count_is_hidden_with_a_second_cell_in_its_row_and_column() -> None:
    table = suppress([[3, 10, 12], [8, 9, 20]])
    assert table.why(0, 0) == PRIMARY
    # the row and column of the 3 each need a second hidden cell: the smallest non-zero ones
    assert table.why(0, 1) == SECONDARY
    assert table.why(1, 0) == SECONDARY
    assert table.why(1, 1) == SECONDARY
    assert shown(table, 0, 0) == "<5" and shown(table, 0, 1) == "x" and shown(table, 0, 2) == "12"
    assert shown(table, 0, 3) == "25"  # row total still shown: 25 - 12 leaves 3 + 10 together
    assert not by_subtraction(table.extended(), set(table.hidden))
    assert not recomputable(table.extended(), set(table.hidden))


def test_a_single_column_hides_its_total_when_nothing_else_can_be_hidden() -> None:
    table = suppress([[2], [0]])
    assert table.why(0, 0) == PRIMARY
    # the row total (=2) is itself small; the column total would give it back: hidden too
    assert table.why(2, 0) is not None
    assert not recomputable(table.extended(), set(table.hidden))


def test_without_small_counts_nothing_is_hidden() -> None:
    table = suppress([[5, 6], [0, 7]])
    assert table.hidden == {}
    assert table.extended() == [[5, 6, 11], [0, 7, 7], [5, 13, 18]]


def test_the_naive_rule_alone_would_fail_this_check() -> None:
    """The checker is able to fail: hiding only the small cell leaves it recomputable."""
    ext = suppress([[3, 10], [8, 9]]).extended()
    assert by_subtraction(ext, {(0, 0)}) == {(0, 0)}
    assert recomputable(ext, {(0, 0)}) == {(0, 0)}


def test_ragged_or_negative_tables_are_refused() -> None:
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1]])


@pytest.mark.parametrize("seed", range(300))
def test_no_hidden_count_can_be_recomputed_from_a_random_table(seed: int) -> None:
    rng = random.Random(seed)
    m, n = rng.randint(1, 6), rng.randint(1, 6)
    cells = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _ in range(n)] for _ in range(m)]
    table = suppress(cells)
    ext = table.extended()
    hidden = set(table.hidden)
    assert not by_subtraction(ext, hidden), (cells, sorted(hidden))
    assert not recomputable(ext, hidden), (cells, sorted(hidden))
    # every small count is hidden; every line holds no hidden entry or at least two
    for i in range(m + 1):
        for j in range(n + 1):
            if 0 < ext[i][j] < 5:
                assert table.why(i, j) == PRIMARY
    for i in range(m + 1):
        assert sum(1 for j in range(n + 1) if (i, j) in hidden) != 1
    for j in range(n + 1):
        assert sum(1 for i in range(m + 1) if (i, j) in hidden) != 1
