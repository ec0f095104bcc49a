from __future__ import annotations

import pytest

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_unit_manager_sees_who_looked_at_a_referral(
    client_for, django_assert_max_num_queries
) -> None:
    viewer = user_with_role(Role.COORDINATOR, email="cara@unit.test")
    other = user_with_role(Role.COORDINATOR, email="other@unit.test")
    audit_record(
        actor=viewer, action=AuditAction.VIEW, object_type="referrals.referral", object_id=123
    )
    audit_record(
        actor=other, action=AuditAction.VIEW, object_type="referrals.referral", object_id=456
    )
    for n in range(30):
        audit_record(
            actor=other,
            action=AuditAction.VIEW,
            object_type="referrals.referral",
            object_id=1000 + n,
        )
    client = client_for(user_with_role(Role.UNIT_MANAGER))
    with django_assert_max_num_queries(12):
        page = client.get("/audit/", {"object_type": "referrals.referral", "object_id": "R000123"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "cara@unit.test" in body
    assert "other@unit.test" not in body
    assert "1 event matches your search." in body


def test_a_search_that_finds_nothing_says_so(client_for) -> None:
    audit_record(
        actor=user_with_role(Role.COORDINATOR),
        action=AuditAction.VIEW,
        object_type="referrals.referral",
        object_id=5,
    )
    client = client_for(user_with_role(Role.UNIT_MANAGER))
    body = client.get("/audit/", {"object_id": "R000999"}).content.decode()
    assert "No events match your search." in body
    assert "<table" not in body
    body = client.get("/audit/", {"object_type": "referrals.referral"}).content.decode()
    assert "1 event matches your search." in body
    audit_record(actor=None, action=AuditAction.SIGN_IN_FAILED, object_type="account")
    assert "2 events match your search." in client.get("/audit/").content.decode()


def test_audit_search_rejects_bad_dates_with_specific_messages(client_for) -> None:
    client = client_for(user_with_role(Role.UNIT_MANAGER))
    body = client.get("/audit/", {"date_from": "yesterday"}).content.decode()
    assert "From date must be a real date" in body
    body = client.get(
        "/audit/",
        {"date_from_day": "10", "date_from_month": "11", "date_from_year": "2026"}
        | {"date_to_day": "1", "date_to_month": "11", "date_to_year": "2026"},
    ).content.decode()
    assert "To date must be the same as or after from date" in body
    body = client.get("/audit/", {"date_to_day": "1", "date_to_year": "2026"}).content.decode()
    assert "To date must include a month" in body


@pytest.mark.parametrize("role", [r for r in Role if r != Role.UNIT_MANAGER])
def test_only_the_unit_manager_may_search_the_audit_trail(client_for, role) -> None:
    assert client_for(user_with_role(role)).get("/audit/").status_code == 404


def test_kinds_of_record_are_named_in_words_not_by_their_labels(client_for) -> None:
    by = user_with_role(Role.COORDINATOR)
    audit_record(actor=by, action=AuditAction.VIEW, object_type="referrals.referral", object_id=7)
    audit_record(actor=by, action=AuditAction.CHANGE, object_type="homes.registerdeclaration")
    body = client_for(user_with_role(Role.UNIT_MANAGER)).get("/audit/").content.decode()
    assert '<option value="homes.registerdeclaration">Vacancy register</option>' in body
    assert '<option value="referrals.referral">Referral</option>' in body
    assert "Referral 7</td>" in body
    assert ">homes.registerdeclaration" not in body and ">referrals.referral" not in body
