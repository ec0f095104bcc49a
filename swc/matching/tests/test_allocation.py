"""Allocation across waiting children, on small cases whose best answer is known by hand."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from swc.matching.allocation import (
    BedRef,
    ScoreMatrix,
    Waiting,
    allocation_propose,
    greedy_columns,
    optimal_columns,
    urgency_weight,
)
from swc.matching.scoring import Bed

from .test_scoring import TODAY, child, home


def _matrix(scores: list[list[float | None]]) -> tuple[list[Waiting], ScoreMatrix]:
    """Children (rows, most urgent first) and beds (columns) with hand-set scores; None: cannot."""
    n, m = len(scores), len(scores[0])
    values = np.array([[s or 0.0 for s in row] for row in scores])
    feasible = np.array([[s is not None for s in row] for row in scores])
    beds = tuple(BedRef(j, f"Home {j}", Bed(j, TODAY)) for j in range(m))
    waiting = [Waiting(child(referral_id=i + 1), priority=i) for i in range(n)]
    return waiting, ScoreMatrix(values, feasible, beds)


def test_greedy_places_two_where_three_could_be_placed() -> None:
    # A (most urgent) fits bed x best (90) and bed z (50); B fits only x (60); C only y (70).
    # One at a time: A takes x, B gets nothing, C takes y -> 2 placed, fit 160.
    # Best: A z, B x, C y -> 3 placed, fit 180.
    waiting, matrix = _matrix(
        [
            [90, None, 50],
            [60, None, None],
            [None, 70, None],
        ]
    )
    assert greedy_columns(waiting, matrix) == [0, None, 1]
    assert optimal_columns(waiting, matrix) == [2, 0, 1]


def test_same_count_higher_total_fit() -> None:
    # A: x 80, y 70; B: x 75, y 20. Greedy: A x, B y = 100. Best: A y, B x = 145.
    waiting, matrix = _matrix([[80, 70], [75, 20]])
    assert greedy_columns(waiting, matrix) == [0, 1]
    assert optimal_columns(waiting, matrix) == [1, 0]


def test_placing_one_more_child_beats_a_better_fit() -> None:
    # A: x 100, y 1; B: x 1 only. Fit alone prefers A x (100) to A y + B x (2);
    # the proposal places both children.
    waiting, matrix = _matrix([[100, 1], [1, None]])
    assert optimal_columns(waiting, matrix) == [1, 0]


def test_urgency_weighting_decides_who_gets_the_contested_bed() -> None:
    # One bed; both can take it. Without urgency, B's better fit wins; with A's
    # deadline near (x2), A's weighted fit (2 x 60) beats B's 80.
    waiting, matrix = _matrix([[60], [80]])
    assert optimal_columns(waiting, matrix) == [None, 0]
    urgent = [Waiting(waiting[0].child, 0, urgency=2.0), waiting[1]]
    assert optimal_columns(urgent, matrix) == [0, None]


def test_more_children_than_beds_and_no_feasible_bed() -> None:
    waiting, matrix = _matrix([[None], [None], [None]])
    assert optimal_columns(waiting, matrix) == [None, None, None]
    assert greedy_columns(waiting, matrix) == [None, None, None]


def test_urgency_weight_tiers() -> None:
    assert urgency_weight(None) == 1.0
    assert urgency_weight(-5) == 2.0
    assert urgency_weight(24) == 2.0
    assert urgency_weight(48) == 1.5
    assert urgency_weight(100) == 1.0


def test_allocation_propose_end_to_end_explains_the_difference() -> None:
    # Two homes, one bed each. The girl (most urgent) fits Alder better (it has
    # specialist support for self-harm); Birch takes girls only, so the boy can
    # only go to Alder. One at a time: the girl takes Alder, the boy gets nothing.
    # The proposal: the girl to Birch, the boy to Alder.
    alder = home(1, "Alder", beds=(Bed(10, TODAY),), specialist_support=frozenset({"self_harm"}))
    birch = home(2, "Birch", beds=(Bed(20, TODAY),), accepts="girls")
    girl = child(referral_id=1, sex="female")
    boy = child(referral_id=2, sex="male")
    result = allocation_propose(
        [Waiting(girl, 0, label="R000001"), Waiting(boy, 1, label="R000002")],
        [alder, birch],
        TODAY,
    )
    assert [a.bed and a.bed.home_name for a in result.greedy] == ["Alder", None]
    assert [a.bed and a.bed.home_name for a in result.optimal] == ["Birch", "Alder"]
    assert (result.greedy_placed, result.optimal_placed) == (1, 2)
    assert result.explanation[0].startswith("The proposal places 2 children")
    assert any(line.startswith("R000002: one at a time no bed") for line in result.explanation)


def test_no_difference_is_said_plainly() -> None:
    result = allocation_propose([Waiting(child(), 0)], [home()], TODAY)
    assert result.greedy == result.optimal
    assert result.explanation == (
        "Taking children one at a time, most urgent first, already gives the best answer.",
    )


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 100)), min_size=3, max_size=3),
        min_size=1,
        max_size=4,
    )
)
@settings(max_examples=80, deadline=None)
def test_optimal_matches_brute_force_and_never_loses_to_greedy(
    rows: list[list[int | None]],
) -> None:
    waiting, matrix = _matrix(rows)  # type: ignore[arg-type]
    n = len(rows)

    def value(columns: list[int | None]) -> tuple[int, float]:
        cells = [(r, c) for r, c in enumerate(columns) if c is not None]
        return len(cells), sum(float(matrix.scores[r, c]) for r, c in cells)

    best = (0, 0.0)
    for choice in itertools.product([None, 0, 1, 2], repeat=n):
        used = [c for c in choice if c is not None]
        if len(used) != len(set(used)):
            continue
        if any(c is not None and not matrix.feasible[r, c] for r, c in enumerate(choice)):
            continue
        best = max(best, value(list(choice)))
    optimal = optimal_columns(waiting, matrix)
    assert value(optimal) == best
    assert value(optimal) >= value(greedy_columns(waiting, matrix))
