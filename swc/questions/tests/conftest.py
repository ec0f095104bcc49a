"""A referral from Hampshire sent to two homes (not a third), and one person in every role.

``world_make`` is shared with the pages' and the API's tests of questions and documents,
which declare their own ``world`` fixture from it.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from swc.core.calendar import LONDON
from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.referrals.models import ReferralShare
from swc.referrals.tests.factories import complete_referral

# A Tuesday morning in term time; nothing here depends on the day, but nothing reads the clock.
AT = dt.datetime(2026, 11, 24, 10, 30, tzinfo=LONDON)


@pytest.fixture
def world(db):
    with time_machine.travel(AT, tick=False):
        yield world_make()


def world_make() -> dict:
    hampshire = LocalAuthorityFactory(name="Hampshire", dfe_la_code="850")
    leeds = LocalAuthorityFactory(name="Leeds", dfe_la_code="383")
    home = SecureHomeFactory(name="Swanwick Lodge")
    second_home = SecureHomeFactory(name="Aldine House")
    not_sent = SecureHomeFactory(name="Clayfields House")
    unit = OrganisationFactory(kind=OrganisationKind.UNIT, name="Coordination unit")
    referral = complete_referral(local_authority=hampshire, first_name="Ottoline")
    for shared in (home, second_home):
        ReferralShare.objects.create(
            referral=referral, home_organisation=shared.organisation, shared_at=AT
        )
    return {
        "referral": referral,
        "home": home,
        "second_home": second_home,
        "referrer": user_with_role(Role.REFERRER, hampshire.organisation),
        "referrer_other_la": user_with_role(Role.REFERRER, leeds.organisation),
        "admin_same_la": user_with_role(Role.ADMIN, hampshire.organisation),
        "home_manager": user_with_role(Role.HOME_MANAGER, home.organisation),
        "second_home_manager": user_with_role(Role.HOME_MANAGER, second_home.organisation),
        "home_not_sent": user_with_role(Role.HOME_MANAGER, not_sent.organisation),
        "coordinator": user_with_role(Role.COORDINATOR, unit),
        "unit_manager": user_with_role(Role.UNIT_MANAGER, unit),
        "analyst": user_with_role(Role.ANALYST),
    }
