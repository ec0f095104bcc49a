"""The intruder: what a reader can work out from a published month, by linear programming.

Written independently of ``swc.reporting.publication``: it knows only what any
reader of the return knows (the printed tables, what each table means and how
they add up) and solves, with ``scipy.optimize.linprog`` over whole numbers, the smallest and
largest value every hidden figure can take. Zeros are printed, so the reader
knows a ``[c]`` is at least 1. A hidden count of 1 to 5 is protected when it
could be 6 or more (or, never printed, could be 0).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import OptimizeResult
from scipy.optimize import linprog as _linprog

from swc.reporting.publication import AuthorityYear, PublishedReturn
from swc.reporting.suppression import SuppressedTable

HIDDEN = "[c]"
RECEIVED = (
    "referrals_by_region",
    "referrals_by_age_band",
    "referrals_by_sex",
    "referrals_by_ethnicity",
    "referrals_by_legal_status",
    "referrals_by_uasc",
    "referrals_by_disability",
)


def linprog(c: Any, **constraints: Any) -> OptimizeResult:
    """The reader's programme over whole numbers: every figure is a count, so an intruder
    rules out fractions (a relaxation could over-state a range). Unbounded or infeasible
    programmes are told apart by the relaxation, which HiGHS's integer solver cannot."""
    relaxed = _linprog(c, **constraints)
    if relaxed.status != 0:
        return relaxed
    return _linprog(c, integrality=np.ones(len(c)), **constraints)


@dataclass
class Reader:
    """Unknowns (hidden figures) and what the reader knows about them."""

    names: dict[str, int] = field(default_factory=dict)  # unknown -> column
    # Zeros are printed, so a printed [c] is at least 1; a figure never printed may be 0.
    floors: dict[str, int] = field(default_factory=dict)
    known: dict[str, float] = field(default_factory=dict)
    truth: dict[str, int] = field(default_factory=dict)
    equalities: list[tuple[dict[str, float], float]] = field(default_factory=list)
    at_most: list[tuple[dict[str, float], float]] = field(default_factory=list)

    def figure(self, name: str, printed: str, true: int) -> str:
        """A printed figure: a known number, or an unknown to solve for."""
        self.truth[name] = true
        if printed == HIDDEN:
            self.names.setdefault(name, len(self.names))
            self.floors[name] = 1
        else:
            self.known[name] = float(printed)
        return name

    def unknown(self, name: str, true: int) -> str:
        """A figure never printed (misses: the denominator less the hits)."""
        self.truth[name] = true
        self.names.setdefault(name, len(self.names))
        self.floors[name] = 0
        return name

    def same(self, a: str, b: str) -> None:
        if a != b:
            self.equalities.append(({a: 1.0, b: -1.0}, 0.0))

    def adds_up(self, total: str, parts: Iterable[str]) -> None:
        terms: dict[str, float] = {total: -1.0}
        for p in parts:
            terms[p] = terms.get(p, 0.0) + 1.0
        self.equalities.append((terms, 0.0))

    def between(self, terms: dict[str, float], low: float, high: float) -> None:
        self.at_most.append((terms, high))
        self.at_most.append(({k: -v for k, v in terms.items()}, -low))

    def _rows(self, constraints: list[tuple[dict[str, float], float]]) -> tuple[Any, Any]:
        rows, rhs = [], []
        for terms, bound in constraints:
            row = np.zeros(len(self.names))
            constant = 0.0
            for name, coefficient in terms.items():
                if name in self.names:
                    row[self.names[name]] += coefficient
                else:
                    constant += coefficient * self.known[name]
            if row.any():
                rows.append(row)
                rhs.append(bound - constant)
            else:
                # Everything printed: the publication must at least be consistent.
                assert abs(bound - constant) < 1e-6 or constraints is self.at_most, terms
        return (np.array(rows), np.array(rhs)) if rows else (None, None)

    def _solver(self) -> Any:
        a_eq, b_eq = self._rows(self.equalities)
        a_ub, b_ub = self._rows(self.at_most)
        bounds = [(self.floors[name], None) for name in self.names]

        def solve(name: str, maximise: bool) -> float:
            c = np.zeros(len(self.names))
            c[self.names[name]] = -1.0 if maximise else 1.0
            result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds)
            assert result.status in (0, 3), (name, result.message)  # 3: unbounded
            if result.status == 3:
                return float("inf") if maximise else 0.0
            return float(-result.fun if maximise else result.fun)

        return solve

    def disclosed(self) -> list[tuple[str, int, float, float]]:
        """Hidden figures of 1 to 5 an intruder can pin between 1 and 5: it can be neither
        0 nor 6 or more."""
        solve = self._solver()
        small = [name for name in self.names if 1 <= self.truth[name] <= 5]
        # One feasible solution in which a figure is 6 or more settles it: find one for
        # as many at once as possible, then solve the rest one by one.
        a_eq, b_eq = self._rows(self.equalities)
        a_ub, b_ub = self._rows(self.at_most)
        n = len(self.names)
        c = np.zeros(n)
        c[[self.names[name] for name in small]] = -1.0
        capped = [
            (self.floors[name], 6 if 1 <= self.truth[name] <= 5 else None) for name in self.names
        ]
        result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=capped)
        if result.status == 0:
            small = [name for name in small if result.x[self.names[name]] < 6 - 1e-6]
        found = []
        for name in small:
            high = solve(name, True)
            if high >= 6 - 1e-6:
                continue
            low = solve(name, False)
            if low > 1e-6:
                found.append((name, self.truth[name], low, high))
        return found


