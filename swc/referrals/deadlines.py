"""Clocks on a referral: urgency for the triage queue, and keeping a referral alive.

Pure functions, no ORM; docs/workflow.md states the same rules in prose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from swc.core.clock import LONDON
from swc.core.vocabulary import LegalStatus

REGULATION_10_HOURS = 72
# The unit's KPI: a list of potential placements within two hours of completion
# (docs/workflow.md, "The KPI clock"); swc.reporting.kpi measures against the same.
LIST_WITHIN = dt.timedelta(hours=2)
UPDATE_EVERY = dt.timedelta(days=14)
REVIEW_EVERY = dt.timedelta(days=91)  # three months, as 13 weeks
# An update more than this late makes the referral lapse (unless extended).
UPDATE_GRACE = dt.timedelta(days=7)
# A draft untouched this long is shown as abandoned (never deleted).
DRAFT_STALE_AFTER = dt.timedelta(days=30)
FAR_FUTURE = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Urgency:
    """Why a referral sits where it does in the triage queue."""

    deadline: dt.datetime | None
    deadline_label: str
    waiting_since: dt.datetime | None

    def remaining(self, now: dt.datetime) -> dt.timedelta | None:
        return None if self.deadline is None else self.deadline - now

    def sort_key(self) -> tuple[dt.datetime, dt.datetime]:
        # Earliest deadline first; with equal (or no) deadlines, longest waiting first.
        return (self.deadline or FAR_FUTURE, self.waiting_since or FAR_FUTURE)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def urgency_of(
    *,
    legal_status: str,
    regulation_10_started_at: dt.datetime | None,
    hearing_date: dt.date | None,
    bed_needed_at: dt.datetime | None,
    waiting_since: dt.datetime | None,
) -> Urgency:
    """The earliest of the referral's deadlines, and how long it has waited.

    Deadlines: the end of the regulation 10 72 hours; the start of the court
    hearing day (the court wants to know a bed is available); the time the bed
    is needed.
    """
    candidates: list[tuple[dt.datetime, str]] = []
    if legal_status == LegalStatus.REGULATION_10 and regulation_10_started_at is not None:
        candidates.append(
            (
                regulation_10_started_at + dt.timedelta(hours=REGULATION_10_HOURS),
                "72 hours end",
            )
        )
    if (
        legal_status in (LegalStatus.S25_APPLICATION, LegalStatus.WALES_S119)
        and hearing_date is not None
    ):
        candidates.append((_day_start(hearing_date), "Court hearing"))
    if bed_needed_at is not None:
        candidates.append((bed_needed_at, "Bed needed"))
    if not candidates:
        return Urgency(None, "", waiting_since)
    deadline, label = min(candidates, key=lambda c: c[0])
    return Urgency(deadline, label, waiting_since)


def remaining_describe(remaining: dt.timedelta | None) -> str:
    """ "2 days 4 hours", "45 minutes", "overdue by 3 hours" for the queue."""
    if remaining is None:
        return "No deadline"
    overdue = remaining < dt.timedelta(0)
    minutes = int(abs(remaining).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and (minutes or not hours):
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    text = " ".join(parts)
    return f"overdue by {text}" if overdue else text


def list_due_at(completed_at: dt.datetime) -> dt.datetime:
    """When the list of potential placements is due: two hours after (the last) completion."""
    return completed_at + LIST_WITHIN


def due_describe(due: dt.datetime, now: dt.datetime) -> str:
    """ "14:35 today", "09:10 tomorrow", "16:00 on Friday 27 November", in London time."""
    local, today = due.astimezone(LONDON), now.astimezone(LONDON).date()
    time = f"{local:%H:%M}"
    days = (local.date() - today).days
    if days == 0:
        return f"{time} today"
    if days == 1:
        return f"{time} tomorrow"
    if days == -1:
        return f"{time} yesterday"
    return f"{time} on {local:%A} {local.day} {local:%B}"


@dataclass(frozen=True)
class KeepAlive:
    update_due_at: dt.datetime
    review_due_at: dt.datetime
    lapses_at: dt.datetime

    def update_due(self, now: dt.datetime) -> bool:
        return now >= self.update_due_at

    def review_due(self, now: dt.datetime) -> bool:
        return now >= self.review_due_at

    def lapsed(self, now: dt.datetime) -> bool:
        return now >= self.lapses_at


def keep_alive_of(
    *,
    completed_at: dt.datetime,
    last_update_at: dt.datetime | None,
    last_reviewed_at: dt.datetime | None,
    extended_until: dt.date | None,
) -> KeepAlive:
    """When an open referral next needs an update and a review, and when it lapses.

    An update is due two weeks after completion or the last update; a review
    three months after completion or the last review. It lapses a week after a
    missed update, or when a review is missed, unless the unit has extended it
    to a later date (it then lapses at the end of that day).
    """
    updated = max(completed_at, last_update_at or completed_at)
    reviewed = max(completed_at, last_reviewed_at or completed_at)
    update_due_at = updated + UPDATE_EVERY
    review_due_at = reviewed + REVIEW_EVERY
    lapses_at = min(update_due_at + UPDATE_GRACE, review_due_at)
    if extended_until is not None:
        lapses_at = max(lapses_at, _day_start(extended_until + dt.timedelta(days=1)))
    return KeepAlive(update_due_at, review_due_at, lapses_at)


def draft_is_stale(modified_at: dt.datetime, now: dt.datetime) -> bool:
    """A draft nobody has touched for a month: shown with a warning, never deleted."""
    return now - modified_at >= DRAFT_STALE_AFTER
