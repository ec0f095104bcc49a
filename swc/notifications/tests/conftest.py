"""Fixtures for the notifications tests: a backend that can be made to fail, the unit."""

from __future__ import annotations

import pytest

from swc.notifications.backends import TestBackend
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import OrganisationFactory, user_with_role


@pytest.fixture
def backend(settings):
    settings.SWC_NOTIFICATION_BACKEND = "swc.notifications.backends.TestBackend"
    TestBackend.reset()
    yield TestBackend
    TestBackend.reset()


@pytest.fixture
def unit(db):
    return OrganisationFactory(kind=OrganisationKind.UNIT, name="Secure Welfare Coordination Unit")


@pytest.fixture
def coordinator(unit):
    return user_with_role(Role.COORDINATOR, unit, phone="07700900001")


@pytest.fixture
def manager(unit):
    return user_with_role(Role.UNIT_MANAGER, unit, phone="07700900002")
