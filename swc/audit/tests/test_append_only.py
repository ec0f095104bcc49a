from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from swc.audit.models import AuditAction, AuditEvent
from swc.audit.services import audit_record
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_an_event_records_who_their_organisation_what_and_which_record() -> None:
    user = user_with_role(Role.COORDINATOR)
    event = audit_record(actor=user, action=AuditAction.VIEW, obj=user)
    assert event.actor == user
    assert event.actor_label == user.email
    assert event.organisation_id == user.memberships.get().organisation_id
    assert (event.object_type, event.object_id) == ("organisations.user", str(user.pk))


def test_application_cannot_change_or_delete_events() -> None:
    event = audit_record(actor=None, action=AuditAction.SIGN_IN_FAILED, object_type="account")
    event.action = AuditAction.SIGN_IN
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.VIEW)
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.SIGN_IN_FAILED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger is PostgreSQL only")
def test_postgresql_refuses_raw_updates_and_deletes() -> None:
    event = audit_record(actor=None, action=AuditAction.SIGN_IN_FAILED, object_type="account")
    for sql in (
        "UPDATE audit_auditevent SET action = 'view' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.SIGN_IN_FAILED).exists()
