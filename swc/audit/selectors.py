"""Searching the audit trail (unit manager only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from swc.core.errors import NotPermitted
from swc.organisations.policy import user_can

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_events_for(user: Any, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events matching ``filters``, newest first; only for those allowed ``audit.view``."""
    if not user_can(user, "audit.view"):
        raise NotPermitted()
    events = AuditEvent.objects.select_related("actor")
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.date_from:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(at__date__lte=filters.date_to)
    return events.order_by("-at", "-id")


def audit_object_types() -> list[str]:
    return list(
        AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )


# The kind of record an event is about, in words. Most are models (``referrals.referral``);
# the rest are what the service records that has no table of its own.
RECORD_KINDS = {
    "account": "Account",
    "api": "API",
    "api.apikey": "API key",  # before API keys moved to organisations
    "organisations.apikey": "API key",
    "homes.homecommercialterms": "Home's price and terms",
    "homes.registerdeclaration": "Vacancy register",
    "homes.vacancy": "Bed",
    "matching.homeexclusion": "Home ruled out for a referral",
    "organisations.user": "Person's account",
    "reporting.monthlyreturn": "Monthly return",
    "reporting.signupreminder": "Sign-up reminder",
    "subject_access": "Subject access request",
}


def record_kind_describe(object_type: str) -> str:
    """An audit event's kind of record in words: the model's name, never its label."""
    if object_type in RECORD_KINDS:
        return RECORD_KINDS[object_type]
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        words = object_type.rsplit(".", 1)[-1].replace("_", " ")
    else:
        words = str(model._meta.verbose_name)
    return words[:1].upper() + words[1:]
