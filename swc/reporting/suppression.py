"""Statistical disclosure control for everything published for a period: the one place.

Pure functions, no ORM. Every figure that leaves the unit (the return's tables,
its measures and daily figures, the KPIs, the trend, the API, the XLSX and CSV)
is a *cell* of a ``Publication``: a count with a key. What is published
together is linked by *sums*: a table's total is the sum of its rows, a region
the sum of its authorities, the withdrawn referrals the sum of the withdrawal
reasons, a KPI's denominator the sum of its hits and (unpublished) misses. The
trend by month is built from each month's own cells, so it hides exactly what
the month's return hides.

``publication_suppress`` decides which cells to hide (docs/data.md,
"Statistical disclosure control"):

* *Primary*: a count from 1 to 5 is hidden, and so is any cell that is never
  printed but follows from printed ones (``implied``, such as a KPI's misses).
* *Secondary*, sum by sum: a sum with exactly one hidden member would give it
  away, and a sum whose hidden members add up to 1-5 (known from its printed
  total) gives away a small group. The cheapest printed member is hidden too:
  a table's inner cells before any total, a total before the national total,
  and among those the smallest cell big enough to lift the hidden group to 6.
* *Audit*: the sums are then solved as a linear programme, as an intruder
  would: for each hidden count of 1 to 5 the smallest and largest value it can
  take given everything printed. Unless it could be 6 or more (or, for a count
  never printed, 0), one more cell sharing a sum with it is hidden, and the
  rules run again.

Cells published before (a month's return, when its financial year's authority
table is decided) are *settled*: they keep the fate they were published with, and
only the new cells may be hidden (``Publication.include``).

Zeros are printed and never hidden, so a reader knows a ``[c]`` stands for at
least one: the audit assumes exactly that, and protection means a hidden count
could be 6 or more (a count never printed, such as the misses, may also be
protected by possibly being 0). Sums are decided per connected part of the
publication, so a cell's fate depends only on the figures it is linked to (the
trend and the month's return agree).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

# GSS / DfE symbols for official statistics.
SUPPRESSED = "[c]"  # confidential: hidden to protect children
NOT_APPLICABLE = "[z]"  # not applicable: the figure cannot exist
UNAVAILABLE = "[x]"  # not available: not collected for this period
REVISED = "[r]"  # revised since the version first published
SYMBOLS: tuple[tuple[str, str], ...] = (
    (
        SUPPRESSED,
        "Confidential: a count from 1 to 5, or a figure from which one could be "
        "worked out, is not shown. Zeros are always shown.",
    ),
    (
        NOT_APPLICABLE,
        "Not applicable: the figure cannot exist (for example a median of no values).",
    ),
    (UNAVAILABLE, "Not available: the figure was not collected for this period."),
    (REVISED, "Revised: the figure has changed since the version first published."),
)
PRIMARY_MIN = 1
PRIMARY_MAX = 5
# A hidden count is protected when an intruder cannot rule out 0, nor 6 or more.
PROTECTED_LOW = 0
PROTECTED_HIGH = PRIMARY_MAX + 1

Key = tuple[str, ...]


def count_is_disclosive(value: int) -> bool:
    """A count from 1 to 5 could identify a child and is never shown."""
    return PRIMARY_MIN <= value <= PRIMARY_MAX


def count_display(value: int, suppressed: bool) -> str:
    """How a count is printed: ``[c]`` when suppressed, the number otherwise."""
    return SUPPRESSED if suppressed else str(value)


@dataclass(frozen=True)
class Sum:
    """``total`` = the sum of ``parts``, as a reader of the publication knows."""

    total: Key
    parts: tuple[Key, ...]


@dataclass
class Publication:
    """Every count published together for a period, and how they add up.

    ``level`` ranks how costly a cell is to hide: 0 an inner cell, 1 a table's
    or a region's total, 2 a national total. ``implied`` cells are never printed
    but follow from printed ones; they are protected like any other.
    """

    cells: dict[Key, int] = field(default_factory=dict)
    sums: list[Sum] = field(default_factory=list)
    level: dict[Key, int] = field(default_factory=dict)
    implied: set[Key] = field(default_factory=set)
    # Cells in no sum that bound another cell (their leader) without adding up to it: the
    # distinct children referred bound the referrals (at most the children plus the
    # re-referrals). Printed beside a hidden leader they would narrow it, so they are
    # hidden whenever it is.
    follows: dict[Key, Key] = field(default_factory=dict)
    # Cells published before (a month's return, out before its financial year ends): their
    # fate is settled, True hidden, False printed. Only the other cells may be hidden to
    # protect what they add up with.
    settled: dict[Key, bool] = field(default_factory=dict)

    def add(self, key: Key, value: int, *, level: int = 0, implied: bool = False) -> Key:
        if key in self.cells and self.cells[key] != value:
            raise ValueError(f"cell {key} published twice with different values")
        self.cells[key] = value
        self.level[key] = max(level, self.level.get(key, 0))
        if implied:
            self.implied.add(key)
        return key

    def add_sum(self, total: Key, parts: Iterable[Key]) -> None:
        parts = tuple(parts)
        missing = [k for k in (total, *parts) if k not in self.cells]
        if missing:
            raise ValueError(f"sum over unknown cells {missing}")
        if sum(self.cells[k] for k in parts) != self.cells[total]:
            raise ValueError(f"{total} is not the sum of its parts")
        self.sums.append(Sum(total, parts))

    def add_follower(self, follower: Key, leader: Key) -> None:
        """``follower`` is hidden whenever ``leader`` is (see ``follows``)."""
        if follower not in self.cells or leader not in self.cells:
            raise ValueError(f"follower over unknown cells {follower}, {leader}")
        if any(follower in (s.total, *s.parts) for s in self.sums):
            raise ValueError(f"{follower} is in a sum: its hiding would need protecting too")
        self.follows[follower] = leader

    def include(self, other: Publication, prefix: Key, hidden: Iterable[Key]) -> None:
        """Add every cell and sum of ``other``, published before, each key after ``prefix``:
        the cells of ``hidden`` settled hidden, the others settled printed."""
        hidden = set(hidden)
        for key, value in other.cells.items():
            self.add((*prefix, *key), value, level=other.level.get(key, 0))
            self.settled[(*prefix, *key)] = key in hidden
        for s in other.sums:
            self.add_sum((*prefix, *s.total), [(*prefix, *p) for p in s.parts])


def publication_suppress(publication: Publication) -> frozenset[Key]:
    """The cells to hide so that no count of 1 to 5 can be worked out from the publication."""
    hidden: set[Key] = set()
    for component in _components(publication):
        hidden |= _component_suppress(
            tuple(sorted((k, publication.cells[k]) for k in component)),
            tuple(s for s in publication.sums if s.total in component),
            tuple(sorted((k, publication.level.get(k, 0)) for k in component)),
            frozenset(publication.implied & component),
            frozenset(k for k in component if publication.settled.get(k) is True),
            frozenset(k for k in component if publication.settled.get(k) is False),
        )
    # A follower is in no sum, so hiding it leaves every other cell's range as it was.
    hidden |= {k for k, leader in publication.follows.items() if leader in hidden}
    return frozenset(hidden)


def _components(publication: Publication) -> list[set[Key]]:
    parent: dict[Key, Key] = {k: k for k in publication.cells}

    def find(k: Key) -> Key:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for s in publication.sums:
        for part in s.parts:
            parent[find(part)] = find(s.total)
    groups: dict[Key, set[Key]] = {}
    for k in publication.cells:
        groups.setdefault(find(k), set()).add(k)
    return list(groups.values())


@lru_cache(maxsize=4096)
def _component_suppress(
    cells_items: tuple[tuple[Key, int], ...],
    sums: tuple[Sum, ...],
    level_items: tuple[tuple[Key, int], ...],
    implied: frozenset[Key],
    settled_hidden: frozenset[Key] = frozenset(),
    settled_printed: frozenset[Key] = frozenset(),
) -> frozenset[Key]:
    # Cached: the trend asks again for the months it has already decided.
    cells = dict(cells_items)
    level = dict(level_items)
    hidden = (
        ({k for k, v in cells.items() if count_is_disclosive(v)} - settled_printed)
        | set(implied)
        | set(settled_hidden)
    )
    if not sums:
        return frozenset(hidden)
    # A settled printed cell is out already: it can never be chosen to hide.
    while True:
        _sums_protect(cells, sums, level, hidden, implied, settled_printed)
        exposed = _exposed(cells, sums, hidden, implied)
        if not exposed:
            return frozenset(hidden)
        if not any(_widen(k, cells, sums, level, hidden, settled_printed) for k in exposed):
            return frozenset(hidden)


def publication_exposed(publication: Publication, hidden: Iterable[Key]) -> list[Key]:
    """The hidden counts of 1 to 5 that a reader of ``publication`` could still pin between
    1 and 5 (none, once ``publication_suppress`` could protect everything)."""
    return _exposed(
        publication.cells, publication.sums, set(hidden), frozenset(publication.implied)
    )


def _floor(key: Key, implied: frozenset[Key]) -> int:
    """What a reader knows a hidden cell is at least: zeros are printed, so a printed
    ``[c]`` is at least 1; a cell never printed (implied) may be 0."""
    return 0 if key in implied else 1


def _cost(cells: Mapping[Key, int], level: Mapping[Key, int], needed: int, key: Key) -> tuple:
    value = cells[key]
    # Inner cells before totals; then a cell big enough to lift the hidden group to 6;
    # then the smallest (least information lost).
    return (level.get(key, 0), value - 1 < needed, value, key)


def _candidates(
    members: Iterable[Key], cells: Mapping[Key, int], hidden: set[Key], printed: frozenset[Key]
) -> list[Key]:
    # Zeros are printed, never hidden: a hidden zero would protect nothing (the reader
    # takes [c] as at least 1) and would make [c] mean something else.
    return [k for k in members if k not in hidden and k not in printed and cells[k] > 0]


def _sums_protect(
    cells: Mapping[Key, int],
    sums: Sequence[Sum],
    level: Mapping[Key, int],
    hidden: set[Key],
    implied: frozenset[Key],
    printed: frozenset[Key] = frozenset(),
) -> None:
    # The smallest sums first: a partner found inside a region (its other authorities)
    # also serves every larger sum the pair belongs to, where a partner chosen first from
    # the national list (the smallest authority anywhere) may drag its own region in.
    innermost_first = sorted(sums, key=lambda s: len(s.parts))
    changed = True
    while changed:
        changed = False
        for s in innermost_first:
            members = (s.total, *s.parts)
            hidden_here = [k for k in members if k in hidden]
            if not hidden_here:
                continue
            visible = _candidates(members, cells, hidden, printed)
            if not visible:
                continue
            hidden_parts = [k for k in s.parts if k in hidden]
            group = sum(cells[k] for k in hidden_parts)
            floor = sum(_floor(k, implied) for k in hidden_parts)
            # The most a hidden part can be when the total is printed: the group less
            # what the other hidden parts are known to be at least.
            room = group - floor + 1
            small = any(count_is_disclosive(cells[k]) for k in hidden_parts)
            if len(hidden_here) == 1:
                needed = PROTECTED_HIGH - (room if s.total not in hidden else 1)
            elif s.total not in hidden and small and room < PROTECTED_HIGH:
                needed = PROTECTED_HIGH - room
            else:
                continue
            choice = min(visible, key=lambda k: _cost(cells, level, needed, k))
            hidden.add(choice)
            changed = True


def _exposed(
    cells: Mapping[Key, int], sums: Sequence[Sum], hidden: set[Key], implied: frozenset[Key]
) -> list[Key]:
    """Hidden counts of 1 to 5 that a reader could pin between 1 and 5."""
    sensitive = sorted(k for k in hidden if count_is_disclosive(cells[k]))
    if not sensitive:
        return []
    solve = _programme(cells, sums, hidden, implied)
    # Most hidden cells can be 6 or more at once: one programme that tries to lift every
    # uncertain cell to 6 clears many together; only the rest are solved one by one.
    uncertain = sensitive
    while uncertain:
        lifted = solve.lift(uncertain)
        if not lifted:
            break
        uncertain = [k for k in uncertain if k not in lifted]
    exposed = []
    for k in uncertain:
        if solve(k, maximise=True) >= PROTECTED_HIGH - 1e-6:
            continue
        if _floor(k, implied) > 0 or solve(k, maximise=False) > PROTECTED_LOW + 1e-6:
            exposed.append(k)
    return exposed


def _programme(
    cells: Mapping[Key, int], sums: Sequence[Sum], hidden: Iterable[Key], implied: frozenset[Key]
) -> Any:
    """A solver for the reader's linear programme: ``solve(cell, maximise)`` gives the
    largest or smallest value the hidden ``cell`` can take."""
    # Imported when a programme is solved: scipy.optimize takes a second or more to load,
    # and every process that imports the reports (the web, the worker, each command) paid
    # for it at start, though most never hide a cell.
    from scipy.optimize import linprog

    variables = sorted(set(hidden))
    index = {k: i for i, k in enumerate(variables)}
    rows, rhs = [], []
    for s in sums:
        row = np.zeros(len(variables))
        constant = 0.0
        for k, sign in ((s.total, -1.0), *((p, 1.0) for p in s.parts)):
            if k in index:
                row[index[k]] += sign
            else:
                constant += sign * cells[k]
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    bounds = [(_floor(k, implied), None) for k in variables]

    class Solver:
        def __call__(self, key: Key, *, maximise: bool) -> float:
            objective = np.zeros(len(variables))
            objective[index[key]] = -1.0 if maximise else 1.0
            result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if result.status != 0:  # unbounded: no limit on how large it can be
                return float("inf") if maximise else 0.0
            return float(-result.fun if maximise else result.fun)

        def lift(self, keys: Sequence[Key]) -> set[Key]:
            """The cells of ``keys`` that one solution shows can each reach 6: maximise
            the sum of min(cell, 6) over them (y <= cell, y <= 6)."""
            n, m = len(variables), len(keys)
            objective = np.concatenate([np.zeros(n), -np.ones(m)])
            a_ub = np.zeros((m, n + m))
            for j, key in enumerate(keys):
                a_ub[j, index[key]] = -1.0
                a_ub[j, n + j] = 1.0
            eq = None if a_eq is None else np.hstack([a_eq, np.zeros((a_eq.shape[0], m))])
            result = linprog(
                objective,
                A_ub=a_ub,
                b_ub=np.zeros(m),
                A_eq=eq,
                b_eq=b_eq,
                bounds=[*bounds, *([(0, PROTECTED_HIGH)] * m)],
                method="highs",
            )
            if result.status != 0:
                return set()
            return {k for j, k in enumerate(keys) if result.x[n + j] >= PROTECTED_HIGH - 1e-6}

    return Solver()


def hidden_ranges(
    cells: Mapping[Key, int],
    sums: Sequence[Sum],
    hidden: Iterable[Key],
    which: Sequence[Key],
    implied: frozenset[Key] = frozenset(),
) -> dict[Key, tuple[float, float]]:
    """The smallest and largest value each of ``which`` can take, to a reader who knows
    every printed cell and every sum, and that a printed ``[c]`` is at least 1 (a linear
    programme: a slight over-estimate of what a whole-number search would find)."""
    solve = _programme(cells, sums, hidden, implied)
    return {k: (solve(k, maximise=False), solve(k, maximise=True)) for k in which}


def _widen(
    exposed: Key,
    cells: Mapping[Key, int],
    sums: Sequence[Sum],
    level: Mapping[Key, int],
    hidden: set[Key],
    printed: frozenset[Key] = frozenset(),
) -> bool:
    """Hide one more printed cell, one that can widen what ``exposed`` can be.

    Only a cell linked to ``exposed`` through sums of hidden cells can: the reader's
    programme for ``exposed`` involves those cells alone. Among them the cheapest by
    level (an inner cell, then a region or table total, then a national total), then
    the nearest, then the smallest. When every authority of the national list is hidden,
    the national total is the only printed cell in a sum with a London authority, but a
    printed region, linked through London, serves as well and costs less.
    """
    member_of: dict[Key, list[Sum]] = {}
    for s in sums:
        for k in (s.total, *s.parts):
            member_of.setdefault(k, []).append(s)
    distance: dict[Key, int] = {}
    seen, frontier, step = {exposed}, [exposed], 0
    while frontier:
        step += 1
        following = []
        for cell in frontier:
            for s in member_of.get(cell, ()):
                for k in (s.total, *s.parts):
                    if k in seen:
                        continue
                    seen.add(k)
                    if k in hidden:
                        following.append(k)
                    elif cells[k] > 0 and k not in printed:  # zeros are printed, never hidden
                        distance[k] = step
        frontier = following
    if not distance:
        return False
    hidden.add(
        min(
            distance,
            key=lambda k: (level.get(k, 0), distance[k], *_cost(cells, level, PROTECTED_HIGH, k)),
        )
    )
    return True


# --- the old two-way table, for callers that publish a table on its own --------------


@dataclass(frozen=True)
class SuppressedTable:
    """A two-way table ready to publish: every entry is a number as text, or ``[c]``."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    row_totals: tuple[str, ...]
    column_totals: tuple[str, ...]
    grand_total: str
