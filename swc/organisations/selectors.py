"""Reads about organisations and people, always scoped to the person asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import LocalAuthority, Organisation, User
from .policy import principal_for


@dataclass
class StartPageSummary:
    organisation: Organisation | None
    local_authority: LocalAuthority | None
    roles: list[str]
    role_labels: list[str]
    facts: list[tuple[str, str]] = field(default_factory=list)


def start_page_summary_for(user: User | Any) -> StartPageSummary:
    """What the start page shows: the user's own organisation and roles, nothing of others'."""
    from .models import Role

    principal = principal_for(user)
    organisation = (
        Organisation.objects.filter(pk=principal.organisation_id).first()
        if principal.organisation_id
        else None
    )
    local_authority = (
        LocalAuthority.objects.filter(organisation=organisation).first()
        if organisation is not None
        else None
    )
    roles = sorted(principal.roles)
    facts: list[tuple[str, str]] = []
    if local_authority is not None:
        facts = [
            ("DfE LA code", local_authority.dfe_la_code),
            ("Region", local_authority.region),
        ]
    return StartPageSummary(
        organisation=organisation,
        local_authority=local_authority,
        roles=roles,
        role_labels=[Role(r).label for r in roles],
        facts=facts,
    )


def organisation_for(user: User | Any) -> Organisation | None:
    principal = principal_for(user)
    if principal.organisation_id is None:
        return None
    return Organisation.objects.filter(pk=principal.organisation_id).first()
