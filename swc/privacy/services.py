"""Retention and subject access for children's personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import serializers
from django.db import transaction
from django.db.models.functions import TruncMonth

from swc.audit.models import AuditAction, AuditEvent
from swc.audit.services import audit_record
from swc.core import clock
from swc.documents.services import documents_erase, documents_unfinished_remove
from swc.questions.models import Question
from swc.referrals.models import Referral, ReferralEvent
from swc.referrals.workflow import TERMINAL

from .models import RetentionRecord
from .retention import months_before

# Fields that identify a child or the people around them. Statistics (age band
# from month of birth, sex, ethnicity, authority, legal position, needs, outcome,
# dates) stay for national data.
IDENTIFYING_FIELDS_BLANKED: dict[str, Any] = {
    "first_name": "",
    "last_name": "",
    "gender_identity": "",
    "first_language": "",
    "religion": "",
    "la_child_identifier": "",
    "legal_notes": "",
    "need_descriptions": {},
    "current_placement": "",
    "home_area": "",
    "social_worker_name": "",
    "social_worker_phone": "",
    "social_worker_email": "",
    "manager_name": "",
    "manager_email": "",
    "guardian_name": "",
    "guardian_phone": "",
    "preferences": "",
    "outcome_detail": "",
}


def referrals_due_for_retention(now: dt.datetime, months: int) -> Any:
    """Closed referrals past the retention period whose details are still held."""
    return Referral.objects.filter(
        status__in=TERMINAL,
        closed_at__lt=months_before(now, months),
        retention__isnull=True,
    )


def referrals_retention_apply(*, now: dt.datetime | None = None, months: int | None = None) -> int:
    """Remove identifying details from closed referrals older than the retention period.

    The date of birth is kept to month and year (stored as the 1st) so age
    bands stay right; timeline free text is removed; the statistics stay.
    Questions and answers lose their words; attached documents are deleted,
    files and rows (after the anonymising commits, for every anonymised
    referral that still has any, so an interrupted run is finished by the next).
    Returns how many referrals were anonymised. Safe to run repeatedly.
    """
    now = now or clock.now()
    months = months if months is not None else settings.SWC_RETENTION_MONTHS
    with transaction.atomic():
        ids = list(referrals_due_for_retention(now, months).values_list("pk", flat=True))
        if ids:
            _anonymise(ids, now, months)
    documents_erase(
        referral_ids=RetentionRecord.objects.filter(referral__documents__isnull=False)
        .values_list("referral_id", flat=True)
        .distinct()
    )
    documents_unfinished_remove(now)
    return len(ids)


def _anonymise(ids: list[int], now: dt.datetime, months: int) -> None:
    Referral.objects.filter(pk__in=ids).update(
        **IDENTIFYING_FIELDS_BLANKED, date_of_birth=TruncMonth("date_of_birth")
    )
    ReferralEvent.objects.filter(referral_id__in=ids).update(detail="")
    Question.objects.filter(referral_id__in=ids).update(text="", answer="")
    RetentionRecord.objects.bulk_create(
        RetentionRecord(referral_id=pk, anonymised_at=now, rule_months=months) for pk in ids
    )
    audit_record(
        actor=None,
        action=AuditAction.DELETE,
        object_type="referrals.referral",
        object_id="retention",
        detail={"referral_ids": ids, "rule_months": months},
    )


def _rows(queryset: Any) -> list[dict[str, Any]]:
    return [
        {"model": item["model"], "id": item["pk"], **item["fields"]}
        for item in serializers.serialize("python", queryset)
    ]


def subject_access_export(
    *, local_authority_code: str, la_child_identifier: str, by: Any
) -> dict[str, Any]:
    """Everything the service holds on one child, identified by authority and its child identifier.

    Includes every referral of that child, every record that refers to those
    referrals (timeline, shares with homes, and any later records such as
    responses, offers and placements, found through the model relations), and
    who has viewed them (the audit trail). The export itself is audited.
    """
    referrals = list(
        Referral.objects.filter(
            local_authority__dfe_la_code=local_authority_code,
            la_child_identifier=la_child_identifier,
        ).order_by("created_at")
    )
    export: dict[str, Any] = {
        "generated_at": clock.now().isoformat(),
        "local_authority": local_authority_code,
        "child_identifier": la_child_identifier,
        "referrals": [],
    }
    for referral in referrals:
        related: dict[str, list[dict[str, Any]]] = {}
        for relation in Referral._meta.related_objects:
            if relation.one_to_many or relation.one_to_one:
                model = relation.related_model
                field_name = relation.field.name
                rows = _rows(model._default_manager.filter(**{field_name: referral}))
                if rows:
                    related[model._meta.label_lower] = rows
        access = AuditEvent.objects.filter(
            object_type="referrals.referral", object_id=str(referral.pk)
        ).order_by("at")
        export["referrals"].append(
            {
                "referral": _rows(Referral.objects.filter(pk=referral.pk))[0],
                "related": related,
                "access_log": [
                    {
                        "at": event.at.isoformat(),
                        "who": event.actor_label,
                        "organisation_id": event.organisation_id,
                        "action": event.action,
                    }
                    for event in access
                ],
            }
        )
    audit_record(
        actor=by,
        action=AuditAction.EXPORT,
        object_type="subject_access",
        object_id=f"{local_authority_code}:{len(referrals)}",
        detail={"referral_ids": [r.pk for r in referrals]},
    )
    return export


def privacy_due_publish(now: dt.datetime) -> dict[str, int]:
    """Scheduled: remove identifying details of referrals closed longer than retention."""
    return {"privacy.retention": referrals_retention_apply(now=now)}
