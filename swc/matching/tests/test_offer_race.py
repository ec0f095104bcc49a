"""The last-bed race between offers: two authorities accept offers of the same bed at once.

Real threads, real transactions; run on SQLite and on PostgreSQL
(scripts/with-postgres.sh). Exactly one offer is accepted, one bed held, one
placement possible; the loser is told and nothing of theirs changes.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from swc.core.errors import ConflictError
from swc.homes.models import Vacancy, VacancyStatus
from swc.matching.models import Offer, OfferStatus, Placement
from swc.matching.services import (
    home_response_record,
    match_run,
    offer_accept,
    placement_admit,
    shortlist_send,
)
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

from .factories import free_bed, home_make, manager_of

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

AUTHORITIES = 6


def test_authorities_racing_for_the_last_bed_give_exactly_one_placement() -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    home = home_make(beds=1)
    bed = free_bed(home)
    manager = manager_of(home)
    offers = []
    referrers = []
    for _ in range(AUTHORITIES):
        la = LocalAuthorityFactory(latitude=52.1, longitude=-1.4)
        referral = complete_referral(local_authority=la)
        run = match_run(referral=referral, by=coordinator)
        shortlist_send(run=run, by=coordinator, home_ids=[home.pk])
        response = home_response_record(
            referral=referral,
            home=home,
            kind="accept",
            by=manager,
            vacancy=bed,
            available_from=bed.available_from,
        )
        offers.append(response.offer)
        referrers.append(user_with_role(Role.REFERRER, la.organisation))

    barrier = threading.Barrier(AUTHORITIES)
    winners: list[int] = []
    losers: list[str] = []
    lock = threading.Lock()

    def accept(index: int) -> None:
        try:
            barrier.wait()
            offer_accept(offer=Offer.objects.get(pk=offers[index].pk), by=referrers[index])
            with lock:
                winners.append(index)
        except ConflictError as refused:
            with lock:
                losers.append(refused.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(AUTHORITIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(winners) == 1
    assert len(losers) == AUTHORITIES - 1
    (winner,) = winners
    won = offers[winner]
    assert Offer.objects.filter(status=OfferStatus.ACCEPTED).count() == 1
    assert Offer.objects.get(pk=won.pk).status == OfferStatus.ACCEPTED
    bed.refresh_from_db()
    assert (bed.status, bed.referral_id) == (VacancyStatus.HELD, won.referral_id)
    statuses = Referral.objects.exclude(pk=won.referral_id).values_list("status", flat=True)
    assert set(statuses) == {Status.WITH_HOMES}

    placement_admit(
        offer=Offer.objects.get(pk=won.pk), admitted_on=bed.available_from, by=coordinator
    )
    loser_offer = offers[(winner + 1) % AUTHORITIES]
    with pytest.raises(ConflictError):
        offer_accept(offer=loser_offer, by=referrers[(winner + 1) % AUTHORITIES])
    assert Placement.objects.count() == 1
    assert Vacancy.objects.get(pk=bed.pk).status == VacancyStatus.FILLED