def month_read(
    reader: Reader,
    month: str,
    figures: dict[str, Any],
    printed: PublishedReturn,
    truth: PublishedReturn,
) -> None:
    """Everything a reader knows from one month's return."""
    tables = {t.key: t for t in printed.tables}
    true_tables = {t.key: t for t in truth.tables}

    def table(key: str) -> dict[str, str]:
        rows = dict(tables[key].rows)
        true_rows = dict(true_tables[key].rows)
        return {
            label: reader.figure(f"{month}|{key}|{label}", rows[label], int(true_rows[label]))
            for label in rows
        }

    def total(key: str) -> str:
        return reader.figure(f"{month}|{key}|Total", tables[key].total, int(true_tables[key].total))

    for key in RECEIVED:
        cells = table(key)
        reader.adds_up(total(key), cells.values())
        # Every breakdown of the referrals received adds up to the same referrals.
        reader.same(f"{month}|{key}|Total", f"{month}|referrals_by_region|Total")
    everyone = f"{month}|referrals_by_region|Total"
    needs = table("referrals_by_need")
    for cell in needs.values():
        reader.between({cell: 1.0, everyone: -1.0}, -1e9, 0.0)  # a need on at most every one
    reader.same(needs["Disability"], f"{month}|referrals_by_disability|Disability named")
    outcomes = table("outcomes")
    reader.adds_up(total("outcomes"), outcomes.values())
    reader.adds_up(total("withdrawal_reasons"), table("withdrawal_reasons").values())
    reader.same(f"{month}|withdrawal_reasons|Total", outcomes["Withdrawn"])
    reader.adds_up(total("closure_destinations"), table("closure_destinations").values())
    reader.same(f"{month}|closure_destinations|Total", outcomes["Closed without placement"])
    reader.adds_up(total("declines_by_reason"), table("declines_by_reason").values())
    flow = table("placements_flow")
    measure_true = {m.key: m for m in truth.measures}
    for m in printed.measures:
        n = reader.figure(f"{month}|measure|{m.key}", m.n, int(measure_true[m.key].n))
        if m.key == "length_of_stay_days":
            reader.same(n, flow["Discharges"])
        elif m.key == "distance_miles":
            reader.same(n, flow["Admissions"])
        elif m.key == "completion_to_placement_days" and int(measure_true[m.key].n) == int(
            dict(true_tables["outcomes"].rows)["Placed"]
        ):
            reader.same(n, outcomes["Placed"])
    for (label, within, of, _pct), (_l, true_within, true_of, _p) in zip(
        printed.two_hours, truth.two_hours, strict=True
    ):
        hits = reader.figure(f"{month}|two_hours|{label}|within", within, int(true_within))
        counted = reader.figure(f"{month}|two_hours|{label}|of", of, int(true_of))
        # The misses say how fast the unit was, not who a child is: an unknown, not a secret
        # (the return hides the whole line when it counts 1 to 5 referrals).
        missed = reader.unknown(f"{month}|two_hours|{label}|missed", 0)
        reader.adds_up(counted, [hits, missed])
    children = []
    for (label, value), (_l, true_value) in zip(printed.children, truth.children, strict=True):
        cell = reader.figure(f"{month}|children|{label}", value, int(true_value))
        reader.between({cell: 1.0, everyone: -1.0}, -1e9, 0.0)
        children.append(cell)
    if len(children) == 2:
        # Each referral is its child's first in the month (a distinct child) or follows
        # another of the same child in the month, so is a re-referral: the referrals are at
        # most the distinct children plus the re-referrals.
        distinct, re_referred = children
        reader.between({everyone: 1.0, distinct: -1.0, re_referred: -1.0}, -1e9, 0.0)
    days = [
        reader.figure(f"{month}|waiting|{day}", value, int(true_value))
        for (day, value), (_d, true_value) in zip(
            printed.waiting_per_day, truth.waiting_per_day, strict=True
        )
    ]
    daily = dict(printed.daily)
    average = daily["Children waiting at the end of a day: average"]
    if average != HIDDEN:
        # Printed to one decimal: the child-days lie within half a tenth a day of it.
        n = len(days)
        reader.between(
            dict.fromkeys(days, 1.0), (float(average) - 0.05) * n, (float(average) + 0.05) * n
        )
    maximum = daily["Children waiting at the end of a day: maximum"]
    if maximum != HIDDEN:
        for day in days:
            reader.between({day: 1.0}, 0.0, float(maximum))


