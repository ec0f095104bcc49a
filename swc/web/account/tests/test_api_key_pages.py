"""The pages where an organisation's administrator makes, sees and revokes API keys."""

from __future__ import annotations

import pytest
from django.urls import reverse

from swc.api.tests.factories import key_for
from swc.organisations.models import ApiKey, Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_an_admin_makes_a_key_sees_it_once_and_revokes_it(client_for) -> None:
    la = LocalAuthorityFactory().organisation
    admin = user_with_role(Role.ADMIN, la)
    client = client_for(admin)
    page = client.get(reverse("account:api-keys"))
    assert page.status_code == 200
    assert "no API keys" in page.content.decode()
    response = client.post(reverse("account:api-keys"), {"name": "Mosaic live", "role": "referrer"})
    assert response.status_code == 200
    api_key = ApiKey.objects.get()
    html = response.content.decode()
    assert api_key.prefix + "." in html
    assert response["Cache-Control"] == "no-store"
    listing = client.get(reverse("account:api-keys")).content.decode()
    assert "Mosaic live" in listing and api_key.prefix in listing
    assert api_key.prefix + "." not in listing  # never shown again
    response = client.post(reverse("account:api-key-revoke", args=[api_key.pk]))
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


def test_the_key_form_refuses_a_role_that_does_not_fit(client_for) -> None:
    la = LocalAuthorityFactory().organisation
    client = client_for(user_with_role(Role.ADMIN, la))
    response = client.post(reverse("account:api-keys"), {"name": "Mosaic", "role": "coordinator"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    response = client.post(reverse("account:api-keys"), {"name": "", "role": "referrer"})
    assert "Enter a name for the key" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_another_organisations_key_cannot_be_revoked(client_for) -> None:
    issued = key_for(Role.REFERRER)
    admin = user_with_role(Role.ADMIN, LocalAuthorityFactory().organisation)
    response = client_for(admin).post(reverse("account:api-key-revoke", args=[issued.api_key.pk]))
    assert response.status_code == 404
    issued.api_key.refresh_from_db()
    assert issued.api_key.revoked_at is None


@pytest.mark.parametrize("role", [Role.REFERRER, Role.COORDINATOR, Role.ANALYST, Role.HOME_MANAGER])
def test_people_who_do_not_manage_keys_do_not_see_the_page(client_for, role: str) -> None:
    assert client_for(user_with_role(role)).get(reverse("account:api-keys")).status_code == 404
