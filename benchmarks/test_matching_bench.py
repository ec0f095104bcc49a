"""Matching at national scale, on synthetic in-memory data (no database).

Run with ``make bench`` (``pytest benchmarks -s``). Prints timings; asserts
only that the answers are well formed, never a time (machines differ).

* one referral against 3,000 homes with 12,000 free beds;
* 500 waiting children against those 12,000 beds: the score matrix, the
  greedy answer and the optimal assignment.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from swc.matching.allocation import (
    Waiting,
    allocation_propose,
    greedy_columns,
    optimal_columns,
    score_matrix,
)
from swc.matching.scoring import Bed, ChildProfile, HomeProfile, match_referral

TODAY = dt.date(2026, 3, 2)
CODES = [
    "risk_to_others",
    "going_missing",
    "self_harm",
    "mental_health",
    "neurodevelopmental",
    "sexual_exploitation",
    "criminal_exploitation",
    "substance_misuse",
    "fire_setting",
]


def _homes(count: int = 3000, beds_each: int = 4, seed: int = 1) -> list[HomeProfile]:
    rng = random.Random(seed)
    homes = []
    for i in range(count):
        homes.append(
            HomeProfile(
                home_id=i + 1,
                name=f"Synthetic home {i + 1:05d}",
                latitude=rng.uniform(50.2, 55.5),
                longitude=rng.uniform(-4.5, 1.5),
                age_min=rng.choice([10, 11, 12]),
                age_max=rng.choice([16, 17]),
                accepts=rng.choice(["boys and girls", "boys and girls", "boys", "girls"]),
                specialist_support=frozenset(rng.sample(CODES, 3)),
                risks_not_managed=frozenset(rng.sample(CODES, rng.choice([0, 0, 1]))),
                admissions_suspended=rng.random() < 0.05,
                current_group_needs=frozenset(rng.sample(CODES, 2)),
                beds=tuple(
                    Bed(
                        bed_id=i * beds_each + j,
                        available_from=TODAY + dt.timedelta(days=rng.randint(0, 10)),
                        restriction_sex=rng.choice(["", "", "", "male", "female"]),
                    )
                    for j in range(beds_each)
                ),
            )
        )
    return homes


def _children(count: int, seed: int = 2) -> list[ChildProfile]:
    rng = random.Random(seed)
    return [
        ChildProfile(
            referral_id=i + 1,
            age=rng.randint(11, 17),
            sex=rng.choice(["male", "female"]),
            needs=frozenset(rng.sample(CODES, rng.randint(1, 4))),
            latitude=rng.uniform(50.2, 55.5),
            longitude=rng.uniform(-4.5, 1.5),
            date_needed=TODAY + dt.timedelta(days=rng.randint(0, 7)),
            excluded_home_ids=frozenset(rng.sample(range(1, 3001), 3)),
        )
        for i in range(count)
    ]


def _timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn()
    print(f"\n{label}: {time.perf_counter() - start:.3f} s")
    return value


def test_one_referral_against_3000_homes_and_12000_beds() -> None:
    homes = _homes()
    (child,) = _children(1)
    result = _timed(
        "match_referral, 1 child x 3,000 homes / 12,000 beds",
        lambda: match_referral(child, homes, TODAY),
    )
    assert len(result.candidates) + len(result.exclusions) == 3000


def test_500_children_against_12000_beds() -> None:
    homes = _homes()
    children = _children(500)
    waiting = [Waiting(c, priority=i) for i, c in enumerate(children)]
    matrix = _timed("score matrix, 500 x 12,000", lambda: score_matrix(children, homes, TODAY))
    assert matrix.scores.shape == (500, 12000)
    greedy = _timed("greedy, 500 children", lambda: greedy_columns(waiting, matrix))
    optimal = _timed(
        "optimal (linear_sum_assignment), 500 x 12,500", lambda: optimal_columns(waiting, matrix)
    )
    placed = sum(c is not None for c in optimal)
    print(f"placed: greedy {sum(c is not None for c in greedy)}, optimal {placed}")
    assert placed >= sum(c is not None for c in greedy)
    _timed("allocation_propose end to end", lambda: allocation_propose(waiting, homes, TODAY))


def test_500_children_competing_for_300_beds() -> None:
    # Beds scarce: where the optimal assignment and greedy differ most.
    homes = _homes(count=300, beds_each=1, seed=3)
    waiting = [Waiting(c, priority=i) for i, c in enumerate(_children(500, seed=4))]
    result = _timed(
        "allocation_propose, 500 children x 300 beds",
        lambda: allocation_propose(waiting, homes, TODAY),
    )
    print(
        f"placed: greedy {result.greedy_placed}, optimal {result.optimal_placed}; "
        f"weighted fit greedy {result.greedy_total:g}, optimal {result.optimal_total:g}"
    )
    assert result.optimal_placed >= result.greedy_placed
