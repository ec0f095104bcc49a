"""The search page: who may use it, what it shows, what it records, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from swc.audit.models import AuditAction, AuditEvent
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.referrals.models import ReferralShare
from swc.referrals.tests.factories import complete_referral

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
URL = reverse("referrals:search")


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    la_a = LocalAuthorityFactory(name="Synthshire")
    la_b = LocalAuthorityFactory(name="Otherton")
    mine = complete_referral(
        local_authority=la_a,
        first_name="Sam",
        last_name="Patel",
        date_of_birth=dt.date(2011, 3, 27),
    )
    theirs = complete_referral(
        local_authority=la_b, first_name="Sam", last_name="Patel", date_of_birth=dt.date(2012, 5, 4)
    )
    home = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    ReferralShare.objects.create(referral=mine, home_organisation=home, shared_at=NOW)
    return {
        "mine": mine,
        "theirs": theirs,
        "la_b": la_b,
        "referrer": user_with_role(Role.REFERRER, la_a.organisation),
        "coordinator": user_with_role(Role.COORDINATOR),
        "home": user_with_role(Role.HOME_MANAGER, home),
    }


def dob(day: dt.date) -> dict[str, str]:
    return {
        "date_of_birth_day": str(day.day),
        "date_of_birth_month": str(day.month),
        "date_of_birth_year": str(day.year),
    }


def test_the_unit_tells_two_children_of_one_name_apart(client_for, world) -> None:
    page = client_for(world["coordinator"]).get(URL, {"text": "sam patel"}).content.decode()
    assert "2 referrals found" in page
    assert page.count("S.P.") == 2
    assert "27 March 2011" in page and "4 May 2012" in page
    assert "Synthshire" in page and "Otherton" in page
    # initials and date of birth, never the name, in a list of results
    assert "Patel" not in page.split('id="results"')[1]


def test_initials_and_date_of_birth_find_one_child(client_for, world) -> None:
    client = client_for(world["coordinator"])
    page = client.get(URL, {"text": "S P", **dob(dt.date(2012, 5, 4))}).content.decode()
    assert "1 referral found" in page
    assert world["theirs"].reference in page
    assert world["mine"].reference not in page


def test_a_referrer_never_finds_another_authoritys_child(client_for, world) -> None:
    client = client_for(world["referrer"])
    page = client.get(URL, {"text": "sam patel"}).content.decode()
    assert "1 referral found" in page
    assert world["mine"].reference in page
    assert world["theirs"].reference not in page
    # no authority box for someone who sees one authority
    assert 'name="local_authority"' not in page
    page = client.get(URL, {"text": world["theirs"].reference}).content.decode()
    assert "No referrals match" in page


def test_the_unit_may_choose_an_authority(client_for, world) -> None:
    client = client_for(world["coordinator"])
    page = client.get(URL, {"local_authority": world["la_b"].pk}).content.decode()
    assert "1 referral found" in page and world["theirs"].reference in page


@pytest.mark.parametrize("role", [Role.HOME_MANAGER, Role.ANALYST, Role.ADMIN])
def test_others_get_not_found(client_for, world, role) -> None:
    user = world["home"] if role == Role.HOME_MANAGER else user_with_role(role)
    assert client_for(user).get(URL, {"text": "patel"}).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED).exists()


def test_each_search_is_audited_without_the_childs_name(client_for, world) -> None:
    client = client_for(world["coordinator"])
    client.get(URL, {"text": "Sam Patel", **dob(dt.date(2011, 3, 27)), "status": "complete"})
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_id="search")
    assert event.detail == {
        "page": "search",
        "criteria": {"name_words": 2, "date_of_birth": "given", "status": "complete"},
        "referral_ids": [world["mine"].pk],
    }
    assert "Patel" not in str(event.detail) and "2011" not in str(event.detail)


def test_an_empty_form_searches_nothing_and_an_empty_search_says_so(client_for, world) -> None:
    client = client_for(world["coordinator"])
    page = client.get(URL).content.decode()
    assert "There is a problem" not in page and 'id="results"' not in page
    page = client.get(URL, {"text": ""}).content.decode()
    assert "Enter at least one thing to search for" in page
    assert not AuditEvent.objects.filter(object_id="search").exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {
                "started_from_day": "9",
                "started_from_month": "3",
                "started_from_year": "2026",
                "started_to_day": "1",
                "started_to_month": "3",
                "started_to_year": "2026",
            },
            "The first date must be the same as or before the second date",
        ),
        (
            {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "2012"},
            "Child&#x27;s date of birth must be a real date",
        ),
        (
            {"started_from_day": "1", "started_from_year": "2026"},
            "Referral started on or after must include a month",
        ),
        ({"status": "lost"}, "Choose a status from the list"),
        ({"local_authority": "99999999"}, "Choose a local authority from the list"),
        ({"text": "x" * 201}, "must be 200 characters or fewer"),
    ],
)
def test_bad_input_is_a_clear_error_on_the_form(client_for, world, params, message) -> None:
    response = client_for(world["coordinator"]).get(URL, params)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert 'id="results"' not in page
    # The title says "Error:" once (the base page adds it for every form with errors).
    assert "<title>Error: Search referrals – " in page


def test_results_are_paged(client_for, world) -> None:
    la = world["mine"].local_authority
    for _ in range(26):
        complete_referral(local_authority=la, first_name="Pat", last_name="Many")
    client = client_for(world["referrer"])
    page = client.get(URL, {"text": "many"}).content.decode()
    assert "26 referrals found, showing 1 to 25" in page
    page = client.get(URL, {"text": "many", "page": "2"}).content.decode()
    assert "showing 26 to 26" in page


def test_search_is_in_the_navigation_of_those_who_may_search(client_for, world) -> None:
    assert 'href="/referrals/search/"' in client_for(world["referrer"]).get("/").content.decode()
    assert 'href="/referrals/search/"' in client_for(world["coordinator"]).get("/").content.decode()
    assert 'href="/referrals/search/"' not in client_for(world["home"]).get("/").content.decode()
