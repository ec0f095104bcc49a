"""Secure children's homes (reference data) and their vacancy register."""

from __future__ import annotations

from django.db import models

from swc.core.models import TimestampedModel
from swc.organisations.models import LocalAuthority, Organisation
from swc.referrals.vocabulary import HomeAccepts


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
