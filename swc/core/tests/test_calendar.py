"""The calendar: hand-checked dates against the gov.uk bank holiday list, and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swc.core.calendar import (
    LONDON,
    bank_holidays,
    is_office_hours,
    is_on_call_time,
    is_working_day,
    nth_working_day_of_month,
    office_hours_add,
    office_hours_between,
    office_next_opening,
    working_days_add,
    working_days_between,
)

UTC = dt.UTC
D = dt.date


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# --- bank holidays and working days (checked against gov.uk/bank-holidays) -----


def test_christmas_and_new_year_2026_27():
    # Christmas Day 2026 is a Friday; Boxing Day a Saturday, substituted on Monday 28.
    assert {D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1)} <= bank_holidays(2026) | bank_holidays(
        2027
    )
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))
    assert is_working_day(D(2026, 12, 29))
    assert working_days_add(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert working_days_add(D(2026, 12, 31), 1) == D(2027, 1, 4)
    # 21–24 Dec (4), 29–31 Dec (3), 4–8 Jan (5)
    assert working_days_between(D(2026, 12, 21), D(2027, 1, 8)) == 12


def test_christmas_2027_falls_on_a_weekend_so_two_substitute_days():
    assert not is_working_day(D(2027, 12, 27))
    assert not is_working_day(D(2027, 12, 28))
    assert working_days_add(D(2027, 12, 24), 1) == D(2027, 12, 29)


def test_easter_2027_good_friday_26_march_and_easter_monday_29_march():
    assert not is_working_day(D(2027, 3, 26))
    assert not is_working_day(D(2027, 3, 29))
    assert working_days_add(D(2027, 3, 25), 1) == D(2027, 3, 30)
    assert working_days_add(D(2027, 3, 30), -1) == D(2027, 3, 25)


def test_good_friday_2026_is_3_april_not_2_april():
    assert is_working_day(D(2026, 4, 2))
    assert not is_working_day(D(2026, 4, 3))
    assert not is_working_day(D(2026, 4, 6))


def test_may_bank_holidays_2027():
    assert not is_working_day(D(2027, 5, 3))
    assert not is_working_day(D(2027, 5, 31))
    assert working_days_between(D(2027, 5, 1), D(2027, 5, 31)) == 19


def test_wales_uses_its_own_calendar_and_unknown_nations_are_refused():
    assert not is_working_day(D(2027, 3, 26), nation="Wales")
    assert is_working_day(D(2027, 3, 25), nation="Wales")
    with pytest.raises(ValueError):
        is_working_day(D(2027, 3, 25), nation="Narnia")


@pytest.mark.parametrize(
    ("year", "month", "n", "expected"),
    [
        (2027, 1, 10, D(2027, 1, 15)),  # 1 Jan a bank holiday Friday
        (2026, 12, 10, D(2026, 12, 14)),
        (2026, 4, 10, D(2026, 4, 16)),  # Good Friday and Easter Monday inside
        (2027, 4, 10, D(2027, 4, 14)),  # Easter fell in March
        (2027, 5, 1, D(2027, 5, 4)),  # 1 May a Saturday, 3 May a bank holiday
        (2027, 6, 1, D(2027, 6, 1)),
    ],
)
def test_nth_working_day_of_month(year, month, n, expected):
    assert nth_working_day_of_month(year, month, n) == expected


def test_nth_working_day_refuses_impossible_requests():
    with pytest.raises(ValueError):
        nth_working_day_of_month(2027, 2, 0)
    with pytest.raises(ValueError):
        nth_working_day_of_month(2027, 2, 25)


def test_working_days_add_zero_is_the_same_day():
    assert working_days_add(D(2027, 3, 27), 0) == D(2027, 3, 27)


# --- office hours and on-call ---------------------------------------------------


def test_office_hours_monday_to_thursday_nine_to_five_friday_until_seven():
    assert is_office_hours(london(2026, 11, 23, 9, 0))
    assert not is_office_hours(london(2026, 11, 23, 8, 59))
    assert is_office_hours(london(2026, 11, 26, 16, 59))
    assert not is_office_hours(london(2026, 11, 26, 17, 0))
    assert is_office_hours(london(2026, 11, 27, 18, 59))
    assert not is_office_hours(london(2026, 11, 27, 19, 0))
    assert is_on_call_time(london(2026, 11, 28, 12, 0))  # Saturday
    assert is_on_call_time(london(2026, 11, 29, 12, 0))  # Sunday


def test_a_bank_holiday_friday_is_on_call_all_day():
    assert is_on_call_time(london(2027, 3, 26, 12, 0))  # Good Friday
    assert is_on_call_time(london(2026, 12, 25, 10, 0))  # Christmas Day, a Friday
    assert is_office_hours(london(2026, 12, 24, 10, 0))


def test_clock_change_spring_2026_office_opens_at_nine_london_time():
    # Sunday 29 March 2026 01:00 UTC the clocks go forward: 09:00 BST is 08:00 UTC.
    assert is_office_hours(utc(2026, 3, 30, 8, 30))
    assert not is_office_hours(utc(2026, 3, 27, 8, 30))  # still GMT on the Friday
    assert office_hours_between(london(2026, 3, 27, 18, 0), london(2026, 3, 30, 10, 0)) == (
        dt.timedelta(hours=2)
    )


def test_clock_change_autumn_2026_weekend_counts_no_extra_hour():
    # Sunday 25 October 2026 the clocks go back.
    assert is_office_hours(utc(2026, 10, 23, 8, 30))  # 09:30 BST
    assert not is_office_hours(utc(2026, 10, 26, 8, 30))  # 08:30 GMT
    start, end = london(2026, 10, 23, 18, 0), london(2026, 10, 26, 10, 0)
    assert end - start != dt.timedelta(hours=65)  # wall clock difference is misleading
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=65)
    assert office_hours_between(start, end) == dt.timedelta(hours=2)


def test_clock_change_2027_weekends():
    # 28 March 2027 is also Easter Sunday: Good Friday and Easter Monday shut too.
    start = london(2027, 3, 25, 16, 30)
    assert office_hours_add(start, dt.timedelta(hours=2)) == london(2027, 3, 30, 10, 30)
    assert office_hours_add(start, dt.timedelta(hours=2)).astimezone(UTC) == utc(2027, 3, 30, 9, 30)
    # 31 October 2027: Friday evening is still BST, Monday morning GMT.
    assert is_office_hours(utc(2027, 10, 29, 17, 30))  # 18:30 BST
    assert not is_office_hours(utc(2027, 10, 29, 18, 30))  # 19:30 BST
    assert is_office_hours(utc(2027, 11, 1, 9, 0))  # 09:00 GMT


def test_office_hours_add_and_next_opening():
    assert office_hours_add(london(2026, 11, 26, 16, 30), dt.timedelta(hours=2)) == london(
        2026, 11, 27, 10, 30
    )
    assert office_hours_add(london(2026, 11, 23, 10, 0), dt.timedelta(hours=2)) == london(
        2026, 11, 23, 12, 0
    )
    assert office_next_opening(london(2026, 12, 24, 17, 0)) == london(2026, 12, 29, 9, 0)
    assert office_next_opening(london(2026, 12, 24, 12, 0)) == london(2026, 12, 24, 12, 0)
    with pytest.raises(ValueError):
        office_hours_add(london(2026, 11, 23, 10, 0), dt.timedelta(hours=-1))


def test_office_hours_between_over_christmas_2026():
    # Thursday 24 Dec 16:00 → Tuesday 29 Dec 10:00: one hour each side.
    assert office_hours_between(london(2026, 12, 24, 16, 0), london(2026, 12, 29, 10, 0)) == (
        dt.timedelta(hours=2)
    )
    assert office_hours_between(london(2026, 12, 29, 10, 0), london(2026, 12, 24, 16, 0)) == (
        dt.timedelta(0)
    )


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        is_office_hours(dt.datetime(2026, 11, 23, 10, 0))


# --- properties -------------------------------------------------------------------

days = st.dates(min_value=D(2024, 1, 1), max_value=D(2029, 12, 31))
instants = st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2028, 12, 31)).map(
    lambda d: d.replace(tzinfo=UTC)
)


@given(days, st.integers(min_value=1, max_value=60))
def test_adding_n_working_days_lands_on_a_working_day_n_days_on(day, n):
    result = working_days_add(day, n)
    assert is_working_day(result)
    assert working_days_between(day + dt.timedelta(days=1), result) == n


@given(days, st.integers(min_value=-60, max_value=60))
def test_adding_then_subtracting_returns_to_a_working_day(day, n):
    if is_working_day(day):
        assert working_days_add(working_days_add(day, n), -n) == day


@settings(max_examples=60)
@given(instants, instants, instants)
def test_office_time_is_additive_and_never_more_than_elapsed(a, b, c):
    a, b, c = sorted([a, b, c])
    assert office_hours_between(a, b) + office_hours_between(b, c) == office_hours_between(a, c)
    assert office_hours_between(a, c) <= c - a


@settings(max_examples=60)
@given(instants, st.integers(min_value=0, max_value=60 * 60 * 40))
def test_office_hours_add_is_the_inverse_of_between(start, seconds):
    duration = dt.timedelta(seconds=seconds)
    end = office_hours_add(start, duration)
    assert office_hours_between(start, end) == duration
    if seconds:
        assert is_office_hours(end - dt.timedelta(microseconds=1))
