"""The database stops: pages answer 503 with words to act on, the API a problem, nothing half-written.

A stopped or unreachable database is simulated at the one place every query
passes, Django's ``connection.execute_wrapper``: from the moment it is
installed, queries fail as they do when PostgreSQL is shut down or a SQLite
file cannot be locked. Tests use real transactions (``transaction=True``), so
a request's own transaction is the outermost and is rolled back as in
production.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.utils import OperationalError, ProgrammingError
from django.test import Client

from swc.api.tests.factories import api_client, key_for
from swc.audit.models import AuditEvent
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.referrals.models import Referral

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "could not connect to server: Connection refused"


@contextmanager
def database(
    fails: Callable[[str], bool], error: type[Exception] = OperationalError
) -> Iterator[None]:
    """Every query for which ``fails(sql)`` holds raises ``error``, as from a stopped server."""

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if fails(sql):
            raise error(REFUSED)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def stopped(sql: str) -> bool:
    return True


def stops_at_first_write(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))


def quiet(client: Client) -> Client:
    client.raise_request_exception = False
    return client


def test_a_signed_in_page_answers_503_with_what_to_do(client_for) -> None:
    unit = OrganisationFactory(kind=OrganisationKind.UNIT)
    client = quiet(client_for(user_with_role(Role.COORDINATOR, unit)))
    assert client.get("/referrals/triage/").status_code == 200

    with database(stopped):
        response = client.get("/referrals/triage/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "go back in your browser: your answers will still be on the page" in page
    assert "Traceback" not in page and REFUSED not in page
    # Once the database is back, so is the page.
    assert client.get("/referrals/triage/").status_code == 200


def test_a_save_when_the_database_stops_writes_nothing_and_says_so(client_for) -> None:
    authority = LocalAuthorityFactory()
    client = quiet(client_for(user_with_role(Role.REFERRER, authority.organisation)))
    audit_before = AuditEvent.objects.count()

    with database(stops_at_first_write):
        response = client.post("/referrals/new/")

    assert response.status_code == 503
    assert "Nothing was changed by what you just did" in response.content.decode()
    assert not Referral.objects.exists()
    assert AuditEvent.objects.count() == audit_before
    # Started again once the database is back: one referral, as asked.
    assert client.post("/referrals/new/").status_code == 302
    assert Referral.objects.count() == 1


def test_the_api_answers_a_problem_with_retry_after() -> None:
    client = api_client(key_for(Role.COORDINATOR).secret)
    assert client.get("/api/v1/referrals/").status_code == 200

    with database(lambda sql: "referral" in sql.lower()):
        response = client.get("/api/v1/referrals/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "30"
    body = json.loads(response.content)
    assert body["status"] == 503
    assert body["title"] == "The service is unavailable for a moment"
    assert REFUSED not in body["detail"]


def test_the_api_answers_a_problem_even_when_the_key_cannot_be_checked() -> None:
    client = quiet(api_client(key_for(Role.COORDINATOR).secret))
    with database(stopped):
        response = client.get("/api/v1/referrals/")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["type"].endswith("/unavailable")


def test_a_defect_is_still_a_500_not_an_outage(client_for) -> None:
    unit = OrganisationFactory(kind=OrganisationKind.UNIT)
    client = quiet(client_for(user_with_role(Role.COORDINATOR, unit)))
    with database(lambda sql: "referral" in sql.lower(), error=ProgrammingError):
        response = client.get("/referrals/triage/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_the_scheduler_skips_a_tick_when_the_database_is_down_and_does_not_die() -> None:
    out = io.StringIO()
    with database(stopped):
        call_command("run_scheduler", "--once", stdout=out)
    assert "tick: skipped, database unavailable (OperationalError)" in out.getvalue()
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue().startswith("tick: published")
