"""Factories for homes, their register and beds. Every value is synthetic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from swc.core import clock
from swc.homes.models import HomeCommercialTerms, RegisterDeclaration, SecureHome, Vacancy
from swc.organisations.models import OrganisationKind
from swc.organisations.tests.factories import OrganisationFactory


class SecureHomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecureHome
        django_get_or_create = ("name",)

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.SECURE_HOME,
        name=factory.SelfAttribute("..name"),
    )
    name = factory.Sequence(lambda n: f"Test Home {n}")
    operator = "Synthetic Council"
    operator_type = "local authority"
    nation = "England"
    town = "Testtown"
    latitude = 52.0
    longitude = -1.5
    approved_places = 12


def declaration_make(
    home: SecureHome,
    *,
    on: dt.date | None = None,
    approved: int | None = None,
    staffed: int | None = None,
    youth_justice: int = 0,
    occupied_welfare: int = 0,
    occupied_youth_justice: int = 0,
    **extra: Any,
) -> RegisterDeclaration:
    """A declaration written straight to the table (tests that are not about the service)."""
    on = on or clock.today()
    approved = home.approved_places if approved is None else approved
    return RegisterDeclaration.objects.create(
        home=home,
        declared_on=on,
        declared_at=extra.pop("declared_at", dt.datetime.combine(on, dt.time(9, 0), tzinfo=dt.UTC)),
        approved=approved,
        staffed=approved if staffed is None else staffed,
        youth_justice=youth_justice,
        occupied_welfare=occupied_welfare,
        occupied_youth_justice=occupied_youth_justice,
        **extra,
    )


def vacancy_make(home: SecureHome, **fields: Any) -> Vacancy:
    fields.setdefault("available_from", clock.today())
    return Vacancy.objects.create(home=home, **fields)


def price_set(home: SecureHome, price: str) -> HomeCommercialTerms:
    return HomeCommercialTerms.objects.create(home=home, weekly_price_welfare=price)
