"""Working days, office hours and on-call time: the one calendar of the service.

Pure functions, no ORM. Every deadline that counts working days (the monthly
return's 10th working day, the register's daily confirmation) or office hours
(the KPI "a list within two hours, counted in office hours") goes through here,
so that the unit, the reports and the reminders agree on what a working day is.

* A *working day* is Monday to Friday and not a bank holiday of the nation
  (England, or Wales for Welsh authorities and homes) from the ``holidays``
  package, substitute days included (Boxing Day on a Saturday moves to Monday).
* *Office hours* come from ``settings.SWC_OFFICE_HOURS`` (weekday → ("HH:MM",
  "HH:MM") in Europe/London wall-clock time) on working days only; any other
  time is *on-call time*. Wall-clock times make the clock changes harmless:
  09:00 is 09:00 in London whether it is GMT or BST, and an office day is never
  an hour longer or shorter because the clocks moved overnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")

ENGLAND = "England"
WALES = "Wales"
_SUBDIVISION = {ENGLAND: "ENG", WALES: "WLS"}

OfficeHours = Mapping[int, tuple[str, str]]

# The unit's hours if settings are not configured (seed 001, 2.4): Monday to
# Thursday 09:00–17:00, Friday until 19:00.
DEFAULT_OFFICE_HOURS: dict[int, tuple[str, str]] = {
    0: ("09:00", "17:00"),
    1: ("09:00", "17:00"),
    2: ("09:00", "17:00"),
    3: ("09:00", "17:00"),
    4: ("09:00", "19:00"),
}


# --- working days ---------------------------------------------------------------


@cache
def bank_holidays(year: int, nation: str = ENGLAND) -> frozenset[dt.date]:
    """The bank holidays of ``nation`` ("England" or "Wales") in ``year``."""
    try:
        subdivision = _SUBDIVISION[nation]
    except KeyError:
        raise ValueError(f"unknown nation {nation!r}: use 'England' or 'Wales'") from None
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year).keys())


def is_working_day(day: dt.date, nation: str = ENGLAND) -> bool:
    """Monday to Friday and not a bank holiday in ``nation``."""
    return day.weekday() < 5 and day not in bank_holidays(day.year, nation)


def working_days_add(day: dt.date, n: int, nation: str = ENGLAND) -> dt.date:
    """The ``n``-th working day after ``day`` (before it when ``n`` is negative).

    ``day`` itself is not counted, so ``working_days_add(friday, 1)`` is the
    next Monday (or Tuesday after a bank holiday Monday). ``n == 0`` returns
    ``day`` unchanged, working day or not.
    """
    step = dt.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day, nation):
            remaining -= 1
    return day


def working_days_between(first: dt.date, last: dt.date, nation: str = ENGLAND) -> int:
    """How many working days lie in ``first`` .. ``last``, both included (0 if first > last)."""
    count = 0
    day = first
    while day <= last:
        if is_working_day(day, nation):
            count += 1
        day += dt.timedelta(days=1)
    return count


def nth_working_day_of_month(year: int, month: int, n: int, nation: str = ENGLAND) -> dt.date:
    """The ``n``-th working day (1-based) of the month, e.g. the monthly return's 10th."""
    if n < 1:
        raise ValueError("n counts from 1")
    day = working_days_add(dt.date(year, month, 1) - dt.timedelta(days=1), n, nation)
    if day.month != month:
        raise ValueError(f"{year}-{month:02d} has fewer than {n} working days")
    return day


# --- office hours and on-call ---------------------------------------------------


def _configured_hours(hours: OfficeHours | None) -> OfficeHours:
    if hours is not None:
        return hours
    from django.conf import settings

    return getattr(settings, "SWC_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def office_hours_on(
    day: dt.date, *, hours: OfficeHours | None = None, nation: str = ENGLAND
) -> tuple[dt.datetime, dt.datetime] | None:
    """When the office opens and closes on ``day`` (London-aware), or None if it is shut."""
    window = _configured_hours(hours).get(day.weekday())
    if window is None or not is_working_day(day, nation):
        return None
    return _at(day, window[0]), _at(day, window[1])


def _london(instant: dt.datetime) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("an instant needs a time zone")
    return instant.astimezone(LONDON)


def is_office_hours(
    instant: dt.datetime, *, hours: OfficeHours | None = None, nation: str = ENGLAND
) -> bool:
    """Is the unit's office open at ``instant`` (opening included, closing excluded)?"""
    local = _london(instant)
    window = office_hours_on(local.date(), hours=hours, nation=nation)
    return window is not None and window[0] <= local < window[1]


def is_on_call_time(
    instant: dt.datetime, *, hours: OfficeHours | None = None, nation: str = ENGLAND
) -> bool:
    """Outside office hours: evenings, weekends and bank holidays go to the on-call officer."""
    return not is_office_hours(instant, hours=hours, nation=nation)


def office_hours_between(
    start: dt.datetime,
    end: dt.datetime,
    *,
    hours: OfficeHours | None = None,
    nation: str = ENGLAND,
) -> dt.timedelta:
    """The office time between two instants (zero if ``end`` is not after ``start``).

    Call ``.total_seconds()`` for working seconds. Used for "within two hours,
    counted in office hours".
    """
    start_local, end_local = _london(start), _london(end)
    if end_local <= start_local:
        return dt.timedelta(0)
    total = dt.timedelta(0)
    day = start_local.date()
    while day <= end_local.date():
        window = office_hours_on(day, hours=hours, nation=nation)
        if window is not None:
            begin = max(window[0], start_local)
            finish = min(window[1], end_local)
            if finish > begin:
                # Subtract in UTC: aware datetimes in the same zone subtract by wall
                # clock, which would be wrong across a clock change.
                total += finish.astimezone(dt.UTC) - begin.astimezone(dt.UTC)
        day += dt.timedelta(days=1)
    return total


def office_hours_add(
    start: dt.datetime,
    duration: dt.timedelta,
    *,
    hours: OfficeHours | None = None,
    nation: str = ENGLAND,
) -> dt.datetime:
    """The instant when ``duration`` of office time has passed since ``start``.

    "Two office hours after a referral completed at 16:30 on a Thursday" is
    10:30 on Friday. Returned in Europe/London.
    """
    if duration < dt.timedelta(0):
        raise ValueError("duration must not be negative")
    current = _london(start)
    remaining = duration
    day = current.date()
    # A year of closed days would mean a misconfiguration, not a long wait.
    for _ in range(366 * 2):
        window = office_hours_on(day, hours=hours, nation=nation)
        if window is not None:
            begin = max(window[0], current)
            if begin < window[1]:
                available = window[1].astimezone(dt.UTC) - begin.astimezone(dt.UTC)
                if remaining <= available:
                    return (begin.astimezone(dt.UTC) + remaining).astimezone(LONDON)
                remaining -= available
        day += dt.timedelta(days=1)
    raise ValueError("no office hours configured")


def office_next_opening(
    instant: dt.datetime, *, hours: OfficeHours | None = None, nation: str = ENGLAND
) -> dt.datetime:
    """The next instant the office is open at or after ``instant``."""
    return office_hours_add(instant, dt.timedelta(0), hours=hours, nation=nation)
