from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "swc.notifications"
    label = "notifications"

    def ready(self) -> None:
        from swc.core.events import event_subscribe

        from .services import notifications_on_event

        # Runs inside the publishing service's transaction: the outbox row and
        # the change it announces commit together, or not at all.
        event_subscribe(notifications_on_event)

    def load_demo_data(self, out: Any) -> None:
        """A synthetic on-call rota for the next four weeks (idempotent)."""
        from .demo import demo_rota_load

        added = demo_rota_load()
        out.write(f"notifications: {added} on-call periods added")
