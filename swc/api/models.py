"""The idempotency records of POST requests and the counts of the rate limit.

API keys belong to their organisation: see ``swc.organisations.models.ApiKey``."""

from __future__ import annotations

from django.db import models


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
