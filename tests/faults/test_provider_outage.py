"""GOV.UK Notify fails — errors, then no answer at all — while referrals are submitted.

gunicorn, ``run_worker`` and ``run_scheduler`` run against the stub provider
(``provider.StubNotify``). For the outage the stub answers 500, then holds
every request longer than the client waits (``NOTIFY_TIMEOUT_SECONDS``);
meanwhile an authority's system submits referrals through the API and reads
its list. Pages stay fast (nothing a request does waits for the provider),
the outbox grows, and when the provider answers again the outbox drains by
itself — the worker's retries with back-off, the scheduler's sweep — each
message reaching the provider once.

The issue's outage is a minute; ``SWC_FAULTS_OUTAGE_SECONDS`` (default 12)
bounds it here, and the back-off is scaled to match
(``SWC_NOTIFICATION_RETRY_SECONDS``: half a second instead of a minute).
"""

from __future__ import annotations

import os
import statistics
import time

import requests

from swc.api.tests.factories import key_for
from swc.notifications.models import Notification, NotificationStatus
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.tests.factories import ReferralFactory, complete_values

from .processes import Processes
from .provider import StubNotify

OUTAGE_SECONDS = float(os.environ.get("SWC_FAULTS_OUTAGE_SECONDS", "12"))
REFERRALS = 6
# A page waits for the database, never for the provider (whose calls here hang 3 s).
FAST_SECONDS = 2.5


def test_an_outage_of_the_provider_slows_no_page_and_the_outbox_drains_itself_once(
    processes: Processes,
) -> None:
    authority = LocalAuthorityFactory()
    secret = key_for(Role.REFERRER, authority.organisation).secret
    referrer = user_with_role(Role.REFERRER, authority.organisation)
    user_with_role(Role.COORDINATOR)  # the unit hears of each submission
    drafts = [
        ReferralFactory(
            local_authority=authority,
            created_by=referrer,
            modified_by=referrer,
            **complete_values(),
        )
        for _ in range(REFERRALS)
    ]
    headers = {"Authorization": f"Bearer {secret}"}

    with StubNotify() as provider:
        provider.hang_seconds = 3.0
        environment = {
            **provider.environment(),
            "NOTIFY_TIMEOUT_SECONDS": "1",
            "SWC_NOTIFICATION_RETRY_SECONDS": "0.5",
            "SWC_NOTIFICATION_LEASE_SECONDS": "10",
        }
        server = processes.gunicorn(workers=2, **environment)
        worker = processes.worker(**environment)
        processes.start(["manage.py", "run_scheduler", "--interval=1"], **environment)

        with requests.Session() as session:  # each worker has served a request before
            for _ in range(4):
                session.get(f"{server.url}/api/v1/referrals/", headers=headers, timeout=60)

        provider.mode = "error"
        outage_began = time.monotonic()
        timings: list[float] = []
        submitted = 0
        with requests.Session() as session:
            while time.monotonic() - outage_began < OUTAGE_SECONDS:
                if time.monotonic() - outage_began > OUTAGE_SECONDS / 2:
                    provider.mode = "hang"
                began = time.monotonic()
                if submitted < REFERRALS:
                    draft = drafts[submitted]
                    answer = session.post(
                        f"{server.url}/api/v1/referrals/{draft.pk}/submit/",
                        json={"version": draft.version},
                        headers=headers,
                        timeout=30,
                    )
                    assert answer.status_code == 200, answer.text[:1000]
                    submitted += 1
                else:
                    answer = session.get(
                        f"{server.url}/api/v1/referrals/", headers=headers, timeout=30
                    )
                    assert answer.status_code == 200, answer.text[:1000]
                timings.append(time.monotonic() - began)
                time.sleep(0.2)
        assert submitted == REFERRALS
        waiting = Notification.objects.exclude(status=NotificationStatus.SENT).count()
        assert waiting >= REFERRALS  # the outbox grew: each submission's messages wait
        assert not provider.accepted  # nothing got through the outage
        assert provider.refused >= 1  # the worker kept trying
        assert not Notification.objects.filter(status=NotificationStatus.FAILED).exists()

        provider.mode = "accept"
        provider.release.set()  # a request still held is answered 500 now
        recovered = time.monotonic()
        worker.wait_until(
            lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
            "the outbox drained by itself",
        )
        drained = time.monotonic() - recovered

    outbox = list(Notification.objects.all())
    assert len(outbox) == waiting
    assert set(provider.posts) == {n.reference for n in outbox}
    assert set(provider.posts.values()) == {1}, "a message reached the provider twice"
    assert max(timings) < FAST_SECONDS, timings
    assert statistics.median(timings) < 0.5, timings
    print(
        f"provider out {OUTAGE_SECONDS:g} s ({provider.refused} sends refused or timed out): "
        f"{len(timings)} requests, median {statistics.median(timings) * 1000:.0f} ms, "
        f"slowest {max(timings) * 1000:.0f} ms; {waiting} messages waited and were "
        f"delivered once within {drained:.1f} s of the recovery"
    )
