"""KPI arithmetic: percentages, median and 90th percentile, the two-hour clock.

Pure functions, no ORM. The definitions here are the ones printed on the
dashboard and in docs/data.md, so the words and the sums cannot drift apart.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from swc.core.calendar import office_hours_between
from swc.referrals.deadlines import (
    LIST_MEASURES,
    LIST_WITHIN,
    ListClock,
    list_clock_outcomes,
    list_due_at,
)

TWO_HOURS = LIST_WITHIN

DEFINITION_PERCENTILE = (
    "Percentiles interpolate linearly between the two nearest ranks (the method of "
    "PostgreSQL's percentile_cont): the median is the 50th percentile, so with an even "
    "number of values it is the mean of the middle two."
)
DEFINITION_LIST_ELAPSED = (
    "Complete referrals whose list of potential placements was provided within two "
    "hours of the referral being marked complete, counted in elapsed (clock) time. "
    "The clock stops while the unit waits for information it asked for, and a referral "
    "closed or withdrawn before two hours without a list is not counted; one still "
    "without a list after two hours counts as a miss. Measured from the last completion "
    "before the list (the target) and, beside it, from the first completion, so that a "
    "request for information cannot hide a delay."
)
DEFINITION_LIST_OFFICE = (
    "The same referrals, with the two hours counted in the unit's office hours only "
    "(Monday to Thursday 09:00-17:00, Friday 09:00-19:00, Europe/London, not on bank "
    "holidays of England): a referral completed at 18:00 on a Thursday starts its "
    "clock at 09:00 on Friday."
)


def percent(numerator: int, denominator: int) -> float | None:
    """``numerator`` as a percentage of ``denominator``, or None when there is nothing to count."""
    if denominator <= 0:
        return None
    return 100.0 * numerator / denominator


def percentile(values: Iterable[float], p: float) -> float | None:
    """The ``p``-th percentile (0-100) by linear interpolation; None for no values."""
    if not 0 <= p <= 100:
        raise ValueError("p is a percentage from 0 to 100")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Iterable[float]) -> float | None:
    """The 50th percentile."""
    return percentile(values, 50)


def list_within_two_hours_elapsed(completed_at: dt.datetime, list_provided_at: dt.datetime) -> bool:
    """Was the list provided within two hours of completion, on the clock?"""
    return list_provided_at <= list_due_at(completed_at)


def list_within_two_hours_office(completed_at: dt.datetime, list_provided_at: dt.datetime) -> bool:
    """Was the list provided within two office hours of completion?"""
    return office_hours_between(completed_at, list_provided_at) <= TWO_HOURS


# The statuses in which a child is waiting for a bed: submitted and not yet with an accepted
# offer, placed or closed. An offer that falls through puts the child back to waiting.
WAITING_STATUSES = frozenset(
    {"submitted", "complete", "information_requested", "shortlisted", "with_homes"}
)


def _utc(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(dt.UTC)


@dataclass(frozen=True)
class TwoHourCounts:
    """The list-within-two-hours KPI, four ways: from the first or the last completion,
    in elapsed or in office hours. Each is ``(within two hours, denominator)``."""

    last_elapsed: tuple[int, int] = (0, 0)
    last_office: tuple[int, int] = (0, 0)
    first_elapsed: tuple[int, int] = (0, 0)
    first_office: tuple[int, int] = (0, 0)


def list_two_hour_counts(
    clocks: Iterable[ListClock], start: dt.datetime, end: dt.datetime
) -> TwoHourCounts:
    """The KPI over referrals whose clock started in ``[start, end)``: measured from the last
    completion for those last completed in the period, from the first for those first
    completed in it."""
    tallies = {key: [0, 0] for key in LIST_MEASURES}
    # Compared in UTC: comparing instants in different zones asks each zone its offset.
    start, end = _utc(start), _utc(end)
    for clock in clocks:
        for measure, (began, outcome) in list_clock_outcomes(clock).items():
            if began is None or outcome is None or not start <= began < end:
                continue
            tallies[measure][0] += outcome
            tallies[measure][1] += 1
    return TwoHourCounts(**{key: (a, b) for key, (a, b) in tallies.items()})


def two_hour_counts_add(*counts: TwoHourCounts) -> TwoHourCounts:
    """The counts of several groups of referrals together."""
    return TwoHourCounts(
        **{
            key: (sum(getattr(c, key)[0] for c in counts), sum(getattr(c, key)[1] for c in counts))
            for key in LIST_MEASURES
        }
    )


def status_on(history: Sequence[tuple[dt.datetime, str]], instant: dt.datetime) -> str | None:
    """The status a referral had just before ``instant``, from its arrivals in order."""
    current = None
    for at, status in history:
        if at >= instant:
            break
        current = status
    return current


def waiting_per_day(
    histories: Iterable[Sequence[tuple[dt.datetime, str]]], day_ends: Sequence[dt.datetime]
) -> list[int]:
    """Children waiting at each of ``day_ends`` (in order): referrals whose status then, the
    last arrival before the instant (``status_on``), was a waiting one.

    Each arrival holds from just after its time until the next arrival's time, so it
    covers a run of consecutive day ends, found by bisection: the cost grows with the
    arrivals, not with arrivals times days.
    """
    # Compared in UTC: comparing instants in different zones asks each zone its offset.
    day_ends = [_utc(instant) for instant in day_ends]
    changes = [0] * (len(day_ends) + 1)
    for history in histories:
        for i, (at, status) in enumerate(history):
            if status not in WAITING_STATUSES:
                continue
            first = bisect.bisect_right(day_ends, at)
            following = history[i + 1][0] if i + 1 < len(history) else None
            last = len(day_ends) if following is None else bisect.bisect_right(day_ends, following)
            if first < last:
                changes[first] += 1
                changes[last] -= 1
    counts, running = [], 0
    for change in changes[:-1]:
        running += change
        counts.append(running)
    return counts


@dataclass(frozen=True)
class Kpi:
    """One indicator on the dashboard: what it means, the target and the value."""

    code: str
    title: str
    definition: str
    target: str
    value: str
    met: bool | None = None
    numerator: int | None = None
    denominator: int | None = None
    # What the month-by-month chart draws: (series name, value); None where hidden by
    # disclosure control, NaN where there is nothing to measure.
    chart_values: tuple[tuple[str, float | None], ...] = ()
    chart_target: float | None = None


def target_met(value_percent: float | None, target_percent: float) -> bool | None:
    """At or above target; None when there is nothing to measure."""
    if value_percent is None:
        return None
    return value_percent >= target_percent


# Reporting starts with the service; far-off years are typing errors, not questions.
PERIOD_FIRST_YEAR, PERIOD_LAST_YEAR = 2000, 2100
LONGEST_PERIOD = dt.timedelta(days=5 * 366)


def kpi_period_default(today: dt.date) -> tuple[dt.date, dt.date]:
    """The financial year so far in complete months: 1 April to the last day of the last
    complete month (in April, the whole financial year just ended). A month still running
    has few referrals: its return hides its total, so a period reaching into it would
    print "[c] referrals" (docs/data.md)."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return dt.date(last.year - (last.month < 4), 4, 1), last


