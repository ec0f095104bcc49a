"""Reads for matching: the inputs of the pure rules, and scoped lists for pages."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404

from swc.core import clock
from swc.core.errors import NotPermitted
from swc.homes.models import AdmissionsStatus, SecureHome, Vacancy, VacancyStatus
from swc.homes.selectors import home_price_for
from swc.organisations.policy import ANY, principal_for, require, scopes_for, user_can
from swc.referrals.models import Referral
from swc.referrals.selectors import referral_urgency
from swc.referrals.workflow import SEARCHABLE, Status

from . import runs, scoring
from .allocation import AllocationResult, Waiting, allocation_propose, urgency_weight
from .models import (
    HomeExclusion,
    HomeResponse,
    ListSending,
    MatchRun,
    Offer,
    OfferStatus,
    Placement,
    ResponseKind,
)

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
    """Every secure home with its profile and free welfare beds: two queries, any number of homes.

    Only the columns the rules read, as plain tuples: building model objects
    (and converting timestamps matching never reads) for 3,000 homes and
    12,000 beds cost ten times the reading itself. Every home is read, not
    only those that pass the hard constraints, because the rules in
    ``scoring`` stay the one place that decides (and words) an exclusion.
    """
    beds: dict[int, list[scoring.Bed]] = {}
    for bed_id, home_id, available_from, restriction_sex, restriction in (
        Vacancy.objects.filter(status=VacancyStatus.FREE)
        .order_by("home_id", "available_from", "id")
        .values_list("pk", "home_id", "available_from", "restriction_sex", "restriction")
    ):
        beds.setdefault(home_id, []).append(
            scoring.Bed(bed_id, available_from, restriction_sex, restriction)
        )
    decoded: dict[str, frozenset[str]] = {}

    def codes(text: str | None) -> frozenset[str]:
        # Homes share lists (most have few codes): each distinct text is decoded once.
        if not text:
            return frozenset()
        found = decoded.get(text)
        if found is None:
            found = decoded[text] = frozenset(json.loads(text) or ())
        return found

    # The lists of need codes as their JSON text, decoded here: Django's JSON field reads
    # each through its converters, a third of the reading at 3,000 homes.
    rows = (
        SecureHome.objects.annotate(
            specialist_support_text=Cast("profile__specialist_support", TextField()),
            risks_not_managed_text=Cast("profile__risks_not_managed", TextField()),
            current_group_needs_text=Cast("profile__current_group_needs", TextField()),
        )
        .order_by("name")
        .values_list(
            "pk",
            "name",
            "latitude",
            "longitude",
            "age_min",
            "age_max",
            "accepts",
            "specialist_support_text",
            "risks_not_managed_text",
            "profile__admissions",
            "profile__admissions_suspended_until",
            "current_group_needs_text",
        )
    )
    return [
        scoring.HomeProfile(
            home_id=home_id,
            name=name,
            latitude=latitude,
            longitude=longitude,
            age_min=age_min,
            age_max=age_max,
            accepts=accepts,
            specialist_support=codes(support),
            risks_not_managed=codes(risks),
            admissions_suspended=admissions == AdmissionsStatus.SUSPENDED,
            admissions_suspended_until=suspended_until,
            current_group_needs=codes(group),
            beds=tuple(beds.get(home_id, ())),
        )
        for (
            home_id,
            name,
            latitude,
            longitude,
            age_min,
            age_max,
            accepts,
            support,
            risks,
            admissions,
            suspended_until,
            group,
        ) in rows
    ]


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


# --- the list of potential placements, as the authority sees it -------------------------

# Each home's answer in words, for the authority. The keys are the states of
# ``ListHome.answer``; tests and the API use the keys, pages the words.
ANSWER_WORDS = {
    "waiting": "Waiting for an answer",
    "question": "Asked a question",
    "offered": "Offered a bed",
    "declined": "Declined",
    "accepted": "Offer accepted",
    "offer_declined": "Offer declined by the authority",
    "withdrawn": "Offer withdrawn by the home",
    "not_taken": "Offer not taken up",
}
_OFFER_ANSWER = {
    OfferStatus.OPEN: "offered",
    OfferStatus.ACCEPTED: "accepted",
    OfferStatus.DECLINED: "offer_declined",
    OfferStatus.WITHDRAWN: "withdrawn",
    OfferStatus.NOT_TAKEN: "not_taken",
}
# Score parts that say why a home fits; distance is shown as a number of its own.
_FIT_PARTS = ("specialist_support", "group_fit", "earlier_placement", "bed_soon")


@dataclass(frozen=True)
class ListHome:
    """One home on the list: where it is, why it fits, and its answer so far."""

    home_id: int
    name: str
    distance_miles: float | None
    reasons: tuple[str, ...]
    sent_at: dt.datetime
    answer: str
    detail: str = ""
    available_from: dt.date | None = None
    offer_id: int | None = None

    @property
    def answer_words(self) -> str:
        return ANSWER_WORDS[self.answer]


@dataclass(frozen=True)
class ListExcluded:
    name: str
    reasons: tuple[str, ...]  # empty unless the unit chose to share them


@dataclass(frozen=True)
class Shortlist:
    referral: Referral
    provided_at: dt.datetime | None
    homes: tuple[ListHome, ...]
    excluded: tuple[ListExcluded, ...]
    sendings: tuple[ListSending, ...]
    exclusions_shared: bool = False  # whether the unit shared why the excluded homes cannot

    def home(self, home_id: int) -> ListHome | None:
        return next((h for h in self.homes if h.home_id == home_id), None)


def _fit_reasons(candidate: dict[str, Any], weights: dict[str, Any]) -> tuple[str, ...]:
    """Why a home fits, in the words scoring gives, without points: only what counts for it.

    The group's fit is a reason only when none of the child's needs is in the group: a
    part-score's words ("the current group already includes going missing") are a caution,
    not a reason the home could suit.
    """
    return tuple(
        part.reason
        for part in runs.ranked_home_of(candidate, weights, 0).parts
        if part.name in _FIT_PARTS
        and part.points > 0
        and (part.name != "group_fit" or part.points >= part.out_of)
    )


def shortlist_for(user: Any, referral: Referral) -> Shortlist | None:
    """The list of potential placements the unit provided, with each home's live answer.

    None until a list has been sent. The authority and the unit only (a home
    never sees which other homes were asked). A fixed number of queries,
    whatever the number of homes or answers.
    """
    require(user, "shortlist.view", referral)
    sendings = list(ListSending.objects.filter(referral=referral).select_related("run", "sent_by"))
    if not sendings:
        return None
    candidates: dict[int, tuple[dict[str, Any], dict[str, Any], dt.datetime]] = {}
    for sending in sendings:
        by_home = {c["home_id"]: c for c in sending.run.candidate_rows}
        for home_id in sending.home_ids:
            if home_id not in candidates and home_id in by_home:
                candidates[home_id] = (by_home[home_id], sending.run.weights, sending.sent_at)
    latest_answer: dict[int, HomeResponse] = {}
    for answered in HomeResponse.objects.filter(
        referral=referral, home_id__in=list(candidates), counted=True
    ).order_by("recorded_at", "id"):
        latest_answer[answered.home_id] = answered
    latest_offer: dict[int, Offer] = {}
    for made in Offer.objects.filter(referral=referral, home_id__in=list(candidates)).order_by(
        "created_at", "id"
    ):
        latest_offer[made.home_id] = made
    homes = []
    for home_id, (candidate, weights, sent_at) in candidates.items():
        offer = latest_offer.get(home_id)
        response = latest_answer.get(home_id)
        # The latest answer decides, except that a question does not hide an offer made.
        if response is not None and response.kind == ResponseKind.DECLINE:
            answer, detail = "declined", response.get_decline_reason_display()
            if offer is not None and offer.status != OfferStatus.WITHDRAWN:
                answer, detail = _OFFER_ANSWER[OfferStatus(offer.status)], offer.status_reason
        elif offer is not None:
            answer, detail = _OFFER_ANSWER[OfferStatus(offer.status)], offer.status_reason
        elif response is not None and response.kind == ResponseKind.INFORMATION:
            answer, detail = "question", ""
        else:
            answer, detail = "waiting", ""
        homes.append(
            ListHome(
                home_id=home_id,
                name=candidate["name"],
                distance_miles=candidate.get("distance_miles"),
                reasons=_fit_reasons(candidate, weights),
                sent_at=sent_at,
                answer=answer,
                detail=detail,
                available_from=offer.available_from if offer is not None else None,
                offer_id=offer.pk if offer is not None else None,
            )
        )
    latest = sendings[-1]
    shared = any(s.exclusions_shared for s in sendings if s.run_id == latest.run_id)
    excluded = tuple(
        ListExcluded(home.name, home.reasons if shared else ())
        for home in map(runs.excluded_home_of, latest.run.exclusion_rows)
    )
    return Shortlist(
        referral=referral,
        provided_at=referral.list_provided_at,
        homes=tuple(homes),
        excluded=excluded,
        sendings=tuple(sendings),
        exclusions_shared=shared,
    )


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


def placement_list_for(user: Any) -> QuerySet[Placement]:
    """Every placement the unit records, current first (the API pages through them all)."""
    if not user_can(user, "placement.record"):
        raise NotPermitted()
    # Current (not discharged) first on both databases: PostgreSQL sorts NULL last.
    return Placement.objects.select_related("home", "referral").order_by(
        F("discharged_on").asc(nulls_first=True), "-admitted_on", "-id"
    )


def placements_for(user: Any) -> list[Placement]:
    """Placements the unit records: current first, the latest 200 (the page)."""
    return list(placement_list_for(user)[:200])


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


# --- what is next for a home --------------------------------------------------------------


@dataclass(frozen=True)
class HomeStage:
    """Where a referral stands for one home, and what (if anything) the home does next.

    ``stage`` is one of: answer, asked, offered, declined, offer_declined,
    withdrawn, accepted, placed, discharged, closed. Only "answer" and
    "asked" show the answer form; the others say what has happened.
    """

    stage: str
    home: SecureHome
    offer: Offer | None = None
    placement: Placement | None = None
    response: HomeResponse | None = None

    @property
    def may_answer(self) -> bool:
        return self.stage in ("answer", "asked")


def home_stage_for(user: Any, referral: Referral, home: SecureHome) -> HomeStage:
    """The stage of ``referral`` for ``home``, as its manager (or the unit for it) sees it."""
    require(user, "home_response.answer_for", home)
    offer = (
        Offer.objects.filter(referral=referral, home=home)
        .select_related("home", "vacancy")
        .order_by("-created_at", "-id")
        .first()
    )
    placement = Placement.objects.filter(referral=referral, home=home).first()
    response = (
        HomeResponse.objects.filter(referral=referral, home=home, counted=True)
        .order_by("-recorded_at", "-id")
        .first()
    )

    def at(stage: str) -> HomeStage:
        return HomeStage(stage, home, offer, placement, response)

    if placement is not None:
        return at("discharged" if placement.discharged_on else "placed")
    if offer is not None and offer.status == OfferStatus.ACCEPTED:
        return at("accepted")
    if referral.status not in (Status.WITH_HOMES, Status.SHORTLISTED):
        return at("closed")
    if response is not None and response.kind == ResponseKind.DECLINE:
        return at("declined")
    if offer is not None:
        by_status = {
            OfferStatus.OPEN: "offered",
            OfferStatus.DECLINED: "offer_declined",
            OfferStatus.WITHDRAWN: "withdrawn",
        }
        return at(by_status.get(OfferStatus(offer.status), "closed"))
    if response is not None and response.kind == ResponseKind.INFORMATION:
        return at("asked")
    return at("answer")
