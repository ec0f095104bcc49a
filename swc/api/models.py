"""API keys of organisations, and the idempotency records of POST requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from swc.organisations.models import Organisation, Role


class ApiKey(models.Model):
    """A key one organisation's system uses to call the API, acting in one role.

    Only a SHA-256 digest of the secret is stored; the secret is shown once, when
    the key is made. ``prefix`` is the visible, non-secret start of the key, used
    to find the row and to let people tell their keys apart.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_keys"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    # The key acts through an account of its own, so that records it changes name it
    # (created_by, timelines, audit) like any person. The account has no password
    # and no membership: its organisation and role come from the key alone.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_key"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def policy_owner_id(self) -> int:
        return self.organisation_id

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class IdempotencyRecord(models.Model):
    """One ``Idempotency-Key`` of one caller: claimed before the work, then its response.

    The unique constraint on (caller, key) is what makes two identical requests
    arriving at the same instant create one object: the second insert fails and
    that request waits for, or replays, the first one's response.
    """

    caller = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(
        max_length=16, choices=IdempotencyState.choices, default=IdempotencyState.IN_PROGRESS
    )
    claimed_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_unique_key")
        ]
        indexes = [models.Index(fields=["claimed_at"])]

    def __str__(self) -> str:
        return f"{self.caller} {self.key[:16]} {self.state}"


class ApiRateWindow(models.Model):
    """How many requests one caller made in one window of the rate limit.

    Counted by a conditional UPDATE (``count < limit``), so that every web
    worker shares one count and two requests can never both take the last one.
    """

    caller = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["caller", "window_start"], name="api_rate_window_once_per_caller"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="api_rate_window_start")]

    def __str__(self) -> str:
        return f"{self.caller} {self.window_start:%H:%M:%S} {self.count}"
