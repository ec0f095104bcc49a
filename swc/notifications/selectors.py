"""Reads for the outbox, the local messages, the rota and a person's preferences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, QuerySet

from swc.core import clock
from swc.organisations.models import OrganisationKind, Role, User
from swc.organisations.policy import require

from .models import (
    LocalMessage,
    Notification,
    NotificationPreference,
    NotificationStatus,
    OnCallPeriod,
    SchedulerHeartbeat,
)

# The scheduler ticks every minute: five minutes of silence means it has stopped.
SCHEDULER_LATE_AFTER = dt.timedelta(minutes=5)
# A notification due this long and still not sent means no worker is delivering.
DELIVERY_LATE_AFTER = dt.timedelta(minutes=10)


def on_call_officer_at(instant: dt.datetime) -> User | None:
    """The officer on the rota at ``instant`` (the latest period to start wins an overlap)."""
    period = (
        OnCallPeriod.objects.select_related("officer")
        .filter(starts_at__lte=instant, ends_at__gt=instant, officer__is_active=True)
        .order_by("-starts_at", "-pk")
        .first()
    )
    return period.officer if period else None


def unit_officers() -> QuerySet[User]:
    """Active coordinators and unit managers: who may be put on the rota."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=[Role.COORDINATOR, Role.UNIT_MANAGER],
            memberships__organisation__kind=OrganisationKind.UNIT,
            memberships__organisation__is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def outbox_list_for(
    user: Any,
    *,
    status: str = "",
    channel: str = "",
    message: str = "",
    limit: int = 200,
) -> list[Notification]:
    """The unit's view of the outbox, newest first, optionally filtered."""
    require(user, "outbox.view")
    notifications = Notification.objects.select_related("recipient")
    if status:
        notifications = notifications.filter(status=status)
    if channel:
        notifications = notifications.filter(channel=channel)
    if message:
        notifications = notifications.filter(message=message)
    return list(notifications[:limit])


def outbox_counts_for(user: Any) -> dict[str, int]:
    """How many notifications are in each status (for the outbox's summary)."""
    require(user, "outbox.view")
    from django.db.models import Count

    rows = Notification.objects.values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in rows}


def local_messages_for(user: Any, *, limit: int = 100) -> list[LocalMessage]:
    """What the local backend would have sent, newest first (the unit only)."""
    require(user, "outbox.view")
    return list(LocalMessage.objects.select_related("notification")[:limit])


def on_call_periods_for(user: Any, *, since: dt.datetime, limit: int = 100) -> list[OnCallPeriod]:
    """Rota periods that end after ``since``, in order."""
    require(user, "rota.view")
    return list(OnCallPeriod.objects.select_related("officer").filter(ends_at__gt=since)[:limit])


def preference_for(user: Any) -> NotificationPreference:
    """The person's own preferences (defaults, unsaved, if they never chose)."""
    require(user, "notification_preferences.edit")
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


@dataclass(frozen=True)
class DeliveryHealth:
    """Whether reminders and deliveries are flowing, for the unit and for monitoring."""

    scheduler_last_tick: dt.datetime | None
    scheduler_late: bool
    overdue: int  # notifications due for more than DELIVERY_LATE_AFTER and not sent
    oldest_overdue_since: dt.datetime | None

    @property
    def ok(self) -> bool:
        return not self.scheduler_late and self.overdue == 0


def delivery_health(now: dt.datetime | None = None) -> DeliveryHealth:
    """Is the scheduler ticking and are workers delivering? Two small queries."""
    now = now or clock.now()
    heartbeat = SchedulerHeartbeat.objects.filter(name="scheduler").first()
    last = heartbeat.last_tick_at if heartbeat else None
    overdue = Notification.objects.filter(
        status=NotificationStatus.PENDING, next_attempt_at__lt=now - DELIVERY_LATE_AFTER
    ).aggregate(n=Count("pk"), oldest=Min("next_attempt_at"))
    return DeliveryHealth(
        scheduler_last_tick=last,
        scheduler_late=last is None or now - last > SCHEDULER_LATE_AFTER,
        overdue=overdue["n"],
        oldest_overdue_since=overdue["oldest"],
    )
