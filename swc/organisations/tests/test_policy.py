"""The permission policy: every role against every action, and object scopes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from swc.core.errors import NotPermitted
from swc.organisations.models import Role
from swc.organisations.policy import (
    ANONYMOUS,
    ANY,
    OWN,
    RULES,
    SHARED,
    principal_for,
    require,
    scopes_for,
    user_can,
)
from swc.organisations.tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db


@dataclass
class Thing:
    """Stands in for any record: owned by one organisation, shared with others."""

    owner: int | None
    shared_with: tuple[int, ...] = ()

    @property
    def policy_owner_id(self) -> int | None:
        return self.owner

    def policy_is_shared_with(self, organisation_id: int) -> bool:
        return organisation_id in self.shared_with


@pytest.mark.parametrize("action", sorted(RULES))
@pytest.mark.parametrize("role", list(Role))
def test_every_role_and_action_follows_the_rule_table(role: Role, action: str) -> None:
    user = user_with_role(role)
    own_org = principal_for(user).organisation_id
    assert own_org is not None
    other_org = OrganisationFactory().pk
    scope = RULES[action].get(role)

    assert user_can(user, action) is (scope is not None)
    mine, theirs, shared = Thing(own_org), Thing(other_org), Thing(other_org, (own_org,))
    expected = {
        None: (False, False, False),
        ANY: (True, True, True),
        OWN: (True, False, False),
        SHARED: (False, False, True),
    }[scope]
    assert (
        user_can(user, action, mine),
        user_can(user, action, theirs),
        user_can(user, action, shared),
    ) == expected


def test_undeclared_action_is_a_programming_error() -> None:
    user = user_with_role(Role.COORDINATOR)
    with pytest.raises(KeyError):
        user_can(user, "referral.teleport")


def test_require_raises_not_permitted() -> None:
    user = user_with_role(Role.ANALYST)
    with pytest.raises(NotPermitted):
        require(user, "referral.view", Thing(principal_for(user).organisation_id))


def test_anonymous_and_inactive_users_may_do_nothing() -> None:
    user = user_with_role(Role.COORDINATOR)
    user.is_active = False
    assert principal_for(user) == ANONYMOUS
    assert scopes_for(user, "referral.view") == set()


def test_analysts_never_see_a_childs_record() -> None:
    child_actions = [a for a in RULES if a.startswith(("referral.", "offer.", "match."))]
    assert child_actions
    analyst = user_with_role(Role.ANALYST)
    assert not any(user_can(analyst, a) for a in child_actions)


def test_prices_are_seen_only_by_the_unit_the_home_and_an_authority_with_an_offer() -> None:
    assert RULES["home.view_price"] == {
        Role.COORDINATOR: ANY,
        Role.UNIT_MANAGER: ANY,
        Role.HOME_MANAGER: OWN,
        Role.REFERRER: SHARED,
    }
