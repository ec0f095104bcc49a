"""Searching referrals through the API's list: the pages' one selector, the same rules."""

from __future__ import annotations

import datetime as dt

import pytest

from swc.audit.models import AuditAction, AuditEvent
from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral, ReferralShare
from swc.referrals.tests.factories import complete_referral

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    la_a = LocalAuthorityFactory(dfe_la_code="851")
    la_b = LocalAuthorityFactory(dfe_la_code="852")
    mine = complete_referral(
        local_authority=la_a,
        first_name="Sam",
        last_name="Patel",
        date_of_birth=dt.date(2011, 3, 27),
    )
    theirs = complete_referral(
        local_authority=la_b, first_name="Sam", last_name="Patel", date_of_birth=dt.date(2012, 5, 4)
    )
    other = complete_referral(local_authority=la_b, first_name="Jo", last_name="Lowe")
    return {"la_a": la_a, "mine": mine, "theirs": theirs, "other": other}


def ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.json()
    return sorted(row["id"] for row in response.json()["results"])


def test_the_unit_searches_by_name_date_of_birth_and_authority(world) -> None:
    client = api_client(key_for(Role.COORDINATOR).secret)
    mine, theirs = world["mine"].pk, world["theirs"].pk
    assert ids(client.get(URL, {"q": "sam PATEL"})) == sorted([mine, theirs])
    assert ids(client.get(URL, {"q": "s p", "date_of_birth": "2012-05-04"})) == [theirs]
    assert ids(client.get(URL, {"q": "patel", "local_authority": "851"})) == [mine]
    assert ids(client.get(URL, {"q": world["other"].reference})) == [world["other"].pk]


def test_a_referrer_never_finds_another_authoritys_child(world) -> None:
    client = api_client(key_for(Role.REFERRER, world["la_a"].organisation).secret)
    assert ids(client.get(URL, {"q": "patel"})) == [world["mine"].pk]
    assert ids(client.get(URL, {"local_authority": "852"})) == []
    assert ids(client.get(URL, {"q": world["theirs"].reference})) == []


def test_a_home_may_not_search_by_child(world) -> None:
    home = SecureHomeFactory()
    ReferralShare.objects.create(
        referral=world["mine"],
        home_organisation=home.organisation,
        shared_at=world["mine"].created_at,
    )
    client = api_client(key_for(Role.HOME_MANAGER, home.organisation).secret)
    assert ids(client.get(URL)) == [world["mine"].pk]
    for params in ({"q": "patel"}, {"date_of_birth": "2011-03-27"}, {"local_authority": "851"}):
        response = client.get(URL, params)
        assert response.status_code == 403, params
        assert response["Content-Type"] == "application/problem+json"


def test_a_search_is_audited_without_the_name(world) -> None:
    client = api_client(key_for(Role.COORDINATOR).secret)
    client.get(URL, {"q": "Sam Patel", "local_authority": "852"})
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_id="search")
    assert event.detail == {
        "page": "api:search",
        "criteria": {"name_words": 2, "local_authority_id": world["theirs"].local_authority_id},
        "referral_ids": [world["theirs"].pk],
    }


@pytest.mark.parametrize(
    ("params", "field", "status"),
    [
        # malformed: 400
        ({"date_of_birth": "2012-02-30"}, "date_of_birth", 400),
        ({"q": "x" * 201}, "q", 400),
        ({"status": "lost"}, "status", 400),
        # well-formed but meaningless: 422 (docs/api.md, "Errors")
        ({"created_from": "2026-03-09", "created_to": "2026-03-01"}, "created_to", 422),
        ({"local_authority": "85"}, "local_authority", 422),
        ({"local_authority": "999"}, "local_authority", 422),
    ],
)
def test_bad_search_input_is_problem_details_naming_the_parameter(
    world, params, field, status
) -> None:
    client = api_client(key_for(Role.COORDINATOR).secret)
    response = client.get(URL, params)
    assert response.status_code == status, response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


# --- who in the unit has picked a referral up --------------------------------------------


def _post(client, url: str, body: dict | None = None):  # type: ignore[no-untyped-def]
    import json

    return client.post(url, json.dumps(body or {}), "application/json")


def test_the_unit_takes_and_hands_over_and_sees_who_has_it(world) -> None:
    from swc.organisations.tests.factories import OrganisationFactory, user_with_role

    unit = OrganisationFactory(name="The unit")
    alex = user_with_role(Role.COORDINATOR, unit, full_name="Alex Lee", email="alex@example.test")
    sam = user_with_role(Role.COORDINATOR, unit, full_name="Sam Patel", email="sam@example.test")
    sams_system = api_client(key_for(Role.COORDINATOR, unit).secret)
    referral = world["mine"]
    url = f"{URL}{referral.pk}/"
    assert sams_system.get(url).json()["assigned_to"] is None

    response = _post(sams_system, f"{url}hand-over/", {"to": "ALEX@example.test"})
    assert response.status_code == 200, response.json()
    assert response.json()["assigned_to"] == {"name": "Alex Lee", "email": "alex@example.test"}
    # stale: it was Alex's, not nobody's
    stale = _post(sams_system, f"{url}hand-over/", {"to": "sam@example.test", "expected": None})
    assert stale.status_code == 409
    assert stale.json()["detail"] == "Alex Lee has already picked up this referral"
    moved = _post(
        sams_system, f"{url}hand-over/", {"to": "sam@example.test", "expected": "alex@example.test"}
    )
    assert moved.json()["assigned_to"]["name"] == "Sam Patel"
    assert Referral.objects.get(pk=referral.pk).assigned_to == sam != alex

    # the authority sees neither who has it nor the actions
    authority = api_client(key_for(Role.REFERRER, world["la_a"].organisation).secret)
    body = authority.get(url).json()
    assert "assigned_to" not in body and "assigned_at" not in body
    refused = _post(authority, f"{url}hand-over/", {"to": "sam@example.test"})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"to": "nobody@example.test"}, 422, "to"),
        ({"to": "not an email"}, 400, "to"),
        ({}, 400, "to"),
        ({"to": "sam@example.test", "colour": "blue"}, 400, "colour"),
    ],
)
def test_a_bad_hand_over_is_problem_details(world, body, status, field) -> None:
    from swc.organisations.tests.factories import OrganisationFactory, user_with_role

    unit = OrganisationFactory(name="The unit")
    user_with_role(Role.COORDINATOR, unit, email="sam@example.test")
    client = api_client(key_for(Role.COORDINATOR, unit).secret)
    response = _post(client, f"{URL}{world['mine'].pk}/hand-over/", body)
    assert response.status_code == status, response.json()
    assert [e["field"] for e in response.json()["errors"]] == [field]
