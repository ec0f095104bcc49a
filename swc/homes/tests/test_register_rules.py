"""The register's arithmetic and rules, as pure functions: examples and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swc.homes.register import (
    RegisterCounts,
    register_problems,
    restriction_problem,
    restriction_text_sex,
    vacancy_count_problem,
    vacancy_date_problem,
    working_day_is,
    working_day_previous,
    working_days_between,
)

places = st.integers(min_value=0, max_value=60)
counts_any = st.builds(RegisterCounts, places, places, places, places, places)


@st.composite
def counts_valid(draw: st.DrawFn) -> RegisterCounts:
    approved = draw(places)
    staffed = draw(st.integers(0, approved))
    youth_justice = draw(st.integers(0, staffed))
    occupied_yj = draw(st.integers(0, youth_justice))
    occupied_welfare = draw(st.integers(0, staffed - youth_justice))
    return RegisterCounts(approved, staffed, youth_justice, occupied_welfare, occupied_yj)


def test_welfare_free_is_staffed_less_youth_justice_less_welfare_occupied() -> None:
    counts = RegisterCounts(
        approved=24, staffed=20, youth_justice=8, occupied_welfare=9, occupied_youth_justice=7
    )
    assert counts.welfare_staffed == 12
    assert counts.welfare_free == 3
    assert counts.youth_justice_free == 1
    assert counts.occupied == 16
    assert register_problems(counts) == []


@given(counts_valid())
def test_valid_counts_have_no_problems_and_the_sums_add_up(counts: RegisterCounts) -> None:
    assert register_problems(counts) == []
    assert counts.occupied <= counts.staffed <= counts.approved
    assert counts.youth_justice <= counts.staffed
    assert counts.welfare_free + counts.occupied_welfare + counts.youth_justice == counts.staffed
    assert 0 <= counts.welfare_free <= counts.welfare_staffed


@given(counts_any)
def test_counts_are_accepted_exactly_when_the_invariants_hold(counts: RegisterCounts) -> None:
    holds = (
        counts.staffed <= counts.approved
        and counts.youth_justice <= counts.staffed
        and counts.occupied_youth_justice <= counts.youth_justice
        and counts.occupied_welfare <= counts.staffed - counts.youth_justice
    )
    assert (register_problems(counts) == []) == holds


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        (
            RegisterCounts(10, 8, 0, 9, 0),
            "occupied_welfare",
            "Occupied places (9) cannot be more than staffed places (8)",
        ),
        (
            RegisterCounts(10, 12, 0, 0, 0),
            "staffed",
            "Staffed places (12) cannot be more than approved places (10)",
        ),
        (
            RegisterCounts(10, 6, 7, 0, 0),
            "youth_justice",
            "Places contracted to youth justice (7) cannot be more than staffed places (6)",
        ),
        (
            RegisterCounts(10, 10, 4, 0, 5),
            "occupied_youth_justice",
            "Youth justice places occupied (5) cannot be more than places contracted to "
            "youth justice (4)",
        ),
        (
            RegisterCounts(10, 10, 4, 7, 0),
            "occupied_welfare",
            "Welfare places occupied (7) cannot be more than staffed welfare places (6)",
        ),
        (RegisterCounts(10, -1, 0, 0, 0), "staffed", "Enter a number of places of 0 or more"),
    ],
)
def test_each_impossible_register_gets_its_own_message(
    counts: RegisterCounts, field: str, message: str
) -> None:
    problem = register_problems(counts)[0]
    assert (problem.field, problem.message) == (field, message)


@given(counts_valid(), st.integers(0, 60), st.integers(0, 60))
def test_offered_beds_fit_exactly_when_free_now_and_staffed_welfare_allow(
    counts: RegisterCounts, now: int, later: int
) -> None:
    fits = now <= counts.welfare_free and now + later <= counts.welfare_staffed
    assert (vacancy_count_problem(counts, open_now=now, open_later=later) is None) == fits


def test_too_many_beds_offered_today_is_explained() -> None:
    counts = RegisterCounts(10, 10, 4, 5, 0)
    assert vacancy_count_problem(counts, open_now=2, open_later=0) == (
        "You have 1 free welfare place today, so you cannot offer 2 beds from today"
    )


def test_a_vacancy_dated_in_the_past_is_refused_today_and_later_are_not() -> None:
    today = dt.date(2026, 3, 10)
    assert vacancy_date_problem(dt.date(2026, 3, 9), today) == (
        "The date the bed is free from must be today or in the future"
    )
    assert vacancy_date_problem(today, today) is None
    assert vacancy_date_problem(dt.date(2026, 4, 1), today) is None


@pytest.mark.parametrize(
    ("accepts", "sex", "allowed"),
    [
        ("boys and girls", "female", True),
        ("boys and girls", "male", True),
        ("boys", "male", True),
        ("boys", "female", False),
        ("girls", "female", True),
        ("girls", "male", False),
        ("boys", "", True),
    ],
)
def test_a_restriction_never_contradicts_the_registration(
    accepts: str, sex: str, allowed: bool
) -> None:
    problem = restriction_problem(accepts, sex)
    assert (problem is None) == allowed
    if not allowed:
        assert "cannot be for" in problem


def test_girls_only_in_a_boys_home_names_both() -> None:
    assert restriction_problem("boys", "female") == (
        "This home is registered for boys only, so a bed cannot be for girls only"
    )


def test_working_days_skip_weekends_and_england_bank_holidays() -> None:
    assert working_day_is(dt.date(2026, 11, 23))  # a Monday
    assert not working_day_is(dt.date(2026, 11, 21))  # Saturday
    assert not working_day_is(dt.date(2026, 12, 25))  # Christmas Day
    assert not working_day_is(dt.date(2026, 12, 28))  # Boxing Day substitute
    assert not working_day_is(dt.date(2026, 8, 31))  # England's summer bank holiday
    assert working_day_previous(dt.date(2026, 11, 23)) == dt.date(2026, 11, 20)
    # 21 Dec 2026 .. 1 Jan 2027: ten weekdays, of which 25 and 28 Dec and 1 Jan are holidays.
    assert working_days_between(dt.date(2026, 12, 21), dt.date(2027, 1, 1)) == 7
    assert working_days_between(dt.date(2026, 12, 2), dt.date(2026, 12, 1)) == 0


@given(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
def test_a_weekend_day_is_never_a_working_day(day: dt.date) -> None:
    if day.weekday() >= 5:
        assert not working_day_is(day)
    assert working_day_previous(day) < day
    assert working_day_is(working_day_previous(day))


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("girls only for now, because of the current group", "female"),
        ("Boys only", "male"),
        ("female young people only", "female"),
        ("boys and girls, but not under 12", ""),
        ("no one who sets fires", ""),
        ("", ""),
    ],
)
def test_the_words_of_a_restriction_name_at_most_one_sex(text: str, sex: str) -> None:
    assert restriction_text_sex(text) == sex


def test_a_girls_only_text_in_a_boys_home_is_refused_even_unticked() -> None:
    assert restriction_problem("boys", "", "girls only for now") == (
        "This home is registered for boys only, so a bed cannot be for girls only"
    )
    assert restriction_problem("boys and girls", "male", "girls only") == (
        "The restriction's words and who the bed is for do not agree"
    )
    assert restriction_problem("girls", "female", "girls only for now") is None
