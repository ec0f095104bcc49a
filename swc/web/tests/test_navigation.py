"""The service navigation marks exactly one current item: the most specific."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role
from swc.web.navigation import navigation_for

pytestmark = pytest.mark.django_db


def current(path: str, user) -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    user.is_verified = lambda: True
    return [str(i["label"]) for i in navigation_for(request) if i["active"]]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ["Home"]),
        ("/referrals/", ["Referrals"]),
        ("/referrals/triage/", ["Triage queue"]),
        ("/referrals/42/timeline/", ["Referrals"]),
        ("/reports/kpis/", ["Reports"]),
        ("/account/notifications/", []),
    ],
)
def test_exactly_the_most_specific_item_is_current(path, expected) -> None:
    assert current(path, user_with_role(Role.COORDINATOR)) == expected