def trend_read(reader: Reader, table: SuppressedTable, truth: SuppressedTable) -> None:
    """The trend by region: each month's cells are the same figures as the month's return;
    a row's total over the months adds them up."""
    key = "referrals_by_region"
    for r, name in enumerate(table.row_labels):
        cells = []
        for c, month in enumerate(table.column_labels):
            cell = f"{month}|{key}|{name}"
            trend_cell = reader.figure(
                f"trend|{month}|{name}", table.cells[r][c], int(truth.cells[r][c])
            )
            if cell in reader.truth:
                reader.same(trend_cell, cell)
            cells.append(trend_cell)
        row_total = reader.figure(
            f"trend|{name}|Total", table.row_totals[r], int(truth.row_totals[r])
        )
        reader.adds_up(row_total, cells)
    for c, month in enumerate(table.column_labels):
        column = reader.figure(
            f"trend|{month}|Total", table.column_totals[c], int(truth.column_totals[c])
        )
        if f"{month}|referrals_by_region|Total" in reader.truth:
            reader.same(column, f"{month}|referrals_by_region|Total")
        reader.adds_up(column, [f"trend|{month}|{name}" for name in table.row_labels])
    grand = reader.figure("trend|Total", table.grand_total, int(truth.grand_total))
    reader.adds_up(grand, [f"trend|{month}|Total" for month in table.column_labels])


def year_read(
    reader: Reader, printed: AuthorityYear, truth: AuthorityYear, months: list[str]
) -> None:
    """A financial year's table by authority. The reader has read the year's 12 monthly
    returns (``months``): each region's year is its 12 monthly figures added up, and, unless
    its authorities are withheld, the sum of the authorities listed under it (an authority
    not listed referred no one); England's year is the regions' sum and the months' totals."""
    true_values = {(row.kind, row.name): int(row.value) for row in truth.rows}
    under: dict[str, list[str]] = {}
    region = ""
    england = ""
    for row in printed.rows:
        cell = reader.figure(
            f"year {printed.year}|{row.kind}|{row.name}",
            row.value,
            true_values[(row.kind, row.name)],
        )
        if row.kind == "region":
            region = row.name
            under[region] = []
            reader.adds_up(cell, [f"{m}|referrals_by_region|{region}" for m in months])
        elif row.kind == "authority":
            under[region].append(cell)
        else:
            england = cell
    for name, authorities in under.items():
        if name not in printed.withheld:
            reader.adds_up(f"year {printed.year}|region|{name}", authorities)
    reader.adds_up(england, [f"year {printed.year}|region|{name}" for name in under])
    reader.adds_up(england, [f"{m}|referrals_by_region|Total" for m in months])


def kpi_read(reader: Reader, month: str, printed: str, true: int) -> None:
    """The KPI dashboard for the month: its referrals are the month's referrals received."""
    cell = reader.figure(f"{month}|kpi|referrals", printed, true)
    reader.same(cell, f"{month}|referrals_by_region|Total")
