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
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, OrganisationFactory
from swc.referrals.models import ReferralShare
from swc.referrals.tests.factories import complete_referral

from .factories import key_for

# "Valid data accepted" allows, besides success:
# - 422: a well-formed request that a rule of the service refuses (a child too old
#   for a secure home, a move the workflow forbids): the schema cannot say every rule;
# - 401, 403, 404: every role calls every operation, and most are not theirs (a
#   record another organisation holds is a 404, by design: docs/api.md);
# - 409: a record changed since its version was read, or an offer no longer open;
# - 429: the rate limit, should a run ever reach it.
# Nothing else is excused: every other check runs as it comes.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)
load_all_checks()
ALL_CHECKS = CHECKS.get_all()
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
    case.call_and_validate(headers={"Authorization": f"Bearer {world[role]}"}, checks=ALL_CHECKS)


def test_the_contract_runs_every_check_schemathesis_has() -> None:
    # The same as the command line's --checks all.
    names = {check.__name__ for check in ALL_CHECKS}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
        "ignored_auth",
    } <= names


def test_valid_data_is_excused_nothing_but_the_documented_422() -> None:
    # Against schemathesis's own defaults (what `--checks all` applies): a server error is
    # never excused here, and the one addition is 422, a rule of the service refusing a
    # well-formed request (docs/api.md's table of statuses). Every other check is as it comes.
    ours = CONFIG.projects.default.checks
    theirs = SchemathesisConfig.from_dict({}).projects.default.checks
    accepted = set(ours.positive_data_acceptance.expected_statuses)
    assert accepted == set(theirs.positive_data_acceptance.expected_statuses) - {"5xx"} | {"422"}
    for check in ALL_CHECKS:
        name = check.__name__
        assert ours.get_by_name(name=name).enabled, f"{name} is switched off"
        if name != "positive_data_acceptance":
            assert ours.get_by_name(name=name) == theirs.get_by_name(name=name), name
