"""A real task worker is killed with SIGKILL in the middle of delivering 200 notifications.

The worker is the production one (``manage.py run_worker``) delivering through
the real GOV.UK Notify client to a stub provider on loopback
(``provider.StubNotify``), which counts every message by its reference. The
stub accepts one message and holds its answer; the test kills the worker
there — the worst moment: the provider has the message, the outbox does not
know. A supervisor starts the worker again and the scheduler runs beside it.
Afterwards every message has reached the provider exactly once: the rest are
delivered by the new worker, and the one caught mid-send is reclaimed when its
lease expires and found at the provider by its reference, not sent again.

The lease is shortened to a few seconds (``SWC_NOTIFICATION_LEASE_SECONDS``)
so the test is bounded; production's is five minutes.
"""

from __future__ import annotations

import datetime as dt
import time

from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from swc.notifications.models import Channel, Notification, NotificationStatus
from swc.notifications.services import notifications_enqueue
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

from .processes import Processes
from .provider import StubNotify

MESSAGES = 200
KILLED_AT = 80  # the provider holds its answer to this message: the worker dies waiting
LEASE_SECONDS = "3"
# Any instant in the past: the rows are due whatever the real clock says.
LONG_AGO = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def outbox_of(count: int) -> list[Notification]:
    """``count`` pending messages to one officer, as a burst of events would leave them."""
    officer = user_with_role(Role.COORDINATOR)
    rows = Notification.objects.bulk_create(
        Notification(
            event_key=f"faults:burst:{n}",
            event_kind="referral.submitted",
            message="referral.submitted",
            recipient=officer,
            channel=Channel.EMAIL,
            address=officer.email,
            personalisation={"reference": f"R{n:06d}", "link": "http://127.0.0.1/"},
            next_attempt_at=LONG_AGO,
            created_at=LONG_AGO,
        )
        for n in range(count)
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        notifications_enqueue([row.pk for row in rows])
    assert DBTaskResult.objects.count() == count  # queued for the worker, one task each
    return list(Notification.objects.order_by("pk"))


def test_a_worker_killed_mid_send_leaves_every_message_delivered_exactly_once(
    processes: Processes,
) -> None:
    outbox = outbox_of(MESSAGES)
    references = {row.reference for row in outbox}
    with StubNotify() as provider:
        environment = {**provider.environment(), "SWC_NOTIFICATION_LEASE_SECONDS": LEASE_SECONDS}
        worker = processes.worker(**environment)
        worker.wait_until(lambda: sum(provider.posts.values()) >= KILLED_AT - 1, "it sent")
        provider.mode = "hang_after_accept"
        worker.wait_until(provider.hanging.is_set, "the provider held an answer")
        worker.sigkill()
        provider.release.set()
        provider.mode = "accept"

        # What the kill left: sent, one message claimed by a dead worker, the rest waiting.
        statuses = _count_statuses()
        assert statuses[NotificationStatus.SENDING] == 1, statuses
        (caught,) = Notification.objects.filter(status=NotificationStatus.SENDING)
        assert (
            provider.posts[caught.reference] == 1
        )  # the provider has it; the outbox does not know
        sent_before = statuses[NotificationStatus.SENT]
        assert sent_before >= KILLED_AT - 1
        assert statuses[NotificationStatus.PENDING] == MESSAGES - sent_before - 1

        began = time.monotonic()
        worker = processes.restart(worker)
        processes.start(["manage.py", "run_scheduler", "--interval=1"], **environment)
        worker.wait_until(
            lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
            "every message was delivered",
        )
        drained = time.monotonic() - began

    assert set(provider.posts) == references
    assert set(provider.posts.values()) == {1}, "a message reached the provider twice"
    assert provider.asked[caught.reference] >= 1  # reclaimed: the provider was asked first
    caught.refresh_from_db()
    assert caught.provider_reference == provider.accepted[caught.reference]
    assert caught.attempts == 2
    print(
        f"worker killed at message {sent_before + 1} of {MESSAGES}; "
        f"the rest delivered {drained:.1f} s after the restart"
    )


def _count_statuses() -> dict[str, int]:
    counts = dict.fromkeys(NotificationStatus.values, 0)
    for status in Notification.objects.values_list("status", flat=True):
        counts[status] += 1
    return counts
