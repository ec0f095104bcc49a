"""gunicorn is killed with SIGKILL, again and again, while a system submits referrals through the API.

A case-management system creates referrals with ``Idempotency-Key`` from four
threads while the test — acting as the supervisor — kills the whole gunicorn
(master and workers, no clean-up) three times and starts it again. Requests
in flight get no answer; some of them had committed. Afterwards every
referral that was answered 201 exists exactly once, and sending every other
request again with its key completes it without a duplicate: a committed one
is replayed, an uncommitted one done, one whose claim was left by a killed
worker done once the claim goes stale (shortened here with
``SWC_IDEMPOTENCY_STALE_SECONDS``; two minutes in production, 409 with
Retry-After meanwhile).
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from swc.api.tests.factories import key_for
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral

from .processes import Processes, Server

# The issue asks for 500; 500 took 133 s of a loaded 2-core machine against 72 s for 100
# (the three restarts cost most), so `make test` sends 200 on each database and
# SWC_FAULTS_REFERRALS=500 runs the number (docs/operations.md).
REQUESTS = int(os.environ.get("SWC_FAULTS_REFERRALS", "200"))
KILLS = 3
CLIENTS = 4
STALE_SECONDS = "3"
RETRY_DEADLINE = 90.0


def body_of(index: int) -> dict[str, str]:
    return {"first_name": f"Faultcase{index:04d}", "sex": "female"}


def test_referrals_sent_while_gunicorn_is_killed_exist_once_and_retries_complete_the_rest(
    processes: Processes,
) -> None:
    authority = LocalAuthorityFactory()
    secret = key_for(Role.REFERRER, authority.organisation).secret
    environment = {"SWC_IDEMPOTENCY_STALE_SECONDS": STALE_SECONDS}
    server: Server = processes.gunicorn(workers=2, **environment)
    serving = threading.Event()
    serving.set()
    lock = threading.Lock()
    created: dict[int, int] = {}  # request → referral id, from a 201
    unanswered: dict[int, str] = {}  # request → what happened instead
    cut_off = 0  # requests that lost their connection while the server was being killed

    def send(index: int, session: requests.Session) -> requests.Response:
        return session.post(
            f"{server.url}/api/v1/referrals/",
            json=body_of(index),
            headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": f"fault-{index}"},
            timeout=60,
        )

    def client(indices: list[int]) -> None:
        nonlocal cut_off
        with requests.Session() as session:
            for index in indices:
                serving.wait(timeout=180)
                try:
                    answer = send(index, session)
                except requests.ConnectionError:
                    with lock:
                        unanswered[index] = "no answer"
                        cut_off += 1
                    continue
                with lock:
                    if answer.status_code == 201:
                        created[index] = answer.json()["id"]
                    else:
                        unanswered[index] = str(answer.status_code)

    def supervisor() -> None:
        nonlocal server
        for kill in range(1, KILLS + 1):
            while len(created) + len(unanswered) < kill * REQUESTS // (KILLS + 1):
                time.sleep(0.01)
            serving.clear()
            server.process.sigkill()
            server = processes.gunicorn_restart(server)
            serving.set()

    began = time.monotonic()
    share = [list(range(n, REQUESTS, CLIENTS)) for n in range(CLIENTS)]
    with ThreadPoolExecutor(max_workers=CLIENTS + 1) as pool:
        killing = pool.submit(supervisor)
        list(pool.map(client, share))
        killing.result(timeout=10)
    first_pass = time.monotonic() - began

    assert len(created) + len(unanswered) == REQUESTS
    assert cut_off >= 1, "no kill caught a request in flight: the test proved nothing"
    # Every 201 is a referral, exactly once, holding what that request sent.
    stored = dict(
        Referral.objects.filter(local_authority=authority).values_list("pk", "first_name")
    )
    assert len(set(created.values())) == len(created)
    for index, referral_id in created.items():
        assert stored[referral_id] == body_of(index)["first_name"]

    # Every other request, sent again with its key, completes; none is done twice.
    deadline = time.monotonic() + RETRY_DEADLINE
    with requests.Session() as session:
        for index in sorted(unanswered):
            while True:
                answer = send(index, session)
                if answer.status_code == 201:
                    created[index] = answer.json()["id"]
                    break
                # A claim left by a killed worker: wait as Retry-After says, until it is stale.
                assert answer.status_code == 409, (answer.status_code, answer.text[:500])
                assert time.monotonic() < deadline, "a retry never completed"
                time.sleep(float(answer.headers.get("Retry-After", "1")))

    names = list(
        Referral.objects.filter(local_authority=authority).values_list("first_name", flat=True)
    )
    assert sorted(names) == sorted(body_of(i)["first_name"] for i in range(REQUESTS))
    assert len(set(created.values())) == REQUESTS
    print(
        f"web server killed {KILLS} times during {REQUESTS} referrals: "
        f"{REQUESTS - len(unanswered)} answered 201 at once, {len(unanswered)} not "
        f"({cut_off} cut off in flight); first pass {first_pass:.1f} s, "
        f"all complete after {time.monotonic() - began:.1f} s"
    )
