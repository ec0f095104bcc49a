"""Disclosure control: primary and secondary suppression, by hand and by property."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from swc.reporting.suppression import (
    augmented_suppress,
    counts_suppress,
    grid_augment,
    table_suppress,
)


def test_counts_of_one_to_five_are_c_and_zero_is_shown() -> None:
    shown, total = counts_suppress({"a": 0, "b": 3, "c": 12, "d": 20, "e": 6})
    # b=3 is hidden; alone it could be worked out from the total, so the next
    # smallest non-zero count (e=6) is hidden too. Zero stays visible.
    assert shown == {"a": "0", "b": "c", "c": "12", "d": "20", "e": "c"}
    assert total == "41"


def test_nothing_small_nothing_hidden() -> None:
    shown, total = counts_suppress({"a": 0, "b": 6, "c": 40})
    assert shown == {"a": "0", "b": "6", "c": "40"}
    assert total == "46"


def test_a_small_total_is_hidden_with_its_cells() -> None:
    shown, total = counts_suppress({"a": 2, "b": 0, "c": 1})
    assert shown == {"a": "c", "b": "0", "c": "c"}
    assert total == "c"


def test_two_small_cells_need_no_secondary() -> None:
    shown, total = counts_suppress({"a": 2, "b": 4, "c": 30})
    assert shown == {"a": "c", "b": "c", "c": "30"}
    assert total == "36"


def test_secondary_suppression_in_a_two_way_table() -> None:
    # Worked by hand:
    #              placed  withdrawn  closed | total
    #   London        10          3      8  |   21
    #   South East    12          7      9  |   28
    #   total         22         10     17  |   49
    # London/withdrawn (3) is primary. Row London then has one hidden cell:
    # hide its smallest other non-zero, closed (8). Column withdrawn has one
    # hidden cell: hide South East/withdrawn (7). Column closed: hide South
    # East/closed (9). Row South East now has two hidden cells; stable.
    table = table_suppress(
        ["London", "South East"],
        ["placed", "withdrawn", "closed"],
        [[10, 3, 8], [12, 7, 9]],
    )
    assert table.cells == (("10", "c", "c"), ("12", "c", "c"))
    assert table.row_totals == ("21", "28")
    assert table.column_totals == ("22", "10", "17")
    assert table.grand_total == "49"


def test_zero_is_hidden_only_when_nothing_else_is_left() -> None:
    hidden = augmented_suppress([[4, 0, 0, 4]])
    assert hidden == [[True, False, False, True]]
    hidden = augmented_suppress([[0, 4, 0, 10, 14]])
    # 4 is primary; its line partner is the smallest non-zero visible: 10.
    assert hidden == [[False, True, False, True, False]]


grids = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.integers(min_value=1, max_value=5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(min_value=0, max_value=30), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@given(grids)
def test_no_line_has_exactly_one_hidden_entry_and_no_small_count_is_shown(
    cells: list[list[int]],
) -> None:
    grid = grid_augment(cells)
    hidden = augmented_suppress(grid)
    height, width = len(grid), len(grid[0])
    for i in range(height):
        for j in range(width):
            if not hidden[i][j]:
                assert not 1 <= grid[i][j] <= 5
    for i in range(height):
        assert sum(hidden[i]) != 1 or width == 1
    for j in range(width):
        assert sum(hidden[i][j] for i in range(height)) != 1


@given(grids)
def test_published_table_shows_only_c_or_safe_numbers(cells: list[list[int]]) -> None:
    labels_r = [f"r{i}" for i in range(len(cells))]
    labels_c = [f"k{j}" for j in range(len(cells[0]))]
    table = table_suppress(labels_r, labels_c, cells)
    everything = [
        *(v for row in table.cells for v in row),
        *table.row_totals,
        *table.column_totals,
        table.grand_total,
    ]
    for value in everything:
        assert value == "c" or not 1 <= int(value) <= 5
    # Shown cells are the true values.
    for i, row in enumerate(table.cells):
        for j, value in enumerate(row):
            assert value == "c" or int(value) == cells[i][j]


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.integers(0, 40), max_size=8))
def test_one_way_breakdowns_never_leave_a_single_hidden_count(counts: dict[str, int]) -> None:
    shown, total = counts_suppress(counts)
    line = [*shown.values(), total]
    assert line.count("c") != 1
    for value in line:
        assert value == "c" or not 1 <= int(value) <= 5
