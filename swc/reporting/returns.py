"""The monthly return's calendar: which month, and when it is due.

Pure functions, no ORM. The return for a month is due to the DfE on the 10th
working day of the following month (seed 001, 4.1), counting Monday to Friday
less the bank holidays of England and Wales (the unit is in England; the
England and Wales bank holidays are the same list).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from swc.core.calendar import nth_working_day_of_month

LONDON = ZoneInfo("Europe/London")
DUE_WORKING_DAY = 10
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class ReturnMonth:
    """A calendar month that a return covers."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError("month must be 1 to 12")

    @classmethod
    def parse(cls, text: str) -> ReturnMonth:
        """``YYYY-MM`` as typed on a form or the command line."""
        match = _MONTH.match(text.strip())
        if not match:
            raise ValueError("Enter the month as YYYY-MM, for example 2026-10")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError("Enter a month from 01 to 12")
        return cls(year, month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return dt.date(self.year, self.month, 1).strftime("%B %Y")

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> ReturnMonth:
        return ReturnMonth(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> ReturnMonth:
        return ReturnMonth(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def start(self) -> dt.datetime:
        """Midnight London time on the first day: the month's lower bound (inclusive)."""
        return dt.datetime.combine(self.first_day, dt.time(0), tzinfo=LONDON)

    def end(self) -> dt.datetime:
        """Midnight London time on the next month's first day (exclusive)."""
        return self.next().start()

    def days(self) -> list[dt.date]:
        return [
            self.first_day + dt.timedelta(days=k)
            for k in range((self.last_day - self.first_day).days + 1)
        ]


def return_due_date(month: ReturnMonth) -> dt.date:
    """The 10th working day of the month after ``month``."""
    following = month.next()
    return nth_working_day_of_month(following.year, following.month, DUE_WORKING_DAY)


def months_span(first: ReturnMonth, last: ReturnMonth) -> list[ReturnMonth]:
    """Every month from ``first`` to ``last``, both included."""
    if last < first:
        raise ValueError("the last month is before the first")
    months = [first]
    while months[-1] < last:
        months.append(months[-1].next())
    return months


def return_issued_on_time(month: ReturnMonth, signed_off_on: dt.date | None) -> bool:
    """Was the return signed off (issued) no later than its due date?"""
    return signed_off_on is not None and signed_off_on <= return_due_date(month)
