"""The task worker outlives a database restart: queued notifications go once it is back."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import OperationalError
from django_tasks_db.models import DBTaskResult

from swc.core import clock
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.notifications.models import Channel, Notification, NotificationStatus

pytestmark = pytest.mark.django_db(transaction=True)


class Outage:
    """The database refuses the next ``queries`` queries, as while it restarts."""

    def __init__(self, queries: int) -> None:
        self.left = queries
        self.refused = 0

    def __call__(self, execute, sql, params, many, context):
        if self.left > 0:
            self.left -= 1
            self.refused += 1
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.fixture
def queued(coordinator, backend, settings):
    """One notification written and its delivery task queued in the database."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with transaction.atomic():
        event_publish(
            DomainEvent(
                kind=EventKind.REFERRAL_SUBMITTED,
                key="referral:7:submitted:restart",
                occurred_at=clock.now(),
                referral_id=7,
            )
        )
    assert DBTaskResult.objects.count() == 1
    return Notification.objects.get(recipient=coordinator, channel=Channel.EMAIL)


def test_the_worker_starts_again_when_the_database_is_back_and_delivers(queued, backend):
    err = io.StringIO()
    outage = Outage(queries=3)
    with connection.execute_wrapper(outage):
        call_command("run_worker", "--batch", "--retry-seconds=0", stderr=err)
    assert outage.refused == 3
    assert err.getvalue().count("database unavailable (OperationalError)") == 3
    queued.refresh_from_db()
    assert queued.status == NotificationStatus.SENT
    assert len(backend.sent) == 1


def test_the_worker_gives_up_when_told_to_and_loses_nothing(queued, backend):
    with connection.execute_wrapper(Outage(queries=1000)), pytest.raises(CommandError):
        call_command(
            "run_worker", "--batch", "--retry-seconds=0", "--max-restarts=2", stderr=io.StringIO()
        )
    queued.refresh_from_db()
    assert queued.status == NotificationStatus.PENDING  # still there for the next worker
    assert backend.sent == []
