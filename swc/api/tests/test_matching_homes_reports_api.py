"""Matches, responses, offers, placements, homes and reports through the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from swc.homes.models import RegisterDeclaration
from swc.homes.tests.factories import declaration_make, price_set
from swc.matching.models import Offer, OfferStatus, Placement
from swc.matching.services import shortlist_send
from swc.matching.tests.factories import free_bed, home_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def post(client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), "application/json")


@pytest.fixture
def scene():
    la = LocalAuthorityFactory(latitude=52.1, longitude=-1.4)
    home = home_make(beds=1)
    price_set(home, "7500.00")
    other_home = home_make(beds=1)
    referral = complete_referral(local_authority=la)
    unit_key = key_for(Role.COORDINATOR)
    return {
        "la": la,
        "home": home,
        "other_home": other_home,
        "referral": referral,
        "unit": api_client(unit_key.secret),
        "referrer": api_client(key_for(Role.REFERRER, la.organisation).secret),
        "home_client": api_client(key_for(Role.HOME_MANAGER, home.organisation).secret),
        "other_home_client": api_client(key_for(Role.HOME_MANAGER, other_home.organisation).secret),
        "analyst": api_client(key_for(Role.ANALYST).secret),
    }


def test_a_referral_goes_from_match_to_discharge_through_the_api(scene) -> None:
    referral, home = scene["referral"], scene["home"]
    url = f"/api/v1/referrals/{referral.pk}"
    assert scene["unit"].get(f"{url}/matches/").status_code == 404  # not run yet
    run = post(scene["unit"], f"{url}/matches/")
    assert run.status_code == 201
    assert {c["home_id"] for c in run.json()["candidates"]} == {home.pk, scene["other_home"].pk}
    assert scene["unit"].get(f"{url}/matches/").json()["id"] == run.json()["id"]
    # Matches are the unit's: an authority and a home are refused.
    assert scene["referrer"].get(f"{url}/matches/").status_code == 403
    assert scene["home_client"].get(f"{url}/matches/").status_code == 403

    coordinator = user_with_role(Role.COORDINATOR)
    from swc.matching.models import MatchRun

    shortlist_send(run=MatchRun.objects.get(), by=coordinator, home_ids=[home.pk])

    # A home not sent the referral cannot see or answer it.
    assert (
        post(scene["other_home_client"], f"{url}/responses/", {"kind": "decline"}).status_code
        == 404
    )
    bed = free_bed(home)
    response = post(
        scene["home_client"],
        f"{url}/responses/",
        {"kind": "accept", "vacancy_id": bed.pk, "available_from": TODAY.isoformat()},
    )
    assert response.status_code == 201, response.json()
    offers = scene["referrer"].get(f"{url}/offers/").json()
    assert len(offers) == 1
    assert offers[0]["weekly_price"] == 7500.0  # the authority sees the price of its offer
    assert scene["home_client"].get(f"{url}/offers/").json()[0]["weekly_price"] == 7500.0

    offer_id = offers[0]["id"]
    accepted = post(scene["referrer"], f"/api/v1/offers/{offer_id}/accept/")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == OfferStatus.ACCEPTED
    again = post(scene["referrer"], f"/api/v1/offers/{offer_id}/accept/")
    assert again.status_code in (409, 422)

    admitted = post(
        scene["unit"], f"/api/v1/offers/{offer_id}/admit/", {"admitted_on": TODAY.isoformat()}
    )
    assert admitted.status_code == 201, admitted.json()
    referral.refresh_from_db()
    assert referral.status == Status.PLACED
    placement_id = admitted.json()["id"]
    placements = scene["unit"].get("/api/v1/placements/").json()["results"]
    assert [p["id"] for p in placements] == [placement_id]
    assert scene["referrer"].get("/api/v1/placements/").status_code == 403
    discharged = post(
        scene["unit"],
        f"/api/v1/placements/{placement_id}/discharge/",
        {
            "discharged_on": TODAY.isoformat(),
            "discharge_reason": "order_ended",
            "discharge_destination": "family",
        },
    )
    assert discharged.status_code == 200, discharged.json()
    assert Placement.objects.get().discharged_on == TODAY


def test_an_offer_of_another_authority_is_404(scene) -> None:
    stranger = api_client(key_for(Role.REFERRER).secret)
    assert stranger.get(f"/api/v1/referrals/{scene['referral'].pk}/offers/").status_code == 404
    assert post(stranger, "/api/v1/offers/987654/accept/").status_code == 404
    assert not Offer.objects.exists()


def test_the_board_shows_prices_to_the_unit_only(scene) -> None:
    rows = {r["id"]: r for r in scene["unit"].get("/api/v1/homes/").json()}
    assert rows[scene["home"].pk]["weekly_price"] == 7500.0
    for who in ("referrer", "analyst", "other_home_client"):
        rows = scene[who].get("/api/v1/homes/").json()
        assert {r["weekly_price"] for r in rows} == {None}, who
    assert (
        scene["home_client"].get(f"/api/v1/homes/{scene['home'].pk}/").json()["weekly_price"]
        == 7500.0
    )
    assert (
        scene["referrer"].get(f"/api/v1/homes/{scene['home'].pk}/").json()["weekly_price"] is None
    )


def test_the_board_gives_an_authority_each_homes_distance_in_miles(scene) -> None:
    # The authority's centre is at 52.1 N 1.4 W, the homes at 52.0 N 1.5 W (the factory's):
    # 0.1 degree of latitude is 6.91 miles, 0.1 degree of longitude at 52 N is 4.25 miles,
    # so about 8.1 miles (13.1 km) as the crow flies; the board shows whole miles.
    rows = {r["id"]: r for r in scene["referrer"].get("/api/v1/homes/").json()}
    assert rows[scene["home"].pk]["distance_miles"] == 8
    assert rows[scene["home"].pk]["distance_km"] == pytest.approx(13.1, abs=0.1)
    # The unit is not anywhere in particular: no distance.
    unit_rows = scene["unit"].get("/api/v1/homes/").json()
    assert {(r["distance_miles"], r["distance_km"]) for r in unit_rows} == {(None, None)}


def test_a_home_declares_its_own_register_and_nobody_elses(scene) -> None:
    home, other = scene["home"], scene["other_home"]
    declaration_make(home, approved=8, staffed=6)
    figures = {
        "approved": 8,
        "staffed": 6,
        "youth_justice": 2,
        "occupied_welfare": 2,
        "occupied_youth_justice": 1,
    }
    ok = post(scene["home_client"], f"/api/v1/homes/{home.pk}/register/", figures)
    assert ok.status_code == 201, ok.json()
    refused = post(scene["home_client"], f"/api/v1/homes/{other.pk}/register/", figures)
    assert refused.status_code == 404
    impossible = post(
        scene["home_client"], f"/api/v1/homes/{home.pk}/register/", {**figures, "staffed": 9}
    )
    assert impossible.status_code == 422
    assert impossible.json()["errors"][0]["field"]
    assert post(scene["referrer"], f"/api/v1/homes/{home.pk}/register/", figures).status_code == 403
    assert RegisterDeclaration.objects.filter(home=other).count() == 0
    register = scene["home_client"].get(f"/api/v1/homes/{home.pk}/register/").json()
    assert register["declarations"][0]["staffed"] == 6


def test_analysts_get_suppressed_aggregates_and_no_records(scene) -> None:
    analyst = scene["analyst"]
    report = analyst.get("/api/v1/reports/returns/2026-02/")
    assert report.status_code == 200, report.json()
    assert report.json()["suppressed"] is True
    # The return carries its own two-hour KPI, children and daily figures, as the workbook does.
    assert report.json()["list_two_hours"][0][0] == (
        "From the last completion, elapsed time (the KPI)"
    )
    assert len(report.json()["children"]) == 2 and report.json()["daily"]
    assert scene["unit"].get("/api/v1/reports/returns/2026-02/").json()["suppressed"] is False
    # A month's referrals are given by region and for England, never by authority, even to
    # the unit (authorities are published for complete financial years only).
    march = scene["unit"].get("/api/v1/reports/returns/2026-03/").json()
    tables = {t["key"]: t for t in march["tables"]}
    assert "referrals_by_authority" not in tables
    assert tables["referrals_by_region"]["total"] == "1"  # the scene's referral
    assert scene["la"].name not in json.dumps(march)
    kpis = analyst.get("/api/v1/reports/kpis/", {"start": "2025-04-01", "end": "2026-03-09"})
    assert kpis.status_code == 200
    assert len(kpis.json()["indicators"]) == 7
    for indicator in kpis.json()["indicators"]:
        # Counts of children's referrals and of survey answers about them; sign-ups count
        # organisations and returns count months, which disclose no one.
        if indicator["code"] not in ("referrals", "list_two_hours", "satisfaction"):
            continue
        for part in ("numerator", "denominator"):
            assert indicator[part] is None or not 1 <= indicator[part] <= 5, indicator
    assert analyst.get("/api/v1/reports/returns/2026-13/").status_code == 404
    bad = analyst.get("/api/v1/reports/kpis/", {"start": "2026-03-01", "end": "2026-01-01"})
    assert bad.status_code == 422
    assert scene["referrer"].get("/api/v1/reports/kpis/").status_code == 403
    assert analyst.get(f"/api/v1/referrals/{scene['referral'].pk}/offers/").status_code == 403
