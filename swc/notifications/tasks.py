"""Background work run by ``manage.py db_worker`` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task(priority=10)
def notification_deliver_task(notification_id: int) -> str:
    """Deliver one outbox row; safe to run twice or on several workers at once."""
    return services.notification_deliver(notification_id)
