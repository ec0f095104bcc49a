"""Factories for matching tests. Every value is synthetic."""

from __future__ import annotations

from typing import Any

from swc.homes.models import HomeProfile, SecureHome, Vacancy
from swc.homes.tests.factories import SecureHomeFactory, vacancy_make
from swc.organisations.models import Role, User
from swc.organisations.tests.factories import user_with_role


def home_make(*, beds: int = 1, profile: dict[str, Any] | None = None, **fields: Any) -> SecureHome:
    """A secure home with a profile and ``beds`` free beds from today."""
    home = SecureHomeFactory(**fields)
    HomeProfile.objects.create(home=home, **(profile or {}))
    for _ in range(beds):
        vacancy_make(home)
    return home


def manager_of(home: SecureHome) -> User:
    return user_with_role(Role.HOME_MANAGER, home.organisation)


def free_bed(home: SecureHome) -> Vacancy:
    return Vacancy.objects.filter(home=home, status="free").order_by("id").first()  # type: ignore[return-value]
