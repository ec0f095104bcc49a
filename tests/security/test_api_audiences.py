"""Each role receives the same facts from the API as from the pages (issue 14, item 6).

A home's pages never name the authority that referred a child
(docs/workflow.md), yet its API list carried ``local_authority_code`` on every
row. The API now picks each audience's serializer by the pages' own rule
(``referral.view_identity``); this test compares, role by role, what the list
page and the API list give, against a table typed by hand.
"""

from __future__ import annotations

import pytest

from swc.api.tests.factories import api_client, key_for
from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import ReferralShare
from swc.referrals.tests.factories import complete_referral

pytestmark = pytest.mark.django_db

AUTHORITY_NAME = "Plantedshire"
AUTHORITY_CODE = "987"

ROW_FOR_HOMES = {
    "id",
    "reference",
    "status",
    "bed_needed_at",
    "created_at",
    "modified_at",
    "submitted_at",
    "completed_at",
    "information_requested_at",
    "list_provided_at",
    "offer_accepted_at",
    "placed_at",
    "closed_at",
}
ROW_WITH_AUTHORITY = ROW_FOR_HOMES | {"local_authority_code"}

# role: (the list page names the authority, the API list row's fields)
EXPECTED = {
    Role.HOME_MANAGER: (False, ROW_FOR_HOMES),
    Role.COORDINATOR: (True, ROW_WITH_AUTHORITY),
    Role.UNIT_MANAGER: (True, ROW_WITH_AUTHORITY),
}


@pytest.fixture
def scene():
    authority = LocalAuthorityFactory(name=AUTHORITY_NAME, dfe_la_code=AUTHORITY_CODE)
    home = SecureHomeFactory(name="Audience Home")
    referral = complete_referral(local_authority=authority)
    ReferralShare.objects.create(
        referral=referral, home_organisation=home.organisation, shared_at=referral.created_at
    )
    return {"authority": authority, "home": home, "referral": referral}


def _organisation(role: Role, scene) -> object:
    return scene["home"].organisation if role == Role.HOME_MANAGER else None


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_api_list_gives_each_role_what_its_list_page_gives(scene, client_for, role) -> None:
    names_authority, row_fields = EXPECTED[role]
    organisation = _organisation(role, scene)
    page = client_for(user_with_role(role, organisation)).get("/referrals/")
    assert page.status_code == 200
    assert scene["referral"].reference in page.content.decode()
    assert (AUTHORITY_NAME in page.content.decode()) is names_authority

    api = api_client(key_for(role, organisation).secret).get("/api/v1/referrals/")
    rows = api.json()["results"]
    assert [row["id"] for row in rows] == [scene["referral"].pk]
    assert set(rows[0]) == row_fields
    if names_authority:
        assert rows[0]["local_authority_code"] == AUTHORITY_CODE


def test_a_home_is_not_told_the_authority_anywhere_in_the_api(scene, client_for) -> None:
    client = api_client(key_for(Role.HOME_MANAGER, scene["home"].organisation).secret)
    pk = scene["referral"].pk
    for path in ("/api/v1/referrals/", f"/api/v1/referrals/{pk}/home-view/"):
        response = client.get(path)
        assert response.status_code == 200
        assert "local_authority" not in response.content.decode()
        assert AUTHORITY_NAME not in response.content.decode()
    page = client_for(user_with_role(Role.HOME_MANAGER, scene["home"].organisation))
    assert AUTHORITY_NAME not in page.get(f"/referrals/{pk}/").content.decode()


def test_the_referring_authority_reads_its_own_code(scene) -> None:
    client = api_client(key_for(Role.REFERRER, scene["authority"].organisation).secret)
    rows = client.get("/api/v1/referrals/").json()["results"]
    assert set(rows[0]) == ROW_WITH_AUTHORITY
    assert rows[0]["local_authority_code"] == AUTHORITY_CODE
