"""Secure children's homes (reference data) and their vacancy register."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from swc.core import clock
from swc.core.models import TimestampedModel
from swc.core.vocabulary import HomeAccepts, Sex
from swc.organisations.models import LocalAuthority, Organisation

from .register import RegisterCounts


class Nation(models.TextChoices):
    ENGLAND = "England", "England"
    WALES = "Wales", "Wales"


class SecureHome(TimestampedModel):
    """A secure children's home; each is its own organisation."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="secure_home"
    )
    name = models.CharField(max_length=200, unique=True)
    operator = models.CharField(max_length=200)
    operator_type = models.CharField(max_length=40)
    host_local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nation = models.CharField(max_length=16, choices=Nation.choices)
    town = models.CharField(max_length=100)
    latitude = models.FloatField()
    longitude = models.FloatField()
    approved_places = models.PositiveIntegerField()
    age_min = models.PositiveSmallIntegerField(default=10)
    age_max = models.PositiveSmallIntegerField(default=17)
    accepts = models.CharField(
        max_length=20, choices=HomeAccepts.choices, default=HomeAccepts.BOYS_AND_GIRLS
    )
    public_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age_min__lte=models.F("age_max")),
                name="secure_home_age_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def policy_owner_id(self) -> int:
        return self.organisation_id


class AdmissionsStatus(models.TextChoices):
    OPEN = "open", "Open"
    SUSPENDED = "suspended", "Suspended"


def _codes_default() -> list[str]:
    return []


class HomeProfile(TimestampedModel):
    """What a home's managers say about what it can do, kept by them.

    Matching reads it: the needs it has specialist support for, the risks it
    cannot manage, whether admissions are open, and the current group.
    """

    home = models.OneToOneField(SecureHome, on_delete=models.CASCADE, related_name="profile")
    # Lists of NeedOrRisk codes (swc.core.vocabulary), the referral's vocabulary.
    specialist_support = models.JSONField(default=_codes_default, blank=True)
    risks_not_managed = models.JSONField(default=_codes_default, blank=True)
    admissions = models.CharField(
        max_length=16, choices=AdmissionsStatus.choices, default=AdmissionsStatus.OPEN
    )
    admissions_suspended_reason = models.CharField(max_length=500, blank=True)
    admissions_suspended_until = models.DateField(null=True, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    contact_email = models.EmailField(blank=True)
    # The current group, for matching: needs present in it, and a short description
    # that never names a child.
    current_group_needs = models.JSONField(default=_codes_default, blank=True)
    current_group_notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.home}"

    @property
    def policy_owner_id(self) -> int:
        return self.home.organisation_id

    @property
    def admissions_open(self) -> bool:
        return self.admissions_open_on(clock.today())

    def admissions_open_on(self, day: dt.date) -> bool:
        """Open, or suspended only until a day already past."""
        if self.admissions == AdmissionsStatus.OPEN:
            return True
        until = self.admissions_suspended_until
        return until is not None and until < day

    @staticmethod
    def admissions_open_filter(day: dt.date) -> models.Q:
        """``admissions_open_on`` as a filter on homes, for lists sorted and paged in SQL.

        Kept beside the rule it repeats, and tested against it case by case. A
        home with no profile yet counts as open, as on the board.
        """
        return (
            models.Q(profile__isnull=True)
            | models.Q(profile__admissions=AdmissionsStatus.OPEN)
            | models.Q(profile__admissions_suspended_until__lt=day)
        )


class HomeCommercialTerms(TimestampedModel):
    """A home's weekly price: commercially confidential, kept apart from the profile.

    Read only through ``selectors.home_price_for``, which asks the policy
    (``home.view_price``).
    """

    home = models.OneToOneField(
        SecureHome, on_delete=models.CASCADE, related_name="commercial_terms"
    )
    weekly_price_welfare = models.DecimalField(max_digits=9, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "home commercial terms"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekly_price_welfare__gte=0),
                name="home_commercial_terms_price_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"Commercial terms of {self.home}"

    @property
    def policy_owner_id(self) -> int:
        return self.home.organisation_id


