"""Clocks on a referral: urgency for the triage queue, and keeping a referral alive.

Pure functions, no ORM; docs/workflow.md states the same rules in prose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from swc.core.calendar import office_hours_between
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
    # The deadline is a day (a court hearing), not a moment: pages give the date alone,
    # not "00:00".
    is_whole_day: bool = False

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
    whole_days = {"Court hearing"}
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
    return Urgency(deadline, label, waiting_since, is_whole_day=label in whole_days)


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


# --- The two-hour list clock (docs/workflow.md, "The KPI clock"; docs/data.md, KPI 5) ---

# The status in which the clock runs: complete and not yet given a list. A request for
# more information stops it; a re-completion restarts it. The first list stops it for good.
CLOCK_RUNNING = "complete"
LISTED = "shortlisted"
Interval = tuple[dt.datetime, dt.datetime]
# The four ways the KPI is counted: from the last or the first completion, in elapsed time
# or in office hours.
LIST_MEASURES = ("last_elapsed", "last_office", "first_elapsed", "first_office")


@dataclass(frozen=True)
class ListClock:
    """When a referral's two-hour clock ran, read from its status history.

    ``from_first`` holds every stretch the clock ran from the first completion to the
    list (stopped while the unit waited for more information); ``from_last`` only the
    stretch since the last completion before the list (the documented KPI, which a
    request for information restarts). ``running``: the clock was still running at the
    instant it was read to, so its outcome may yet change.
    """

    first_completed_at: dt.datetime | None
    last_completed_at: dt.datetime | None
    listed_at: dt.datetime | None
    from_first: tuple[Interval, ...]
    from_last: tuple[Interval, ...]
    running: bool = False


def list_clock(history: Sequence[tuple[dt.datetime, str]], as_of: dt.datetime) -> ListClock:
    """The two-hour clock of one referral from its status arrivals ``(at, to_status)``, in order.

    The clock runs while the referral is complete, from its first completion until
    its first list; after ``as_of`` nothing is known.
    """
    running: list[Interval] = []
    since: dt.datetime | None = None
    first: dt.datetime | None = None
    listed: dt.datetime | None = None
    for at, status in history:
        if at > as_of:
            break
        if since is not None:
            running.append((since, at))
            since = None
        if status == LISTED:
            listed = at
            break
        if status == CLOCK_RUNNING:
            since = at
            first = first or at
    still = since is not None
    if since is not None:
        running.append((since, as_of))
    last = running[-1][0] if running else None
    return ListClock(first, last, listed, tuple(running), tuple(running[-1:]), still)


def list_outcome(
    running: Sequence[Interval], listed: bool, *, office_hours: bool = False
) -> bool | None:
    """Within two hours (True), a miss (False), or not counted (None).

    A listed referral counts as within when the clock ran two hours or less. Without
    a list it counts as a miss only once the clock has run more than two hours:
    until then it may still succeed, and a referral closed (withdrawn) or waiting for
    information before two hours leaves the denominator.
    """
    if office_hours:
        over = _office_time_exceeds(running, LIST_WITHIN)
    else:
        over = sum((b - a for a, b in running), dt.timedelta(0)) > LIST_WITHIN
    if listed:
        return not over
    return False if over else None


def list_clock_outcomes(clock: ListClock) -> dict[str, tuple[dt.datetime | None, bool | None]]:
    """Each of the four measures (``LIST_MEASURES``) of one clock: when it began (the period
    the referral counts in) and its outcome (``list_outcome``), or (None, None) for a clock
    that never ran."""
    listed = clock.listed_at is not None
    # From the first and from the last completion are the same stretches for a referral
    # never asked for more information: each outcome is worked out once.
    outcomes: dict[tuple[tuple[Interval, ...], bool], bool | None] = {}
    measured: dict[str, tuple[dt.datetime | None, bool | None]] = {}
    for which, began, running in (
        ("last", clock.last_completed_at, clock.from_last),
        ("first", clock.first_completed_at, clock.from_first),
    ):
        for kind, office in (("elapsed", False), ("office", True)):
            if began is None:
                measured[f"{which}_{kind}"] = (None, None)
                continue
            if (running, office) not in outcomes:
                outcomes[running, office] = list_outcome(running, listed, office_hours=office)
            measured[f"{which}_{kind}"] = (began, outcomes[running, office])
    return measured


def list_clock_settled(history: Sequence[tuple[dt.datetime, str]]) -> dict[str, Any] | None:
    """What a referral's clock says once its status history ends: the fields of its stored
    clock (``ReferralListClock``), or None for a referral never complete.

    A clock still running at the last arrival has no outcomes yet (they depend on when
    they are read) and keeps the stretches it ran before the current one, from which
    ``list_clock_running`` gives it as of any later instant; any other clock's outcomes
    are final, as nothing after the first list or between a stop and the next completion
    changes them.
    """
    if not history:
        return None
    clock = list_clock(history, history[-1][0])
    if clock.first_completed_at is None:
        return None
    outcomes = list_clock_outcomes(clock)
    return {
        "first_completed_at": clock.first_completed_at,
        "last_completed_at": clock.last_completed_at,
        "listed_at": clock.listed_at,
        "running": clock.running,
        "earlier_stretches": [[a.isoformat(), b.isoformat()] for a, b in clock.from_first[:-1]]
        if clock.running
        else [],
        **{m: None if clock.running else outcomes[m][1] for m in LIST_MEASURES},
    }


def list_clocks_settled(
    referral_ids: Iterable[int], rows: Iterable[tuple[int, dt.datetime, str]]
) -> dict[int, dict[str, Any]]:
    """``list_clock_settled`` for many referrals at once, from their status rows
    ``(referral_id, at, to_status)`` in order of time: the stored clock's fields of each
    referral that has one (referrals never complete are left out)."""
    histories: dict[int, list[tuple[dt.datetime, str]]] = {pk: [] for pk in referral_ids}
    for referral_id, at, status in rows:
        histories[referral_id].append((at, status))
    settled = {pk: list_clock_settled(history) for pk, history in histories.items()}
    return {pk: fields for pk, fields in settled.items() if fields is not None}


def list_clock_running(
    first_completed_at: dt.datetime,
    last_completed_at: dt.datetime,
    earlier_stretches: Sequence[Sequence[str]],
    as_of: dt.datetime,
) -> ListClock:
    """A clock stored while running (``list_clock_settled``) as it stands at ``as_of``: what
    ``list_clock`` gives from the whole history when nothing has happened since."""
    earlier = tuple(
        (dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)) for a, b in earlier_stretches
    )
    current = ((last_completed_at, as_of),)
    return ListClock(
        first_completed_at, last_completed_at, None, earlier + current, current, running=True
    )


# Office time is counted a week at a time, so a clock left running for months is decided
# by its first week rather than walked day by day to today.
_OFFICE_CHUNK = dt.timedelta(days=7)


def _office_time_exceeds(running: Sequence[Interval], limit: dt.timedelta) -> bool:
    """Did the clock run more than ``limit`` of office time over these stretches?

    Office time is part of the elapsed time, so stretches that last ``limit`` or less in
    all cannot exceed it and the calendar is not consulted (most lists come quickly). Else
    office time is added up a week at a time (it is additive) until it passes ``limit``.
    """
    if sum((_utc(b) - _utc(a) for a, b in running), dt.timedelta(0)) <= limit:
        return False
    total = dt.timedelta(0)
    for a, b in running:
        begin = a
        while begin < b:
            finish = min(b, begin + _OFFICE_CHUNK)
            total += office_hours_between(begin, finish)
            if total > limit:
                return True
            begin = finish
    return False


def _utc(instant: dt.datetime) -> dt.datetime:
    # Real elapsed time: aware datetimes in the same zone subtract by wall clock.
    return instant.astimezone(dt.UTC)


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
