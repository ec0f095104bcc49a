"""Synthetic matching history for `make run`: homes' answers, offers and placements.

Built on the demo referrals (identifiers starting "DEMO-"): every placed one
gets the accepting home's answer, its accepted offer and a placement (with a
discharge once a synthetic stay has ended); other homes the referral was sent
to get a decline or a question. Open referrals with homes get answers too,
and an open offer where the home has a free bed. Seeded; skipped when loaded.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from django.db import transaction

from swc.core import clock
from swc.homes.models import SecureHome, Vacancy, VacancyStatus
from swc.referrals.models import Referral
from swc.referrals.workflow import Status

from .models import (
    DeclineReason,
    DischargeDestination,
    DischargeReason,
    HomeResponse,
    Offer,
    OfferStatus,
    Placement,
    ResponseKind,
)

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
        for referral in demo.filter(status__in=[Status.PLACED, Status.WITH_HOMES]).prefetch_related(
            "shares"
        ):
            _one_load(rng, referral, homes, counts)
    out.write(
        f"Matching: {counts['answers']} synthetic answers from homes, "
        f"{counts['placements']} placements\n"
    )


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
