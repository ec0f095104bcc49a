"""Matching records: what was proposed, what homes answered, offers and placements.

Statuses change only through ``services.py``, each change a conditional
UPDATE on the current status, so two people acting at once never both win.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models

from swc.core.models import TimestampedModel

from . import runs


def _list_default() -> list[Any]:
    return []


class RunRowsField(models.JSONField):
    """A match run's stored rows: JSON kept as written (on PostgreSQL ``json``, not ``jsonb``).

    A run is written once and read whole; nothing queries inside it. ``jsonb``
    made the server parse every run into its binary form on each match (10 ms
    of it at 3,000 homes); ``json`` only checks the text (4 ms). Elsewhere the
    column is text, as for any JSONField.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "json"
        return super().db_type(connection)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor != "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        if not prepared:
            value = self.get_prep_value(value)
        return json.dumps(value, cls=self.encoder)  # text the server takes as json, not jsonb

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is not None and not isinstance(value, str):
            return value  # PostgreSQL's json arrives parsed by the driver
        return super().from_db_value(value, expression, connection)


class HomeExclusion(TimestampedModel):
    """A home a local authority has said it will not use: a hard constraint in matching."""

    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    home = models.ForeignKey("homes.SecureHome", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "home"], name="home_exclusion_once_per_authority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.home} excluded by authority {self.local_authority_id}"


class MatchRun(models.Model):
    """One run of matching for a referral: the ranked list, exclusions, and what was sent.

    ``candidates`` and ``exclusions`` keep the whole explanation as it stood
    (home ids, names, points, and the codes and facts behind every reason),
    so the list the authority was given can be shown again exactly, whatever
    changes afterwards. They are stored column by column (``runs.compact``);
    read them as rows, one dict a home, through ``candidate_rows`` and
    ``exclusion_rows`` (``runs.expand``), never directly.
    """

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="match_runs"
    )
    run_at = models.DateTimeField()
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    weights = models.JSONField(default=dict)
    candidates = RunRowsField(default=_list_default, encoder=runs.CompactEncoder)
    exclusions = RunRowsField(default=_list_default, encoder=runs.CompactEncoder)
    # The shortlist as the coordinator adjusted it: SecureHome ids, in their order.
    selected_home_ids = models.JSONField(default=_list_default, blank=True)
    note = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"Match run {self.pk} for referral {self.referral_id}"

    @property
    def policy_owner_id(self) -> int:
        return self.referral.local_authority.organisation_id

    def _rows(self, field: str) -> list[dict[str, Any]]:
        """A stored field as rows, expanded once for as long as the field holds the same value."""
        stored = getattr(self, field)
        cached = self.__dict__.get(f"_{field}_rows")
        if cached is None or cached[0] is not stored:
            cached = (stored, runs.expand(stored))
            self.__dict__[f"_{field}_rows"] = cached
        return cached[1]

    @property
    def candidate_rows(self) -> list[dict[str, Any]]:
        """The homes that could take the child, best first, one dict a home (``runs``)."""
        return self._rows("candidates")

    @property
    def exclusion_rows(self) -> list[dict[str, Any]]:
        """The homes that cannot take the child, one dict a home (``runs``)."""
        return self._rows("exclusions")

    def ranked_homes(self) -> list[runs.RankedHome]:
        """Every candidate, best first, with its reasons in words."""
        return runs.ranked_homes_of(self.candidate_rows, self.weights)

    def excluded_homes(self) -> list[runs.ExcludedHome]:
        """Every excluded home, with its reasons in words."""
        return [runs.excluded_home_of(e) for e in self.exclusion_rows]


class ListSending(models.Model):
    """One sending of the list to the authority: the homes added and the coordinator's note.

    Append-only: sending to one more home adds a row, so the first note (and
    every later one) stays on the list's history instead of being overwritten.
    """

    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, related_name="sendings")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="list_sendings"
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # SecureHome ids sent the referral by this sending (new ones only).
    home_ids = models.JSONField(default=_list_default, blank=True)
    note = models.TextField(blank=True)
    # The unit chose to show the authority why the other homes cannot take the child.
    exclusions_shared = models.BooleanField(default=False)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"List sent for referral {self.referral_id} at {self.sent_at:%Y-%m-%d %H:%M}"

    @property
    def policy_owner_id(self) -> int:
        return self.referral.local_authority.organisation_id


class ResponseKind(models.TextChoices):
    # Labels say what the home did, as the answers table shows it: "Ask for more information"
    # read as an action to take, and is the name of the unit's own move on a referral.
    ACCEPT = "accept", "Offered a bed"
    DECLINE = "decline", "Declined"
    INFORMATION = "information", "Asked a question"


class DeclineReason(models.TextChoices):
    NO_BED = "no_bed", "No bed after all"
    GROUP_MIX = "group_mix", "Group mix"
    NEEDS = "needs", "Needs beyond what we can manage"
    STAFFING = "staffing", "Staffing"
    OTHER = "other", "Other"


