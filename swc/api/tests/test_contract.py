"""The API keeps its OpenAPI contract: schemathesis, every operation, every role.

A fixed, derandomised budget of examples per operation and role keeps the run
short and repeatable. Every check schemathesis has is on: no 5xx, status codes,
content types, headers and bodies as the schema says, invalid data refused,
valid data accepted.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, OrganisationFactory
from swc.referrals.models import ReferralShare
from swc.referrals.tests.factories import complete_referral

from .factories import key_for

# A well-formed request that a rule of the service refuses (a child too old for a
# secure home, a move the workflow forbids) is 422 by design: the schema cannot
# say every rule, so "valid data accepted" also allows 422.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)

ROLES = [Role.REFERRER, Role.HOME_MANAGER, Role.COORDINATOR, Role.UNIT_MANAGER, Role.ANALYST]


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The WSGI handler closes the database connection after each request, which would
    end the test's transaction; Django's own test client switches that off the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db, wsgi_keeps_the_test_connection) -> dict[str, str]:
    """One organisation of each kind with a key, and a referral shared with the home."""
    cache.clear()
    la = LocalAuthorityFactory()
    home = SecureHomeFactory()
    unit = OrganisationFactory(kind="unit", name="Contract unit")
    referral = complete_referral(local_authority=la)
    ReferralShare.objects.create(
        referral=referral, home_organisation=home.organisation, shared_at=referral.created_at
    )
    organisations = {
        Role.REFERRER: la.organisation,
        Role.HOME_MANAGER: home.organisation,
        Role.COORDINATOR: unit,
        Role.UNIT_MANAGER: unit,
        Role.ANALYST: OrganisationFactory(kind="analyst_body", name="Contract analysts"),
    }
    return {role: key_for(role, organisations[role]).secret for role in ROLES}


@pytest.mark.contract
@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_the_contract(case, role: str, world: dict[str, str]) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {world[role]}"})
