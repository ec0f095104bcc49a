"""PostgreSQL is stopped for ten seconds under load, then started: the service recovers by itself.

PostgreSQL only: the test makes a cluster of its own (``PostgresCluster``,
a copy of pytest's test database) so that it may stop it. gunicorn and a task
worker run against it while a system reads and creates referrals through the
API. While the database is down every request is answered 503 with
Retry-After (never a 500), and ``/healthz`` says the database is unreachable;
once it is back, requests succeed again, with the very same gunicorn workers
and task worker — nobody restarted anything — and the referrals the system
created while it was down, retried with their keys, exist once each.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection

from swc.api.tests.factories import key_for
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory

from .processes import PostgresCluster, Processes, database_handover, on_postgresql

DOWN_SECONDS = float(os.environ.get("SWC_FAULTS_DATABASE_DOWN_SECONDS", "10"))
RECOVERY_DEADLINE = 60.0


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    if not on_postgresql():
        pytest.skip("Stopping the database is a PostgreSQL fault (SQLite is a file, not a server)")
    # Not under tmp_path: pytest's directories are private to root, the cluster's user is not.
    made = PostgresCluster(Path(tempfile.mkdtemp(prefix="swc-faults-pg-")))
    made.init()
    yield made
    made.remove()


def test_the_service_answers_503_while_postgresql_is_down_and_recovers_by_itself(
    processes: Processes, cluster: PostgresCluster
) -> None:
    authority = LocalAuthorityFactory()
    secret = key_for(Role.REFERRER, authority.organisation).secret
    cluster.copy_from(connection.settings_dict)
    processes.database = database_handover(cluster.settings_dict())
    server = processes.gunicorn(workers=2)
    worker = processes.worker("--retry-seconds=1")
    workers_before = server.process.children()
    headers = {"Authorization": f"Bearer {secret}"}
    statuses: Counter[str] = Counter()

    def call(session: requests.Session, index: int) -> requests.Response:
        if index % 2:
            return session.get(f"{server.url}/api/v1/referrals/", headers=headers, timeout=30)
        return session.post(
            f"{server.url}/api/v1/referrals/",
            json={"first_name": f"Faultcase{index:04d}", "sex": "female"},
            headers={**headers, "Idempotency-Key": f"restart-{index}"},
            timeout=30,
        )

    index = 0
    unanswered: list[int] = []
    with requests.Session() as session:
        for _ in range(4):  # the service works before the fault
            assert call(session, index).status_code in (200, 201)
            index += 1
        cluster.stop()
        stopped = time.monotonic()
        health = requests.get(f"{server.url}/healthz", timeout=30)
        while time.monotonic() - stopped < DOWN_SECONDS:
            answer = call(session, index)
            statuses[str(answer.status_code)] += 1
            assert answer.status_code == 503, answer.text[:1000]
            assert answer.headers["Retry-After"] == "30"
            assert answer.headers["Content-Type"] == "application/problem+json"
            if index % 2 == 0:
                unanswered.append(index)
            index += 1
            time.sleep(0.2)
        cluster.start()
        restarted = time.monotonic()
        while True:
            answer = call(session, index)
            index += 1
            if answer.status_code in (200, 201):
                break
            assert answer.status_code == 503, answer.text[:1000]
            assert time.monotonic() - restarted < RECOVERY_DEADLINE, "the service did not recover"
            time.sleep(0.2)
        recovery = time.monotonic() - restarted
        for _ in range(6):  # and keeps working, on every worker
            assert call(session, index).status_code in (200, 201)
            index += 1
        for earlier in unanswered:  # what was refused, sent again, is done once
            assert call(session, earlier).status_code == 201

    assert health.status_code == 503
    assert health.json() == {"status": "unavailable", "database": "unreachable"}
    assert requests.get(f"{server.url}/healthz", timeout=30).json()["database"] == "ok"
    assert server.process.alive() and server.process.children() == workers_before
    assert worker.alive()  # run_worker waited for the database and started again itself
    assert "database unavailable" in worker.output()
    with psycopg.connect(
        host="127.0.0.1", port=cluster.port, user="swc", dbname="swc", autocommit=True
    ) as check:
        names = [
            row[0]
            for row in check.execute(
                "SELECT first_name FROM referrals_referral WHERE first_name LIKE 'Faultcase%%'"
            )
        ]
    assert len(names) == len(set(names))
    assert {f"Faultcase{i:04d}" for i in unanswered} <= set(names)
    print(
        f"database down {DOWN_SECONDS:g} s: {statuses['503']} requests answered 503 with "
        f"Retry-After, none 500; served again {recovery:.1f} s after it started, by the same "
        f"{len(workers_before)} gunicorn workers and task worker"
    )
