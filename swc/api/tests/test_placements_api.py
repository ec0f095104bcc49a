"""``/api/v1/placements/`` is paged like every other list (issue 14, item 7).

It was a bare list cut at 200 rows, and ``?page=2`` returned the same 200.
"""

from __future__ import annotations

import datetime as dt

import pytest

from swc.homes.tests.factories import SecureHomeFactory
from swc.matching.models import HomeResponse, Offer, OfferStatus, Placement
from swc.organisations.models import Role
from swc.referrals.tests.factories import complete_referral

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/placements/"


def placed(home, admitted_on: dt.date, discharged_on: dt.date | None = None) -> Placement:
    referral = complete_referral()
    at = dt.datetime.combine(admitted_on, dt.time(9), tzinfo=dt.UTC)
    response = HomeResponse.objects.create(
        referral=referral, home=home, kind="accept", recorded_at=at
    )
    offer = Offer.objects.create(
        referral=referral,
        home=home,
        response=response,
        available_from=admitted_on,
        status=OfferStatus.ACCEPTED,
    )
    return Placement.objects.create(
        referral=referral,
        offer=offer,
        home=home,
        admitted_on=admitted_on,
        discharged_on=discharged_on,
    )


def test_every_placement_is_reached_a_page_at_a_time() -> None:
    home = SecureHomeFactory()
    day = dt.date(2026, 1, 1)
    # Current placements first, newest admission first; then those that ended.
    ended = placed(home, day, discharged_on=day + dt.timedelta(days=3))
    a = placed(home, day + dt.timedelta(days=1))
    b = placed(home, day + dt.timedelta(days=2))
    c = placed(home, day + dt.timedelta(days=3))
    d = placed(home, day + dt.timedelta(days=4))
    client = api_client(key_for(Role.COORDINATOR).secret)
    pages = [client.get(URL, {"page_size": 2, "page": n}).json() for n in (1, 2, 3)]
    assert [page["count"] for page in pages] == [5, 5, 5]
    assert [[row["id"] for row in page["results"]] for page in pages] == [
        [d.pk, c.pk],
        [b.pk, a.pk],
        [ended.pk],
    ]
    assert pages[0]["next"].endswith("page=2&page_size=2")
    assert pages[2]["next"] is None


def test_a_page_past_the_end_is_a_problem() -> None:
    client = api_client(key_for(Role.COORDINATOR).secret)
    response = client.get(URL, {"page": 2})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "query", [{"page": "0"}, {"page_size": "201"}, {"page_size": "null"}, {"sort": "id"}]
)
def test_bad_paging_is_a_400_naming_the_parameter(query) -> None:
    client = api_client(key_for(Role.COORDINATOR).secret)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == list(query)
