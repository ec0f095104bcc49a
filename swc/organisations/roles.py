"""Which roles a person may give to whom: pure rules, no database (docs/accounts.md).

Two rules decide every role change made on the accounts pages:

* a role must fit the organisation's kind (``ROLE_ORGANISATION_KINDS`` in the
  policy: a referrer belongs to a local authority, a home manager to a home…);
* nobody gives a role ranked above their own highest role: an organisation's
  administrator manages its people, the unit manager manages everyone's.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import OrganisationKind, Role
from .policy import ROLE_ORGANISATION_KINDS

# Higher may manage lower and equal. The working roles are equal to each other; an
# administrator manages them; the unit manager manages every organisation's accounts.
ROLE_RANK: dict[str, int] = {
    Role.REFERRER: 1,
    Role.HOME_MANAGER: 1,
    Role.COORDINATOR: 1,
    Role.ANALYST: 1,
    Role.ADMIN: 2,
    Role.UNIT_MANAGER: 3,
}


def roles_fitting(kind: str) -> list[str]:
    """The roles a person may hold in an organisation of ``kind``, in the order shown."""
    return [role for role in Role.values if kind in ROLE_ORGANISATION_KINDS.get(role, set())]


def rank_of(roles: Iterable[str]) -> int:
    return max((ROLE_RANK.get(role, 0) for role in roles), default=0)


def roles_refused(*, giver_roles: Iterable[str], kind: str, roles: Iterable[str]) -> str | None:
    """Why ``giver_roles`` may not give ``roles`` in an organisation of ``kind`` (None: they may)."""
    wanted = list(roles)
    if not wanted:
        return "Select at least one role"
    unknown = [role for role in wanted if role not in Role.values]
    if unknown:
        return "Select a role from the list"
    fitting = roles_fitting(kind)
    misfit = [Role(role).label for role in wanted if role not in fitting]
    if misfit:
        kind_label = OrganisationKind(kind).label
        return f"{', '.join(misfit)} is not a role in a {kind_label.lower()}"
    if rank_of(wanted) > rank_of(giver_roles):
        return "You cannot give a role above your own"
    return None
