"""Reads for matching: the inputs of the pure rules, and scoped lists for pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from swc.core import clock
from swc.core.errors import NotPermitted
from swc.homes.models import SecureHome, Vacancy, VacancyStatus
from swc.homes.selectors import home_price_for
from swc.organisations.policy import ANY, principal_for, require, scopes_for, user_can
from swc.referrals.models import Referral
from swc.referrals.selectors import referral_urgency
from swc.referrals.workflow import SEARCHABLE, Status

from . import scoring
from .allocation import AllocationResult, Waiting, allocation_propose, urgency_weight
from .models import HomeExclusion, HomeResponse, MatchRun, Offer, OfferStatus, Placement

# --- inputs of the pure rules -----------------------------------------------------------


def date_needed_of(referral: Referral, today: dt.date | None = None) -> dt.date:
    """The day the bed is needed (in England); today when it is needed now or already past."""
    today = today or clock.today()
    if referral.bed_needed_at is None:
        return today
    return max(today, referral.bed_needed_at.astimezone(clock.LONDON).date())


def child_profile_of(referral: Referral, today: dt.date | None = None) -> scoring.ChildProfile:
    """What matching knows of the child: age on the date needed, sex, needs, home area.

    The home area is the referring authority's reference location (its
    latitude and longitude): great-circle distance from there.
    """
    return child_profiles_of([referral], today)[0]


def child_profiles_of(
    referrals: list[Referral], today: dt.date | None = None
) -> list[scoring.ChildProfile]:
    """``child_profile_of`` for many referrals in two queries, whatever their number."""
    today = today or clock.today()
    authority_ids = {r.local_authority_id for r in referrals}
    excluded: dict[int, set[int]] = {}
    for la_id, home_id in HomeExclusion.objects.filter(
        local_authority_id__in=authority_ids
    ).values_list("local_authority_id", "home_id"):
        excluded.setdefault(la_id, set()).add(home_id)
    earlier: dict[tuple[int, str], set[tuple[int, int]]] = {}
    identifiers = {r.la_child_identifier for r in referrals if r.la_child_identifier}
    for la_id, identifier, pk, home_id in Referral.objects.filter(
        local_authority_id__in=authority_ids,
        la_child_identifier__in=identifiers,
        placed_home__isnull=False,
    ).values_list("local_authority_id", "la_child_identifier", "pk", "placed_home_id"):
        earlier.setdefault((la_id, identifier), set()).add((pk, home_id))
    out = []
    for referral in referrals:
        needed = date_needed_of(referral, today)
        la = referral.local_authority
        placed_before = earlier.get((la.pk, referral.la_child_identifier), set())
        out.append(
            scoring.ChildProfile(
                referral_id=referral.pk,
                age=referral.age_on(needed) or 0,
                sex=referral.sex,
                needs=frozenset(referral.needs or ()),
                latitude=la.latitude,
                longitude=la.longitude,
                date_needed=needed,
                excluded_home_ids=frozenset(excluded.get(la.pk, set())),
                earlier_home_ids=frozenset(
                    home_id for pk, home_id in placed_before if pk != referral.pk
                ),
            )
        )
    return out


def home_profiles_for_matching() -> list[scoring.HomeProfile]:
    """Every secure home with its profile and free welfare beds: two queries, any number of homes."""
    homes = SecureHome.objects.select_related("profile").prefetch_related(
        Prefetch(
            "vacancies",
            queryset=Vacancy.objects.filter(status=VacancyStatus.FREE),
            to_attr="free_beds",
        )
    )
    out = []
    for home in homes:
        profile = getattr(home, "profile", None)
        out.append(
            scoring.HomeProfile(
                home_id=home.pk,
                name=home.name,
                latitude=home.latitude,
                longitude=home.longitude,
                age_min=home.age_min,
                age_max=home.age_max,
                accepts=home.accepts,
                specialist_support=frozenset(profile.specialist_support if profile else ()),
                risks_not_managed=frozenset(profile.risks_not_managed if profile else ()),
                admissions_suspended=bool(profile and profile.admissions == "suspended"),
                admissions_suspended_until=profile.admissions_suspended_until if profile else None,
                current_group_needs=frozenset(profile.current_group_needs if profile else ()),
                beds=tuple(
                    scoring.Bed(
                        bed_id=bed.pk,
                        available_from=bed.available_from,
                        restriction_sex=bed.restriction_sex,
                        restriction=bed.restriction,
                    )
                    for bed in home.free_beds  # type: ignore[attr-defined]
                ),
            )
        )
    return out


# --- pages ---------------------------------------------------------------------------


def match_run_latest_for(user: Any, referral: Referral) -> MatchRun | None:
    """The latest match run for this referral (the unit only)."""
    require(user, "match.run", referral)
    return MatchRun.objects.filter(referral=referral).first()


def referral_for_unit(user: Any, pk: int, action: str) -> Referral:
    """A referral for a unit page, or 404."""
    referral = (
        Referral.objects.select_related("local_authority", "placed_home").filter(pk=pk).first()
    )
    if referral is None or not user_can(user, action, referral):
        raise Http404
    return referral


def responses_for(user: Any, referral: Referral) -> list[HomeResponse]:
    """Every response to this referral; a home sees only its own."""
    require(user, "offer.view", _OfferScope(referral))
    responses = HomeResponse.objects.filter(referral=referral).select_related("home")
    principal = principal_for(user)
    sees_all = ANY in scopes_for(user, "offer.view")
    is_referrer = principal.organisation_id == referral.local_authority.organisation_id
    if not sees_all and not is_referrer:
        # A home sees only its own answers, never another home's.
        responses = responses.filter(home__organisation_id=principal.organisation_id or 0)
    return list(responses)


@dataclass(frozen=True)
class _OfferScope:
    referral: Referral

    @property
    def policy_owner_id(self) -> int:
        return self.referral.local_authority.organisation_id

    def policy_is_shared_with(self, organisation_id: int) -> bool:
        return self.referral.policy_is_shared_with(organisation_id)


@dataclass(frozen=True)
class OfferRow:
    offer: Offer
    price: Decimal | None


def offers_for(user: Any, referral: Referral) -> list[OfferRow]:
    """The offers on this referral the user may see, each with its price where allowed."""
    offers: QuerySet[Offer] = Offer.objects.filter(referral=referral).select_related(
        "home", "vacancy", "referral__local_authority"
    )
    rows = []
    for offer in offers:
        if user_can(user, "offer.view", offer):
            rows.append(OfferRow(offer, home_price_for(user, offer.home, via=offer)))
    return rows


def referrals_with_open_offers_for(user: Any) -> list[int]:
    """Ids of the referrals ``user`` may see that have an offer waiting to be accepted (one query)."""
    from swc.referrals.selectors import referral_list_for

    visible = referral_list_for(user, open_only=True).values("pk")
    return list(
        Offer.objects.filter(status=OfferStatus.OPEN, referral_id__in=visible)
        .order_by("referral_id")
        .values_list("referral_id", flat=True)
        .distinct()
    )


def referrals_awaiting_answer_from(user: Any) -> list[int]:
    """Ids of referrals sent to the user's home, still with the homes, that it has not answered."""
    from swc.referrals.selectors import referral_list_for

    home = home_of_manager(user)
    if home is None:
        return []
    answered = HomeResponse.objects.filter(home=home).values("referral_id")
    return list(
        referral_list_for(user, status=Status.WITH_HOMES)
        .exclude(pk__in=answered)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def offer_get_for(user: Any, pk: int, action: str = "offer.view") -> Offer:
    offer = (
        Offer.objects.select_related("home", "vacancy", "referral__local_authority")
        .filter(pk=pk)
        .first()
    )
    if offer is None or not user_can(user, action, offer):
        raise Http404
    return offer


def home_of_manager(user: Any) -> SecureHome | None:
    principal = principal_for(user)
    if principal.organisation_id is None:
        return None
    return SecureHome.objects.filter(organisation_id=principal.organisation_id).first()


def placements_for(user: Any) -> list[Placement]:
    """Placements the unit records: current first."""
    if not user_can(user, "placement.record"):
        raise NotPermitted()
    return list(
        Placement.objects.select_related("home", "referral").order_by(
            "discharged_on", "-admitted_on", "-id"
        )[:200]
    )


def allocation_for(user: Any, now: dt.datetime | None = None) -> AllocationResult:
    """The allocation proposal across every waiting, complete referral (a proposal only)."""
    require(user, "allocation.propose")
    now = now or clock.now()
    today = clock.today()
    referrals = list(
        Referral.objects.filter(status__in=SEARCHABLE, lapsed_at__isnull=True)
        .exclude(status=Status.WITH_HOMES, offers__status=OfferStatus.ACCEPTED)
        .select_related("local_authority")
    )
    ordered = sorted(referrals, key=lambda r: (referral_urgency(r).sort_key(), r.pk))
    profiles = child_profiles_of(ordered, today)
    waiting = []
    for priority, (referral, profile) in enumerate(zip(ordered, profiles, strict=True)):
        remaining = referral_urgency(referral).remaining(now)
        hours = None if remaining is None else remaining.total_seconds() / 3600
        waiting.append(
            Waiting(
                child=profile,
                priority=priority,
                urgency=urgency_weight(hours),
                label=referral.reference,
            )
        )
    return allocation_propose(waiting, home_profiles_for_matching(), today)