def kpi_period_problem(start: dt.date, end: dt.date) -> tuple[str, str] | None:
    """Why a KPI period is refused, as (field, message); None when it is fine.

    The one rule for the page and the API.
    """
    for name, day in (("start", start), ("end", end)):
        if not PERIOD_FIRST_YEAR <= day.year <= PERIOD_LAST_YEAR:
            return name, f"Choose a date from {PERIOD_FIRST_YEAR} to {PERIOD_LAST_YEAR}"
    if end < start:
        return "end", "The end of the period must be on or after its start"
    if end - start > LONGEST_PERIOD:
        return "end", "Choose a period of five years or less"
    return None


def percent_display(value: float | None) -> str:
    """One decimal place, or "no data"."""
    return "no data" if value is None else f"{value:.1f}%"


# --- satisfaction survey ---------------------------------------------------------

SATISFACTION_CHOICES: tuple[tuple[str, str], ...] = (
    ("very_satisfied", "Very satisfied"),
    ("satisfied", "Satisfied"),
    ("neither", "Neither satisfied nor dissatisfied"),
    ("dissatisfied", "Dissatisfied"),
    ("very_dissatisfied", "Very dissatisfied"),
)
SATISFIED_ANSWERS = frozenset({"very_satisfied", "satisfied"})
SATISFACTION_TARGET = 85.0
SIGN_UP_TARGET = 85.0
LIST_TARGET = 85.0


def survey_is_satisfied(overall: str) -> bool:
    """A response counts as satisfied when the overall answer is satisfied or very satisfied."""
    if overall not in dict(SATISFACTION_CHOICES):
        raise ValueError(f"unknown answer {overall!r}")
    return overall in SATISFIED_ANSWERS


def survey_satisfaction_percent(answers: Iterable[str]) -> tuple[int, int, float | None]:
    """``(satisfied, responses, percent)`` over the overall answers of the period."""
    answered = list(answers)
    satisfied = sum(survey_is_satisfied(a) for a in answered)
    return satisfied, len(answered), percent(satisfied, len(answered))
