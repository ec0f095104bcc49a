"""The outbox guarantees: written with the change, delivered once, retried, never lost."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st
from notifications_python_client.errors import HTTPError
from requests import ConnectTimeout, Response

from swc.core import clock
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.notifications.backends import (
    NotifyBackend,
    OutgoingMessage,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from swc.notifications.messages import Message
from swc.notifications.models import Channel, Notification, NotificationStatus
from swc.notifications.services import (
    LEASE,
    MAX_ATTEMPTS,
    notification_deliver,
    notifications_due,
    notifications_sweep,
    retry_delay,
)

MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def submitted(referral_id: int = 7, key: str = "referral:7:submitted:1") -> DomainEvent:
    return DomainEvent(
        kind=EventKind.REFERRAL_SUBMITTED,
        key=key,
        occurred_at=clock.now(),
        referral_id=referral_id,
    )


def unit_email(coordinator) -> Notification:
    return Notification.objects.get(recipient=coordinator, channel=Channel.EMAIL)


@pytest.fixture(autouse=True)
def office_hours():
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


def test_rows_are_written_in_the_publishing_transaction_and_roll_back_with_it(coordinator):
    with pytest.raises(RuntimeError), transaction.atomic():
        event_publish(submitted())
        assert Notification.objects.count() == 1
        raise RuntimeError("the state change failed")
    assert Notification.objects.count() == 0


def test_the_same_event_twice_writes_one_row_per_recipient_and_channel(coordinator, manager):
    event_publish(submitted())
    event_publish(submitted())
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.channel) for n in rows] == [
        (coordinator, Channel.EMAIL),
        (manager, Channel.EMAIL),
    ]
    assert {n.status for n in rows} == {NotificationStatus.PENDING}


def test_a_committed_event_is_delivered_by_the_task(
    coordinator, backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event_publish(submitted())
    notification = unit_email(coordinator)
    assert notification.status == NotificationStatus.SENT
    assert notification.provider_reference.startswith("test-")
    assert notification.attempts == 1
    assert [m.reference for m in backend.sent] == [notification.reference]


def test_an_outage_is_retried_with_back_off_and_delivered_once_it_ends(
    coordinator, backend, office_hours
):
    event_publish(submitted())
    notification = unit_email(coordinator)
    backend.outage = True
    assert notification_deliver(notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.next_attempt_at == MONDAY_10 + dt.timedelta(minutes=1)
    assert notification.last_error == "GOV.UK Notify answered 500"
    # Not due yet: a second worker leaves it alone.
    assert notification_deliver(notification.pk) == "not_claimed"

    office_hours.shift(dt.timedelta(minutes=1))
    assert notification_deliver(notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.next_attempt_at == clock.now() + dt.timedelta(minutes=2)

    backend.outage = False
    office_hours.shift(dt.timedelta(minutes=2))
    assert notifications_sweep() == 1  # the scheduler's sweep finds it due
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 3
    assert len(backend.sent) == 1


@pytest.mark.parametrize("how", ["timeout", "rate_limited", "transient"])
def test_timeouts_and_rate_limits_are_transient(coordinator, backend, how):
    event_publish(submitted())
    backend.fail_next(how)
    notification = unit_email(coordinator)
    assert notification_deliver(notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING


def test_a_permanent_failure_is_not_retried_and_the_unit_managers_are_told(
    coordinator, manager, backend
):
    event_publish(submitted())
    backend.fail_next("permanent")
    notification = unit_email(coordinator)
    assert notification_deliver(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.last_error == "GOV.UK Notify answered 400"
    alert = Notification.objects.get(message=Message.DELIVERY_FAILED)
    assert alert.recipient == manager
    assert alert.personalisation["notification"] == str(notification.pk)
    assert notifications_due() == sorted(
        Notification.objects.filter(status=NotificationStatus.PENDING).values_list("pk", flat=True)
    )


def test_an_alert_that_fails_does_not_alert_again(manager, backend):
    event_publish(submitted())
    backend.fail_next("permanent", times=2)
    first = Notification.objects.get(recipient=manager)
    notification_deliver(first.pk)
    alert = Notification.objects.get(message=Message.DELIVERY_FAILED)
    assert notification_deliver(alert.pk) == "failed"
    assert Notification.objects.count() == 2


def test_after_the_last_attempt_a_transient_failure_becomes_permanent(
    coordinator, manager, backend, office_hours
):
    event_publish(submitted())
    notification = unit_email(coordinator)
    backend.outage = True
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome = notification_deliver(notification.pk)
        assert outcome == ("failed" if attempt == MAX_ATTEMPTS else "retry")
        office_hours.shift(retry_delay(attempt))
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == MAX_ATTEMPTS
    assert "gave up after 8 attempts" in notification.last_error
    assert Notification.objects.filter(message=Message.DELIVERY_FAILED).count() == 1


def test_retry_delay_doubles_up_to_an_hour():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 9)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
    ]


@given(st.integers(min_value=1, max_value=50), st.integers(min_value=1, max_value=50))
def test_retry_delay_never_shrinks_and_never_exceeds_an_hour(a, b):
    low, high = sorted([a, b])
    assert dt.timedelta(minutes=1) <= retry_delay(low) <= retry_delay(high)
    assert retry_delay(high) <= dt.timedelta(hours=1)


def test_a_recipient_without_a_phone_fails_clearly_and_changes_nothing_else(coordinator, backend):
    event_publish(submitted())
    notification = unit_email(coordinator)
    Notification.objects.filter(pk=notification.pk).update(channel=Channel.SMS, address="")
    assert notification_deliver(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.last_error == "The person has no phone number"
    assert backend.sent == []


def _killed_mid_send(notification: Notification) -> None:
    # What a worker leaves behind when it is killed after claiming a row.
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENDING, claimed_at=clock.now(), claim_token="dead", attempts=1
    )


def test_a_killed_workers_row_is_reclaimed_after_its_lease_and_sent(
    coordinator, backend, office_hours
):
    event_publish(submitted())
    notification = unit_email(coordinator)
    _killed_mid_send(notification)
    assert notification_deliver(notification.pk) == "not_claimed"  # lease still held
    assert notifications_due() == []
    office_hours.shift(LEASE + dt.timedelta(seconds=1))
    assert notifications_due() == [notification.pk]
    assert notifications_sweep() == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 2
    assert len(backend.sent) == 1


def test_a_worker_killed_after_the_provider_accepted_does_not_cause_a_second_send(
    coordinator, backend, office_hours
):
    event_publish(submitted())
    notification = unit_email(coordinator)
    # The provider accepted the message under its reference, then the worker died.
    backend().send(
        OutgoingMessage(
            notification.pk, notification.message, "email", "x", {}, notification.reference
        )
    )
    _killed_mid_send(notification)
    office_hours.shift(LEASE + dt.timedelta(seconds=1))
    assert notification_deliver(notification.pk) == "sent"
    notification.refresh_from_db()
    assert notification.provider_reference == "test-found"
    assert len(backend.sent) == 1


def test_a_late_answer_from_a_worker_whose_lease_was_taken_changes_nothing(
    coordinator, backend, office_hours
):
    event_publish(submitted())
    notification = unit_email(coordinator)
    _killed_mid_send(notification)
    office_hours.shift(LEASE + dt.timedelta(seconds=1))
    assert notification_deliver(notification.pk) == "sent"
    # The "dead" worker wakes and tries to record its own outcome: its token is gone.
    rows = Notification.objects.filter(pk=notification.pk, claim_token="dead").update(
        status=NotificationStatus.FAILED
    )
    assert rows == 0


# --- GOV.UK Notify's answers ----------------------------------------------------


def _http_error(status: int) -> HTTPError:
    response = Response()
    response.status_code = status
    return HTTPError(response)


class FakeNotifyClient:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[dict] = []

    def send_email_notification(self, **kwargs):
        self.calls.append(kwargs)
        if self.error:
            raise self.error
        return {"id": "notify-id-1"}

    send_sms_notification = send_email_notification

    def get_all_notifications(self, **kwargs):
        return {"notifications": []}


OUTGOING = OutgoingMessage(
    1, Message.REFERRAL_SUBMITTED, "email", "a@example.test", {"reference": "R000001"}, "swc-1"
)


@pytest.fixture
def templates(settings):
    settings.SWC_NOTIFY_TEMPLATES = {Message.REFERRAL_SUBMITTED: "template-1"}


def test_notify_is_sent_the_template_personalisation_and_stable_reference(templates):
    client = FakeNotifyClient()
    assert NotifyBackend(client).send(OUTGOING) == "notify-id-1"
    assert client.calls == [
        {
            "email_address": "a@example.test",
            "template_id": "template-1",
            "personalisation": {"reference": "R000001"},
            "reference": "swc-1",
        }
    ]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_http_error(400), PermanentDeliveryError),  # e.g. not a valid phone number
        (_http_error(403), PermanentDeliveryError),
        (_http_error(429), TransientDeliveryError),  # rate limit
        (_http_error(500), TransientDeliveryError),
        (HTTPError.create(ConnectTimeout()), TransientDeliveryError),  # unreachable
        (ConnectTimeout(), TransientDeliveryError),
    ],
)
def test_notify_errors_are_sorted_into_permanent_and_transient(templates, error, expected):
    with pytest.raises(expected):
        NotifyBackend(FakeNotifyClient(error)).send(OUTGOING)


def test_a_missing_template_id_is_a_clear_permanent_error(settings):
    settings.SWC_NOTIFY_TEMPLATES = {}
    with pytest.raises(PermanentDeliveryError, match=r"No GOV\.UK Notify template"):
        NotifyBackend(FakeNotifyClient()).send(OUTGOING)


def test_notify_without_an_api_key_refuses_to_start(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.NOTIFY_API_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        NotifyBackend()


# --- two workers race for the same row (real threads, real database) ------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_row_send_it_exactly_once(backend, monkeypatch):
    from swc.organisations.models import OrganisationKind, Role
    from swc.organisations.tests.factories import OrganisationFactory, user_with_role

    unit = OrganisationFactory(kind=OrganisationKind.UNIT, name="Unit for the race")
    user_with_role(Role.COORDINATOR, unit)
    event_publish(submitted())
    # In autocommit the write delivered at once; put the row back as a queued one.
    Notification.objects.update(
        status=NotificationStatus.PENDING, attempts=0, provider_reference="", sent_at=None
    )
    backend.reset()
    notification = Notification.objects.get()
    original_send = backend.send

    def slow_send(self, outgoing):
        time.sleep(0.2)  # widen the window in which a second worker could also send
        return original_send(self, outgoing)

    monkeypatch.setattr(backend, "send", slow_send)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            barrier.wait()
            outcomes.append(notification_deliver(notification.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["not_claimed"] * 3 + ["sent"]
    assert len(backend.sent) == 1
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 1


# --- the real database task backend and its worker ------------------------------


def test_with_the_database_backend_a_worker_delivers_after_commit(
    coordinator, backend, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event_publish(submitted())
        assert DBTaskResult.objects.count() == 0  # nothing queued before the commit
    assert DBTaskResult.objects.count() == 1
    notification = unit_email(coordinator)
    assert notification.status == NotificationStatus.PENDING
    # The worker closes its connections between tasks; here that would close the test's.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert len(backend.sent) == 1
