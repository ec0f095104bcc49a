"""Allocation across waiting children: the best assignment of children to beds, as a proposal.

No ORM here. When several complete referrals wait and beds are few, the unit
sees two answers side by side:

* greedy: the most urgent child first takes the bed that fits them best, then
  the next child, and so on (what happens if each referral is matched alone);
* proposal: the assignment that places as many children as possible and,
  among those, maximises the total fit with each child's fit multiplied by an
  urgency weight (``scipy.optimize.linear_sum_assignment``).

It is never applied automatically: the coordinator decides.

Scores are the same as ``scoring.match_referral`` (same parts, same weights),
computed for every child and every free bed at once with numpy: building the
matrix is O(children x beds); the assignment is the shortest augmenting path
algorithm in scipy, O(children^2 x beds) in the worst case, far less in
practice (docs/matching.md, "Scale").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from swc.core.geography import distances_miles

from .scoring import WEIGHTS, Bed, ChildProfile, HomeProfile, Weights


def urgency_weight(hours_to_deadline: float | None, weights: Weights = WEIGHTS) -> float:
    """How many times over a child's fit counts: more when the deadline is near or past."""
    if hours_to_deadline is None:
        return 1.0
    for hours, factor in weights.urgency_tiers:
        if hours_to_deadline <= hours:
            return factor
    return 1.0


@dataclass(frozen=True)
class Waiting:
    """A child waiting for a bed: ``priority`` 0 is the most urgent (triage order)."""

    child: ChildProfile
    priority: int
    urgency: float = 1.0
    label: str = ""


@dataclass(frozen=True)
class BedRef:
    home_id: int
    home_name: str
    bed: Bed


@dataclass(frozen=True)
class ScoreMatrix:
    """Fit of every child (rows) with every free bed (columns); ``feasible`` masks exclusions."""

    scores: np.ndarray
    feasible: np.ndarray
    beds: tuple[BedRef, ...]


@dataclass(frozen=True)
class Assignment:
    referral_id: int
    label: str
    bed: BedRef | None
    score: float | None


@dataclass(frozen=True)
class AllocationResult:
    greedy: tuple[Assignment, ...]
    optimal: tuple[Assignment, ...]
    greedy_placed: int
    optimal_placed: int
    greedy_total: float  # urgency-weighted fit
    optimal_total: float
    explanation: tuple[str, ...]


def _masks(code_sets: Sequence[frozenset[str]], index: dict[str, int]) -> np.ndarray:
    out = np.zeros(len(code_sets), dtype=np.int64)
    for i, codes in enumerate(code_sets):
        value = 0
        for code in codes:
            value |= 1 << index[code]
        out[i] = value
    return out


def _popcount(values: np.ndarray) -> np.ndarray:
    counts = np.zeros(values.shape, dtype=np.int64)
    v = values.copy()
    while np.any(v):
        counts += v & 1
        v >>= 1
    return counts


def score_matrix(
    children: Sequence[ChildProfile],
    homes: Sequence[HomeProfile],
    today: dt.date,
    weights: Weights = WEIGHTS,
) -> ScoreMatrix:
    """Score every child against every free bed in one vectorised pass per child.

    Each entry equals the score ``match_referral`` gives that home for that
    child had that bed been the home's earliest suitable one.
    """
    w = weights
    homes = sorted(homes, key=lambda h: (h.name, h.home_id))
    beds = tuple(
        BedRef(h.home_id, h.name, b)
        for h in homes
        for b in sorted(h.beds, key=lambda b: (b.available_from, b.bed_id))
    )
    n, m = len(children), len(beds)
    scores = np.zeros((n, m))
    feasible = np.zeros((n, m), dtype=bool)
    if n == 0 or m == 0:
        return ScoreMatrix(scores, feasible, beds)
    codes = sorted(
        {
            c
            for h in homes
            for c in h.specialist_support | h.risks_not_managed | h.current_group_needs
        }
        | {c for child in children for c in child.needs}
    )
    index = {code: i for i, code in enumerate(codes)}
    home_pos = {h.home_id: i for i, h in enumerate(homes)}
    bed_home = np.array([home_pos[b.home_id] for b in beds])
    lat = np.array([h.latitude for h in homes])
    lon = np.array([h.longitude for h in homes])
    age_min = np.array([h.age_min for h in homes])
    age_max = np.array([h.age_max for h in homes])
    takes_boys = np.array([h.accepts in ("boys and girls", "boys") for h in homes])
    takes_girls = np.array([h.accepts in ("boys and girls", "girls") for h in homes])
    support = _masks([h.specialist_support for h in homes], index)
    cannot = _masks([h.risks_not_managed for h in homes], index)
    group = _masks([h.current_group_needs for h in homes], index)
    suspended = np.array([h.admissions_suspended for h in homes])
    until = np.array(
        [
            h.admissions_suspended_until.toordinal() if h.admissions_suspended_until else 10**9
            for h in homes
        ]
    )
    home_ids = np.array([h.home_id for h in homes])
    bed_from = np.array([b.bed.available_from.toordinal() for b in beds])
    bed_sex = np.array([b.bed.restriction_sex for b in beds])
    wait = np.maximum(0, bed_from - today.toordinal())
    soon = np.round(w.bed_soon * np.maximum(0.0, 1.0 - wait / w.bed_wait_zero_days), 1)
    for i, child in enumerate(children):
        needs = int(_masks([child.needs], index)[0])
        n_needs = len(child.needs)
        needed = child.date_needed.toordinal()
        home_ok = (
            (age_min <= child.age)
            & (child.age <= age_max)
            & (takes_boys if child.sex == "male" else takes_girls)
            & ((cannot & needs) == 0)
            & ~(suspended & (until >= needed))
            & ~np.isin(home_ids, list(child.excluded_home_ids))
        )
        miles = distances_miles(child.latitude, child.longitude, lat, lon)
        home_score = np.round(w.distance * np.maximum(0.0, 1.0 - miles / w.distance_zero_miles), 1)
        if n_needs:
            home_score += np.round(w.specialist_support * _popcount(support & needs) / n_needs, 1)
            home_score += np.round(w.group_fit * (1 - _popcount(group & needs) / n_needs), 1)
        else:
            home_score += w.specialist_support + w.group_fit
        home_score += np.where(
            np.isin(home_ids, list(child.earlier_home_ids)), w.earlier_placement, 0.0
        )
        bed_ok = (bed_from <= needed) & ((bed_sex == "") | (bed_sex == child.sex))
        feasible[i] = home_ok[bed_home] & bed_ok
        scores[i] = np.round(home_score[bed_home] + soon, 1)
    return ScoreMatrix(scores, feasible, beds)


