"""The same Idempotency-Key creates one object and one response, even at the same instant."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from swc.api.models import IdempotencyRecord, IdempotencyState
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral

from .factories import api_client, key_for

URL = "/api/v1/referrals/"


def referrer_secret() -> str:
    return key_for(Role.REFERRER, LocalAuthorityFactory().organisation).secret


@pytest.mark.django_db
def test_a_repeated_key_returns_the_first_response_and_creates_nothing() -> None:
    client = api_client(referrer_secret())
    first = client.post(URL, {"first_name": "A"}, "application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, {"first_name": "A"}, "application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1
    other = client.post(URL, {"first_name": "A"}, "application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 201
    assert Referral.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_for_a_different_body_is_422() -> None:
    client = api_client(referrer_secret())
    client.post(URL, {"first_name": "A"}, "application/json", HTTP_IDEMPOTENCY_KEY="k")
    response = client.post(URL, {"first_name": "B"}, "application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_private_to_each_caller() -> None:
    one, two = api_client(referrer_secret()), api_client(referrer_secret())
    for client in (one, two):
        response = client.post(URL, {}, "application/json", HTTP_IDEMPOTENCY_KEY="shared")
        assert response.status_code == 201
    assert Referral.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_does_not_use_up_its_key() -> None:
    client = api_client(referrer_secret())
    bad = client.post(URL, {"sex": "x"}, "application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    good = client.post(URL, {"sex": "female"}, "application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert good.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "with space", "caf\u00e9"])
def test_a_malformed_key_is_400(key: str) -> None:
    client = api_client(referrer_secret())
    response = client.post(URL, {}, "application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert not Referral.objects.exists()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_identical_requests_at_the_same_instant_create_one_referral() -> None:
    secret = referrer_secret()
    racers = 6
    barrier = threading.Barrier(racers)
    responses: list = []
    errors: list[BaseException] = []

    def race() -> None:
        try:
            client = api_client(secret)
            barrier.wait()
            responses.append(
                client.post(
                    URL, {"first_name": "Race"}, "application/json", HTTP_IDEMPOTENCY_KEY="same"
                )
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Referral.objects.count() == 1
    statuses = sorted(r.status_code for r in responses)
    created = [r for r in responses if r.status_code == 201]
    # Every request either replays the one response or is told to retry (409).
    assert set(statuses) <= {201, 409}
    assert len({r.json()["id"] for r in created}) == 1
    record = IdempotencyRecord.objects.get()
    assert record.state == IdempotencyState.DONE


@pytest.mark.django_db
def test_a_claim_left_by_a_request_that_died_is_taken_over_after_a_while() -> None:
    import datetime as dt

    import time_machine

    from swc.api.idempotency import STALE_AFTER, idempotency_records_purge

    secret = referrer_secret()
    client = api_client(secret)
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.post(URL, {}, "application/json", HTTP_IDEMPOTENCY_KEY="died")
        # Pretend the first request died mid-work: its claim is still "in progress".
        IdempotencyRecord.objects.update(
            state=IdempotencyState.IN_PROGRESS, response_status=None, response_body=None
        )
    with time_machine.travel(start + STALE_AFTER + dt.timedelta(seconds=1), tick=False):
        retry = client.post(URL, {}, "application/json", HTTP_IDEMPOTENCY_KEY="died")
    assert retry.status_code == 201
    assert IdempotencyRecord.objects.get().state == IdempotencyState.DONE
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        assert idempotency_records_purge() == 1
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_the_purge_command_reports_what_it_removed() -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("purge_idempotency_records", stdout=out)
    assert "Removed 0 idempotency records." in out.getvalue()
