from __future__ import annotations

import pytest

from swc.audit.models import AuditAction, AuditEvent
from swc.homes.tests.factories import SecureHomeFactory
from swc.matching.models import HomeExclusion
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db
URL = "/matching/excluded-homes/"


def test_a_referrer_excludes_a_home_and_removes_it_again(client_for) -> None:
    hampshire = LocalAuthorityFactory(dfe_la_code="850")
    home = SecureHomeFactory(name="Faraway Lodge")
    client = client_for(user_with_role(Role.REFERRER, hampshire.organisation))
    response = client.post(URL, {"home": home.pk, "reason": "Too far from the child's school"})
    assert response.status_code == 302
    exclusion = HomeExclusion.objects.get()
    assert (exclusion.local_authority, exclusion.home) == (hampshire, home)
    page = client.get(URL).content.decode()
    assert "Faraway Lodge" in page and "Too far from the child&#x27;s school" in page
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="matching.homeexclusion"
    ).exists()

    client.post(f"{URL}{exclusion.pk}/remove/")
    assert not HomeExclusion.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"home": "", "reason": "x"}, "Choose the home your authority will not use"),
        ({"home": "999999", "reason": "x"}, "Choose a home from the list"),
        ({"reason": "   "}, "Enter why your authority will not use this home"),
    ],
)
def test_bad_input_gets_a_specific_message_and_changes_nothing(client_for, data, message) -> None:
    home = SecureHomeFactory()
    data = {"home": home.pk, **data}
    client = client_for(user_with_role(Role.REFERRER))
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HomeExclusion.objects.exists()


def test_excluding_the_same_home_twice_is_a_clear_error(client_for) -> None:
    home = SecureHomeFactory(name="Twice Home")
    client = client_for(user_with_role(Role.REFERRER))
    client.post(URL, {"home": home.pk, "reason": "Reason one"})
    response = client.post(URL, {"home": home.pk, "reason": "Reason two"})
    assert "Twice Home is already excluded" in response.content.decode()
    assert HomeExclusion.objects.count() == 1


def test_another_authoritys_exclusion_cannot_be_seen_or_removed(client_for) -> None:
    leeds = LocalAuthorityFactory(dfe_la_code="383")
    home = SecureHomeFactory(name="Leeds Excluded Home")
    leeds_exclusion = HomeExclusion.objects.create(
        local_authority=leeds, home=home, reason="Leeds only"
    )
    client = client_for(user_with_role(Role.REFERRER))
    assert "Leeds only" not in client.get(URL).content.decode()
    assert client.post(f"{URL}{leeds_exclusion.pk}/remove/").status_code == 404
    assert HomeExclusion.objects.filter(pk=leeds_exclusion.pk).exists()


@pytest.mark.parametrize("role", [Role.HOME_MANAGER, Role.COORDINATOR, Role.ANALYST])
def test_only_an_authority_manages_its_exclusions(client_for, role) -> None:
    assert client_for(user_with_role(role)).get(URL).status_code == 404


def test_an_authority_admin_may_manage_exclusions(client_for) -> None:
    authority = LocalAuthorityFactory()
    assert (
        client_for(user_with_role(Role.ADMIN, authority.organisation)).get(URL).status_code == 200
    )


def test_an_admin_outside_an_authority_is_told_exclusions_belong_to_authorities(client_for) -> None:
    page = client_for(user_with_role(Role.ADMIN)).get(URL).content.decode()
    assert "Only a local authority keeps a list of homes it will not use" in page
