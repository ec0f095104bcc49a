"""Reading API keys, scoped to the person who manages them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from swc.core.errors import NotPermitted
from swc.organisations.policy import ANY, OWN, principal_for, scopes_for

from .models import ApiKey


def api_key_list_for(user: Any) -> QuerySet[ApiKey]:
    """Keys this person may manage: their own organisation's (admin), or all (unit manager)."""
    scopes = scopes_for(user, "api_key.manage")
    keys = ApiKey.objects.select_related("organisation", "created_by")
    if ANY in scopes:
        return keys
    organisation_id = principal_for(user).organisation_id
    if OWN in scopes and organisation_id is not None:
        return keys.filter(organisation_id=organisation_id)
    return keys.none()


def api_key_get_for(user: Any, pk: int) -> ApiKey:
    """One key this person may manage; ``NotPermitted`` (shown as 404) otherwise."""
    api_key = api_key_list_for(user).filter(pk=pk).first()
    if api_key is None:
        raise NotPermitted()
    return api_key
