"""The match page at scale: best homes first a page at a time, excluded homes grouped by reason."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from swc.matching.services import match_run
from swc.matching.tests.factories import home_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.tests.factories import complete_referral

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator():  # type: ignore[no-untyped-def]
    return user_with_role(Role.COORDINATOR)


@pytest.fixture
def referral():  # type: ignore[no-untyped-def]
    return complete_referral(local_authority=LocalAuthorityFactory(latitude=52.1, longitude=-1.4))


def _homes(count: int, start: int, **fields: object) -> None:
    # Names sort in rank order: the same score everywhere, ties broken by name.
    for n in range(start, start + count):
        home_make(name=f"Home {n:03d}", latitude=52.1, longitude=-1.4, **fields)  # type: ignore[arg-type]


def _ranked_names(html: str) -> list[str]:
    return re.findall(r"<strong>\d+\. (Home \d+)</strong>", html)


def test_the_ranked_list_comes_25_homes_a_page(client_for, coordinator, referral) -> None:
    _homes(30, 1)
    match_run(referral=referral, by=coordinator)
    client = client_for(coordinator)
    url = f"/matching/referrals/{referral.pk}/"

    first = client.get(url).content.decode()
    assert _ranked_names(first) == [f"Home {n:03d}" for n in range(1, 26)]
    assert "homes 1 to 25 of 30, best first" in first
    assert "Page 1 of 2" in first and "page=2" in first

    second = client.get(url, {"page": 2}).content.decode()
    assert _ranked_names(second) == [f"Home {n:03d}" for n in range(26, 31)]
    assert "<strong>26. Home 026</strong>" in second
    # A page past the end shows the last page, not an error.
    assert _ranked_names(client.get(url, {"page": 9}).content.decode())[0] == "Home 026"


def test_excluded_homes_are_counted_by_reason_and_listed_in_full_on_request(
    client_for, coordinator, referral
) -> None:
    _homes(12, 1, beds=0)  # 12 without a bed
    _homes(1, 50, accepts="boys", beds=0)  # the referral's child is a girl: two reasons
    match_run(referral=referral, by=coordinator)
    client = client_for(coordinator)
    url = f"/matching/referrals/{referral.pk}/"

    text = client.get(url).content.decode()
    assert "No free welfare bed on the register: 13 homes" in text
    assert "Not registered for a child of this sex: 1 home" in text
    assert (
        "<strong>Home 050</strong>: No free welfare bed on the register; Registered for boys only"
        in text
    )
    # Ten names a group until every one is asked for.
    assert "Home 011" not in text and "Show all 13 homes left out for this reason" in text
    full = client.get(url, {"reason": "no_bed"}).content.decode()
    assert "<strong>Home 011</strong>" in full and "<strong>Home 012</strong>" in full


def test_the_match_page_costs_the_same_queries_for_5_homes_or_45(
    client_for, coordinator, referral
) -> None:
    client = client_for(coordinator)
    url = f"/matching/referrals/{referral.pk}/"

    def queries() -> int:
        match_run(referral=referral, by=coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _homes(3, 1)
    _homes(2, 10, beds=0)
    queries()  # the first request writes the new session; later ones within a minute do not
    few = queries()
    _homes(30, 100)
    _homes(10, 200, beds=0)
    assert queries() == few
