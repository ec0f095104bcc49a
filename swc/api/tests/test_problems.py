"""Bad input gets an RFC 9457 problem with a specific message, and changes nothing."""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"


@pytest.fixture
def client():
    la = LocalAuthorityFactory()
    return api_client(key_for(Role.REFERRER, la.organisation).secret)


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    return body


def test_malformed_json(client) -> None:
    body = problem_of(client.post(URL, '{"first_name": ', "application/json"), 400)
    assert body["detail"] == "The request body is not valid JSON."
    assert not Referral.objects.exists()


def test_a_body_that_is_not_an_object(client) -> None:
    body = problem_of(client.post(URL, "[1, 2]", "application/json"), 400)
    assert body["errors"][0]["field"] is None
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date_of_birth": "12/03/2011"}, "date_of_birth", "Date has wrong format"),
        ({"date_of_birth": "2011-02-30"}, "date_of_birth", "Date has wrong format"),
        ({"bed_needed_at": "tomorrow"}, "bed_needed_at", "Datetime has wrong format"),
        ({"max_distance_miles": "far"}, "max_distance_miles", "A valid integer is required"),
        (
            {"unaccompanied_asylum_seeking": "perhaps"},
            "unaccompanied_asylum_seeking",
            "valid boolean",
        ),
        ({"sex": "unknown"}, "sex", "not one of the allowed values"),
        ({"needs": "self_harm"}, "needs", "Expected a list"),
        ({"needs": ["flying"]}, "needs.0", "not one of the allowed values"),
        ({"need_descriptions": {"flying": "x"}}, "need_descriptions.flying", "not part of the API"),
        ({"social_worker_email": "not-an-email"}, "social_worker_email", "valid email"),
        ({"first_name": 12}, "first_name", "Expected a string but got a number"),
        ({"first_name": None}, "first_name", "may not be null"),
        ({"favourite_colour": "blue"}, "favourite_colour", "not part of the API"),
        ({"status": "placed"}, "status", "not part of the API"),
    ],
)
def test_wrong_types_bad_dates_and_unknown_fields(client, values, field, message) -> None:
    body = problem_of(client.post(URL, values, "application/json"), 400)
    assert [e["field"] for e in body["errors"]] == [field]
    assert message in body["errors"][0]["message"]
    assert not Referral.objects.exists()


def test_messages_never_repeat_the_value_sent(client) -> None:
    response = client.post(URL, {"sex": "Secretname"}, "application/json")
    assert "Secretname" not in response.content.decode()


@override_settings(SWC_API_MAX_BODY_BYTES=1000)
def test_an_oversize_body_is_413(client) -> None:
    body = problem_of(client.post(URL, {"legal_notes": "x" * 2000}, "application/json"), 413)
    assert "too large" in body["title"]
    assert not Referral.objects.exists()


def test_a_form_encoded_body_is_415(client) -> None:
    problem_of(client.post(URL, {"first_name": "A"}), 415)


def test_an_unknown_record_is_404(client) -> None:
    problem_of(client.get(f"{URL}987654/"), 404)
    problem_of(client.get("/api/v1/no-such-thing/"), 404)


@override_settings(SWC_API_RATE="3/min")
@time_machine.travel("2026-03-10 09:30:15+00:00", tick=False)
def test_too_many_requests_is_429_with_retry_after(client) -> None:
    cache.clear()
    for _ in range(3):
        assert client.get(URL).status_code == 200
    response = client.get(URL)
    body = problem_of(response, 429)
    assert int(response["Retry-After"]) >= 1
    assert body["title"] == "Too many requests"
    # Limits are per key: another organisation's key is unaffected.
    other = api_client(key_for(Role.REFERRER).secret)
    assert other.get(URL).status_code == 200
    cache.clear()
