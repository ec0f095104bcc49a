"""A stopped scheduler or worker is noticed: by the unit on its pages, by monitoring on /healthz."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from swc.core.calendar import LONDON
from swc.notifications.models import Channel, Notification, NotificationStatus
from swc.notifications.selectors import delivery_health
from swc.scheduling.scheduler import scheduler_tick

pytestmark = pytest.mark.django_db

T = dt.datetime(2026, 11, 23, 14, 0, tzinfo=LONDON)


def waiting(recipient, due: dt.datetime, status: str = NotificationStatus.PENDING) -> Notification:
    return Notification.objects.create(
        event_key=f"test:{due.isoformat()}:{status}",
        event_kind="referral.submitted",
        message="referral.submitted",
        recipient=recipient,
        channel=Channel.EMAIL,
        address=recipient.email,
        personalisation={},
        status=status,
        next_attempt_at=due,
        created_at=due,
    )


def test_a_scheduler_that_never_ran_or_went_quiet_is_late() -> None:
    assert delivery_health(T).scheduler_late
    assert delivery_health(T).scheduler_last_tick is None
    with time_machine.travel(T, tick=False):
        scheduler_tick(T)
    assert delivery_health(T).scheduler_last_tick == T
    assert not delivery_health(T + dt.timedelta(minutes=5)).scheduler_late
    assert delivery_health(T + dt.timedelta(minutes=5, seconds=1)).scheduler_late


def test_a_notification_due_ten_minutes_and_unsent_means_no_worker_delivers(coordinator) -> None:
    waiting(coordinator, T - dt.timedelta(minutes=9))
    assert delivery_health(T).overdue == 0  # due, but a worker may be on it
    waiting(coordinator, T - dt.timedelta(minutes=11))
    waiting(coordinator, T - dt.timedelta(hours=2), status=NotificationStatus.SENT)
    waiting(coordinator, T - dt.timedelta(hours=3), status=NotificationStatus.FAILED)
    health = delivery_health(T)
    assert health.overdue == 1
    assert health.oldest_overdue_since == T - dt.timedelta(minutes=11)
    assert not health.ok


def test_healthz_names_what_is_late_and_nothing_more() -> None:
    with time_machine.travel(T, tick=False):
        body = Client().get("/healthz").json()
    assert body == {"status": "degraded", "database": "ok", "scheduler": "late", "delivery": "ok"}


def test_the_unit_is_told_on_its_start_page_and_the_outbox(client_for, coordinator) -> None:
    waiting(coordinator, T - dt.timedelta(minutes=30))
    with time_machine.travel(T, tick=False):
        client = client_for(coordinator)
        start = client.get("/").content.decode()
        outbox = client.get("/notifications/").content.decode()
    assert "Reminders are not being sent: the scheduler has not run yet" in start
    assert "1 notification overdue: no worker is delivering them" in start
    assert 'id="scheduler-late"' in outbox
    assert "1 notification due since 23 November 2026, 13:30 has not been sent" in outbox

    with time_machine.travel(T, tick=False):
        scheduler_tick(T)  # the tick also re-queues the overdue row, delivered at once here
        start = client.get("/").content.decode()
    assert "Reminders are not being sent" not in start
    assert "overdue" not in start
