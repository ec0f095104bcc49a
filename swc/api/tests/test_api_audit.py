"""What the API refuses, and what it shows again, is in the audit trail (issue 14, item 8).

docs/security.md promises that refused access is audited: the pages did it,
the API did not. A replayed Idempotency-Key answer shows a child's details
again, and is a view like any other.
"""

from __future__ import annotations

import pytest

from swc.audit.models import AuditAction, AuditEvent
from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral, ReferralShare
from swc.referrals.tests.factories import complete_referral

from .factories import api_client, key_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"


def refusals() -> list[tuple[str, str, str, dict]]:
    return [
        (event.actor_label, event.object_type, event.object_id, event.detail)
        for event in AuditEvent.objects.filter(action=AuditAction.ACCESS_REFUSED).order_by("id")
    ]


def test_another_authoritys_record_is_a_404_and_an_audited_refusal() -> None:
    issued = key_for(Role.REFERRER, LocalAuthorityFactory().organisation)
    client = api_client(issued.secret)
    theirs = complete_referral()
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert (
        client.post(f"{URL}{theirs.pk}/submit/", {"version": 1}, "application/json").status_code
        == 404
    )
    actor = issued.api_key.user.email
    assert refusals() == [
        (actor, "api", f"/api/v1/referrals/{theirs.pk}/", {"action": "object"}),
        (actor, "api", f"/api/v1/referrals/{theirs.pk}/submit/", {"action": "object"}),
    ]


def test_a_role_refused_an_operation_is_a_403_and_an_audited_refusal() -> None:
    home = SecureHomeFactory()
    issued = key_for(Role.HOME_MANAGER, home.organisation)
    referral = complete_referral()
    ReferralShare.objects.create(
        referral=referral, home_organisation=home.organisation, shared_at=referral.created_at
    )
    client = api_client(issued.secret)
    assert client.get(f"{URL}{referral.pk}/").status_code == 403
    assert client.post(URL, {"first_name": "A"}, "application/json").status_code == 403
    actor = issued.api_key.user.email
    assert refusals() == [
        (actor, "api", f"/api/v1/referrals/{referral.pk}/", {"action": "referral.view_identity"}),
        (actor, "api", "/api/v1/referrals/", {"action": "referral.create"}),
    ]


def test_an_address_that_leads_nowhere_and_a_bad_key_are_not_refusals() -> None:
    client = api_client(key_for(Role.REFERRER, LocalAuthorityFactory().organisation).secret)
    assert client.get("/api/v1/no-such-endpoint/").status_code == 404
    assert api_client("swc_nothing.wrong").get(URL).status_code == 401
    assert refusals() == []
    # A record id that names nothing is refused like someone else's record (the same
    # 404, so nobody learns which ids exist), and audited the same way, as on the pages.
    assert client.get(f"{URL}987654321/").status_code == 404
    assert client.get(f"{URL}abc/").status_code == 404
    assert [detail for *_, detail in refusals()] == [{"action": "object"}] * 2


def test_a_replayed_create_is_audited_as_a_view_of_the_child() -> None:
    client = api_client(key_for(Role.REFERRER, LocalAuthorityFactory().organisation).secret)
    body = {"first_name": "Replayed", "last_name": "Child"}
    first = client.post(URL, body, "application/json", HTTP_IDEMPOTENCY_KEY="once")
    again = client.post(URL, body, "application/json", HTTP_IDEMPOTENCY_KEY="once")
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["first_name"] == "Replayed"
    referral = Referral.objects.get()
    views = AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_id=str(referral.pk), object_type="referrals.referral"
    ).order_by("id")
    assert [event.detail for event in views] == [{"page": "api:create"}, {"page": "api:replay"}]
    assert first.json()["id"] == referral.pk


def test_a_replayed_submit_is_audited_as_a_view_too() -> None:
    la = LocalAuthorityFactory()
    client = api_client(key_for(Role.REFERRER, la.organisation).secret)
    referral = complete_referral(local_authority=la, status="draft")
    body = {"version": referral.version}
    for _ in range(2):
        client.post(
            f"{URL}{referral.pk}/submit/", body, "application/json", HTTP_IDEMPOTENCY_KEY="s"
        )
    pages = [
        event.detail["page"]
        for event in AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_id=str(referral.pk)
        ).order_by("id")
    ]
    assert pages[-2:] == ["api:submit", "api:replay"]
