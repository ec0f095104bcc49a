"""KPI arithmetic: percentages, median and 90th percentile, the two-hour clock.

Pure functions, no ORM. The definitions here are the ones printed on the
dashboard and in docs/data.md, so the words and the sums cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from swc.core.calendar import office_hours_between

TWO_HOURS = dt.timedelta(hours=2)

DEFINITION_PERCENTILE = (
    "Percentiles interpolate linearly between the two nearest ranks (the method of "
    "PostgreSQL's percentile_cont): the median is the 50th percentile, so with an even "
    "number of values it is the mean of the middle two."
)
DEFINITION_LIST_ELAPSED = (
    "Complete referrals whose list of potential placements was provided within two "
    "hours of the referral being marked complete, counted in elapsed (clock) time. "
    "Denominator: referrals completed in the period that have had a list or have been "
    "waiting longer than two hours at the end of the period."
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
    return list_provided_at - completed_at <= TWO_HOURS


def list_within_two_hours_office(completed_at: dt.datetime, list_provided_at: dt.datetime) -> bool:
    """Was the list provided within two office hours of completion?"""
    return office_hours_between(completed_at, list_provided_at) <= TWO_HOURS


def list_two_hour_counts(
    pairs: Sequence[tuple[dt.datetime, dt.datetime | None]], period_end: dt.datetime
) -> tuple[int, int, int]:
    """``(within elapsed, within office hours, denominator)`` for (completed_at, list_provided_at).

    A referral with no list yet counts in the denominator only once it has
    waited more than two hours (by either clock) at ``period_end``: until then
    it may still succeed.
    """
    elapsed = office = denominator = 0
    for completed_at, listed_at in pairs:
        if listed_at is None:
            if period_end - completed_at > TWO_HOURS or (
                office_hours_between(completed_at, period_end) > TWO_HOURS
            ):
                denominator += 1
            continue
        denominator += 1
        elapsed += list_within_two_hours_elapsed(completed_at, listed_at)
        office += list_within_two_hours_office(completed_at, listed_at)
    return elapsed, office, denominator


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


def target_met(value_percent: float | None, target_percent: float) -> bool | None:
    """At or above target; None when there is nothing to measure."""
    if value_percent is None:
        return None
    return value_percent >= target_percent


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
