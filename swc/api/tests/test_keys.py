from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from swc.audit.models import AuditAction, AuditEvent
from swc.core.errors import NotPermitted, ServiceError
from swc.organisations.models import ApiKey, OrganisationKind, Role
from swc.organisations.services import api_key_create, api_key_revoke
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def test_a_key_is_stored_only_as_a_digest_and_shown_once() -> None:
    issued = key_for(Role.REFERRER)
    row = ApiKey.objects.get(pk=issued.api_key.pk)
    assert issued.secret.startswith(row.prefix + ".")
    assert row.secret_digest == hashlib.sha256(issued.secret.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiKey.objects.filter(pk=row.pk).values().first().values())
    assert issued.secret not in stored
    assert issued.secret.split(".", 1)[1] not in stored
    assert len(issued.secret.split(".", 1)[1]) >= 40  # 256 bits of randomness


def test_a_key_acts_for_its_organisation_in_its_one_role() -> None:
    la = LocalAuthorityFactory()
    issued = key_for(Role.REFERRER, la.organisation)
    response = api_client(issued.secret).get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["organisation_id"] == la.organisation.pk
    assert body["roles"] == ["referrer"]
    assert body["api_key_prefix"] == issued.api_key.prefix


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.REFERRER, OrganisationKind.SECURE_HOME),
        (Role.COORDINATOR, OrganisationKind.LOCAL_AUTHORITY),
        (Role.HOME_MANAGER, OrganisationKind.UNIT),
        (Role.ANALYST, OrganisationKind.UNIT),
        (Role.ADMIN, OrganisationKind.UNIT),
        ("superuser", OrganisationKind.UNIT),
    ],
)
def test_a_key_role_must_fit_the_organisation(role: str, kind: str) -> None:
    organisation = OrganisationFactory(kind=kind)
    with pytest.raises(ServiceError) as error:
        api_key_create(organisation=organisation, role=role, name="x", by=None)
    assert error.value.field == "role"
    assert not ApiKey.objects.exists()


def test_a_key_needs_a_name() -> None:
    with pytest.raises(ServiceError, match="Enter a name"):
        api_key_create(
            organisation=OrganisationFactory(kind=OrganisationKind.UNIT),
            role=Role.COORDINATOR,
            name="  ",
            by=None,
        )


def test_only_the_organisations_admin_or_the_unit_manager_makes_keys() -> None:
    la = LocalAuthorityFactory().organisation
    other = LocalAuthorityFactory().organisation
    admin = user_with_role(Role.ADMIN, la)
    assert api_key_create(organisation=la, role=Role.REFERRER, name="Mosaic", by=admin)
    with pytest.raises(NotPermitted):
        api_key_create(organisation=other, role=Role.REFERRER, name="Mosaic", by=admin)
    with pytest.raises(NotPermitted):
        api_key_create(
            organisation=la, role=Role.REFERRER, name="x", by=user_with_role(Role.REFERRER, la)
        )
    manager = user_with_role(Role.UNIT_MANAGER)
    assert api_key_create(organisation=other, role=Role.REFERRER, name="x", by=manager)
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE, object_type="organisations.apikey"
        ).count()
        == 2
    )


def test_a_revoked_key_stops_working_at_once() -> None:
    la = LocalAuthorityFactory().organisation
    admin = user_with_role(Role.ADMIN, la)
    issued = key_for(Role.REFERRER, la)
    client = api_client(issued.secret)
    assert client.get(ME).status_code == 200
    api_key_revoke(api_key=issued.api_key, by=admin)
    response = client.get(ME)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    with pytest.raises(ServiceError, match="already been revoked"):
        api_key_revoke(api_key=issued.api_key, by=admin)


@pytest.mark.parametrize(
    "header",
    [
        "Bearer swc_00000000.not-a-real-key",
        "Bearer nonsense",
        "Bearer a b",
        "Basic dXNlcjpwYXNz",
        "",
    ],
)
def test_requests_without_a_valid_key_are_401(header: str) -> None:
    key_for(Role.REFERRER)
    response = Client(HTTP_AUTHORIZATION=header).get(ME)
    assert response.status_code == 401
    assert response.json()["status"] == 401


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER", "bEARER"])
def test_the_scheme_is_matched_whatever_its_case(scheme: str) -> None:
    # docs/api.md: authentication schemes are case-insensitive (RFC 9110, section 11.1).
    issued = key_for(Role.REFERRER)
    assert Client(HTTP_AUTHORIZATION=f"{scheme} {issued.secret}").get(ME).status_code == 200


def test_the_key_itself_is_matched_case_for_case() -> None:
    # docs/api.md: the scheme's case does not matter, the key's does.
    issued = key_for(Role.REFERRER)
    prefix, secret = issued.secret.split(".", 1)
    changed = secret.swapcase()
    assert changed != secret
    for sent in (f"{prefix}.{changed}", issued.secret.upper()):
        response = Client(HTTP_AUTHORIZATION=f"Bearer {sent}").get(ME)
        assert response.status_code == 401


def test_a_key_with_the_right_prefix_and_a_wrong_secret_is_refused() -> None:
    issued = key_for(Role.REFERRER)
    forged = issued.api_key.prefix + ".A" + issued.secret.split(".", 1)[1][1:]
    assert api_client(forged).get(ME).status_code == 401


def test_last_used_is_recorded_at_most_once_a_minute() -> None:
    issued = key_for(Role.COORDINATOR)
    client = api_client(issued.secret)
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.get(ME)
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        client.get(ME)
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at == start
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        client.get(ME)
    issued.api_key.refresh_from_db()
    assert issued.api_key.last_used_at == start + dt.timedelta(minutes=2)


def test_a_session_counts_only_after_two_factor(client_for) -> None:
    from django.test import Client

    user = user_with_role(Role.COORDINATOR)
    assert client_for(user).get(ME).status_code == 200
    half_signed_in = Client()
    half_signed_in.force_login(user)
    assert half_signed_in.get(ME).status_code in (401, 403)


def test_the_command_prints_the_key_once_for_a_dfe_code_or_home_name() -> None:
    la = LocalAuthorityFactory(dfe_la_code="850")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_key", "--organisation", "850", "--role", "referrer", stdout=out, stderr=err
    )
    secret = out.getvalue().strip()
    assert api_client(secret).get(ME).json()["organisation_id"] == la.organisation.pk
    assert secret not in err.getvalue()
    home = OrganisationFactory(kind=OrganisationKind.SECURE_HOME, name="Synthetic House")
    out = io.StringIO()
    call_command(
        "create_api_key",
        "--organisation",
        "synthetic house",
        "--role",
        "home_manager",
        stdout=out,
        stderr=err,
    )
    assert api_client(out.getvalue().strip()).get(ME).json()["organisation_id"] == home.pk


def test_the_command_refuses_an_unknown_organisation_or_a_role_that_does_not_fit() -> None:
    LocalAuthorityFactory(dfe_la_code="851")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("create_api_key", "--organisation", "999", "--role", "referrer")
    with pytest.raises(CommandError, match="cannot act as"):
        call_command("create_api_key", "--organisation", "851", "--role", "coordinator")
    assert not ApiKey.objects.exists()