class RegisterDeclarationQuerySet(models.QuerySet["RegisterDeclaration"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Register declarations are append-only: add a new one")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Register declarations are append-only: they are kept")


class RegisterDeclaration(models.Model):
    """One dated statement of a home's places. Append-only: never changed, never deleted.

    The register for day D is each home's latest declaration on or before D,
    so occupancy and availability can be reported for any past day. A home
    confirming an unchanged register adds a copy dated today.
    """

    home = models.ForeignKey(SecureHome, on_delete=models.PROTECT, related_name="declarations")
    declared_on = models.DateField()
    declared_at = models.DateTimeField()
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved = models.PositiveSmallIntegerField()
    staffed = models.PositiveSmallIntegerField()
    youth_justice = models.PositiveSmallIntegerField()
    occupied_welfare = models.PositiveSmallIntegerField()
    occupied_youth_justice = models.PositiveSmallIntegerField()
    # True when the home confirmed yesterday's figures unchanged.
    unchanged = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)

    objects = RegisterDeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_on", "-declared_at", "-id"]
        indexes = [
            models.Index(fields=["home", "declared_on", "declared_at"]),
            models.Index(fields=["declared_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staffed__lte=models.F("approved")),
                name="register_staffed_within_approved",
            ),
            models.CheckConstraint(
                condition=models.Q(youth_justice__lte=models.F("staffed")),
                name="register_youth_justice_within_staffed",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    occupied_youth_justice__lte=models.F("youth_justice"),
                    occupied_welfare__lte=models.F("staffed") - models.F("youth_justice"),
                ),
                name="register_occupied_within_staffed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.home} on {self.declared_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Register declarations are append-only: add a new one")
        super().save(*args, **kwargs)

    @property
    def policy_owner_id(self) -> int:
        return self.home.organisation_id

    @property
    def counts(self) -> RegisterCounts:
        return RegisterCounts(
            approved=self.approved,
            staffed=self.staffed,
            youth_justice=self.youth_justice,
            occupied_welfare=self.occupied_welfare,
            occupied_youth_justice=self.occupied_youth_justice,
        )


class VacancyStatus(models.TextChoices):
    FREE = "free", "Free"
    HELD = "held", "Held for a referral"
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Vacancy(TimestampedModel):
    """One free welfare bed, free now or from a stated date.

    Its status changes only through the services ``vacancy_hold``,
    ``vacancy_fill``, ``vacancy_release`` and ``vacancy_withdraw``, each a
    conditional UPDATE, so one bed is never held or filled twice.
    """

    home = models.ForeignKey(SecureHome, on_delete=models.PROTECT, related_name="vacancies")
    available_from = models.DateField()
    restriction = models.CharField(max_length=300, blank=True)
    restriction_sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    status = models.CharField(
        max_length=16, choices=VacancyStatus.choices, default=VacancyStatus.FREE
    )
    # A plain integer, not a foreign key: homes must not depend on the referrals app.
    referral_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["available_from", "id"]
        verbose_name_plural = "vacancies"
        indexes = [
            # The board counts and lists each home's free beds, for a child of one sex too,
            # from this index alone (without restriction_sex every bed was looked up).
            models.Index(
                fields=["status", "home", "available_from", "restriction_sex"],
                name="vacancy_status_home_from_sex",
            )
        ]
        constraints = [
            # A referral holds at most one bed at a time.
            models.UniqueConstraint(
                fields=["referral_id"],
                condition=models.Q(status="held"),
                name="vacancy_one_held_bed_per_referral",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["free", "withdrawn"], referral_id__isnull=True)
                | models.Q(status__in=["held", "filled"], referral_id__isnull=False),
                name="vacancy_referral_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Bed at {self.home} from {self.available_from} ({self.status})"

    @property
    def policy_owner_id(self) -> int:
        return self.home.organisation_id
