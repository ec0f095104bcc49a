"""Who sees which referral: own authority, homes it was sent to, the unit; triage order."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from swc.core.errors import NotPermitted
from swc.core.vocabulary import LegalStatus
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.referrals.models import ReferralShare
from swc.referrals.selectors import (
    referral_earlier_for,
    referral_get_for,
    referral_home_view,
    referral_list_for,
    referral_timeline_for,
    referral_triage_queue_for,
)
from swc.referrals.tests.factories import ReferralFactory, complete_referral
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    la_a, la_b = LocalAuthorityFactory(), LocalAuthorityFactory()
    home_a = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    home_b = OrganisationFactory(kind=OrganisationKind.SECURE_HOME)
    ref_a = complete_referral(local_authority=la_a)
    ref_b = complete_referral(local_authority=la_b)
    draft_a = ReferralFactory(local_authority=la_a)
    ReferralShare.objects.create(referral=ref_a, home_organisation=home_a, shared_at=NOW)
    return {
        "la_a": la_a,
        "ref_a": ref_a,
        "ref_b": ref_b,
        "draft_a": draft_a,
        "referrer_a": user_with_role(Role.REFERRER, la_a.organisation),
        "home_a": user_with_role(Role.HOME_MANAGER, home_a),
        "home_b": user_with_role(Role.HOME_MANAGER, home_b),
        "coordinator": user_with_role(Role.COORDINATOR),
        "analyst": user_with_role(Role.ANALYST),
    }


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("referrer_a", {"ref_a", "draft_a"}),
        ("home_a", {"ref_a"}),
        ("home_b", set()),
        ("coordinator", {"ref_a", "ref_b", "draft_a"}),
        ("analyst", set()),
    ],
)
def test_each_role_sees_only_its_referrals(world, who, sees) -> None:
    user = world[who]
    visible = set(referral_list_for(user).values_list("pk", flat=True))
    assert visible == {world[name].pk for name in sees}
    for name in ("ref_a", "ref_b", "draft_a"):
        if name in sees:
            assert referral_get_for(user, world[name].pk).pk == world[name].pk
        else:
            with pytest.raises(NotPermitted):
                referral_get_for(user, world[name].pk)


def test_a_home_may_not_read_the_timeline_or_earlier_referrals(world) -> None:
    referral = referral_get_for(world["home_a"], world["ref_a"].pk)
    with pytest.raises(NotPermitted):
        referral_timeline_for(world["home_a"], referral)
    with pytest.raises(NotPermitted):
        referral_earlier_for(world["home_a"], referral)


def test_the_home_view_has_no_surname_address_or_identifier(world) -> None:
    view = referral_home_view(world["ref_a"], NOW.date())
    text = repr(view)
    assert view.initials == "T.S."
    assert view.age == 15
    assert "Synthetic" not in text and "SYN-0001" not in text
    assert "Synthetic Town" not in text and "date_of_birth" not in text
    assert view.home_area_region == "South East"


def test_a_list_page_is_one_query_whatever_its_length(world, django_assert_max_num_queries) -> None:
    for _ in range(10):
        complete_referral(local_authority=world["la_a"])
    user = world["coordinator"]
    user._swc_principal = None
    from swc.organisations.policy import principal_for

    principal_for(user)
    with django_assert_max_num_queries(1):
        rows = list(referral_list_for(user))
        assert all(row.local_authority.name for row in rows)


def test_re_referrals_of_the_same_child_are_linked(world) -> None:
    la = world["la_a"]
    first = complete_referral(local_authority=la, la_child_identifier="CHILD-9", status="withdrawn")
    with time_machine.travel(NOW + dt.timedelta(days=40), tick=False):
        second = complete_referral(local_authority=la, la_child_identifier="CHILD-9")
        other_la = complete_referral(
            local_authority=LocalAuthorityFactory(), la_child_identifier="CHILD-9"
        )
    assert referral_earlier_for(world["referrer_a"], second) == [first]
    assert referral_earlier_for(world["coordinator"], other_la) == []


def test_the_triage_queue_is_most_urgent_first_with_time_left(world) -> None:
    la = world["la_a"]
    reg10 = complete_referral(
        local_authority=la,
        legal_status=LegalStatus.REGULATION_10,
        hearing_date=None,
        regulation_10_started_at=NOW - dt.timedelta(hours=70),
    )
    court_tomorrow = complete_referral(
        local_authority=la, hearing_date=NOW.date() + dt.timedelta(days=1)
    )
    placed = complete_referral(local_authority=la, status=Status.PLACED)
    rows = referral_triage_queue_for(world["coordinator"], NOW)
    pks = [row.referral.pk for row in rows]
    assert pks[:2] == [reg10.pk, court_tomorrow.pk]
    assert placed.pk not in pks and world["draft_a"].pk not in pks
    assert rows[0].remaining == "2 hours"
    with pytest.raises(NotPermitted):
        referral_triage_queue_for(world["referrer_a"], NOW)
