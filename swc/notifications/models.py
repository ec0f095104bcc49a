"""The outbox of notifications, each person's preferences, the on-call rota.

A ``Notification`` row is written in the same transaction as the change that
causes it (see ``services.notifications_write_for_event``) and delivered later
by a task worker. The unique constraint on (event key, recipient, channel) is
what makes "never sent twice" hold when an event is published again or two
schedulers tick at once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from swc.core.models import TimestampedModel


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Notification(models.Model):
    """One message to one person on one channel, caused by one event."""

    event_key = models.CharField(max_length=200)
    event_kind = models.CharField(max_length=64)
    # The message (and template) to send; usually the event kind, sometimes a stage of it.
    message = models.CharField(max_length=64)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # Copied at write time: the address the event was meant for, even if the person changes it.
    address = models.CharField(max_length=254, blank=True)
    # Only a referral's reference number, organisation names and links: never a child's details.
    personalisation = models.JSONField(default=dict, blank=True)
    referral_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)

    status = models.CharField(
        max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # A worker's lease: set when it claims the row, so another can reclaim it if it dies.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=36, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel"],
                name="notification_once_per_event_recipient_channel",
            ),
            models.CheckConstraint(
                condition=Q(attempts__gte=0), name="notification_attempts_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["status", "claimed_at"], name="notification_lease"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk} ({self.message}, {self.channel}, {self.status})"

    @property
    def reference(self) -> str:
        """The stable reference given to the provider: the same on every attempt."""
        return f"swc-notification-{self.pk}"


class LocalMessage(models.Model):
    """What the local backend would have sent: the embedded default's outbox view."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="local_messages"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Local message {self.pk} ({self.channel})"


class NotificationPreference(TimestampedModel):
    """How a person wants to be told: channels, and which optional messages to skip."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(default=True)
    sms_enabled = models.BooleanField(default=False)
    # Message kinds the person has opted out of (only optional ones may be listed).
    muted_messages = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Notification preferences of user {self.user_id}"


class OnCallPeriod(TimestampedModel):
    """A stretch of time when one unit officer answers out-of-hours alerts."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="on_call_periods"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="on_call_period_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="on_call_period_span")]

    def __str__(self) -> str:
        return f"On call {self.starts_at:%Y-%m-%d %H:%M} – {self.ends_at:%Y-%m-%d %H:%M}"


class SchedulerHeartbeat(models.Model):
    """When the scheduler last finished a tick.

    A scheduler that has stopped sends no reminders and no retries, silently:
    this row's age is how the unit and monitoring notice (``delivery_health``).
    One row, shared by every scheduler running.
    """

    name = models.CharField(max_length=50, unique=True, default="scheduler")
    last_tick_at = models.DateTimeField()
    # The names of checks that failed in that tick (never their messages).
    errors = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ticked at {self.last_tick_at.isoformat()}"
