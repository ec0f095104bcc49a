"""Writing audit events. Call inside the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import AuditAction, AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event: who, their organisation, what, which record, when, from where.

    ``detail`` must never hold personal data about a child: identifiers and
    field names only.
    """
    from swc.organisations.policy import principal_for

    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    principal = principal_for(actor) if is_user else None
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=(actor.email if is_user else str(actor or "")),
        organisation_id=principal.organisation_id if principal else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip_address=client_ip(request),
        detail=detail or {},
    )
