"""National data: signed-off monthly returns, sign-up to the service, satisfaction surveys."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from swc.organisations.models import OrganisationKind, Role

from .kpi import SATISFACTION_CHOICES


class MonthlyReturnVersion(models.Model):
    """A signed-off monthly return, frozen as the figures stood at sign-off.

    Never updated: a correction after sign-off is a new version with a higher
    number and the list of figures that changed.
    """

    month = models.CharField(max_length=7, help_text="YYYY-MM")
    version = models.PositiveIntegerField()
    due_on = models.DateField()
    figures = models.JSONField()
    differences = models.JSONField(default=list, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["month", "version"], name="return_month_version_unique")
        ]

    def __str__(self) -> str:
        return f"Monthly return {self.month} v{self.version}"


class TermsKind(models.TextChoices):
    LA_TERMS = "la_terms", "Terms of use of the service (local authority)"
    HOME_MOU = "home_mou", "Memorandum of understanding and confidentiality statement (home)"


# Who signs an organisation up, and to what (seed 001, 2.8): the one place this is decided.
SIGNATORIES: dict[str, tuple[str, str]] = {
    OrganisationKind.LOCAL_AUTHORITY: (Role.ADMIN, TermsKind.LA_TERMS),
    OrganisationKind.SECURE_HOME: (Role.HOME_MANAGER, TermsKind.HOME_MOU),
}


class TermsAcceptance(models.Model):
    """An organisation signed up: its admin (LA) or manager (home) accepted the terms."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=TermsKind.choices)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField()
    terms_version = models.CharField(max_length=20, default="2026-1")

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="terms_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} accepted by organisation {self.organisation_id}"

    @property
    def policy_owner_id(self) -> int:
        return self.organisation_id


class SignUpReminder(models.Model):
    """A reminder to an organisation that has not signed up, by the unit or the scheduler.

    At most one a day per organisation: the unique day stops two coordinators
    (or a coordinator and the scheduler) reminding the same council twice.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField()
    sent_at = models.DateTimeField()
    # Empty when the scheduler sent it.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day"], name="sign_up_reminded_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Sign-up reminder to organisation {self.organisation_id} on {self.day}"


class SurveyResponse(models.Model):
    """One organisation's answer to the short survey after a referral closed."""

    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    overall = models.CharField(max_length=20, choices=SATISFACTION_CHOICES)
    comment = models.TextField(blank=True, max_length=2000)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "organisation"], name="survey_once_per_organisation"
            )
        ]
        indexes = [models.Index(fields=["submitted_at"])]

    def __str__(self) -> str:
        return f"Survey for referral {self.referral_id} from organisation {self.organisation_id}"

    @property
    def policy_owner_id(self) -> int:
        return self.organisation_id
