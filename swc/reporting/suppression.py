"""Statistical disclosure control for every figure that leaves the unit.

Pure functions, no ORM. The rule (docs/data.md, "Suppression"):

* *Primary suppression*: a count from 1 to 5 is shown as ``c``. Zero is shown:
  "no child" discloses nothing about a child.
* *Secondary suppression*: a table is published with its row totals, column
  totals and grand total. Each row and each column (totals included) is a sum,
  so a line with exactly one hidden entry gives it away by subtraction. While
  any line has exactly one hidden entry, the smallest other visible entry of
  that line is hidden too (a non-zero one first, then a zero), row by row and
  column by column until nothing changes.

The work is done on the *augmented* grid: the data cells with a column of row
totals on the right and a row of column totals (and the grand total) below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SUPPRESSED = "c"
PRIMARY_MIN = 1
PRIMARY_MAX = 5


def count_is_disclosive(value: int) -> bool:
    """A count from 1 to 5 could identify a child and is never shown."""
    return PRIMARY_MIN <= value <= PRIMARY_MAX


def count_display(value: int, suppressed: bool) -> str:
    """How a count is printed: ``c`` when suppressed, the number otherwise."""
    return SUPPRESSED if suppressed else str(value)


def grid_augment(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The grid with its row totals as a last column and column totals as a last row."""
    width = len(cells[0]) if cells else 0
    rows = [[*list(row), sum(row)] for row in cells]
    totals = [sum(row[j] for row in rows) for j in range(width + 1)]
    return [*rows, totals]


def _lines(height: int, width: int) -> list[list[tuple[int, int]]]:
    rows = [[(i, j) for j in range(width)] for i in range(height)]
    columns = [[(i, j) for i in range(height)] for j in range(width)]
    return rows + columns


def augmented_suppress(grid: Sequence[Sequence[int]]) -> list[list[bool]]:
    """Which entries of an augmented grid (totals included) to hide.

    Primary suppression first, then secondary suppression until every row and
    column has either no hidden entry or at least two.
    """
    height = len(grid)
    width = len(grid[0]) if height else 0
    hidden = [[count_is_disclosive(grid[i][j]) for j in range(width)] for i in range(height)]
    lines = _lines(height, width)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden_here = [pos for pos in line if hidden[pos[0]][pos[1]]]
            if len(hidden_here) != 1:
                continue
            visible = [pos for pos in line if not hidden[pos[0]][pos[1]]]
            if not visible:
                continue
            # Smallest non-zero entry first: it costs the reader least, and a
            # zero is often known anyway; a zero only when nothing else is left.
            pos = min(visible, key=lambda p: (grid[p[0]][p[1]] == 0, grid[p[0]][p[1]], p))
            hidden[pos[0]][pos[1]] = True
            changed = True
    return hidden


@dataclass(frozen=True)
class SuppressedTable:
    """A two-way table ready to publish: every entry is a number as text, or ``c``."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    row_totals: tuple[str, ...]
    column_totals: tuple[str, ...]
    grand_total: str


def table_suppress(
    row_labels: Sequence[str], column_labels: Sequence[str], cells: Sequence[Sequence[int]]
) -> SuppressedTable:
    """Primary and secondary suppression of a table published with its totals."""
    if len(cells) != len(row_labels) or any(len(row) != len(column_labels) for row in cells):
        raise ValueError("cells must have one row per row label and one column per column label")
    grid = grid_augment(cells) if cells else [[0] * (len(column_labels) + 1)]
    hidden = augmented_suppress(grid)
    shown = [
        [count_display(grid[i][j], hidden[i][j]) for j in range(len(grid[i]))]
        for i in range(len(grid))
    ]
    body = shown[:-1]
    return SuppressedTable(
        row_labels=tuple(row_labels),
        column_labels=tuple(column_labels),
        cells=tuple(tuple(row[:-1]) for row in body),
        row_totals=tuple(row[-1] for row in body),
        column_totals=tuple(shown[-1][:-1]),
        grand_total=shown[-1][-1],
    )


def counts_suppress(counts: Mapping[str, int]) -> tuple[dict[str, str], str]:
    """A one-way breakdown and its total: ``({label: shown}, total shown)``.

    The same rule on a single line: a lone hidden count takes the next smallest
    with it, and a total of 1 to 5 is hidden as well.
    """
    labels = list(counts)
    values = [counts[label] for label in labels]
    line = [[*values, sum(values)]]
    hidden = augmented_suppress(line)[0]
    shown = {label: count_display(values[k], hidden[k]) for k, label in enumerate(labels)}
    return shown, count_display(line[0][-1], hidden[-1])
