"""The database stops storing anything: every write fails with a clear 503 and nothing is half-written.

Without root a test cannot fill a disk or remount it read-only, so it makes
the database refuse writes the way the database itself does: on SQLite each
connection of the server is opened ``query_only`` (SQLite answers "attempt to
write a readonly database", as for a read-only file or disk); on PostgreSQL
each session has ``default_transaction_read_only`` (the server answers
SQLSTATE 25006, as a standby does). A full disk (SQLite's SQLITE_FULL,
PostgreSQL's 53100) is answered by the same code path
(``swc.core.errors.database_refuses_writes``, tested with both errors in
swc/core/tests). The server is real gunicorn; the writes are a referral by
the API with an Idempotency-Key, and a referral started on a page.
"""

from __future__ import annotations

import secrets

import pytest
import requests
from django.db import connection

from swc.api.models import IdempotencyRecord
from swc.api.tests.factories import key_for
from swc.audit.models import AuditEvent
from swc.core.errors import WRITES_REFUSED_DETAIL
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral

from .processes import Processes, on_postgresql


def test_a_read_only_database_refuses_each_write_with_a_503_and_writes_nothing(
    processes: Processes, client_for
) -> None:
    authority = LocalAuthorityFactory()
    secret = key_for(Role.REFERRER, authority.organisation).secret
    referrer = user_with_role(Role.REFERRER, authority.organisation)
    session_id = client_for(referrer).cookies["sessionid"].value
    before = (Referral.objects.count(), AuditEvent.objects.count())

    server = processes.gunicorn(workers=1, SWC_FAULTS_READ_ONLY="1")
    api = requests.post(
        f"{server.url}/api/v1/referrals/",
        json={"first_name": "Faultcase", "sex": "female"},
        headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "read-only-1"},
        timeout=60,
    )
    assert api.status_code == 503, api.text[:2000]
    assert api.headers["Content-Type"] == "application/problem+json"
    assert api.headers["Retry-After"] == "30"
    assert api.json()["detail"] == WRITES_REFUSED_DETAIL

    csrf = secrets.token_hex(16)
    browser = requests.Session()
    browser.cookies.set("sessionid", session_id)
    browser.cookies.set("csrftoken", csrf)
    page = browser.post(
        f"{server.url}/referrals/new/",
        headers={"X-CSRFToken": csrf, "Referer": f"{server.url}/referrals/"},
        allow_redirects=False,
        timeout=60,
    )
    assert page.status_code == 503, page.text[:2000]
    assert page.headers["Retry-After"] == "30"
    assert "The service cannot save changes at the moment." in page.text
    assert "Nothing was changed by what you just did." in page.text
    assert "Traceback" not in page.text and "readonly" not in page.text

    # Nothing at all was stored: no referral, no audit event, no claimed key.
    assert (Referral.objects.count(), AuditEvent.objects.count()) == before
    assert not IdempotencyRecord.objects.exists()

    # Writable again (the server restarted without the fault): the same key completes once.
    server.process.sigkill()
    server = processes.gunicorn(workers=1)
    again = requests.post(
        f"{server.url}/api/v1/referrals/",
        json={"first_name": "Faultcase", "sex": "female"},
        headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": "read-only-1"},
        timeout=60,
    )
    assert again.status_code == 201, again.text[:2000]
    assert list(
        Referral.objects.filter(local_authority=authority).values_list("first_name", flat=True)
    ) == ["Faultcase"]


def test_a_full_disk_mid_stream_leaves_each_referral_whole_or_absent(processes: Processes) -> None:
    """SQLite only: the file may not grow (``max_page_count``), so writes fail part-way through.

    Some requests still fit in the pages the file has; the first that needs a
    new page fails — possibly after its first rows fitted — and every later one
    too. Each referral is then either answered 201 and stored whole (with its
    audit event and its stored answer for the key), or answered 503 and absent.
    PostgreSQL cannot be made to run out of disk without root; its disk_full
    error takes the same path (swc/core/tests/test_database_errors.py).
    """
    if on_postgresql():
        pytest.skip("A full disk is made with SQLite's max_page_count; see the docstring")
    authority = LocalAuthorityFactory()
    secret = key_for(Role.REFERRER, authority.organisation).secret
    with connection.cursor() as cursor:
        # Earlier tests' rows were deleted, leaving free pages that new rows would fill
        # first: compact the file, so that it is full once it may not grow.
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
    # A little room: the first few referrals fit, then the disk is full.
    server = processes.gunicorn(workers=1, SWC_FAULTS_MAX_PAGES=str(pages + 3))
    answers: dict[str, int] = {}
    with requests.Session() as session:
        for index in range(40):
            answer = session.post(
                f"{server.url}/api/v1/referrals/",
                json={"first_name": f"Faultcase{index:04d}", "sex": "female"},
                headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": f"full-{index}"},
                timeout=60,
            )
            answers[f"Faultcase{index:04d}"] = answer.status_code
            if answer.status_code == 503:
                assert answer.json()["detail"] == WRITES_REFUSED_DETAIL
            else:
                assert answer.status_code == 201, answer.text[:2000]

    stored = Referral.objects.filter(local_authority=authority)
    assert sorted(stored.values_list("first_name", flat=True)) == sorted(
        name for name, status in answers.items() if status == 201
    )
    refused = [name for name, status in answers.items() if status == 503]
    assert refused, "the disk never filled: the test proved nothing"
    for referral in stored:  # whole: its creation audited, its answer kept for its key
        assert AuditEvent.objects.filter(
            object_type="referrals.referral", object_id=str(referral.pk), action="create"
        ).exists()
    assert IdempotencyRecord.objects.filter(state="done").count() == stored.count()
    assert not IdempotencyRecord.objects.exclude(state="done").exists()
    print(f"disk full: {stored.count()} referrals stored whole, {len(refused)} refused with 503")
