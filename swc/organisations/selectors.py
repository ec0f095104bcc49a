"""Reads about organisations and people, always scoped to the person asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from swc.core.errors import NotPermitted

from .models import ApiKey, LocalAuthority, Organisation, User
from .policy import ANY, OWN, principal_for, scopes_for


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


# --- accounts run by each organisation (docs/accounts.md) -----------------------


@dataclass
class Account:
    """A person's account as their organisation's administrator sees it (a policy object)."""

    user: User
    organisation: Organisation
    roles: list[str]
    two_factor_set_up: bool = False

    @property
    def policy_owner_id(self) -> int:
        return self.organisation.pk

    @property
    def role_labels(self) -> list[str]:
        from .models import Role

        return [Role(r).label for r in Role.values if r in self.roles]

    @property
    def invitation_pending(self) -> bool:
        return not self.user.has_usable_password()


def organisations_managed_by(user: User | Any) -> list[Organisation]:
    """The organisations whose accounts ``user`` may see: their own, or every one (unit manager)."""

    scopes = scopes_for(user, "account.list")
    if not scopes:
        return []
    if ANY in scopes:
        return list(Organisation.objects.filter(is_active=True).order_by("kind", "name"))
    own = organisation_for(user)
    return [own] if own is not None else []


def organisation_get_for(user: User | Any, pk: int, action: str) -> Organisation:
    """An organisation ``user`` may do ``action`` for; anyone else's is NotPermitted (404)."""

    from .policy import require

    organisation = Organisation.objects.filter(pk=pk, is_active=True).first()
    if organisation is None:
        raise NotPermitted()
    require(user, action, organisation)
    return organisation


def accounts_of(user: User | Any, organisation: Organisation) -> list[Account]:
    """Everyone with a role in ``organisation``, if ``user`` may list its accounts."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import Membership
    from .policy import require

    require(user, "account.list", organisation)
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    accounts: dict[int, Account] = {}
    for membership in memberships:
        account = accounts.setdefault(
            membership.user_id, Account(membership.user, organisation, [])
        )
        account.roles.append(membership.role)
    enrolled = set(
        TOTPDevice.objects.filter(user_id__in=accounts, confirmed=True).values_list(
            "user_id", flat=True
        )
    )
    for account in accounts.values():
        account.two_factor_set_up = account.user.pk in enrolled
    return list(accounts.values())


def account_get_for(user: User | Any, pk: int, action: str) -> Account:
    """One person's account, if ``user`` may do ``action`` to it; otherwise NotPermitted (404).

    The account belongs to the organisation of its first membership (as the
    policy's principal does).
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import Membership
    from .policy import require

    memberships = list(
        Membership.objects.filter(user_id=pk).select_related("user", "organisation").order_by("pk")
    )
    if not memberships:
        raise NotPermitted()
    organisation = memberships[0].organisation
    account = Account(
        user=memberships[0].user,
        organisation=organisation,
        roles=[m.role for m in memberships if m.organisation_id == organisation.pk],
        two_factor_set_up=TOTPDevice.objects.filter(user_id=pk, confirmed=True).exists(),
    )
    require(user, action, account)
    return account


@dataclass
class AccountHistoryEntry:
    at: Any
    by: str
    what: str


def account_history_for(user: User | Any, account: Account) -> list[AccountHistoryEntry]:
    """What has happened to ``account``, newest first, in words (for its administrators)."""
    from swc.audit.models import AuditEvent

    from .models import Role
    from .policy import require

    require(user, "account.view_history", account)
    events = AuditEvent.objects.filter(
        object_type="organisations.user", object_id=str(account.user.pk)
    ).order_by("-at", "-id")[:200]
    return [
        AccountHistoryEntry(
            at=e.at, by=e.actor_label or "The service", what=_history_words(e, Role)
        )
        for e in events
    ]


def _history_words(event: Any, role_type: Any) -> str:
    detail = event.detail or {}

    def labels(roles: list[str]) -> str:
        return ", ".join(role_type(r).label for r in roles if r in role_type.values) or "none"

    if detail.get("invitation") == "accepted":
        return "Accepted the invitation and set a password"
    if detail.get("invited"):
        if "roles" in detail:
            return f"Invited as {labels(detail['roles'])}"
        return "Sent a new invitation"
    if "roles" in detail:
        return f"Roles changed from {labels(detail.get('previous_roles', []))} to {labels(detail['roles'])}"
    if detail.get("disabled"):
        if "unused_days" in detail:
            return f"Disabled automatically: not used for {detail['unused_days']} days"
        return "Disabled"
    if detail.get("enabled"):
        return "Enabled again"
    if detail.get("two_factor_reset"):
        return (
            f"Authenticator app reset after checking identity. Reason: {detail.get('reason', '')}"
        )
    words = {
        "sign_in": "Signed in",
        "sign_out": "Signed out",
        "sign_in_failed": "A sign-in failed",
        "create": "Account created",
        "change": "Account changed",
    }
    return words.get(event.action, "Account changed")


def timed_out_submission_for(user: User | Any, pk: int | None = None) -> Any:
    """The newest form this person sent after their session ended (or the one numbered ``pk``)."""
    from .models import TimedOutSubmission

    if not getattr(user, "is_authenticated", False):
        return None
    found = TimedOutSubmission.objects.filter(user=user)
    if pk is not None:
        found = found.filter(pk=pk)
    return found.first()


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
