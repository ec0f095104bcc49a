"""What data protection has done to a referral."""

from __future__ import annotations

from django.db import models


class RetentionRecord(models.Model):
    """A referral whose identifying details were removed under the retention rule."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="retention"
    )
    anonymised_at = models.DateTimeField()
    rule_months = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"Referral {self.referral_id} anonymised {self.anonymised_at:%Y-%m-%d}"
