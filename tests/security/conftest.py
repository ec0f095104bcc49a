"""A small world with one of everything, planted with values the security tests look for."""

from __future__ import annotations

import pytest

from swc.homes.tests.factories import SecureHomeFactory, price_set
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import ReferralShare
from swc.referrals.tests.factories import complete_referral

PRICE = "98765.43"
PRICE_FORMS = ("98765", "98,765")
SURNAME = "Quarringtonzed"
FIRST_NAME = "Ottolinesynth"


@pytest.fixture
def world():
    hampshire = LocalAuthorityFactory(name="Hampshire", dfe_la_code="850")
    leeds = LocalAuthorityFactory(name="Leeds", dfe_la_code="383")
    home = SecureHomeFactory(name="Planted Home")
    other_home = SecureHomeFactory(name="Other Home")
    price_set(home, PRICE)
    referral = complete_referral(
        local_authority=hampshire, first_name=FIRST_NAME, last_name=SURNAME
    )
    ReferralShare.objects.create(
        referral=referral, home_organisation=home.organisation, shared_at=referral.completed_at
    )
    return {
        "referrer_same_la": user_with_role(Role.REFERRER, hampshire.organisation),
        "referrer_other_la": user_with_role(Role.REFERRER, leeds.organisation),
        "admin_same_la": user_with_role(Role.ADMIN, hampshire.organisation),
        "home_shared": user_with_role(Role.HOME_MANAGER, home.organisation),
        "home_other": user_with_role(Role.HOME_MANAGER, other_home.organisation),
        "coordinator": user_with_role(Role.COORDINATOR),
        "unit_manager": user_with_role(Role.UNIT_MANAGER),
        "analyst": user_with_role(Role.ANALYST),
        "unit_admin": user_with_role(Role.ADMIN),
    }
