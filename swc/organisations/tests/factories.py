"""Factories for organisations and people. Every value is synthetic."""

from __future__ import annotations

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from swc.organisations.models import (
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    User,
)

ROLE_KIND = {
    Role.REFERRER: OrganisationKind.LOCAL_AUTHORITY,
    Role.HOME_MANAGER: OrganisationKind.SECURE_HOME,
    Role.COORDINATOR: OrganisationKind.UNIT,
    Role.UNIT_MANAGER: OrganisationKind.UNIT,
    Role.ANALYST: OrganisationKind.ANALYST_BODY,
    Role.ADMIN: OrganisationKind.UNIT,
}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("kind", "name")

    kind = OrganisationKind.UNIT
    name = factory.Sequence(lambda n: f"Organisation {n}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("dfe_la_code",)

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.LOCAL_AUTHORITY,
        name=factory.SelfAttribute("..name"),
    )
    dfe_la_code = factory.Sequence(lambda n: f"{100 + (n % 900):03d}")
    gss_code = factory.Sequence(lambda n: f"E06{n:06d}")
    name = factory.Sequence(lambda n: f"Authority {n}")
    official_name = factory.LazyAttribute(lambda o: f"{o.name} Council")
    region = Region.SOUTH_EAST
    la_type = "unitary"
    latitude = 51.0
    longitude = -1.3
    population = 250000


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")


def user_with_role(role: str, organisation: Organisation | None = None, **kwargs) -> User:
    """A person holding ``role`` in ``organisation`` (a new one of the right kind if None)."""
    if organisation is None:
        if ROLE_KIND[role] == OrganisationKind.LOCAL_AUTHORITY:
            organisation = LocalAuthorityFactory().organisation
        else:
            organisation = OrganisationFactory(kind=ROLE_KIND[role])
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def confirmed_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)
