"""Questions between the parties to a referral, and the unit's choice of how homes ask.

A question is asked by a home the referral was sent to, or by the unit, and
is always answered by the referring authority (or by the unit for it, after a
phone call). A home's question goes through the unit unless the unit has let
homes ask authorities directly (``QuestionRouting``). Status changes only by a
conditional UPDATE in ``services`` so that two people cannot both answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from swc.organisations.models import Organisation
from swc.referrals.models import Referral


class QuestionRoute(models.TextChoices):
    THROUGH_UNIT = "through_unit", "Through the coordination unit"
    DIRECT = "direct", "Straight to the authority"


class QuestionStatus(models.TextChoices):
    WITH_UNIT = "with_unit", "With the unit to pass on"
    WITH_AUTHORITY = "with_authority", "Waiting for the authority's answer"
    ANSWERED = "answered", "Answered"


class Question(models.Model):
    """One question about one referral, and its answer. Visible only to the asker, the
    authority (once the question reaches it) and the unit."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="questions")
    # A home's organisation, or the unit's.
    asked_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="questions_asked"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField()
    text = models.TextField()
    route = models.CharField(max_length=16, choices=QuestionRoute.choices)
    status = models.CharField(max_length=16, choices=QuestionStatus.choices)
    passed_on_at = models.DateTimeField(null=True, blank=True)
    passed_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the home asked in its answer to the referral ("ask for more information" on the
    # home's answer page): that answer. One question per such answer.
    home_response = models.OneToOneField(
        "matching.HomeResponse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="question",
    )

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["referral", "asked_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="answered", answered_at__isnull=False)
                | (~Q(status="answered") & Q(answered_at__isnull=True)),
                name="question_answered_has_time",
            )
        ]

    def __str__(self) -> str:
        # Never the text: this string ends up in logs and admin lists.
        return f"Question {self.pk} on {self.referral}"


class QuestionRouting(models.Model):
    """The unit's one choice: do homes ask authorities directly, or through the unit?

    A single row (pk 1); without it, homes ask through the unit.
    """

    homes_ask_directly = models.BooleanField(default=False)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return "Homes ask directly" if self.homes_ask_directly else "Homes ask through the unit"
