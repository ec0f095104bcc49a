from __future__ import annotations

from unittest import mock

import pytest
import time_machine
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_referrer_start_page_shows_own_authority_and_nothing_of_another(client_for) -> None:
    hampshire = LocalAuthorityFactory(name="Hampshire", dfe_la_code="850")
    leeds = LocalAuthorityFactory(name="Leeds", dfe_la_code="383")
    referrer = user_with_role(Role.REFERRER, hampshire.organisation)
    user_with_role(Role.REFERRER, leeds.organisation)
    page = client_for(referrer).get(reverse("web:start")).content.decode()
    assert "Hampshire" in page
    assert "850" in page
    assert "Leeds" not in page
    assert "383" not in page


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_start_page_naming_the_role(client_for, role: Role) -> None:
    response = client_for(user_with_role(role)).get(reverse("web:start"))
    assert response.status_code == 200
    assert role.label in response.content.decode()


def test_healthz_is_200_with_the_database() -> None:
    from swc.scheduling.scheduler import scheduler_tick

    scheduler_tick()  # a scheduler that has just run, and nothing waiting
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "scheduler": "ok",
        "delivery": "ok",
    }


def test_healthz_is_503_without_the_database() -> None:
    with mock.patch("swc.web.views.public.connection.cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_unknown_page_is_a_govuk_404() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# Tuesday 24 November 2026, mid-afternoon: a working day, so every home owes a confirmation.
WORKING_TUESDAY = "2026-11-24 14:00:00+00:00"
# Saturday 28 November 2026 and Boxing Day (observed on Monday 28 December 2026): nobody owes one.
DAYS_OFF = ["2026-11-28 14:00:00+00:00", "2026-12-28 14:00:00+00:00"]


@time_machine.travel(WORKING_TUESDAY, tick=False)
def test_start_page_headlines_count_only_what_each_person_may_see(client_for) -> None:
    from swc.homes.tests.factories import SecureHomeFactory
    from swc.referrals.tests.factories import ReferralFactory, complete_referral
    from swc.referrals.workflow import Status

    hampshire = LocalAuthorityFactory(name="Hampshire", dfe_la_code="850")
    leeds = LocalAuthorityFactory(name="Leeds", dfe_la_code="383")
    complete_referral(local_authority=hampshire)
    complete_referral(local_authority=leeds)
    asked = complete_referral(local_authority=hampshire)
    asked.status = Status.INFORMATION_REQUESTED
    asked.save()
    ReferralFactory(local_authority=hampshire)  # a draft
    SecureHomeFactory(name="Unconfirmed Home")

    referrer = client_for(user_with_role(Role.REFERRER, hampshire.organisation))
    page = referrer.get(reverse("web:start")).content.decode()
    assert "2 open referrals from your authority" in page
    assert "The unit needs more information for 1 referral" in page
    assert "1 draft not yet submitted" in page

    coordinator = client_for(user_with_role(Role.COORDINATOR))
    page = coordinator.get(reverse("web:start")).content.decode()
    assert "3 open referrals, 2 waiting for a list" in page
    assert "1 home has not confirmed its register today" in page


@pytest.mark.parametrize("day_off", DAYS_OFF)
def test_start_page_owes_no_register_confirmation_on_a_day_off(client_for, day_off: str) -> None:
    from swc.homes.tests.factories import SecureHomeFactory

    with time_machine.travel(day_off, tick=False):
        SecureHomeFactory(name="Unconfirmed Home")
        coordinator = client_for(user_with_role(Role.COORDINATOR))
        page = coordinator.get(reverse("web:start")).content.decode()
    assert "open referrals" in page
    assert "confirmed its register" not in page
    assert "confirmed their register" not in page
