"""Several unit managers sign off the same month at the same instant: one version results."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection

from swc.core.errors import ServiceError
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role
from swc.reporting.models import MonthlyReturnVersion
from swc.reporting.returns import ReturnMonth
from swc.reporting.services import monthly_return_sign_off

from .dataset import october_build

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]
THREADS = 4


@time_machine.travel("2026-11-05 10:00:00+00:00", tick=False)
def test_simultaneous_sign_offs_make_one_version() -> None:
    october_build()
    managers = [user_with_role(Role.UNIT_MANAGER) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcome = {"won": 0, "refused": 0}
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            monthly_return_sign_off(user=managers[n], month=ReturnMonth(2026, 10))
            with lock:
                outcome["won"] += 1
        except ServiceError:
            # The loser either finds version 1 already there ("nothing has changed")
            # or collides on (month, version) and is told someone signed off first.
            with lock:
                outcome["refused"] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome == {"won": 1, "refused": THREADS - 1}
    assert list(MonthlyReturnVersion.objects.values_list("version", flat=True)) == [1]
