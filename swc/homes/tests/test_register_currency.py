"""Is a home's register current? The one rule, for the board and the matching page.

Dates typed by hand from a 2026 calendar: 27 November is a Friday; 31 August
(summer), 3 and 6 April (Easter), 25 and 28 December (Christmas, Boxing Day's
substitute) are England and Wales bank holidays.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swc.core.calendar import WALES
from swc.homes.register import register_confirmation_age, working_day_previous

D = dt.date

CASES = [
    # last confirmed, today, words, out of date
    (D(2026, 11, 27), D(2026, 11, 27), "confirmed today", False),
    (D(2026, 11, 27), D(2026, 11, 28), "confirmed yesterday", False),
    # Friday's figures hold all weekend and on Monday: Monday is not over yet.
    (D(2026, 11, 27), D(2026, 11, 29), "confirmed Friday 27 November", False),
    (D(2026, 11, 27), D(2026, 11, 30), "confirmed Friday 27 November", False),
    (
        D(2026, 11, 27),
        D(2026, 12, 1),
        "not confirmed for 1 working day, since Friday 27 November",
        True,
    ),
    # Thursday's figures on Sunday: Friday went by without a confirmation.
    (
        D(2026, 11, 26),
        D(2026, 11, 29),
        "not confirmed for 1 working day, since Thursday 26 November",
        True,
    ),
    (
        D(2026, 11, 25),
        D(2026, 11, 29),
        "not confirmed for 2 working days, since Wednesday 25 November",
        True,
    ),
    # A confirmation on a Saturday is current on Monday.
    (D(2026, 11, 28), D(2026, 11, 30), "confirmed Saturday 28 November", False),
    # The summer bank holiday Monday is not a working day missed.
    (D(2026, 8, 28), D(2026, 9, 1), "confirmed Friday 28 August", False),
    (
        D(2026, 8, 28),
        D(2026, 9, 2),
        "not confirmed for 1 working day, since Friday 28 August",
        True,
    ),
    # Easter: Good Friday and Easter Monday.
    (D(2026, 4, 2), D(2026, 4, 7), "confirmed Thursday 2 April", False),
    # Christmas Day on a Friday, Boxing Day's substitute on Monday 28 December.
    (D(2026, 12, 24), D(2026, 12, 29), "confirmed Thursday 24 December", False),
    (
        D(2026, 12, 24),
        D(2026, 12, 30),
        "not confirmed for 1 working day, since Thursday 24 December",
        True,
    ),
    (None, D(2026, 11, 29), "never confirmed", True),
]


@pytest.mark.parametrize(("last", "today", "words", "out_of_date"), CASES)
def test_the_words_and_the_warning_for_each_day(
    last: dt.date | None, today: dt.date, words: str, out_of_date: bool
) -> None:
    age = register_confirmation_age(last, today)
    assert (age.words, age.out_of_date) == (words, out_of_date)


def test_a_welsh_home_keeps_the_same_bank_holidays() -> None:
    age = register_confirmation_age(D(2026, 8, 28), D(2026, 9, 1), WALES)
    assert (age.words, age.out_of_date) == ("confirmed Friday 28 August", False)


@given(
    st.dates(D(2020, 1, 1), D(2030, 12, 31)),
    st.integers(min_value=0, max_value=40),
)
def test_out_of_date_exactly_when_older_than_the_last_working_day_before_today(
    today: dt.date, age_days: int
) -> None:
    last = today - dt.timedelta(days=age_days)
    age = register_confirmation_age(last, today)
    assert age.out_of_date == (last < working_day_previous(today))
    assert age.working_days_missed is not None
    assert age.out_of_date == (age.working_days_missed > 0)
