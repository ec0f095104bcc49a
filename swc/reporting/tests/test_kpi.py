"""KPI arithmetic, worked by hand."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swc.reporting.kpi import (
    list_two_hour_counts,
    list_within_two_hours_elapsed,
    list_within_two_hours_office,
    median,
    percent,
    percentile,
    survey_is_satisfied,
    survey_satisfaction_percent,
    target_met,
)

LONDON = ZoneInfo("Europe/London")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_percent() -> None:
    assert percent(17, 20) == 85.0
    assert percent(0, 0) is None
    assert target_met(85.0, 85.0) is True
    assert target_met(84.9, 85.0) is False
    assert target_met(None, 85.0) is None


def test_median_and_ninetieth_percentile_by_hand() -> None:
    assert median([]) is None
    assert median([7]) == 7
    assert median([1, 3, 2]) == 2
    assert median([1, 2, 3, 10]) == 2.5
    # Ten values 1..10: rank (10-1)*0.9 = 8.1, between 9 and 10: 9 + 0.1 = 9.1.
    assert percentile(range(1, 11), 90) == pytest.approx(9.1)
    # Five values: rank 4*0.9 = 3.6 between 40 and 50: 40 + 6 = 46.
    assert percentile([10, 20, 30, 40, 50], 90) == pytest.approx(46)
    with pytest.raises(ValueError):
        percentile([1], 101)


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=50))
def test_percentiles_lie_within_the_values_and_increase(values: list[float]) -> None:
    low = percentile(values, 10)
    mid = median(values)
    high = percentile(values, 90)
    assert low is not None and mid is not None and high is not None
    assert min(values) <= low <= mid <= high <= max(values)


def test_two_hours_elapsed_and_in_office_hours() -> None:
    # Tuesday 10:00 to 12:00: two hours on both clocks.
    assert list_within_two_hours_elapsed(at(2026, 10, 6, 10), at(2026, 10, 6, 12))
    assert list_within_two_hours_office(at(2026, 10, 6, 10), at(2026, 10, 6, 12))
    # Thursday 16:30 to Friday 10:00: 17.5 hours elapsed, but 0.5 + 1 = 1.5 office hours.
    assert not list_within_two_hours_elapsed(at(2026, 10, 8, 16, 30), at(2026, 10, 9, 10))
    assert list_within_two_hours_office(at(2026, 10, 8, 16, 30), at(2026, 10, 9, 10))
    # Friday 18:00 to Monday 10:30: one office hour Friday, 1.5 on Monday = 2.5.
    assert not list_within_two_hours_office(at(2026, 10, 9, 18), at(2026, 10, 12, 10, 30))
    # Saturday 02:00 to 03:00: one hour elapsed, none in office hours.
    assert list_within_two_hours_elapsed(at(2026, 10, 10, 2), at(2026, 10, 10, 3))


def test_two_hour_counts_wait_for_open_referrals() -> None:
    end = at(2026, 11, 1)
    pairs = [
        (at(2026, 10, 6, 10), at(2026, 10, 6, 11)),  # both within
        (at(2026, 10, 8, 16, 30), at(2026, 10, 9, 10)),  # office only
        (at(2026, 10, 6, 10), at(2026, 10, 6, 15)),  # neither
        (at(2026, 10, 20, 10), None),  # no list after days: counts as a miss
        (at(2026, 10, 31, 23, 0), None),  # Saturday 23:00, one hour before the end: not yet
    ]
    assert list_two_hour_counts(pairs, end) == (1, 2, 4)


def test_survey_scoring() -> None:
    assert survey_is_satisfied("very_satisfied")
    assert survey_is_satisfied("satisfied")
    assert not survey_is_satisfied("neither")
    with pytest.raises(ValueError):
        survey_is_satisfied("great")
    assert survey_satisfaction_percent(["satisfied"] * 17 + ["dissatisfied"] * 3) == (17, 20, 85.0)
    assert survey_satisfaction_percent([]) == (0, 0, None)
