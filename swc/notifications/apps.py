from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    name = "swc.notifications"
    label = "notifications"

    def ready(self) -> None:
        from swc.core.events import event_subscribe

        from .services import notifications_on_event

        # Runs inside the publishing service's transaction: the outbox row and
        # the change it announces commit together, or not at all.
        event_subscribe(notifications_on_event)
        checks.register(notify_templates_check, checks.Tags.compatibility)

    def load_demo_data(self, out: Any) -> None:
        """A synthetic on-call rota for the next four weeks (idempotent)."""
        from .demo import demo_rota_load

        added = demo_rota_load()
        out.write(f"notifications: {added} on-call periods added")


def notify_templates_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """With GOV.UK Notify, every message the service sends needs its template id.

    Without one, that message fails permanently at the first send: better that
    the service refuses to start and names what is missing. A template id for
    a message that does not exist is probably a typo, so it is a warning.
    """
    from django.conf import settings

    from .messages import MESSAGES

    if not str(getattr(settings, "SWC_NOTIFICATION_BACKEND", "")).endswith("NotifyBackend"):
        return []
    templates = getattr(settings, "SWC_NOTIFY_TEMPLATES", None) or {}
    found: list[checks.CheckMessage] = []
    missing = sorted(m for m in MESSAGES if not templates.get(m))
    if missing:
        found.append(
            checks.Error(
                "SWC_NOTIFY_TEMPLATES has no GOV.UK Notify template id for: " + ", ".join(missing),
                hint="Create the templates in Notify (manage.py notify_templates lists their "
                "words and fields) and add their ids.",
                id="swc.notifications.E001",
            )
        )
    unknown = sorted(set(templates) - set(MESSAGES))
    if unknown:
        found.append(
            checks.Warning(
                "SWC_NOTIFY_TEMPLATES names messages the service does not send: "
                + ", ".join(unknown),
                id="swc.notifications.W001",
            )
        )
    return found
