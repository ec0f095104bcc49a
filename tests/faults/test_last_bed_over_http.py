"""Forty authorities accept offers of the last free bed at once, through gunicorn with four workers.

The in-process race (swc/matching/tests/test_offer_race.py) proves the
conditional UPDATE with threads; this proves the whole path a real request
takes — separate processes, each with its own connection, API keys, the
problem-details answer — holds the same line: exactly one 200, every other
caller a 409 that says why, no 5xx, and the register shows one holder.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from swc.api.tests.factories import key_for
from swc.homes.models import Vacancy, VacancyStatus
from swc.matching.models import Offer, OfferStatus
from swc.matching.services import home_response_record, match_run, shortlist_send
from swc.matching.tests.factories import free_bed, home_make, manager_of
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

from .processes import Processes

AUTHORITIES = 40


def test_forty_accepts_of_the_last_bed_through_gunicorn_give_one_holder(
    processes: Processes,
) -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    home = home_make(beds=1)
    bed = free_bed(home)
    manager = manager_of(home)
    callers: list[tuple[int, str]] = []  # (offer id, the authority's API key)
    for _ in range(AUTHORITIES):
        authority = LocalAuthorityFactory(latitude=52.1, longitude=-1.4)
        referral = complete_referral(local_authority=authority)
        run = match_run(referral=referral, by=coordinator)
        shortlist_send(run=run, by=coordinator, home_ids=[home.pk])
        offer = home_response_record(
            referral=referral,
            home=home,
            kind="accept",
            by=manager,
            vacancy=bed,
            available_from=bed.available_from,
        ).offer
        assert offer is not None
        callers.append((offer.pk, key_for(Role.REFERRER, authority.organisation).secret))
    home_key = key_for(Role.HOME_MANAGER, home.organisation).secret

    server = processes.gunicorn(workers=4)
    start = threading.Barrier(AUTHORITIES)

    def accept(caller: tuple[int, str]) -> tuple[int, requests.Response, float]:
        offer_id, secret = caller
        with requests.Session() as session:
            start.wait(timeout=30)
            began = time.monotonic()
            answer = session.post(
                f"{server.url}/api/v1/offers/{offer_id}/accept/",
                json={},
                headers={"Authorization": f"Bearer {secret}"},
                timeout=60,
            )
            return offer_id, answer, time.monotonic() - began

    with ThreadPoolExecutor(max_workers=AUTHORITIES) as pool:
        answers = list(pool.map(accept, callers))

    statuses = sorted(answer.status_code for _, answer, _ in answers)
    assert statuses == [200] + [409] * (AUTHORITIES - 1), statuses
    (winner,) = [offer_id for offer_id, answer, _ in answers if answer.status_code == 200]
    for _, answer, _ in answers:
        if answer.status_code == 409:
            assert answer.headers["Content-Type"] == "application/problem+json"
            problem = answer.json()
            assert problem["status"] == 409
            # Every loser met the bed's own guard, in words a caller can act on.
            assert problem["detail"] == (
                "This bed is no longer free: someone else has just held or filled it"
            ), problem

    # The register: one holder, the winner's referral; every other referral still with homes.
    winning = Offer.objects.get(pk=winner)
    bed.refresh_from_db()
    assert (bed.status, bed.referral_id) == (VacancyStatus.HELD, winning.referral_id)
    assert Offer.objects.filter(status=OfferStatus.ACCEPTED).count() == 1
    assert Vacancy.objects.filter(home=home, status=VacancyStatus.HELD).count() == 1
    assert Referral.objects.get(pk=winning.referral_id).status == Status.OFFER_ACCEPTED
    others = Referral.objects.exclude(pk=winning.referral_id).values_list("status", flat=True)
    assert list(others) == [Status.WITH_HOMES] * (AUTHORITIES - 1)
    # …and the home's own system reads the same through the API.
    register = requests.get(
        f"{server.url}/api/v1/homes/{home.pk}/register/",
        headers={"Authorization": f"Bearer {home_key}"},
        timeout=30,
    )
    assert register.status_code == 200
    assert [(v["id"], v["status"]) for v in register.json()["vacancies"]] == [
        (bed.pk, VacancyStatus.HELD)
    ]
    slowest = max(seconds for _, _, seconds in answers)
    print(f"last bed: 1 × 200, {AUTHORITIES - 1} × 409, slowest answer {slowest:.2f} s")
