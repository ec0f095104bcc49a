"""API keys for tests. Every value is synthetic."""

from __future__ import annotations

from django.test import Client

from swc.organisations.models import Organisation, OrganisationKind, Role
from swc.organisations.services import IssuedKey, api_key_create
from swc.organisations.tests.factories import LocalAuthorityFactory, OrganisationFactory

ROLE_KIND = {
    Role.REFERRER: OrganisationKind.LOCAL_AUTHORITY,
    Role.HOME_MANAGER: OrganisationKind.SECURE_HOME,
    Role.COORDINATOR: OrganisationKind.UNIT,
    Role.UNIT_MANAGER: OrganisationKind.UNIT,
    Role.ANALYST: OrganisationKind.ANALYST_BODY,
}


def key_for(
    role: str, organisation: Organisation | None = None, name: str = "Test system"
) -> IssuedKey:
    """A key acting as ``role`` (for a new organisation of the right kind if None)."""
    if organisation is None:
        if ROLE_KIND[role] == OrganisationKind.LOCAL_AUTHORITY:
            organisation = LocalAuthorityFactory().organisation
        else:
            organisation = OrganisationFactory(kind=ROLE_KIND[role])
    return api_key_create(organisation=organisation, role=role, name=name, by=None)


def api_client(secret: str) -> Client:
    """A client that sends the key on every request, as a system would."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
