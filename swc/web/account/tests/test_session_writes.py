"""The session row is written when it changes or once a minute, and the idle limit still holds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 10, 25, 0, 50, tzinfo=dt.UTC)  # the night the clocks go back


def _at(seconds: float) -> time_machine.travel:
    return time_machine.travel(START + dt.timedelta(seconds=seconds), tick=False)


@pytest.fixture
def client(client_for) -> Client:
    with _at(0):
        signed_in = client_for(user_with_role(Role.COORDINATOR))
        assert signed_in.get(reverse("web:start")).status_code == 200
    return signed_in


def _expires(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_10_seconds_later_does_not_write_the_session_and_61_seconds_later_does(
    client,
) -> None:
    assert _expires(client) == START + dt.timedelta(minutes=30)
    with _at(10):
        assert client.get(reverse("referrals:list")).status_code == 200
    assert _expires(client) == START + dt.timedelta(minutes=30)
    with _at(61):
        assert client.get(reverse("referrals:list")).status_code == 200
    assert _expires(client) == START + dt.timedelta(minutes=30, seconds=61)


def test_30_idle_minutes_after_the_last_write_still_end_the_session(client) -> None:
    with _at(10):  # not written: the session still ends 30 minutes after the first request
        client.get(reverse("web:start"))
    with _at(30 * 60 - 1):
        assert client.get(reverse("web:start")).status_code == 200  # written: 30 more minutes
    with _at(60 * 60 - 2):
        assert client.get(reverse("web:start")).status_code == 200
    with _at(60 * 60 - 2 + 30 * 60 + 1):
        response = client.get(reverse("web:start"))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_stay_signed_in_writes_the_session_at_once(client) -> None:
    with _at(10):
        assert client.post(reverse("account:session-refresh")).status_code == 200
    assert _expires(client) == START + dt.timedelta(minutes=30, seconds=10)


def test_the_time_out_warning_counts_from_the_last_write(client) -> None:
    with _at(10):
        html = client.get(reverse("web:start")).content.decode()
    assert re.search(r'data-swc-timeout-seconds="(\d+)"', html).group(1) == "1790"  # type: ignore[union-attr]
    with _at(70):
        html = client.get(reverse("web:start")).content.decode()
    assert re.search(r'data-swc-timeout-seconds="(\d+)"', html).group(1) == "1800"  # type: ignore[union-attr]