class HomeResponse(models.Model):
    """A home's answer to a referral. Append-only; any number, in any order.

    ``counted`` is False for an answer that arrived after the referral had an
    accepted offer or was closed: it is kept, and ignored for the outcome.
    """

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="home_responses"
    )
    home = models.ForeignKey("homes.SecureHome", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ResponseKind.choices)
    decline_reason = models.CharField(max_length=16, choices=DeclineReason.choices, blank=True)
    detail = models.TextField(blank=True)
    available_from = models.DateField(null=True, blank=True)
    # An offer's conditions in the home's words (for example "after a planning meeting").
    conditions = models.TextField(blank=True)
    by_phone = models.BooleanField(default=False)
    counted = models.BooleanField(default=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        indexes = [
            models.Index(fields=["referral", "home", "recorded_at"]),
            # The monthly return counts the month's declines; the KPIs the homes that
            # answered by a date (one probe per home).
            models.Index(fields=["kind", "recorded_at"], name="home_response_kind_at_idx"),
            models.Index(fields=["home", "recorded_at"], name="home_response_home_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.home} for referral {self.referral_id}"


class OfferStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted"
    WITHDRAWN = "withdrawn", "Withdrawn by the home"
    DECLINED = "declined", "Declined by the authority"
    NOT_TAKEN = "not_taken", "Not taken up"


class Offer(TimestampedModel):
    """A home's offer of one bed to one referral, from a date."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="offers"
    )
    home = models.ForeignKey("homes.SecureHome", on_delete=models.PROTECT, related_name="+")
    # Always set by the services; empty only for synthetic history loaded as demo data.
    vacancy = models.ForeignKey(
        "homes.Vacancy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.OneToOneField(HomeResponse, on_delete=models.PROTECT, related_name="offer")
    available_from = models.DateField()
    status = models.CharField(max_length=16, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why the authority declined it, or the home withdrew it.
    status_reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["available_from", "id"]
        constraints = [
            # A referral accepts at most one offer; a home has one open offer per referral.
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status="accepted"),
                name="offer_one_accepted_per_referral",
            ),
            models.UniqueConstraint(
                fields=["referral", "home"],
                condition=models.Q(status="open"),
                name="offer_one_open_per_home_and_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer from {self.home} for referral {self.referral_id}"

    @property
    def policy_owner_id(self) -> int:
        return self.referral.local_authority.organisation_id

    def policy_is_shared_with(self, organisation_id: int) -> bool:
        """The offering home sees it; the referring authority sees it (and its price)."""
        return organisation_id in (
            self.home.organisation_id,
            self.referral.local_authority.organisation_id,
        )


class DischargeReason(models.TextChoices):
    ORDER_ENDED = "order_ended", "Secure order ended or expired"
    ORDER_DISCHARGED = "order_discharged", "Order discharged by the court"
    PLANNED_STEP_DOWN = "planned_step_down", "Planned move on"
    BREAKDOWN = "breakdown", "Placement ended early"
    OTHER = "other", "Other"


class DischargeDestination(models.TextChoices):
    FAMILY = "family", "Home to family"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    FOSTER_CARE = "foster_care", "Foster care"
    OTHER_SECURE = "other_secure", "Another secure home"
    CUSTODY = "custody", "Custody"
    HOSPITAL = "hospital", "Hospital"
    OTHER = "other", "Other"


class Placement(TimestampedModel):
    """A child placed in a home from an accepted offer: admission, and later discharge."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="placement"
    )
    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="placement")
    home = models.ForeignKey("homes.SecureHome", on_delete=models.PROTECT, related_name="+")
    admitted_on = models.DateField()
    # The moment of arrival and departure; empty only on placements recorded before they were kept.
    admitted_at = models.DateTimeField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=24, choices=DischargeReason.choices, blank=True)
    discharge_destination = models.CharField(
        max_length=24, choices=DischargeDestination.choices, blank=True
    )
    discharge_detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-admitted_on", "-id"]
        # The monthly return counts the month's admissions and discharges.
        indexes = [
            models.Index(fields=["admitted_on"], name="placement_admitted_on_idx"),
            models.Index(fields=["discharged_on"], name="placement_discharged_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="placement_discharge_after_admission",
            )
        ]

    def __str__(self) -> str:
        return f"Placement for referral {self.referral_id} at {self.home}"

    @property
    def policy_owner_id(self) -> int:
        return self.referral.local_authority.organisation_id

    def policy_is_shared_with(self, organisation_id: int) -> bool:
        return organisation_id == self.home.organisation_id

    @property
    def length_of_stay_days(self) -> int | None:
        """Nights stayed: discharge date minus admission date (None while still placed)."""
        if self.discharged_on is None:
            return None
        return (self.discharged_on - self.admitted_on).days
