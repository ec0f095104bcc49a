"""After a referral closes, the authority and every home it was sent to are asked to a survey."""

from __future__ import annotations

import pytest

from swc.core.vocabulary import WithdrawalReason
from swc.homes.tests.factories import SecureHomeFactory
from swc.notifications.messages import Message
from swc.notifications.models import Notification
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import ReferralShare
from swc.referrals.services import referral_transition
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db


def test_closing_a_referral_invites_the_authority_and_the_homes_to_the_survey() -> None:
    authority = LocalAuthorityFactory()
    referrer = user_with_role(Role.REFERRER, authority.organisation)
    home = SecureHomeFactory()
    manager = user_with_role(Role.HOME_MANAGER, home.organisation)
    other_home_manager = user_with_role(Role.HOME_MANAGER, SecureHomeFactory().organisation)
    referral = complete_referral(local_authority=authority)
    ReferralShare.objects.create(
        referral=referral, home_organisation=home.organisation, shared_at=referral.completed_at
    )

    referral_transition(
        referral=referral, to=Status.WITHDRAWN, by=referrer, reason=WithdrawalReason.DOL_ORDER
    )

    invitations = Notification.objects.filter(message=Message.SURVEY_INVITED)
    assert {n.recipient for n in invitations} == {referrer, manager}
    assert other_home_manager not in {n.recipient for n in invitations}
    for invitation in invitations:
        assert invitation.personalisation["link"].endswith(f"/reports/surveys/{referral.pk}/")
        assert referral.last_name not in str(invitation.personalisation)
