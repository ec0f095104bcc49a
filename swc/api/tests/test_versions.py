"""A version being retired says so on every response, then answers 410 from its sunset date."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from swc.api.apps import api_retirements_check
from swc.api.versions import _months_after, retirements_parse
from swc.organisations.models import Role

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
V1_RETIRING = {"v1": {"deprecated": "2027-06-01", "sunset": "2028-06-01", "successor": "/api/v2/"}}


def test_a_version_not_being_retired_carries_no_deprecation_headers() -> None:
    response = api_client(key_for(Role.REFERRER).secret).get(ME)
    assert response.status_code == 200
    assert "Deprecation" not in response and "Sunset" not in response


def test_a_version_being_retired_announces_it_on_every_response(settings) -> None:
    settings.SWC_API_DEPRECATIONS = V1_RETIRING
    client = api_client(key_for(Role.REFERRER).secret)
    with time_machine.travel("2027-01-10 09:00:00+00:00", tick=False):
        ok = client.get(ME)
        missing = client.get("/api/v1/referrals/999999/")
    for response in (ok, missing):
        # 1 June 2027 00:00 UTC is 1,811,808,000 seconds after the epoch (20,970 days).
        assert response["Deprecation"] == "@1811808000"
        assert response["Sunset"] == "Thu, 01 Jun 2028 00:00:00 GMT"
        assert '</api/v2/>; rel="successor-version"' in response["Link"]
        assert 'rel="deprecation"' in response["Link"]
    assert ok.status_code == 200
    assert missing.status_code == 404


def test_from_its_sunset_a_retired_version_answers_410_saying_what_replaced_it(settings) -> None:
    settings.SWC_API_DEPRECATIONS = V1_RETIRING
    client = api_client(key_for(Role.REFERRER).secret)
    with time_machine.travel("2028-05-31 22:00:00+00:00", tick=False):
        assert client.get(ME).status_code == 200  # the last day (23:00 in London)
    with time_machine.travel("2028-06-01 09:00:00+00:00", tick=False):
        response = client.get(ME)
    assert response.status_code == 410
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["detail"] == "v1 of the API was retired on 1 June 2028: use /api/v2/"
    assert body["type"].endswith("/version-retired")
    assert response["Sunset"] == "Thu, 01 Jun 2028 00:00:00 GMT"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"v1": {"deprecated": "2027-06-01", "sunset": "2028-05-31", "successor": "/api/v2/"}},
            "the sunset must be on or after 2028-06-01, 12 months after deprecation",
        ),
        ({"v1": {"deprecated": "2027-06-01", "successor": "/api/v2/"}}, "needs 'deprecated'"),
        (
            {"v1": {"deprecated": "1 June", "sunset": "2028-06-01", "successor": "/api/v2/"}},
            "needs 'deprecated'",
        ),
        ({"one": {}}, "'one' is not a version"),
    ],
)
def test_a_retirement_that_breaks_the_policy_is_refused_at_start(settings, raw, message) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        retirements_parse(raw)
    settings.SWC_API_DEPRECATIONS = raw
    errors = api_retirements_check()
    assert [e.id for e in errors] == ["swc.api.E001"]
    assert message in errors[0].msg


def test_the_configured_retirements_pass_the_start_up_check(settings) -> None:
    settings.SWC_API_DEPRECATIONS = V1_RETIRING
    assert api_retirements_check() == []


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2027, 6, 1), 12, dt.date(2028, 6, 1)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # a leap year's February
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2026, 11, 15), 2, dt.date(2027, 1, 15)),
    ],
)
def test_months_after_keeps_the_day_or_the_month_end(day, months, expected) -> None:
    assert _months_after(day, months) == expected


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)), st.integers(0, 60))
def test_months_after_is_never_early_and_never_a_month_late(day, months) -> None:
    later = _months_after(day, months)
    assert (later.year - day.year) * 12 + later.month - day.month == months
    assert later.day <= day.day