def _assignments(
    waiting: Sequence[Waiting], matrix: ScoreMatrix, columns: Sequence[int | None]
) -> tuple[Assignment, ...]:
    out = []
    for row, (item, col) in enumerate(zip(waiting, columns, strict=True)):
        if col is None:
            out.append(Assignment(item.child.referral_id, item.label, None, None))
        else:
            out.append(
                Assignment(
                    item.child.referral_id,
                    item.label,
                    matrix.beds[col],
                    float(matrix.scores[row, col]),
                )
            )
    return tuple(out)


def greedy_columns(waiting: Sequence[Waiting], matrix: ScoreMatrix) -> list[int | None]:
    """Most urgent child first; each takes its best still-free bed (ties: home name, bed date)."""
    taken = np.zeros(len(matrix.beds), dtype=bool)
    columns: list[int | None] = [None] * len(waiting)
    order = sorted(
        range(len(waiting)), key=lambda r: (waiting[r].priority, waiting[r].child.referral_id)
    )
    for row in order:
        usable = matrix.feasible[row] & ~taken
        if not usable.any():
            continue
        values = np.where(usable, matrix.scores[row], -np.inf)
        col = int(np.argmax(values))  # first maximum: the column order is the tie-break
        taken[col] = True
        columns[row] = col
    return columns


def optimal_columns(waiting: Sequence[Waiting], matrix: ScoreMatrix) -> list[int | None]:
    """The assignment placing the most children, then with the largest urgency-weighted fit."""
    n, m = len(waiting), len(matrix.beds)
    if n == 0:
        return []
    urgency = np.array([item.urgency for item in waiting])
    weighted = matrix.scores * urgency[:, None]
    # Placing one more child always outweighs any possible gain in fit.
    bonus = float(n * (weighted.max(initial=0.0) + 1.0) + 1.0)
    # Cost to minimise: feasible pairs negative; infeasible pairs positive, so a
    # child is never given a bed it cannot take; dummy columns (cost 0) stand for
    # "no bed", one per child, so there are always enough columns.
    cost = np.full((n, m + n), 0.0)
    cost[:, :m] = np.where(matrix.feasible, -(bonus + weighted), 1.0)
    rows, cols = linear_sum_assignment(cost)
    columns: list[int | None] = [None] * n
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        if col < m and matrix.feasible[row, col]:
            columns[row] = col
    return columns


def _total(waiting: Sequence[Waiting], assignments: Sequence[Assignment]) -> float:
    return round(
        sum(
            item.urgency * a.score
            for item, a in zip(waiting, assignments, strict=True)
            if a.score is not None
        ),
        1,
    )


def _where(a: Assignment) -> str:
    if a.bed is None:
        return "no bed"
    return f"{a.bed.home_name} (bed free {a.bed.bed.available_from:%-d %b}, fit {a.score:g})"


def allocation_propose(
    waiting: Sequence[Waiting],
    homes: Sequence[HomeProfile],
    today: dt.date,
    weights: Weights = WEIGHTS,
) -> AllocationResult:
    """Greedy and best assignments side by side, with the difference explained in words."""
    waiting = sorted(waiting, key=lambda item: (item.priority, item.child.referral_id))
    matrix = score_matrix([item.child for item in waiting], homes, today, weights)
    greedy = _assignments(waiting, matrix, greedy_columns(waiting, matrix))
    optimal = _assignments(waiting, matrix, optimal_columns(waiting, matrix))
    greedy_placed = sum(a.bed is not None for a in greedy)
    optimal_placed = sum(a.bed is not None for a in optimal)
    greedy_total, optimal_total = _total(waiting, greedy), _total(waiting, optimal)
    lines: list[str] = []
    if greedy == optimal:
        lines.append(
            "Taking children one at a time, most urgent first, already gives the best answer."
        )
    else:
        if optimal_placed > greedy_placed:
            lines.append(
                f"The proposal places {optimal_placed} children; one at a time, most urgent "
                f"first, places {greedy_placed}: a more urgent child's best bed was the only "
                "bed another child could take."
            )
        lines.append(
            f"Total urgency-weighted fit: {optimal_total:g} in the proposal, "
            f"{greedy_total:g} one at a time."
        )
        for g, o in zip(greedy, optimal, strict=True):
            if g.bed != o.bed:
                lines.append(
                    f"{o.label or o.referral_id}: one at a time {_where(g)}; proposal {_where(o)}."
                )
    return AllocationResult(
        greedy=greedy,
        optimal=optimal,
        greedy_placed=greedy_placed,
        optimal_placed=optimal_placed,
        greedy_total=greedy_total,
        optimal_total=optimal_total,
        explanation=tuple(lines),
    )
