"""Due dates of the monthly return, each worked out by hand from a calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from swc.reporting.returns import (
    ReturnMonth,
    months_span,
    return_due_date,
    return_issued_on_time,
)


@pytest.mark.parametrize(
    ("month", "due", "working"),
    [
        # Jan 2027: Fri 1 is New Year's Day; Mon 4 .. Fri 8 are days 1-5, Mon 11 .. Fri 15 are 6-10.
        ("2026-12", dt.date(2027, 1, 15), "New Year's Day on a Friday"),
        # May 2027: Sat 1, Sun 2, Mon 3 is the early May bank holiday; Tue 4 .. Fri 7 are 1-4,
        # Mon 10 .. Fri 14 are 5-9, Mon 17 is the 10th.
        ("2027-04", dt.date(2027, 5, 17), "early May bank holiday"),
        # June 2027: Tue 1 .. Fri 4 are 1-4, Mon 7 .. Fri 11 are 5-9, Mon 14 is the 10th.
        ("2027-05", dt.date(2027, 6, 14), "month starting on a Tuesday"),
        # Nov 2026: Sun 1; Mon 2 .. Fri 6 are 1-5, Mon 9 .. Fri 13 are 6-10.
        ("2026-10", dt.date(2026, 11, 13), "month starting on a Sunday"),
        # Dec 2026: Tue 1 .. Fri 4 are 1-4, Mon 7 .. Fri 11 are 5-9, Mon 14 is the 10th.
        ("2026-11", dt.date(2026, 12, 14), "December, before Christmas"),
        # May 2026: Fri 1 is day 1, Mon 4 is the early May bank holiday, Tue 5 .. Fri 8 are 2-5,
        # Mon 11 .. Fri 15 are 6-10.
        ("2026-04", dt.date(2026, 5, 15), "bank holiday after day 1"),
        # Jan 2026: Thu 1 is New Year's Day; Fri 2 is 1, Mon 5 .. Fri 9 are 2-6, Mon 12 .. Thu 15
        # are 7-10.
        ("2025-12", dt.date(2026, 1, 15), "New Year's Day on a Thursday"),
        # March 2027: Mon 1 .. Fri 5 are 1-5, Mon 8 .. Fri 12 are 6-10 (Easter is later, 26-29 March).
        ("2027-02", dt.date(2027, 3, 12), "plain month"),
        # April 2027: Thu 1, Fri 2 are 1-2, Mon 5 .. Fri 9 are 3-7, Mon 12 .. Wed 14 are 8-10.
        ("2027-03", dt.date(2027, 4, 14), "Easter Monday already in March"),
    ],
)
def test_return_due_date_is_the_tenth_working_day_of_the_next_month(
    month: str, due: dt.date, working: str
) -> None:
    assert return_due_date(ReturnMonth.parse(month)) == due, working


def test_due_dates_are_weekdays_in_the_following_month() -> None:
    for month in months_span(ReturnMonth(2026, 1), ReturnMonth(2030, 12)):
        due = return_due_date(month)
        assert due.weekday() < 5
        assert (due.year, due.month) == (month.next().year, month.next().month)
        # At least the 12th (a month starting on a Monday), at most about the 20th.
        assert 12 <= (due - month.next().first_day).days + 1 <= 20


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "26-10", "October", "", "2026/10"])
def test_month_parse_refuses_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        ReturnMonth.parse(bad)


def test_month_arithmetic_across_the_year_end() -> None:
    december = ReturnMonth(2026, 12)
    assert december.next() == ReturnMonth(2027, 1)
    assert ReturnMonth(2027, 1).previous() == december
    assert december.last_day == dt.date(2026, 12, 31)
    assert ReturnMonth(2028, 2).last_day == dt.date(2028, 2, 29)
    assert len(ReturnMonth(2027, 2).days()) == 28
    assert december.label == "December 2026"
    assert str(december) == "2026-12"
    assert [str(m) for m in months_span(ReturnMonth(2026, 11), ReturnMonth(2027, 2))] == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]


def test_month_bounds_are_london_midnights() -> None:
    # 1 July is in BST: midnight London is 23:00 UTC the day before.
    july = ReturnMonth(2026, 7)
    assert july.start().astimezone(dt.UTC) == dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC)
    assert july.end().astimezone(dt.UTC) == dt.datetime(2026, 7, 31, 23, 0, tzinfo=dt.UTC)


def test_issued_on_time() -> None:
    month = ReturnMonth(2026, 12)
    assert return_issued_on_time(month, dt.date(2027, 1, 15))
    assert not return_issued_on_time(month, dt.date(2027, 1, 18))
    assert not return_issued_on_time(month, None)
