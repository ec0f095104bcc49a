"""What a page may offer: the workflow's moves for the person's side that the policy allows.

The expected moves are typed out by hand for each status and person.
"""

from __future__ import annotations

import datetime as dt

import pytest

from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.services import referral_moves_for
from swc.referrals.tests.factories import ReferralFactory
from swc.referrals.workflow import Status as S

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)

SUB, COM, INF, LST, HOM, ACC, PLA, WDN, CNP = (
    S.SUBMITTED,
    S.COMPLETE,
    S.INFORMATION_REQUESTED,
    S.SHORTLISTED,
    S.WITH_HOMES,
    S.OFFER_ACCEPTED,
    S.PLACED,
    S.WITHDRAWN,
    S.CLOSED_NOT_PLACED,
)

EXPECTED = {
    # status: (the referring authority, the unit, the home it was sent to, another authority)
    S.DRAFT: ([SUB, WDN], [], [], []),
    SUB: ([COM, WDN], [INF, WDN, CNP], [], []),
    COM: ([WDN], [INF, LST, WDN, CNP], [], []),
    INF: ([COM, WDN], [WDN, CNP], [], []),
    LST: ([WDN], [HOM, WDN, CNP], [], []),
    HOM: ([ACC, WDN], [LST, ACC, WDN, CNP], [], []),
    ACC: ([WDN], [HOM, PLA, WDN, CNP], [PLA], []),
    PLA: ([], [], [], []),
    WDN: ([], [], [], []),
    CNP: ([], [], [], []),
}


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_person_is_offered_exactly_the_moves_the_table_and_policy_allow(status) -> None:
    referral = ReferralFactory(status=status)
    home = user_with_role(Role.HOME_MANAGER)
    referral.shares.create(home_organisation=home.memberships.get().organisation, shared_at=AT)
    referral = Referral.objects.select_related("local_authority").get(pk=referral.pk)
    people = (
        user_with_role(Role.REFERRER, referral.local_authority.organisation),
        user_with_role(Role.COORDINATOR),
        home,
        user_with_role(Role.REFERRER, LocalAuthorityFactory().organisation),
    )
    offered = tuple(referral_moves_for(person, referral) for person in people)
    assert offered == EXPECTED[status]


def test_an_analyst_is_offered_nothing() -> None:
    referral = ReferralFactory(status=S.COMPLETE)
    assert referral_moves_for(user_with_role(Role.ANALYST), referral) == []
