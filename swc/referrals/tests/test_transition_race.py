"""Two people move one referral at the same instant: one wins, the other gets a conflict."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from swc.core.errors import ConflictError
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role
from swc.referrals.models import Referral
from swc.referrals.services import referral_section_save, referral_transition
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _race(attempt) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(THREADS)
    outcome = {"won": 0, "lost": 0}
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            attempt(n)
            with lock:
                outcome["won"] += 1
        except ConflictError:
            with lock:
                outcome["lost"] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcome["won"], outcome["lost"]


def test_only_one_of_many_simultaneous_moves_wins() -> None:
    referral = complete_referral()
    coordinators = [user_with_role(Role.COORDINATOR) for _ in range(THREADS)]

    def attempt(n: int) -> None:
        stale = Referral.objects.get(pk=referral.pk)
        stale.status = Status.COMPLETE
        referral_transition(referral=stale, to=Status.SHORTLISTED, by=coordinators[n])

    won, lost = _race(attempt)
    assert (won, lost) == (1, THREADS - 1)
    assert referral.events.filter(to_status=Status.SHORTLISTED).count() == 1


def test_only_one_of_many_simultaneous_saves_of_one_version_wins() -> None:
    referral = complete_referral(status=Status.DRAFT)
    referrers = [
        user_with_role(Role.REFERRER, referral.local_authority.organisation) for _ in range(THREADS)
    ]

    def attempt(n: int) -> None:
        referral_section_save(
            referral=referral, by=referrers[n], version=1, values={"home_area": f"Town {n}"}
        )

    won, lost = _race(attempt)
    assert (won, lost) == (1, THREADS - 1)
    assert Referral.objects.get(pk=referral.pk).version == 2
