"""Where notifications go: GOV.UK Notify in production, a local record otherwise.

``settings.SWC_NOTIFICATION_BACKEND`` names the class. A backend's ``send``
returns the provider's reference or raises ``TransientDeliveryError`` (try
again later: a timeout, a 5xx, a rate limit) or ``PermanentDeliveryError``
(trying again cannot help: a bad phone number, a missing template).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from swc.core import clock

from .messages import message_render
from .models import Channel, LocalMessage, Notification


class DeliveryError(Exception):
    """A send failed. The message is shown to the unit, so it never holds personal data."""


class TransientDeliveryError(DeliveryError):
    pass


class PermanentDeliveryError(DeliveryError):
    pass


@dataclass(frozen=True)
class OutgoingMessage:
    notification_id: int
    message: str
    channel: str
    to: str
    personalisation: dict[str, str]
    reference: str


class NotificationBackend(Protocol):
    def send(self, outgoing: OutgoingMessage) -> str: ...

    def find_sent(self, reference: str) -> str | None:
        """The provider's id for a message already accepted with ``reference``, if any."""
        ...


def backend_get() -> NotificationBackend:
    """The configured backend, freshly built (backends hold no state between sends)."""
    return import_string(settings.SWC_NOTIFICATION_BACKEND)()


class LocalBackend:
    """Records what would have been sent, for the unit to read on the outbox page."""

    def send(self, outgoing: OutgoingMessage) -> str:
        subject, body = message_render(outgoing.message, outgoing.personalisation)
        local = LocalMessage.objects.create(
            notification_id=outgoing.notification_id,
            channel=outgoing.channel,
            to=outgoing.to,
            subject=subject if outgoing.channel == Channel.EMAIL else "",
            body=body,
            recorded_at=clock.now(),
        )
        return f"local-{local.pk}"

    def find_sent(self, reference: str) -> str | None:
        notification_id = int(reference.rsplit("-", 1)[-1])
        local = LocalMessage.objects.filter(notification_id=notification_id).first()
        return f"local-{local.pk}" if local else None


# Notify's documented errors: 400 and 403 will fail again; 429 and 5xx may not.
_PERMANENT_STATUS = {400, 401, 403, 404}


class NotifyBackend:
    """GOV.UK Notify through ``notifications-python-client``.

    The API key comes from the environment (``NOTIFY_API_KEY``); template ids
    from ``settings.SWC_NOTIFY_TEMPLATES`` (message kind → template id). The
    notification's stable reference goes with every request, so after a
    worker died mid-send the next attempt can ask Notify whether the first
    was accepted (``find_sent``) before sending again.
    """

    def __init__(self, client: Any = None) -> None:
        if client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            api_key = getattr(settings, "NOTIFY_API_KEY", "")
            if not api_key:
                raise ImproperlyConfigured("NOTIFY_API_KEY is not set: GOV.UK Notify needs it.")
            client = NotificationsAPIClient(
                api_key,
                base_url=settings.NOTIFY_BASE_URL,
                # A hung call is a transient failure, retried later: a worker is never stuck.
                timeout=settings.NOTIFY_TIMEOUT_SECONDS,
            )
        self.client = client

    def template_id(self, message: str) -> str:
        templates = getattr(settings, "SWC_NOTIFY_TEMPLATES", None) or {}
        template_id = templates.get(message)
        if not template_id:
            raise PermanentDeliveryError(
                f"No GOV.UK Notify template is configured for '{message}' "
                "(settings.SWC_NOTIFY_TEMPLATES)."
            )
        return str(template_id)

    def send(self, outgoing: OutgoingMessage) -> str:
        from notifications_python_client.errors import APIError, TokenError
        from requests import RequestException

        template_id = self.template_id(outgoing.message)
        try:
            if outgoing.channel == Channel.SMS:
                response = self.client.send_sms_notification(
                    phone_number=outgoing.to,
                    template_id=template_id,
                    personalisation=outgoing.personalisation,
                    reference=outgoing.reference,
                )
            else:
                response = self.client.send_email_notification(
                    email_address=outgoing.to,
                    template_id=template_id,
                    personalisation=outgoing.personalisation,
                    reference=outgoing.reference,
                )
        except APIError as error:
            status = error.status_code
            text = f"GOV.UK Notify answered {status}"
            if status in _PERMANENT_STATUS:
                raise PermanentDeliveryError(text) from error
            raise TransientDeliveryError(text) from error
        except TokenError as error:
            raise PermanentDeliveryError("GOV.UK Notify refused the API key") from error
        except RequestException as error:
            raise TransientDeliveryError("GOV.UK Notify could not be reached") from error
        return str(response.get("id", ""))

    def find_sent(self, reference: str) -> str | None:
        from notifications_python_client.errors import APIError
        from requests import RequestException

        try:
            found = self.client.get_all_notifications(reference=reference)
        except (APIError, RequestException) as error:
            # Unknown: better to wait than to risk sending twice.
            raise TransientDeliveryError("GOV.UK Notify could not be asked") from error
        for notification in found.get("notifications", []):
            return str(notification.get("id", ""))
        return None


class TestBackend:
    """For tests: records sends in memory and fails on demand.

    ``TestBackend.fail_next("transient" | "permanent" | "timeout" | "rate_limited", times=n)``
    makes the next ``n`` sends fail that way; ``TestBackend.outage = True`` fails
    every send until it is set back.
    """

    __test__ = False  # not a pytest class
    _lock = threading.Lock()
    sent: list[OutgoingMessage] = []
    failures: list[str] = []
    outage = False

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.sent = []
            cls.failures = []
            cls.outage = False

    @classmethod
    def fail_next(cls, how: str, times: int = 1) -> None:
        with cls._lock:
            cls.failures.extend([how] * times)

    def send(self, outgoing: OutgoingMessage) -> str:
        with self._lock:
            how = self.failures.pop(0) if self.failures else ("transient" if self.outage else "")
        if how == "transient":
            raise TransientDeliveryError("GOV.UK Notify answered 500")
        if how == "timeout":
            raise TransientDeliveryError("GOV.UK Notify could not be reached")
        if how == "rate_limited":
            raise TransientDeliveryError("GOV.UK Notify answered 429")
        if how == "permanent":
            raise PermanentDeliveryError("GOV.UK Notify answered 400")
        with self._lock:
            self.sent.append(outgoing)
        return f"test-{uuid.uuid4()}"

    def find_sent(self, reference: str) -> str | None:
        with self._lock:
            for outgoing in self.sent:
                if outgoing.reference == reference:
                    return "test-found"
        return None


def notification_outgoing(notification: Notification) -> OutgoingMessage:
    """What a backend needs to send ``notification``."""
    return OutgoingMessage(
        notification_id=notification.pk,
        message=notification.message,
        channel=notification.channel,
        to=notification.address,
        personalisation={k: str(v) for k, v in notification.personalisation.items()},
        reference=notification.reference,
    )
