"""Reading referrals, always through the policy's scope for the person asking.

An authority sees its own referrals; a home only those sent to it, and then
only ``HomeView`` (what a home needs to decide); the unit sees all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from swc.core import clock
from swc.core.errors import NotPermitted
from swc.core.vocabulary import LegalStatus, NeedOrRisk, Sex
from swc.organisations.policy import ANY, OWN, SHARED, principal_for, require, scopes_for

from .completeness import age_on
from .deadlines import Urgency, remaining_describe, urgency_of
from .models import Referral, ReferralEvent, ReferralShare
from .workflow import OPEN, SEARCHABLE, TERMINAL, Status


def referral_list_for(
    user: Any,
    *,
    status: str | None = None,
    open_only: bool = False,
    closed: bool | None = None,
) -> QuerySet[Referral]:
    """The referrals ``user`` may see, newest first.

    Optionally by ``status``; ``open_only``: submitted and waiting for a bed;
    ``closed``: True for finished referrals, False for every other (drafts too).
    """
    scopes = scopes_for(user, "referral.view")
    principal = principal_for(user)
    qs = Referral.objects.select_related("local_authority")
    if ANY not in scopes:
        condition = Q(pk__in=[])
        if OWN in scopes:
            condition |= Q(local_authority__organisation_id=principal.organisation_id)
        if SHARED in scopes:
            condition |= Q(
                Exists(
                    ReferralShare.objects.filter(
                        referral=OuterRef("pk"), home_organisation_id=principal.organisation_id
                    )
                )
            )
        qs = qs.filter(condition)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN)
    if closed is True:
        qs = qs.filter(status__in=TERMINAL)
    elif closed is False:
        qs = qs.exclude(status__in=TERMINAL)
    return qs.order_by("-created_at", "-id")


def referral_get_for(user: Any, pk: int, action: str = "referral.view") -> Referral:
    """One referral, if ``user`` may do ``action`` to it; NotPermitted (a 404) otherwise."""
    referral = referral_list_for(user).filter(pk=pk).first()
    if referral is None:
        raise NotPermitted()
    require(user, action, referral)
    return referral


def referral_timeline_for(user: Any, referral: Referral) -> list[ReferralEvent]:
    """The referral's timeline, oldest first (not for homes: it names the authority's staff)."""
    require(user, "referral.view_identity", referral)
    return list(referral.events.select_related("actor").order_by("at", "id"))


def referral_earlier_for(user: Any, referral: Referral) -> list[Referral]:
    """Earlier referrals of the same child: same authority, same child identifier."""
    require(user, "referral.view_identity", referral)
    if not referral.la_child_identifier:
        return []
    return list(
        Referral.objects.filter(
            local_authority_id=referral.local_authority_id,
            la_child_identifier=referral.la_child_identifier,
            created_at__lt=referral.created_at,
        )
        .exclude(pk=referral.pk)
        .exclude(status=Status.DRAFT)
        .order_by("-created_at")
    )


def referrals_searchable() -> QuerySet[Referral]:
    """Open referrals that matching should search for: complete onwards, not lapsed."""
    return Referral.objects.filter(status__in=SEARCHABLE, lapsed_at__isnull=True).select_related(
        "local_authority"
    )


@dataclass(frozen=True)
class TriageRow:
    referral: Referral
    urgency: Urgency
    remaining: str
    overdue: bool


def referral_urgency(referral: Referral) -> Urgency:
    return urgency_of(
        legal_status=referral.legal_status,
        regulation_10_started_at=referral.regulation_10_started_at,
        hearing_date=referral.hearing_date,
        bed_needed_at=referral.bed_needed_at,
        waiting_since=referral.completed_at or referral.submitted_at,
    )


def referral_triage_queue_for(user: Any, now: dt.datetime | None = None) -> list[TriageRow]:
    """Open referrals, most urgent first (docs/workflow.md, "Triage order")."""
    require(user, "referral.triage")
    now = now or clock.now()
    rows = []
    for referral in referral_list_for(user, open_only=True):
        urgency = referral_urgency(referral)
        remaining = urgency.remaining(now)
        rows.append(
            TriageRow(
                referral=referral,
                urgency=urgency,
                remaining=remaining_describe(remaining),
                overdue=remaining is not None and remaining < dt.timedelta(0),
            )
        )
    rows.sort(key=lambda row: row.urgency.sort_key())
    return rows


@dataclass(frozen=True)
class HomeView:
    """What a home needs to decide: no surname, no exact address, no authority identifier."""

    pk: int
    reference: str
    initials: str
    age: int | None
    sex: str
    needs: list[tuple[str, str]]
    legal_status: str
    hearing_date: dt.date | None
    order_expires_on: dt.date | None
    bed_needed_at: dt.datetime | None
    home_area_region: str
    status: str


def referral_home_view(referral: Referral, today: dt.date | None = None) -> HomeView:
    """The home's view of a referral sent to it (pure: reads only the referral's fields)."""
    today = today or clock.today()
    initials = "".join(
        part[0].upper() + "." for part in (referral.first_name, referral.last_name) if part
    )
    labels = dict(NeedOrRisk.choices)
    descriptions = referral.need_descriptions or {}
    return HomeView(
        pk=referral.pk,
        reference=referral.reference,
        initials=initials,
        age=age_on(referral.date_of_birth, today) if referral.date_of_birth else None,
        sex=Sex(referral.sex).label if referral.sex else "",
        needs=[(labels.get(code, code), descriptions.get(code, "")) for code in referral.needs],
        legal_status=LegalStatus(referral.legal_status).label if referral.legal_status else "",
        hearing_date=referral.hearing_date,
        order_expires_on=referral.order_expires_on,
        bed_needed_at=referral.bed_needed_at,
        home_area_region=referral.home_area_region,
        status=referral.get_status_display(),
    )


def referral_sees_identity(user: Any, referral: Referral) -> bool:
    """Does ``user`` see the child's identity (the authority and the unit), or only HomeView?"""
    from swc.organisations.policy import user_can

    return user_can(user, "referral.view_identity", referral)
