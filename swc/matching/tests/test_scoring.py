"""The pure matching rules: each hard constraint, the score arithmetic, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from swc.core.geography import distance_miles
from swc.matching.allocation import score_matrix
from swc.matching.scoring import (
    WEIGHTS,
    Bed,
    ChildProfile,
    HomeProfile,
    match_referral,
    part_words,
)

TODAY = dt.date(2026, 3, 2)
# Child's home area: central Manchester.
MANCHESTER = (53.4808, -2.2426)
LEEDS = (53.8008, -1.5491)
LONDON = (51.5074, -0.1278)


def child(**changes: object) -> ChildProfile:
    base = ChildProfile(
        referral_id=1,
        age=14,
        sex="female",
        needs=frozenset({"self_harm", "going_missing"}),
        latitude=MANCHESTER[0],
        longitude=MANCHESTER[1],
        date_needed=TODAY + dt.timedelta(days=2),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def home(home_id: int = 1, name: str = "Alder House", **changes: object) -> HomeProfile:
    base = HomeProfile(
        home_id=home_id,
        name=name,
        latitude=MANCHESTER[0],
        longitude=MANCHESTER[1],
        age_min=10,
        age_max=17,
        accepts="boys and girls",
        beds=(Bed(bed_id=home_id * 10, available_from=TODAY),),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def only_exclusion(c: ChildProfile, h: HomeProfile) -> tuple[str, ...]:
    result = match_referral(c, [h], TODAY)
    assert result.candidates == ()
    (excluded,) = result.exclusions
    return excluded.reasons


# --- hard constraints ------------------------------------------------------------------


def test_a_home_with_everything_right_is_a_candidate() -> None:
    result = match_referral(child(), [home()], TODAY)
    assert [c.home_id for c in result.candidates] == [1]
    assert result.exclusions == ()


def test_no_free_bed_at_all_excludes() -> None:
    assert only_exclusion(child(), home(beds=())) == ("No free welfare bed on the register",)


def test_a_bed_free_only_after_the_date_needed_excludes() -> None:
    late = home(beds=(Bed(1, TODAY + dt.timedelta(days=5)),))
    (reason,) = only_exclusion(child(), late)
    assert reason == "No free welfare bed by 4 March 2026 (first free 7 March 2026)"


def test_a_bed_free_exactly_on_the_date_needed_is_enough() -> None:
    on_time = home(beds=(Bed(1, TODAY + dt.timedelta(days=2)),))
    assert match_referral(child(), [on_time], TODAY).candidates


def test_beds_restricted_to_the_other_sex_exclude() -> None:
    boys_bed = home(beds=(Bed(1, TODAY, restriction_sex="male"),))
    assert only_exclusion(child(), boys_bed) == (
        "Its free beds are restricted to children of the other sex",
    )


def test_the_suitable_bed_is_chosen_among_restricted_ones() -> None:
    h = home(beds=(Bed(1, TODAY, restriction_sex="male"), Bed(2, TODAY + dt.timedelta(days=1))))
    (candidate,) = match_referral(child(), [h], TODAY).candidates
    assert candidate.bed.bed_id == 2


@pytest.mark.parametrize("age", [9, 18])
def test_age_outside_the_range_excludes(age: int) -> None:
    assert only_exclusion(child(age=age), home()) == (
        f"Takes children aged 10 to 17; the child will be {age}",
    )


@pytest.mark.parametrize("age", [10, 17])
def test_age_at_the_edges_of_the_range_is_allowed(age: int) -> None:
    assert match_referral(child(age=age), [home()], TODAY).candidates


def test_a_boys_only_home_excludes_a_girl() -> None:
    assert only_exclusion(child(), home(accepts="boys")) == ("Registered for boys only",)


def test_a_girls_only_home_takes_a_girl() -> None:
    assert match_referral(child(), [home(accepts="girls")], TODAY).candidates


def test_a_risk_the_home_cannot_manage_excludes() -> None:
    h = home(risks_not_managed=frozenset({"going_missing", "fire_setting"}))
    assert only_exclusion(child(), h) == ("Has said it cannot manage going missing",)


def test_suspended_admissions_exclude() -> None:
    assert only_exclusion(child(), home(admissions_suspended=True)) == (
        "Admissions suspended (no end date)",
    )


def test_a_suspension_ending_before_the_date_needed_does_not_exclude() -> None:
    h = home(admissions_suspended=True, admissions_suspended_until=TODAY + dt.timedelta(days=1))
    assert match_referral(child(), [h], TODAY).candidates


def test_a_suspension_lasting_to_the_date_needed_excludes() -> None:
    h = home(admissions_suspended=True, admissions_suspended_until=TODAY + dt.timedelta(days=2))
    assert only_exclusion(child(), h) == ("Admissions suspended until 4 March 2026",)


def test_the_authoritys_own_exclusion_excludes() -> None:
    assert only_exclusion(child(excluded_home_ids=frozenset({1})), home()) == (
        "Excluded by the child's local authority",
    )


def test_every_reason_is_listed_not_just_the_first() -> None:
    h = home(
        beds=(),
        accepts="boys",
        age_min=15,
        risks_not_managed=frozenset({"self_harm"}),
        admissions_suspended=True,
    )
    reasons = only_exclusion(child(excluded_home_ids=frozenset({1})), h)
    assert len(reasons) == 6


# --- score arithmetic ------------------------------------------------------------------


def test_a_perfect_home_scores_every_point() -> None:
    h = home(specialist_support=frozenset({"self_harm", "going_missing"}))
    c = child(earlier_home_ids=frozenset({1}))
    (candidate,) = match_referral(c, [h], TODAY).candidates
    assert candidate.score == WEIGHTS.total == 100
    assert [p.points for p in candidate.parts] == [30, 25, 15, 10, 20]


def test_score_parts_worked_by_hand() -> None:
    # Leeds is about 36 miles from Manchester: 30 x (1 - 36/250) = 25.7 (to one decimal).
    h = home(
        latitude=LEEDS[0],
        longitude=LEEDS[1],
        specialist_support=frozenset({"self_harm"}),  # 1 of 2 needs: 12.5
        current_group_needs=frozenset({"going_missing"}),  # 1 of 2 shared: 7.5
        beds=(Bed(1, TODAY + dt.timedelta(days=2)),),  # 2 days: 20 x (1 - 2/14) = 17.1
    )
    (candidate,) = match_referral(child(), [h], TODAY).candidates
    miles = distance_miles(*MANCHESTER, *LEEDS)
    assert 35 < miles < 37
    parts = {p.name: p.points for p in candidate.parts}
    assert parts == {
        "distance": round(30 * (1 - miles / 250), 1),
        "specialist_support": 12.5,
        "group_fit": 7.5,
        "earlier_placement": 0,
        "bed_soon": 17.1,
    }
    assert candidate.score == round(sum(parts.values()), 1)
    assert candidate.reasons == [
        "36 miles from the child's home area",
        "Specialist support for 1 of the child's 2 needs (self-harm)",
        "The current group already includes going missing",
        "No earlier placement here",
        "A bed is free in 2 days",
    ]


def test_distance_beyond_the_zero_point_scores_nothing_but_does_not_exclude() -> None:
    # Manchester to London is about 163 miles; Penzance-like distances score 0.
    far = home(latitude=50.1188, longitude=-5.5376)
    (candidate,) = match_referral(child(), [far], TODAY).candidates
    assert candidate.parts[0].points == 0
    assert candidate.distance_miles > 250


def test_a_child_with_no_needs_gets_full_support_and_fit_points() -> None:
    (candidate,) = match_referral(child(needs=frozenset()), [home()], TODAY).candidates
    assert candidate.parts[1].points == 25 and candidate.parts[2].points == 15


def test_haversine_against_a_known_distance() -> None:
    # Manchester to London: about 163 miles as the crow flies.
    assert 160 < distance_miles(*MANCHESTER, *LONDON) < 166
    assert distance_miles(*MANCHESTER, *MANCHESTER) == 0


def test_candidates_are_ranked_by_score_then_name() -> None:
    near = home(1, "Birch")
    far = home(2, "Aspen", latitude=LONDON[0], longitude=LONDON[1])
    tie = home(3, "Alder")
    result = match_referral(child(), [near, far, tie], TODAY)
    assert [c.name for c in result.candidates] == ["Alder", "Birch", "Aspen"]


# --- determinism -----------------------------------------------------------------------

CODES = ["self_harm", "going_missing", "mental_health", "fire_setting", "substance_misuse"]


@st.composite
def homes_strategy(draw: st.DrawFn) -> list[HomeProfile]:
    count = draw(st.integers(min_value=1, max_value=12))
    out = []
    for i in range(count):
        beds = tuple(
            Bed(i * 100 + j, TODAY + dt.timedelta(days=draw(st.integers(0, 6))))
            for j in range(draw(st.integers(0, 3)))
        )
        out.append(
            home(
                i + 1,
                draw(st.sampled_from(["Alder", "Birch", "Cedar", "Damson"])),
                latitude=draw(st.floats(50, 55)),
                longitude=draw(st.floats(-4, 1)),
                specialist_support=frozenset(draw(st.lists(st.sampled_from(CODES)))),
                current_group_needs=frozenset(draw(st.lists(st.sampled_from(CODES)))),
                risks_not_managed=frozenset(draw(st.lists(st.sampled_from(CODES), max_size=1))),
                beds=beds,
            )
        )
    return out


@given(homes=homes_strategy(), data=st.data())
@settings(max_examples=60, deadline=None)
def test_shuffling_the_homes_never_changes_the_result(
    homes: list[HomeProfile], data: st.DataObject
) -> None:
    c = child(needs=frozenset(data.draw(st.lists(st.sampled_from(CODES), max_size=3))))
    shuffled = data.draw(st.permutations(homes))
    assert match_referral(c, homes, TODAY) == match_referral(c, shuffled, TODAY)


@given(homes=homes_strategy())
@settings(max_examples=40, deadline=None)
def test_every_home_is_either_a_candidate_or_excluded_with_a_reason(
    homes: list[HomeProfile],
) -> None:
    result = match_referral(child(), homes, TODAY)
    assert len(result.candidates) + len(result.exclusions) == len(homes)
    assert all(e.reasons for e in result.exclusions)
    for c in result.candidates:
        assert 0 <= c.score <= WEIGHTS.total
        assert c.score == round(sum(p.points for p in c.parts), 1)
        assert all(0 <= p.points <= p.out_of for p in c.parts)


@st.composite
def children_strategy(draw: st.DrawFn, home_ids: list[int]) -> list[ChildProfile]:
    """Children differing in every field a hard constraint or a score reads."""
    out = []
    for referral_id in range(1, draw(st.integers(min_value=1, max_value=4)) + 1):
        out.append(
            ChildProfile(
                referral_id=referral_id,
                age=draw(st.integers(11, 17)),
                sex=draw(st.sampled_from(["female", "male"])),
                needs=frozenset(draw(st.lists(st.sampled_from(CODES), max_size=3))),
                latitude=draw(st.floats(50, 55)),
                longitude=draw(st.floats(-4, 1)),
                date_needed=TODAY + dt.timedelta(days=draw(st.integers(0, 4))),
                excluded_home_ids=frozenset(draw(st.lists(st.sampled_from(home_ids), max_size=2))),
                earlier_home_ids=frozenset(draw(st.lists(st.sampled_from(home_ids)))),
            )
        )
    return out


@st.composite
def constrained_homes_strategy(draw: st.DrawFn) -> list[HomeProfile]:
    """Homes differing in every hard-constraint field, beds' restrictions included.

    Each constraint is usually met, so that a home is often excluded by one rule alone:
    a mistake in any single rule then changes the answer.
    """
    out = []
    for h in draw(homes_strategy()):
        age_min = draw(st.sampled_from([10, 10, 10, 12, 14, 15]))
        beds = tuple(
            dataclasses.replace(
                b, restriction_sex=draw(st.sampled_from(["", "", "", "female", "male"]))
            )
            for b in h.beds
        )
        out.append(
            dataclasses.replace(
                h,
                age_min=age_min,
                age_max=draw(st.sampled_from([17, 17, 17, 13, 15, 16])),
                accepts=draw(st.sampled_from(["boys and girls"] * 3 + ["boys", "girls"])),
                admissions_suspended=draw(st.booleans()),
                admissions_suspended_until=draw(
                    st.none() | st.integers(-1, 5).map(lambda d: TODAY + dt.timedelta(days=d))
                ),
                beds=beds,
            )
        )
    return out


@given(data=st.data())
@settings(max_examples=80, deadline=None)
def test_the_vectorised_matrix_agrees_with_match_referral(data: st.DataObject) -> None:
    homes = data.draw(constrained_homes_strategy())
    children = data.draw(children_strategy([h.home_id for h in homes]))
    matrix = score_matrix(children, homes, TODAY)
    for row, c in enumerate(children):
        result = match_referral(c, homes, TODAY)
        candidates = {candidate.home_id: candidate for candidate in result.candidates}
        for col, b in enumerate(matrix.beds):
            # A bed is feasible exactly when its home is a candidate, the bed suits the
            # child's sex and it is free by the date needed.
            suits = b.bed.restriction_sex in ("", c.sex)
            expected = b.home_id in candidates and suits and b.bed.available_from <= c.date_needed
            assert bool(matrix.feasible[row, col]) is expected, (c, b)
        for candidate in result.candidates:
            (col,) = [
                i
                for i, b in enumerate(matrix.beds)
                if b.home_id == candidate.home_id and b.bed == candidate.bed
            ]
            assert matrix.scores[row, col] == pytest.approx(candidate.score, abs=0.051)


def test_the_coordinators_documentation_states_the_weights_in_use() -> None:
    text = (Path(django_settings.BASE_DIR) / "docs" / "matching.md").read_text()
    w = WEIGHTS
    for row in (
        f"| Distance from the child's home area | {w.distance:g} | {w.distance:g} × (1 − miles ÷ {w.distance_zero_miles:g})",
        f"| Specialist support | {w.specialist_support:g} |",
        f"| Fit with the current group | {w.group_fit:g} |",
        f"| Earlier placement | {w.earlier_placement:g} |",
        f"| Bed free soon | {w.bed_soon:g} | {w.bed_soon:g} × (1 − days until the bed is free ÷ {w.bed_wait_zero_days:g})",
    ):
        assert row in text, row
    for hours, factor in w.urgency_tiers:
        assert f"**× {factor:g}**" in text and f"within {hours:g} hours" in text


# Expected sentences typed by hand: never "1 of the child's 1 needs".
@pytest.mark.parametrize(
    ("needs", "met", "words"),
    [
        (1, [], "No specialist support for the child's need"),
        (1, ["going_missing"], "Specialist support for the child's need (going missing)"),
        (2, [], "No specialist support for any of the child's 2 needs"),
        (2, ["self_harm"], "Specialist support for 1 of the child's 2 needs (self-harm)"),
        (
            2,
            ["self_harm", "going_missing"],
            "Specialist support for all of the child's needs (going missing and self-harm)",
        ),
    ],
)
def test_specialist_support_is_said_as_a_person_would(needs, met, words) -> None:
    assert part_words("specialist_support", {"needs": needs, "met": met}) == words
