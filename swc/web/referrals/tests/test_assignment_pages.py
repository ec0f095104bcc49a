"""The triage queue's "Assigned to" and "List due", and the Take and Hand over actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from swc.organisations.models import Role
from swc.organisations.tests.factories import OrganisationFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import complete_referral

pytestmark = pytest.mark.django_db
UTC = dt.UTC
TUESDAY = dt.datetime(2026, 11, 10, 11, 0, tzinfo=UTC)
TRIAGE = reverse("referrals:triage")


@pytest.fixture(autouse=True)
def _a_tuesday():  # type: ignore[no-untyped-def]
    with time_machine.travel(TUESDAY, tick=False):
        yield


@pytest.fixture
def unit():  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="The unit")
    return {
        "sam": user_with_role(Role.COORDINATOR, organisation, full_name="Sam Patel"),
        "alex": user_with_role(Role.COORDINATOR, organisation, full_name="Alex Lee"),
    }


@pytest.fixture
def referral():  # type: ignore[no-untyped-def]
    return complete_referral(completed_at=dt.datetime(2026, 11, 10, 10, 35, tzinfo=UTC))


def test_the_queue_says_nobody_has_it_and_when_the_list_is_due(client_for, unit, referral) -> None:
    page = client_for(unit["sam"]).get(TRIAGE).content.decode()
    assert "Not assigned" in page
    assert "List due 12:35 today" in page
    assert reverse("referrals:take", args=[referral.pk]) in page


def test_a_coordinator_takes_a_referral_from_the_queue(client_for, unit, referral) -> None:
    client = client_for(unit["sam"])
    response = client.post(reverse("referrals:take", args=[referral.pk]), {"back": "triage"})
    assert response.status_code == 302 and response["Location"] == TRIAGE
    page = client.get(TRIAGE).content.decode()
    assert f"You have taken referral {referral.reference}" in page
    assert "Sam Patel" in page and "Not assigned" not in page
    # a referral somebody has offers no Take, only Hand over
    assert reverse("referrals:take", args=[referral.pk]) not in page
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Assigned to" in detail and "Sam Patel" in detail


def test_the_second_coordinator_is_told_who_has_it(client_for, unit, referral) -> None:
    client_for(unit["sam"]).post(reverse("referrals:take", args=[referral.pk]))
    client = client_for(unit["alex"])
    response = client.post(reverse("referrals:take", args=[referral.pk]), {"back": "triage"})
    assert response["Location"] == TRIAGE
    page = client.get(TRIAGE).content.decode()
    assert "Sam Patel has already picked up this referral" in page
    assert Referral.objects.get(pk=referral.pk).assigned_to == unit["sam"]


def test_a_coordinator_hands_a_referral_to_a_colleague(client_for, unit, referral) -> None:
    client = client_for(unit["sam"])
    client.post(reverse("referrals:take", args=[referral.pk]))
    url = reverse("referrals:hand_over", args=[referral.pk])
    page = client.get(url, {"back": "triage"}).content.decode()
    assert "Assigned to: Sam Patel" in page
    assert "Alex Lee" in page
    # the person who has it is not offered as the one to hand it to
    assert f'name="to" value="{unit["sam"].pk}"' not in page
    assert f'name="to" value="{unit["alex"].pk}"' in page
    response = client.post(
        url, {"to": unit["alex"].pk, "expected": unit["sam"].pk, "back": "triage"}
    )
    assert response["Location"] == TRIAGE
    page = client.get(TRIAGE).content.decode()
    assert f"Referral {referral.reference} handed to Alex Lee" in page
    assert Referral.objects.get(pk=referral.pk).assigned_to == unit["alex"]


def test_a_hand_over_from_a_stale_page_is_refused_naming_who_has_it(
    client_for, unit, referral
) -> None:
    manager = user_with_role(Role.UNIT_MANAGER, unit["sam"].memberships.get().organisation)
    client = client_for(manager)
    url = reverse("referrals:hand_over", args=[referral.pk])
    client.get(url)  # the manager's page shows nobody has it
    client_for(unit["sam"]).post(reverse("referrals:take", args=[referral.pk]))
    response = client.post(url, {"to": unit["alex"].pk, "expected": ""})
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Sam Patel has already picked up this referral" in page
    assert Referral.objects.get(pk=referral.pk).assigned_to == unit["sam"]


@pytest.mark.parametrize("to", ["", "not-a-number", "987654321"])
def test_handing_over_to_nobody_or_a_stranger_is_a_clear_error(
    client_for, unit, referral, to
) -> None:
    outsider = user_with_role(Role.REFERRER, referral.local_authority.organisation)
    client = client_for(unit["sam"])
    url = reverse("referrals:hand_over", args=[referral.pk])
    for chosen in (to, str(outsider.pk)):
        response = client.post(url, {"to": chosen, "expected": ""})
        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert "Choose someone in the unit to hand the referral to" in page
    assert Referral.objects.get(pk=referral.pk).assigned_to is None


@pytest.mark.parametrize("role", [Role.REFERRER, Role.HOME_MANAGER, Role.ANALYST])
def test_no_one_outside_the_unit_takes_or_hands_over(client_for, referral, role) -> None:
    organisation = referral.local_authority.organisation if role == Role.REFERRER else None
    client = client_for(user_with_role(role, organisation))
    assert client.post(reverse("referrals:take", args=[referral.pk])).status_code == 404
    assert client.get(reverse("referrals:hand_over", args=[referral.pk])).status_code == 404
    assert Referral.objects.get(pk=referral.pk).assigned_to is None
    if role == Role.REFERRER:
        detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert "Assigned to" not in detail and "Take" not in detail
