from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from swc.audit.models import AuditAction, AuditEvent
from swc.audit.services import audit_record
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.privacy.models import RetentionRecord
from swc.privacy.retention import months_before
from swc.privacy.services import referrals_retention_apply, subject_access_export
from swc.referrals.models import Referral, ReferralEvent
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (dt.datetime(2026, 11, 23, 10, 0), 24, dt.datetime(2024, 11, 23, 10, 0)),
        (dt.datetime(2026, 3, 31, 9, 0), 1, dt.datetime(2026, 2, 28, 9, 0)),
        (dt.datetime(2024, 3, 31, 9, 0), 1, dt.datetime(2024, 2, 29, 9, 0)),
        (dt.datetime(2026, 1, 15, 0, 0), 13, dt.datetime(2024, 12, 15, 0, 0)),
    ],
)
def test_months_before_is_calendar_months(moment, months, expected) -> None:
    assert months_before(moment, months) == expected


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1)), st.integers(0, 120))
def test_months_before_never_moves_forward_and_keeps_the_time(moment, months) -> None:
    earlier = months_before(moment, months)
    assert earlier <= moment
    assert earlier.time() == moment.time()


def _closed(closed_at: dt.datetime, **overrides) -> Referral:
    referral = complete_referral(**overrides)
    Referral.objects.filter(pk=referral.pk).update(status=Status.WITHDRAWN, closed_at=closed_at)
    ReferralEvent.objects.create(
        referral=referral,
        at=closed_at,
        actor_label="test",
        kind="transition",
        detail="Child's aunt in Synthetic Town can take her",
    )
    referral.refresh_from_db()
    return referral


@pytest.mark.django_db
def test_retention_removes_identity_after_24_months_and_keeps_statistics() -> None:
    old = _closed(NOW - dt.timedelta(days=2 * 365 + 10), date_of_birth=dt.date(2011, 6, 17))
    recent = _closed(NOW - dt.timedelta(days=300))
    open_referral = complete_referral()

    assert referrals_retention_apply(now=NOW, months=24) == 1
    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.la_child_identifier) == ("", "", "")
    assert old.social_worker_email == "" and old.need_descriptions == {}
    assert old.date_of_birth == dt.date(2011, 6, 1)
    # Statistics stay.
    assert old.sex and old.ethnicity and old.needs and old.legal_status
    assert old.status == Status.WITHDRAWN
    assert ReferralEvent.objects.get(referral=old).detail == ""
    assert RetentionRecord.objects.filter(referral=old).exists()
    for kept in (recent, open_referral):
        kept.refresh_from_db()
        assert kept.first_name == "Testchild"
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id="retention").exists()
    # Running again changes nothing more.
    assert referrals_retention_apply(now=NOW, months=24) == 0


@pytest.mark.django_db
def test_subject_access_export_holds_every_referral_of_the_child_and_who_viewed_it(
    tmp_path: Path,
) -> None:
    hampshire = LocalAuthorityFactory(dfe_la_code="850")
    first = complete_referral(local_authority=hampshire, la_child_identifier="HC-42")
    second = complete_referral(local_authority=hampshire, la_child_identifier="HC-42")
    other = complete_referral(local_authority=hampshire, la_child_identifier="HC-99")
    viewer = user_with_role(Role.COORDINATOR)
    audit_record(actor=viewer, action=AuditAction.VIEW, obj=first)
    manager = user_with_role(Role.UNIT_MANAGER)

    export = subject_access_export(
        local_authority_code="850", la_child_identifier="HC-42", by=manager
    )
    ids = [item["referral"]["id"] for item in export["referrals"]]
    assert ids == [first.pk, second.pk]
    assert other.pk not in ids
    assert export["referrals"][0]["access_log"][0]["who"] == viewer.email
    assert export["referrals"][0]["referral"]["first_name"] == "Testchild"
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=manager).exists()

    out = tmp_path / "sar.json"
    call_command(
        "subject_access_export",
        "--local-authority",
        "850",
        "--child-id",
        "HC-42",
        "--out",
        str(out),
        stdout=StringIO(),
    )
    assert len(json.loads(out.read_text())["referrals"]) == 2


@pytest.mark.django_db
def test_subject_access_export_command_rejects_an_unknown_authority(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="999 is not a known DfE local authority code"):
        call_command(
            "subject_access_export",
            "--local-authority",
            "999",
            "--child-id",
            "X",
            "--out",
            str(tmp_path / "x.json"),
            stdout=StringIO(),
        )


@pytest.mark.django_db
def test_subject_access_page_downloads_json_for_the_unit_manager(client_for) -> None:
    hampshire = LocalAuthorityFactory(dfe_la_code="850")
    complete_referral(local_authority=hampshire, la_child_identifier="HC-42")
    client = client_for(user_with_role(Role.UNIT_MANAGER))
    response = client.post(
        "/data-protection/subject-access/",
        {"local_authority_code": "850", "child_identifier": "HC-42"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="subject-access.json"'
    assert len(json.loads(response.content)["referrals"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"local_authority_code": "", "child_identifier": "X"},
            "Enter the DfE local authority code",
        ),
        ({"local_authority_code": "85", "child_identifier": "X"}, "as three digits, like 850"),
        (
            {"local_authority_code": "999", "child_identifier": "X"},
            "999 is not a DfE local authority code",
        ),
        (
            {"local_authority_code": "850", "child_identifier": ""},
            "Enter the authority&#x27;s child identifier",
        ),
    ],
)
def test_subject_access_page_explains_bad_input(client_for, data, message) -> None:
    LocalAuthorityFactory(dfe_la_code="850")
    response = client_for(user_with_role(Role.UNIT_MANAGER)).post(
        "/data-protection/subject-access/", data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r != Role.UNIT_MANAGER])
def test_only_the_unit_manager_may_export(client_for, role) -> None:
    response = client_for(user_with_role(role)).get("/data-protection/subject-access/")
    assert response.status_code == 404
