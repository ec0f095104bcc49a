"""Synthetic matching history for `make run`: homes' answers, offers and placements.

Built on the demo referrals (identifiers starting "DEMO-"): every placed one
gets the accepting home's answer, its accepted offer and a placement (with a
discharge once a synthetic stay has ended); other homes the referral was sent
to get a decline or a question. Open referrals with homes get answers too,
and an open offer where the home has a free bed. Every referral whose list
was provided gets the list it was given (a match run and its sending, with
the homes it was sent to), so the authority's "Potential placements" page
agrees with the referral's timeline. Seeded; skipped when loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction

from swc.core import clock
from swc.core.geography import distance_miles
from swc.homes.models import SecureHome, Vacancy, VacancyStatus
from swc.organisations.demo import demo_home_names
from swc.referrals.models import Referral
from swc.referrals.workflow import Status

from . import scoring
from .models import (
    DeclineReason,
    DischargeDestination,
    DischargeReason,
    HomeResponse,
    ListSending,
    MatchRun,
    Offer,
    OfferStatus,
    Placement,
    ResponseKind,
)
from .runs import candidate_json, compact, exclusion_json
from .selectors import child_profiles_of, home_profiles_for_matching

SEED = 20260405
DEMO_PREFIX = "DEMO-"
QUESTIONS = (
    "Synthetic demo question: what education has the child had this term?",
    "Synthetic demo question: is there a current health assessment?",
)


def demo_matching_load(out: TextIO) -> None:
    demo = Referral.objects.filter(la_child_identifier__startswith=DEMO_PREFIX)
    if HomeResponse.objects.filter(referral__in=demo).exists():
        out.write("Matching: demo answers and placements already loaded\n")
        return
    rng = random.Random(SEED)
    homes = {h.organisation_id: h for h in SecureHome.objects.all()}
    counts = {"answers": 0, "placements": 0}
    with transaction.atomic():
        lists = _lists_load(demo)
        for referral in demo.filter(status__in=[Status.PLACED, Status.WITH_HOMES]).prefetch_related(
            "shares"
        ):
            _one_load(rng, referral, homes, counts)
    out.write(
        f"Matching: {lists} lists of potential placements, {counts['answers']} synthetic "
        f"answers from homes, {counts['placements']} placements\n"
    )


DEMO_NOTE = (
    "Synthetic demo note: the homes nearest the child's area with a free welfare bed; "
    "please answer by 14:00."
)


def _lists_load(demo: Any) -> int:
    """The list each demo referral was given: a match run and one sending to its homes.

    Ranked against today's homes (the demo has no register history to rank
    against); a home the referral was sent to that would not rank today is
    kept with its distance only, since it was on the list when it was sent.
    """
    referrals = list(
        demo.filter(list_provided_at__isnull=False)
        .select_related("local_authority")
        .prefetch_related("shares")
        .order_by("pk")
    )
    if not referrals:
        return 0
    homes = home_profiles_for_matching()
    home_ids = {h.organisation_id: h.pk for h in SecureHome.objects.all()}
    made = 0
    for referral, child in zip(referrals, child_profiles_of(referrals), strict=True):
        sent_to = [
            home_ids[share.home_organisation_id]
            for share in referral.shares.all()
            if share.home_organisation_id in home_ids
        ]
        if not sent_to:
            continue
        at = referral.list_provided_at
        day = at.astimezone(clock.LONDON).date()
        result = scoring.match_referral(child, homes, day)
        candidates = [candidate_json(c) for c in result.candidates]
        ranked = {c["home_id"] for c in candidates}
        for home in homes:
            if home.home_id in sent_to and home.home_id not in ranked:
                candidates.append(_sent_unranked(child, home, day, result.weights))
        candidates.sort(key=lambda c: (-c["score"], c["name"], c["home_id"]))  # as ranked
        run = MatchRun.objects.create(
            referral=referral,
            run_at=at,
            weights=dataclasses.asdict(result.weights),
            candidates=compact(candidates),
            exclusions=compact(
                exclusion_json(e) for e in result.exclusions if e.home_id not in sent_to
            ),
            selected_home_ids=sent_to,
            note=DEMO_NOTE,
            sent_at=at,
        )
        ListSending.objects.create(
            run=run, referral=referral, sent_at=at, home_ids=sent_to, note=DEMO_NOTE
        )
        made += 1
    return made


def _sent_unranked(
    child: scoring.ChildProfile, home: scoring.HomeProfile, day: dt.date, weights: scoring.Weights
) -> dict[str, Any]:
    """A home the demo's story sent the list to that today's register would not rank (its
    bed has gone since; the story has it answer "no bed after all"), scored as it stood
    the day the list went, with a bed free that day, as a real run would have kept it."""
    miles = distance_miles(child.latitude, child.longitude, home.latitude, home.longitude)
    bed = scoring.Bed(bed_id=0, available_from=day)
    row = candidate_json(scoring.candidate_scored(child, home, bed, miles, day, weights))
    row["bed_id"] = None  # the bed is no longer on the register
    return row


def _one_load(
    rng: random.Random,
    referral: Referral,
    homes: dict[int, SecureHome],
    counts: dict[str, int],
) -> None:
    now = clock.now()
    shares = list(referral.shares.all())
    for share in shares:
        home = homes.get(share.home_organisation_id)
        if home is None:
            continue
        if referral.status == Status.WITH_HOMES and home.name in demo_home_names():
            continue  # waiting: the person trying the demo answers as this home's manager
        at = min(now, share.shared_at + dt.timedelta(minutes=rng.randint(20, 600)))
        if referral.status == Status.PLACED and referral.placed_home_id == home.pk:
            _placed_load(rng, referral, home, at)
            counts["placements"] += 1
        elif referral.status == Status.WITH_HOMES and rng.random() < 0.5:
            bed = (
                Vacancy.objects.filter(home=home, status=VacancyStatus.FREE)
                .exclude(pk__in=Offer.objects.filter(status="open").values("vacancy_id"))
                .first()
            )
            if bed is None:
                _decline(rng, referral, home, at)
            else:
                response = _response(referral, home, ResponseKind.ACCEPT, at)
                response.available_from = max(bed.available_from, at.date())
                response.save(update_fields=["available_from"])
                Offer.objects.create(
                    referral=referral,
                    home=home,
                    vacancy=bed,
                    response=response,
                    available_from=response.available_from,
                )
        elif rng.random() < 0.2:
            _response(referral, home, ResponseKind.INFORMATION, at, detail=rng.choice(QUESTIONS))
        else:
            _decline(rng, referral, home, at)
        counts["answers"] += 1


def _response(
    referral: Referral, home: SecureHome, kind: str, at: dt.datetime, **fields: Any
) -> HomeResponse:
    return HomeResponse.objects.create(
        referral=referral, home=home, kind=kind, recorded_at=at, **fields
    )


def _decline(rng: random.Random, referral: Referral, home: SecureHome, at: dt.datetime) -> None:
    reason = rng.choice(
        [DeclineReason.NO_BED, DeclineReason.GROUP_MIX, DeclineReason.NEEDS, DeclineReason.STAFFING]
    )
    _response(
        referral,
        home,
        ResponseKind.DECLINE,
        at,
        decline_reason=reason,
        by_phone=rng.random() < 0.3,
    )


def _placed_load(rng: random.Random, referral: Referral, home: SecureHome, at: dt.datetime) -> None:
    placed_at = referral.placed_at or at
    admitted = placed_at.astimezone(clock.LONDON).date()
    response = _response(referral, home, ResponseKind.ACCEPT, at, available_from=admitted)
    offer = Offer.objects.create(
        referral=referral,
        home=home,
        vacancy=None,  # synthetic history: no bed record behind it
        response=response,
        available_from=admitted,
        status=OfferStatus.ACCEPTED,
        status_changed_at=referral.offer_accepted_at or placed_at,
    )
    stay = rng.randint(14, 180)
    left = admitted + dt.timedelta(days=stay)
    ended = left < clock.today()
    Placement.objects.create(
        referral=referral,
        offer=offer,
        home=home,
        admitted_on=admitted,
        discharged_on=left if ended else None,
        discharge_reason=rng.choice(DischargeReason.values[:4]) if ended else "",
        discharge_destination=rng.choice(DischargeDestination.values) if ended else "",
        discharge_detail="Synthetic demo discharge" if ended else "",
    )
