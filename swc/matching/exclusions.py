"""An authority's own list of homes it will not use: a hard constraint in matching."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core.errors import NotPermitted, ServiceError
from swc.homes.models import SecureHome
from swc.organisations.models import LocalAuthority
from swc.organisations.policy import principal_for, user_can

from .models import HomeExclusion


def exclusions_authority_for(user: Any) -> LocalAuthority | None:
    """The authority whose exclusions ``user`` manages: their own, when it is a local authority."""
    principal = principal_for(user)
    if principal.organisation_id is None:
        return None
    authority = LocalAuthority.objects.filter(organisation_id=principal.organisation_id).first()
    if authority is None or not user_can(user, "home_exclusion.manage", authority.organisation):
        return None
    return authority


def _authority_of(user: Any) -> LocalAuthority:
    authority = exclusions_authority_for(user)
    if authority is None:
        raise NotPermitted()
    return authority


def home_exclusions_for(user: Any) -> list[HomeExclusion]:
    """The homes the user's authority excludes, by home name."""
    authority = _authority_of(user)
    return list(
        HomeExclusion.objects.filter(local_authority=authority)
        .select_related("home")
        .order_by("home__name")
    )


def home_exclusion_add(*, user: Any, home: SecureHome, reason: str) -> HomeExclusion:
    """Exclude ``home`` from every match for the user's authority, with a reason."""
    authority = _authority_of(user)
    reason = reason.strip()
    if not reason:
        raise ServiceError("Enter why your authority will not use this home", field="reason")
    try:
        with transaction.atomic():
            exclusion = HomeExclusion.objects.create(
                local_authority=authority, home=home, reason=reason[:300], created_by=user
            )
            audit_record(actor=user, action=AuditAction.CREATE, obj=exclusion)
    except IntegrityError:
        raise ServiceError(f"{home.name} is already excluded", field="home") from None
    return exclusion


def home_exclusion_remove(*, user: Any, exclusion_id: int) -> None:
    """Stop excluding a home; only the authority's own exclusions can be removed."""
    authority = _authority_of(user)
    with transaction.atomic():
        exclusion = HomeExclusion.objects.filter(pk=exclusion_id, local_authority=authority).first()
        if exclusion is None:
            raise NotPermitted()
        audit_record(
            actor=user,
            action=AuditAction.DELETE,
            obj=exclusion,
            detail={"home_id": exclusion.home_id},
        )
        exclusion.delete()
