"""Referrals: a local authority's request for a secure welfare bed for one child.

Status changes only through ``services.referral_transition`` (a conditional
UPDATE on the current status); details change only through
``services.referral_section_save`` (a conditional UPDATE on ``version``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from swc.core.models import TimestampedModel
from swc.core.vocabulary import Ethnicity, LegalStatus, Sex
from swc.organisations.models import LocalAuthority, Organisation, Region

from .workflow import OPEN, Status


def _codes_default() -> list[str]:
    return []


def _descriptions_default() -> dict[str, str]:
    return {}


class Referral(TimestampedModel):
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="referrals"
    )
    status = models.CharField(max_length=32, choices=Status.choices, default=Status.DRAFT)
    # Optimistic lock: every save of the details must name the version it read.
    version = models.PositiveIntegerField(default=1)

    # --- the child ---
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=8, choices=Sex.choices, blank=True)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    la_child_identifier = models.CharField(
        verbose_name="authority's identifier for the child",
        max_length=50,
        blank=True,
        db_index=True,
    )
    # None: not answered yet.
    unaccompanied_asylum_seeking = models.BooleanField(
        verbose_name="unaccompanied asylum-seeking child", null=True, blank=True
    )

    # --- the legal position ---
    legal_status = models.CharField(
        verbose_name="legal position", max_length=24, choices=LegalStatus.choices, blank=True
    )
    order_expires_on = models.DateField(
        verbose_name="date the order expires", null=True, blank=True
    )
    hearing_date = models.DateField(verbose_name="date of the court hearing", null=True, blank=True)
    regulation_10_started_at = models.DateTimeField(
        verbose_name="time the 72 hours began", null=True, blank=True
    )
    secretary_of_state_approval_on = models.DateField(
        verbose_name="date the Secretary of State approved the placement", null=True, blank=True
    )
    legal_notes = models.TextField(verbose_name="notes on the legal position", blank=True)

    # --- needs and risks: NeedOrRisk codes, and a short description of each ---
    needs = models.JSONField(verbose_name="needs and risks", default=_codes_default, blank=True)
    need_descriptions = models.JSONField(
        verbose_name="descriptions of needs and risks", default=_descriptions_default, blank=True
    )

    # --- current placement and home area ---
    current_placement = models.CharField(
        verbose_name="where the child is living now", max_length=300, blank=True
    )
    home_area_region = models.CharField(
        verbose_name="region of the home area", max_length=40, choices=Region.choices, blank=True
    )
    home_area = models.CharField(max_length=200, blank=True, help_text="Town or district")

    # --- when ---
    bed_needed_at = models.DateTimeField(
        verbose_name="time the bed is needed", null=True, blank=True
    )

    # --- contacts ---
    social_worker_name = models.CharField(
        verbose_name="social worker's name", max_length=200, blank=True
    )
    social_worker_phone = models.CharField(
        verbose_name="social worker's phone number", max_length=32, blank=True
    )
    social_worker_email = models.EmailField(
        verbose_name="social worker's email address", blank=True
    )
    manager_name = models.CharField(verbose_name="manager's name", max_length=200, blank=True)
    manager_email = models.EmailField(verbose_name="manager's email address", blank=True)
    guardian_name = models.CharField(
        verbose_name="children's guardian's name", max_length=200, blank=True
    )
    guardian_phone = models.CharField(
        verbose_name="children's guardian's phone number", max_length=32, blank=True
    )

    # --- preferences ---
    max_distance_miles = models.PositiveIntegerField(
        verbose_name="furthest distance from the home area", null=True, blank=True
    )
    preferences = models.TextField(verbose_name="other preferences", blank=True)

    # --- lifecycle stamps ---
    submitted_at = models.DateTimeField(verbose_name="date submitted", null=True, blank=True)
    # The KPI clock starts here (docs/workflow.md).
    completed_at = models.DateTimeField(verbose_name="date completed", null=True, blank=True)
    information_requested_at = models.DateTimeField(
        verbose_name="date information was requested", null=True, blank=True
    )
    list_provided_at = models.DateTimeField(
        verbose_name="date the list was provided", null=True, blank=True
    )
    offer_accepted_at = models.DateTimeField(
        verbose_name="date an offer was accepted", null=True, blank=True
    )
    placed_at = models.DateTimeField(verbose_name="date placed", null=True, blank=True)
    closed_at = models.DateTimeField(verbose_name="date closed", null=True, blank=True)
    # WithdrawalReason or ClosureDestination code, by status.
    outcome_reason = models.CharField(
        verbose_name="reason for the outcome", max_length=32, blank=True
    )
    outcome_detail = models.CharField(
        verbose_name="more detail on the outcome", max_length=500, blank=True
    )
    placed_home = models.ForeignKey(
        "homes.SecureHome",
        verbose_name="home placed in",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # --- keeping it alive ---
    last_update_at = models.DateTimeField(
        verbose_name="date of the last update", null=True, blank=True
    )
    last_reviewed_at = models.DateTimeField(
        verbose_name="date of the last review", null=True, blank=True
    )
    extended_until = models.DateField(verbose_name="search extended until", null=True, blank=True)
    lapsed_at = models.DateTimeField(verbose_name="date the referral lapsed", null=True, blank=True)
    # The due time last reminded, so the scheduler reminds once per due date.
    update_reminded_for = models.DateTimeField(
        verbose_name="update reminder sent for", null=True, blank=True
    )
    review_reminded_for = models.DateTimeField(
        verbose_name="review reminder sent for", null=True, blank=True
    )

    # --- who in the unit has picked it up (services.referral_take / referral_hand_over) ---
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="assigned to",
    )
    assigned_at = models.DateTimeField("assigned at", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "completed_at"]),
            models.Index(fields=["local_authority", "la_child_identifier"]),
            # The national figures count by period (docs/data.md): received in a month,
            # closed in it, listed in it. Without these each figure reads every referral.
            models.Index(fields=["submitted_at"], name="referral_submitted_at_idx"),
            # With the time submitted: the children waiting in a month are those open or
            # closed since it began, submitted before it ended (read from this index alone).
            models.Index(fields=["closed_at", "submitted_at"], name="referral_closed_at_idx"),
            models.Index(fields=["list_provided_at"], name="referral_listed_at_idx"),
            # Lists in the default order (newest first: the API's referral list) read their
            # page from this index instead of sorting every referral.
            models.Index(fields=["created_at", "id"], name="referral_created_idx"),
            # Authorities engaged by a date: one probe per authority, not a scan of history.
            models.Index(
                fields=["local_authority", "submitted_at"], name="referral_la_submitted_idx"
            ),
        ]

    def __str__(self) -> str:
        # Never the child's name: this string ends up in logs and admin lists.
        return f"Referral {self.reference}"

    @property
    def reference(self) -> str:
        return f"R{self.pk:06d}" if self.pk else "R(new)"

    @property
    def policy_owner_id(self) -> int:
        return self.local_authority.organisation_id

    def policy_is_shared_with(self, organisation_id: int) -> bool:
        cached: Any = getattr(self, "_shared_organisation_ids", None)
        if cached is None:
            cached = set(self.shares.values_list("home_organisation_id", flat=True))
            self._shared_organisation_ids = cached
        return organisation_id in cached

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def age_on(self, day: dt.date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class ReferralEventKind(models.TextChoices):
    CREATED = "created", "Referral started"
    STATUS = "status", "Status changed"
    EDITED = "edited", "Details changed"
    SHARED = "shared", "Sent to a home"
    UPDATE = "update", "Update from the authority"
    REVIEW = "review", "Referral reviewed"
    EXTENDED = "extended", "Extended by the unit"
    REMINDER = "reminder", "Reminder sent"
    LAPSED = "lapsed", "Lapsed: no longer searched"
    REVIVED = "revived", "Searched again"
    ASSIGNED = "assigned", "Picked up in the unit"


class ReferralEvent(models.Model):
    """One entry on a referral's timeline: who, what, when, why. Append-only."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept in case the account is later removed; "the service" for the scheduler.
    actor_label = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ReferralEventKind.choices)
    from_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    reason = models.CharField(max_length=32, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["referral", "at"]),
            # The two-hour KPI finds the referrals completed in a period by their history.
            models.Index(fields=["kind", "to_status", "at"], name="referral_event_status_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class ReferralListClock(models.Model):
    """A referral's two-hour list clock (``deadlines.list_clock``) as its status history stands.

    Derived data, kept by ``services.referral_list_clocks_refresh`` in the transaction that
    records a status (and rebuilt by ``manage.py list_clocks_rebuild``), so that the KPI of
    a period is a few counts over these rows rather than a walk through every status change
    of its referrals. Each outcome is within two hours (True), a miss (False) or not
    counted (None), as ``deadlines.list_outcome`` decides it; while the clock is still
    ``running`` the outcomes are left empty and worked out from the history when read.
    """

    referral = models.OneToOneField(
        Referral, primary_key=True, on_delete=models.CASCADE, related_name="list_clock"
    )
    first_completed_at = models.DateTimeField(null=True, blank=True)
    last_completed_at = models.DateTimeField(null=True, blank=True)
    listed_at = models.DateTimeField(null=True, blank=True)
    running = models.BooleanField(default=False)
    # While running: the stretches it ran before the current one, [[from, to], ...] in ISO.
    earlier_stretches = models.JSONField(default=list, blank=True)
    last_elapsed = models.BooleanField(null=True, blank=True)
    last_office = models.BooleanField(null=True, blank=True)
    first_elapsed = models.BooleanField(null=True, blank=True)
    first_office = models.BooleanField(null=True, blank=True)

    class Meta:
        indexes = [
            # The KPI of a period counts the clocks last (or first) started in it.
            models.Index(fields=["last_completed_at"], name="list_clock_last_idx"),
            models.Index(fields=["first_completed_at"], name="list_clock_first_idx"),
            # The few clocks still running, worked out when read: found without the period's.
            models.Index(
                fields=["last_completed_at"],
                condition=models.Q(running=True),
                name="list_clock_running_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Two-hour clock of referral {self.referral_id}"


class ReferralShare(models.Model):
    """A referral sent to one home: from then on that home may see what it needs to decide."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="shares")
    home_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referral_shares"
    )
    shared_at = models.DateTimeField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "home_organisation"], name="referral_share_once_per_home"
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral} shared with {self.home_organisation_id}"
