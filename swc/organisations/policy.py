"""The one place that decides what each role may see and do.

Every page, API endpoint, export and command asks ``user_can`` or
``require`` with an action name from ``RULES``. An action that is not in
``RULES`` is an error, so a new feature cannot forget to declare its rule.

A rule maps each role that may act to a *scope*:

* ``ANY`` – any object of that kind (the unit sees everything operational);
* ``OWN`` – only objects whose ``policy_owner_id`` is the user's organisation;
* ``SHARED`` – only objects that say ``policy_is_shared_with(org_id)``, such
  as a referral that has been sent to a home.

Called without an object, ``user_can`` answers "may this role do this kind of
thing at all" (for navigation and list pages); selectors then narrow lists to
what the scope allows.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from swc.core.errors import NotPermitted

from .models import OrganisationKind, Role


class Scope(enum.Enum):
    ANY = "any"
    OWN = "own"
    SHARED = "shared"


ANY, OWN, SHARED = Scope.ANY, Scope.OWN, Scope.SHARED

R = Role
UNIT_OPERATIONAL: dict[str, Scope] = {R.COORDINATOR: ANY, R.UNIT_MANAGER: ANY}

# Which organisation kinds may hold which role (admin exists in every kind).
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    R.REFERRER: {OrganisationKind.LOCAL_AUTHORITY},
    R.HOME_MANAGER: {OrganisationKind.SECURE_HOME},
    R.COORDINATOR: {OrganisationKind.UNIT},
    R.UNIT_MANAGER: {OrganisationKind.UNIT},
    R.ANALYST: {OrganisationKind.ANALYST_BODY},
    R.ADMIN: {
        OrganisationKind.LOCAL_AUTHORITY,
        OrganisationKind.SECURE_HOME,
        OrganisationKind.UNIT,
        OrganisationKind.ANALYST_BODY,
    },
}

RULES: dict[str, Mapping[str, Scope]] = {
    # --- every signed-in person ---
    "start.view": dict.fromkeys(Role.values, ANY),
    "account.view_own": dict.fromkeys(Role.values, ANY),
    # --- organisations and people ---
    "organisation.view": {**UNIT_OPERATIONAL, R.ADMIN: OWN, R.REFERRER: OWN, R.HOME_MANAGER: OWN},
    "user.manage": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    # An organisation's accounts (docs/accounts.md): its administrator, or the unit manager for any.
    "account.list": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    "account.invite": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    "account.change_role": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    "account.disable": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    "account.enable": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    "account.reset_two_factor": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    "account.view_history": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    "reference_data.manage": {R.UNIT_MANAGER: ANY},
    "api_key.manage": {R.ADMIN: OWN, R.UNIT_MANAGER: ANY},
    "terms.accept": {R.ADMIN: OWN, R.HOME_MANAGER: OWN, R.REFERRER: OWN},
    "sign_up.remind": UNIT_OPERATIONAL,
    # --- homes and the vacancy register ---
    "home.view": {
        **UNIT_OPERATIONAL,
        R.HOME_MANAGER: OWN,
        R.REFERRER: ANY,
        R.ANALYST: ANY,
    },
    "home.edit": {R.HOME_MANAGER: OWN, R.UNIT_MANAGER: ANY},
    "home.view_price": {**UNIT_OPERATIONAL, R.HOME_MANAGER: OWN, R.REFERRER: SHARED},
    "register.update": {R.HOME_MANAGER: OWN},
    "register.confirmations.view": UNIT_OPERATIONAL,
    "vacancy_board.view": {
        **UNIT_OPERATIONAL,
        R.REFERRER: ANY,
        R.ANALYST: ANY,
        R.HOME_MANAGER: ANY,
    },
    "bed.hold": UNIT_OPERATIONAL,
    # --- referrals ---
    "referral.create": {R.REFERRER: OWN},
    "referral.view": {**UNIT_OPERATIONAL, R.REFERRER: OWN, R.HOME_MANAGER: SHARED},
    "referral.view_identity": {**UNIT_OPERATIONAL, R.REFERRER: OWN},
    "referral.edit": {R.REFERRER: OWN},
    "referral.submit": {R.REFERRER: OWN},
    "referral.withdraw": {**UNIT_OPERATIONAL, R.REFERRER: OWN},
    "referral.triage": UNIT_OPERATIONAL,
    "referral.request_information": UNIT_OPERATIONAL,
    "referral.close": UNIT_OPERATIONAL,
    "referral.extend": UNIT_OPERATIONAL,
    # Finding a referral by the child's name, date of birth, reference or authority: those who
    # see the child's identity. Not homes: a name search would tell a home whether a child it
    # was never sent is referred anywhere (docs/workflow.md, "Finding a referral").
    "referral.search": {**UNIT_OPERATIONAL, R.REFERRER: OWN},
    # Who in the unit has picked a referral up: take it yourself, or hand it to a colleague.
    "referral.take": UNIT_OPERATIONAL,
    "referral.hand_over": UNIT_OPERATIONAL,
    # --- matching, responses, offers and placements ---
    "match.run": UNIT_OPERATIONAL,
    "shortlist.send": UNIT_OPERATIONAL,
    "home_response.record": {**UNIT_OPERATIONAL, R.HOME_MANAGER: SHARED},
    "offer.view": {**UNIT_OPERATIONAL, R.REFERRER: OWN, R.HOME_MANAGER: SHARED},
    "offer.accept": {**UNIT_OPERATIONAL, R.REFERRER: OWN},
    # The list of potential placements as the authority was given it, with homes' answers.
    "shortlist.view": {**UNIT_OPERATIONAL, R.REFERRER: OWN},
    "offer.decline": {**UNIT_OPERATIONAL, R.REFERRER: OWN},
    # On an offer: SHARED is the offering home (home managers belong to homes only).
    "offer.withdraw": {**UNIT_OPERATIONAL, R.HOME_MANAGER: SHARED},
    # Which home a person may answer for: the unit any (by phone), a manager their own.
    "home_response.answer_for": {**UNIT_OPERATIONAL, R.HOME_MANAGER: OWN},
    # Admission and discharge, on an offer or placement: the unit, or the home it is at.
    "placement.admit": {**UNIT_OPERATIONAL, R.HOME_MANAGER: SHARED},
    "placement.record": UNIT_OPERATIONAL,
    "allocation.propose": UNIT_OPERATIONAL,
    "home_exclusion.manage": {R.REFERRER: OWN, R.ADMIN: OWN},
    # --- questions between the parties, and documents (docs/documents-and-questions.md) ---
    "question.view": {**UNIT_OPERATIONAL, R.REFERRER: OWN, R.HOME_MANAGER: SHARED},
    "question.ask": {**UNIT_OPERATIONAL, R.HOME_MANAGER: SHARED},
    "question.pass_on": UNIT_OPERATIONAL,
    "question.answer": {**UNIT_OPERATIONAL, R.REFERRER: OWN},
    "question_routing.manage": {R.UNIT_MANAGER: ANY},
    "document.view": {**UNIT_OPERATIONAL, R.REFERRER: OWN, R.HOME_MANAGER: SHARED},
    "document.upload": {**UNIT_OPERATIONAL, R.REFERRER: OWN},
    # --- notifications and operations ---
    "outbox.view": UNIT_OPERATIONAL,
    "notification_preferences.edit": dict.fromkeys(Role.values, ANY),
    "rota.manage": {R.UNIT_MANAGER: ANY},
    "rota.view": UNIT_OPERATIONAL,
    # --- national data ---
    "report.view_aggregates": {**UNIT_OPERATIONAL, R.ANALYST: ANY},
    "report.export": {**UNIT_OPERATIONAL, R.ANALYST: ANY},
    "report.sign_off": {R.UNIT_MANAGER: ANY},
    # Counts of 1 to 5 on screen: only the unit; everything that leaves it is suppressed.
    "report.view_unsuppressed": UNIT_OPERATIONAL,
    # Who has signed up and who has not, with reminders: the unit's working list.
    "sign_up.view": UNIT_OPERATIONAL,
    # The referring authority (its referral) and the homes it was sent to (shared).
    "survey.answer": {R.REFERRER: OWN, R.HOME_MANAGER: SHARED},
    # --- audit and data protection ---
    "audit.view": {R.UNIT_MANAGER: ANY},
    "subject_access.export": {R.UNIT_MANAGER: ANY},
}


class PolicyObject(Protocol):
    """What an object offers the policy to decide OWN and SHARED scopes."""

    @property
    def policy_owner_id(self) -> int | None: ...


@dataclass(frozen=True)
class Principal:
    """Who is asking: their organisation and roles, read once per request."""

    user_id: int | None
    organisation_id: int | None
    organisation_kind: str | None
    roles: frozenset[str]

    @property
    def is_unit(self) -> bool:
        return self.organisation_kind == OrganisationKind.UNIT

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


ANONYMOUS = Principal(user_id=None, organisation_id=None, organisation_kind=None, roles=frozenset())


def principal_for(user: Any) -> Principal:
    """The user's organisation and roles, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_swc_principal", None)
    if cached is not None:
        return cached
    memberships = list(
        user.memberships.select_related("organisation").filter(organisation__is_active=True)
    )
    if not memberships:
        principal = Principal(user.pk, None, None, frozenset())
    else:
        organisation = memberships[0].organisation
        principal = Principal(
            user_id=user.pk,
            organisation_id=organisation.pk,
            organisation_kind=organisation.kind,
            roles=frozenset(m.role for m in memberships if m.organisation_id == organisation.pk),
        )
    user._swc_principal = principal
    return principal


def _scope_allows(scope: Scope, principal: Principal, obj: Any) -> bool:
    if scope is ANY:
        return True
    if scope is OWN:
        owner = getattr(obj, "policy_owner_id", None)
        return owner is not None and owner == principal.organisation_id
    if scope is SHARED:
        if principal.organisation_id is None:
            return False
        shared_with = getattr(obj, "policy_is_shared_with", None)
        return bool(shared_with and shared_with(principal.organisation_id))
    raise AssertionError(f"unknown scope {scope}")


def scopes_for(user: Any, action: str) -> set[Scope]:
    """The scopes under which this user may do ``action`` (empty: not at all)."""
    rule = RULES[action]  # KeyError: an undeclared action is a programming error
    principal = principal_for(user)
    return {rule[role] for role in principal.roles if role in rule}


def user_can(user: Any, action: str, obj: Any = None) -> bool:
    """May ``user`` do ``action`` (to ``obj``, when given)?"""
    scopes = scopes_for(user, action)
    if obj is None:
        return bool(scopes)
    principal = principal_for(user)
    return any(_scope_allows(scope, principal, obj) for scope in scopes)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise ``NotPermitted`` unless ``user_can``; views show it as 404."""
    if not user_can(user, action, obj):
        raise NotPermitted()
