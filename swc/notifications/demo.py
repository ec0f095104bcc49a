"""Synthetic demo data: an on-call rota covering the evenings and weekends ahead."""

from __future__ import annotations

import datetime as dt

from swc.core import clock
from swc.core.calendar import LONDON

from .models import OnCallPeriod
from .selectors import unit_officers


def demo_rota_load(days: int = 28) -> int:
    """Put the unit's officers on call in turn, week by week, from today (adds nothing twice)."""
    officers = list(unit_officers())
    if not officers:
        return 0
    today = clock.today()
    added = 0
    # Weekly periods from Monday 09:00, so each covers its week's evenings and weekend.
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(days // 7):
        start = dt.datetime.combine(monday + dt.timedelta(weeks=week), dt.time(9), tzinfo=LONDON)
        end = dt.datetime.combine(monday + dt.timedelta(weeks=week + 1), dt.time(9), tzinfo=LONDON)
        if OnCallPeriod.objects.filter(starts_at__lt=end, ends_at__gt=start).exists():
            continue
        OnCallPeriod.objects.create(
            officer=officers[week % len(officers)],
            starts_at=start,
            ends_at=end,
            note="Synthetic demo rota",
        )
        added += 1
    return added
