"""The last-bed race: many requests hold one free bed at the same instant; one wins.

Real threads, real transactions. Run on SQLite and on PostgreSQL
(scripts/with-postgres.sh): SQLite's single writer can hide a race that
PostgreSQL shows.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from swc.core.errors import ConflictError
from swc.homes.models import Vacancy, VacancyStatus
from swc.homes.services import vacancy_fill, vacancy_hold
from swc.homes.tests.factories import SecureHomeFactory, vacancy_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 30


def _race(attempt) -> tuple[list[int], list[str]]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(THREADS)
    winners: list[int] = []
    losers: list[str] = []
    lock = threading.Lock()

    def run(referral_id: int) -> None:
        try:
            barrier.wait()
            attempt(referral_id)
            with lock:
                winners.append(referral_id)
        except ConflictError as refused:
            with lock:
                losers.append(refused.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(1000 + n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return winners, losers


def test_many_concurrent_holds_on_the_last_free_bed_exactly_one_succeeds() -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    bed = vacancy_make(SecureHomeFactory())

    def attempt(referral_id: int) -> None:
        # Each request loads the bed itself, as a view would.
        vacancy_hold(
            vacancy=Vacancy.objects.get(pk=bed.pk), referral_id=referral_id, by=coordinator
        )

    winners, losers = _race(attempt)

    assert len(winners) == 1
    assert len(losers) == THREADS - 1
    assert set(losers) == {"This bed is no longer free: someone else has just held or filled it"}
    bed.refresh_from_db()
    assert (bed.status, bed.referral_id) == (VacancyStatus.HELD, winners[0])


def test_many_concurrent_fills_of_one_free_bed_exactly_one_succeeds() -> None:
    coordinator = user_with_role(Role.COORDINATOR)
    bed = vacancy_make(SecureHomeFactory())

    def attempt(referral_id: int) -> None:
        vacancy_fill(
            vacancy=Vacancy.objects.get(pk=bed.pk), referral_id=referral_id, by=coordinator
        )

    winners, losers = _race(attempt)

    assert len(winners) == 1
    assert len(losers) == THREADS - 1
    bed.refresh_from_db()
    assert (bed.status, bed.referral_id) == (VacancyStatus.FILLED, winners[0])
