"""Every URL × every role: the permission matrix, against a table typed by hand.

``EXPECTED`` says, for every page and every API operation, which roles may use
it. It is written from the design brief and docs/security.md, not read from
``swc.organisations.policy``: a wrong row in ``RULES`` (or a page declaring the
wrong action) makes these tests fail. ``EXPECTED_RULES`` does the same for the
policy table itself, scopes included.

The URL configuration is walked, so a new page or API operation without a row
here fails ``test_every_url_has_a_row_in_the_expected_table``: add its row (who
may use it, and what they get) rather than loosening a test.

What counts as an answer:

* allowed: the page's real outcome, 200 (201 for an API create, or the one
  redirect a form posts to, named in the table): never a redirect to sign-in or
  to two-factor, never 405;
* refused: 404 for a page (a page's existence is nobody else's business), 403
  problem details for the API (docs/api.md), and the refusal is audited;
* a record that does not exist: 404 for everyone allowed to use the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from swc.audit.models import AuditAction, AuditEvent
from swc.organisations.models import Role
from swc.organisations.policy import ANY, OWN, RULES, SHARED, Scope, user_can
from swc.organisations.tests.factories import user_with_role

R, H, C, M, A, D = (
    Role.REFERRER,
    Role.HOME_MANAGER,
    Role.COORDINATOR,
    Role.UNIT_MANAGER,
    Role.ANALYST,
    Role.ADMIN,
)
EVERYONE = frozenset(Role)
UNIT = frozenset({C, M})

# A Tuesday in term time, far from any clock change: pages that show "today" are stable.
TUESDAY = "2026-11-10 11:00:00+00:00"


# --- the expected answers, typed by hand --------------------------------------------------

# (URL name, method) -> the roles that may use it. Typed from the design brief: the unit
# (coordinators and its manager) runs operations; a referrer works on their authority's
# referrals; a home manager keeps the home's register and answers referrals sent to it; an
# analyst sees national figures only; an admin manages their organisation's people, keys
# and sign-up.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    # every signed-in person
    ("web:start", "GET"): EVERYONE,
    ("account:notifications", "GET"): EVERYONE,
    # Accounts (docs/accounts.md): an organisation's administrator, or the unit manager.
    ("account:organisations", "GET"): frozenset({D, M}),
    ("account:people", "GET"): frozenset({D, M}),
    ("account:invite", "GET"): frozenset({D, M}),
    ("account:invite", "POST"): frozenset({D, M}),
    ("account:person", "GET"): frozenset({D, M}),
    ("account:person-roles", "GET"): frozenset({D, M}),
    ("account:person-roles", "POST"): frozenset({D, M}),
    ("account:person-disable", "POST"): frozenset({D, M}),
    ("account:person-enable", "POST"): frozenset({D, M}),
    ("account:person-invite-again", "POST"): frozenset({D, M}),
    ("account:person-two-factor", "GET"): frozenset({D, M}),
    ("account:person-two-factor", "POST"): frozenset({D, M}),
    ("account:person-history", "GET"): frozenset({D, M}),
    ("account:session-refresh", "POST"): EVERYONE,
    ("account:timed-out", "GET"): EVERYONE,
    ("account:timed-out", "POST"): EVERYONE,
    ("api:v1:me", "GET"): EVERYONE,
    # API keys (the pages that issue and revoke them)
    ("account:api-keys", "GET"): frozenset({M, D}),
    ("account:api-key-revoke", "POST"): frozenset({M, D}),
    # homes and the vacancy register
    ("register:board", "GET"): frozenset({R, H, C, M, A}),
    ("register:own", "GET"): frozenset({H}),
    ("register:declarations", "GET"): UNIT,
    ("register:home", "GET"): UNIT,
    ("api:v1:homes", "GET"): frozenset({R, H, C, M, A}),
    ("api:v1:home", "GET"): frozenset({R, H, C, M, A}),
    ("api:v1:home-register", "GET"): frozenset({R, H, C, M, A}),
    ("api:v1:home-register", "POST"): frozenset({H}),
    ("api:v1:home-vacancies", "POST"): frozenset({H}),
    # referrals
    ("referrals:list", "GET"): frozenset({R, H, C, M}),
    ("referrals:new", "GET"): frozenset({R}),
    ("referrals:triage", "GET"): UNIT,
    # finding a child: those who see children's identities (not homes: docs/workflow.md)
    ("referrals:search", "GET"): frozenset({R, C, M}),
    ("referrals:detail", "GET"): frozenset({R, H, C, M}),
    ("referrals:timeline", "GET"): frozenset({R, C, M}),
    ("referrals:task_list", "GET"): frozenset({R}),
    ("referrals:section", "GET"): frozenset({R}),
    ("referrals:check", "GET"): frozenset({R, C, M}),
    ("referrals:withdraw", "GET"): frozenset({R, C, M}),
    ("referrals:close", "GET"): UNIT,
    ("referrals:request_information", "GET"): UNIT,
    ("referrals:update", "GET"): frozenset({R}),
    ("referrals:extend", "GET"): UNIT,
    # who in the unit has picked a referral up (the Take button posts; Hand over is a form)
    ("referrals:take", "POST"): UNIT,
    ("referrals:hand_over", "GET"): UNIT,
    ("referrals:hand_over", "POST"): UNIT,
    ("api:v1:referral-list", "GET"): frozenset({R, H, C, M}),
    ("api:v1:referral-list", "POST"): frozenset({R}),
    ("api:v1:referral-detail", "GET"): frozenset({R, C, M}),
    ("api:v1:referral-detail", "PATCH"): frozenset({R}),
    ("api:v1:referral-home-view", "GET"): frozenset({R, H, C, M}),
    ("api:v1:referral-submit", "POST"): frozenset({R}),
    ("api:v1:referral-timeline", "GET"): frozenset({R, C, M}),
    ("api:v1:referral-withdraw", "POST"): frozenset({R, C, M}),
    ("api:v1:referral-hand-over", "POST"): UNIT,
    # matching, answers, offers and placements
    ("matching:allocation", "GET"): UNIT,
    ("matching:exclusions", "GET"): frozenset({R, D}),
    ("matching:exclusion-remove", "POST"): frozenset({R, D}),
    ("matching:placements", "GET"): UNIT,
    ("matching:discharge", "GET"): frozenset({H, C, M}),
    ("matching:admit", "GET"): frozenset({H, C, M}),
    ("matching:offer-accept", "GET"): frozenset({R, C, M}),
    ("matching:offer-decline", "GET"): frozenset({R, C, M}),
    ("matching:offer-withdraw", "GET"): frozenset({H, C, M}),
    ("matching:list", "GET"): frozenset({R, C, M}),
    ("matching:match", "GET"): UNIT,
    ("matching:respond", "GET"): frozenset({H, C, M}),
    ("matching:offers", "GET"): frozenset({R, H, C, M}),
    ("api:v1:referral-matches", "GET"): UNIT,
    ("api:v1:referral-matches", "POST"): UNIT,
    ("api:v1:referral-responses", "GET"): frozenset({R, H, C, M}),
    ("api:v1:referral-responses", "POST"): frozenset({H, C, M}),
    ("api:v1:referral-offers", "GET"): frozenset({R, H, C, M}),
    ("api:v1:referral-shortlist", "GET"): frozenset({R, C, M}),
    ("api:v1:offer-accept", "POST"): frozenset({R, C, M}),
    ("api:v1:offer-decline", "POST"): frozenset({R, C, M}),
    ("api:v1:offer-withdraw", "POST"): frozenset({H, C, M}),
    ("api:v1:offer-admit", "POST"): frozenset({H, C, M}),
    ("api:v1:placements", "GET"): UNIT,
    ("api:v1:placement-discharge", "POST"): frozenset({H, C, M}),
    # questions between the parties about a referral, and its documents: a home asks
    # (the unit may too), the authority or the unit answers, the unit passes questions on
    # and its manager decides whether homes may ask authorities directly; the authority
    # and the unit attach documents, which the homes it was sent to may read
    ("questions:thread", "GET"): frozenset({R, H, C, M}),
    ("questions:answer", "GET"): frozenset({R, C, M}),
    ("questions:pass_on", "POST"): UNIT,
    ("questions:routing", "GET"): frozenset({M}),
    ("documents:list", "GET"): frozenset({R, H, C, M}),
    ("documents:download", "GET"): frozenset({R, H, C, M}),
    ("api:v1:referral-questions", "GET"): frozenset({R, H, C, M}),
    ("api:v1:referral-questions", "POST"): frozenset({H, C, M}),
    ("api:v1:question-answer", "POST"): frozenset({R, C, M}),
    ("api:v1:question-pass-on", "POST"): UNIT,
    ("api:v1:referral-documents", "GET"): frozenset({R, H, C, M}),
    ("api:v1:referral-documents", "POST"): frozenset({R, C, M}),
    ("api:v1:document-content", "GET"): frozenset({R, H, C, M}),
    # notifications and operations
    ("notifications:outbox", "GET"): UNIT,
    ("notifications:local", "GET"): UNIT,
    ("notifications:rota", "GET"): UNIT,
    ("notifications:rota-remove", "POST"): frozenset({M}),
    # national data and sign-up
    ("reporting:index", "GET"): frozenset({C, M, A}),
    ("reporting:return", "GET"): frozenset({C, M, A}),
    ("reporting:return-download", "GET"): frozenset({C, M, A}),
    ("reporting:kpis", "GET"): frozenset({C, M, A}),
    ("reporting:trend", "GET"): frozenset({C, M, A}),
    ("reporting:terms", "GET"): frozenset({R, H, D}),
    ("reporting:sign-up-remind", "POST"): UNIT,
    ("reporting:survey", "GET"): frozenset({R, H}),
    ("api:v1:monthly-return", "GET"): frozenset({C, M, A}),
    ("api:v1:kpis", "GET"): frozenset({C, M, A}),
    # audit and data protection
    ("audit:search", "GET"): frozenset({M}),
    ("privacy:subject-access", "GET"): frozenset({M}),
}

# What an allowed person gets from a URL without identifiers, when it is not 200 (and,
# for a redirect, where it goes: a regular expression for the whole address). The body
# each operation sends is in BODIES.
ALLOWED_OUTCOME: dict[tuple[str, str], tuple[int, str]] = {
    # No kept form: back to the start.
    ("account:timed-out", "GET"): (302, "/"),
    ("account:timed-out", "POST"): (302, "/"),
    ("api:v1:referral-list", "POST"): (201, ""),
    ("reporting:sign-up-remind", "POST"): (302, "/reports/kpis/#sign-up"),
}
BODIES: dict[tuple[str, str], dict[str, str]] = {
    ("reporting:sign-up-remind", "POST"): {"organisation": "all"},
}

# Pages anyone may open, and what someone not signed in gets.
PUBLIC: dict[tuple[str, str], tuple[int, str]] = {
    ("healthz", "GET"): (200, ""),
    ("api:schema", "GET"): (200, ""),
    ("api:docs", "GET"): (200, ""),
    ("web:sign-in", "GET"): (200, ""),
    ("web:sign-in-mfa", "GET"): (302, "/sign-in/"),
    ("web:sign-out", "POST"): (302, "/signed-out/"),
    ("web:signed-out", "GET"): (200, ""),
    ("web:accessibility", "GET"): (200, ""),
    # An invitation link (docs/accounts.md); a made-up one is refused in words.
    ("account:invitation", "GET"): (400, ""),
    ("web:privacy", "GET"): (200, ""),
}

# The policy table as the brief describes it: action -> role -> scope.
# ANY: every record of the kind; OWN: their organisation's; SHARED: sent to them.
_ALL_ANY = dict.fromkeys(Role, ANY)
_UNIT_ANY = {C: ANY, M: ANY}
EXPECTED_RULES: dict[str, dict[str, Scope]] = {
    "start.view": _ALL_ANY,
    "account.view_own": _ALL_ANY,
    "organisation.view": {C: ANY, M: ANY, D: OWN, R: OWN, H: OWN},
    "user.manage": {D: OWN, M: ANY},
    "account.list": {D: OWN, M: ANY},
    "account.invite": {D: OWN, M: ANY},
    "account.change_role": {D: OWN, M: ANY},
    "account.disable": {D: OWN, M: ANY},
    "account.enable": {D: OWN, M: ANY},
    "account.reset_two_factor": {D: OWN, M: ANY},
    "account.view_history": {D: OWN, M: ANY},
    "reference_data.manage": {M: ANY},
    "api_key.manage": {D: OWN, M: ANY},
    "terms.accept": {D: OWN, H: OWN, R: OWN},
    "sign_up.remind": _UNIT_ANY,
    "home.view": {C: ANY, M: ANY, H: OWN, R: ANY, A: ANY},
    "home.edit": {H: OWN, M: ANY},
    "home.view_price": {C: ANY, M: ANY, H: OWN, R: SHARED},
    "register.update": {H: OWN},
    "register.confirmations.view": _UNIT_ANY,
    "vacancy_board.view": {C: ANY, M: ANY, R: ANY, A: ANY, H: ANY},
    "bed.hold": _UNIT_ANY,
    "referral.create": {R: OWN},
    "referral.view": {C: ANY, M: ANY, R: OWN, H: SHARED},
    "referral.view_identity": {C: ANY, M: ANY, R: OWN},
    "referral.edit": {R: OWN},
    "referral.submit": {R: OWN},
    "referral.withdraw": {C: ANY, M: ANY, R: OWN},
    "referral.triage": _UNIT_ANY,
    "referral.request_information": _UNIT_ANY,
    "referral.close": _UNIT_ANY,
    "referral.extend": _UNIT_ANY,
    "referral.search": {C: ANY, M: ANY, R: OWN},
    "referral.take": _UNIT_ANY,
    "referral.hand_over": _UNIT_ANY,
    "match.run": _UNIT_ANY,
    "shortlist.send": _UNIT_ANY,
    "home_response.record": {C: ANY, M: ANY, H: SHARED},
    "offer.view": {C: ANY, M: ANY, R: OWN, H: SHARED},
    "offer.accept": {C: ANY, M: ANY, R: OWN},
    "shortlist.view": {C: ANY, M: ANY, R: OWN},
    "offer.decline": {C: ANY, M: ANY, R: OWN},
    "offer.withdraw": {C: ANY, M: ANY, H: SHARED},
    "home_response.answer_for": {C: ANY, M: ANY, H: OWN},
    "placement.admit": {C: ANY, M: ANY, H: SHARED},
    "placement.record": _UNIT_ANY,
    "allocation.propose": _UNIT_ANY,
    "home_exclusion.manage": {R: OWN, D: OWN},
    "question.view": {C: ANY, M: ANY, R: OWN, H: SHARED},
    "question.ask": {C: ANY, M: ANY, H: SHARED},
    "question.pass_on": _UNIT_ANY,
    "question.answer": {C: ANY, M: ANY, R: OWN},
    "question_routing.manage": {M: ANY},
    "document.view": {C: ANY, M: ANY, R: OWN, H: SHARED},
    "document.upload": {C: ANY, M: ANY, R: OWN},
    "outbox.view": _UNIT_ANY,
    "notification_preferences.edit": _ALL_ANY,
    "rota.manage": {M: ANY},
    "rota.view": _UNIT_ANY,
    "report.view_aggregates": {C: ANY, M: ANY, A: ANY},
    "report.export": {C: ANY, M: ANY, A: ANY},
    "report.sign_off": {M: ANY},
    "report.view_unsuppressed": _UNIT_ANY,
    "sign_up.view": _UNIT_ANY,
    "survey.answer": {R: OWN, H: SHARED},
    "audit.view": {M: ANY},
    "subject_access.export": {M: ANY},
}


# --- the URL configuration ----------------------------------------------------------------

API_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str
    callback: Any

    @property
    def argument_names(self) -> list[str]:
        # path() converters (<int:pk>) and the router's regular expressions ((?P<pk>...)).
        return [a or b for a, b in re.findall(r"\(\?P<(\w+)>|<(?:\w+:)?(\w+)>", self.route)]

    def path(self, **values: Any) -> str:
        """The URL with ``values`` for its arguments, or identifiers that exist nowhere."""
        kwargs = {
            name: values.get(name, _GUESSES.get(name, 987654321)) for name in self.argument_names
        }
        return reverse(self.name, kwargs=kwargs)

    @property
    def view_class(self) -> Any:
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def rule(self) -> str | None:
        for holder in (self.callback, self.view_class):
            if holder is None:
                continue
            if getattr(holder, "swc_public", False):
                return "public"
            action = getattr(holder, "swc_policy_action", None) or getattr(
                holder, "policy_action", None
            )
            if action:
                return action
        return None

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/")

    def api_methods(self) -> list[str]:
        """The HTTP methods an API view answers (a viewset route maps them to actions)."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            # DRF adds "head" to a viewset's actions once it has served a GET.
            return sorted(m.upper() for m in actions if m in API_METHODS)
        return [m.upper() for m in API_METHODS if hasattr(self.view_class, m)]


_GUESSES = {"month": "2026-10", "fmt": "csv", "section": "child"}


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Endpoint]:
    endpoints: list[Endpoint] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            endpoints += _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            endpoints.append(Endpoint(prefix + str(pattern.pattern), name, pattern.callback))
    return endpoints


ENDPOINTS = _walk(get_resolver().url_patterns)
BY_NAME = {e.name: e for e in ENDPOINTS}


def _rows() -> Iterator[tuple[Endpoint, str, frozenset[str]]]:
    for (name, method), roles in sorted(EXPECTED.items()):
        if name in BY_NAME:
            yield BY_NAME[name], method, roles


def _row_id(row: Any) -> str:
    if isinstance(row, tuple):
        return f"{row[0].name}:{row[1]}"
    return str(row)


ROWS = list(_rows())
# A month or a file format in the path is not a record: those pages give their real answer.
ROWS_WITHOUT_IDENTIFIERS = [row for row in ROWS if set(row[0].argument_names) <= {"month", "fmt"}]
ROWS_WITH_IDENTIFIERS = [row for row in ROWS if row not in ROWS_WITHOUT_IDENTIFIERS]


def test_the_url_configuration_was_walked() -> None:
    names = {e.name for e in ENDPOINTS}
    assert {"web:start", "web:sign-in", "healthz", "api:v1:referral-list"} <= names


def test_every_url_has_a_name_of_its_own() -> None:
    """The table and ``reverse`` find a URL by its name: two URLs with one name hide one."""
    names = [e.name for e in ENDPOINTS]
    shared = sorted({name for name in names if names.count(name) > 1})
    assert not shared, f"These names are given to more than one URL: {shared}"


def test_every_endpoint_declares_its_rule() -> None:
    undeclared = [f"{e.route} ({e.name})" for e in ENDPOINTS if e.rule is None]
    assert not undeclared, (
        "These endpoints declare no permission rule; decorate each page with "
        "@requires('<action>') or @public from swc.organisations.access (API views: "
        "a policy_action attribute):\n" + "\n".join(undeclared)
    )


def test_every_url_has_a_row_in_the_expected_table() -> None:
    rows = set(EXPECTED) | set(PUBLIC)
    named = {name for name, _ in rows}
    missing = [f"{e.name} ({e.route})" for e in ENDPOINTS if e.name not in named and not e.is_api]
    missing += [
        f"{e.name} {method} ({e.route})"
        for e in ENDPOINTS
        if e.is_api
        for method in e.api_methods()
        if (e.name, method) not in rows
    ]
    assert not missing, (
        "These URLs (or API operations) have no row in tests/security/test_permission_matrix.py's "
        "EXPECTED (or PUBLIC) table. Add one per URL and method, naming by hand the roles "
        "that may use it:\n" + "\n".join(missing)
    )
    gone = sorted(f"{name} {method}" for name, method in rows if name not in BY_NAME)
    assert not gone, "These rows name URLs that no longer exist:\n" + "\n".join(gone)


def test_public_pages_are_exactly_those_declared_public() -> None:
    public = sorted(e.name for e in ENDPOINTS if e.rule == "public")
    assert public == sorted({name for name, _ in PUBLIC})


def test_every_policy_action_has_a_row_in_the_expected_rules() -> None:
    missing = sorted(set(RULES) - set(EXPECTED_RULES))
    assert not missing, (
        "These policy actions have no row in tests/security/test_permission_matrix.py's "
        "EXPECTED_RULES: add one saying by hand which roles may do it, under which scope:\n"
        + "\n".join(missing)
    )
    assert sorted(set(EXPECTED_RULES) - set(RULES)) == []


@pytest.mark.parametrize("action", sorted(EXPECTED_RULES))
def test_each_policy_rule_gives_exactly_the_expected_roles_and_scopes(action: str) -> None:
    assert dict(RULES.get(action, {})) == EXPECTED_RULES[action]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(EXPECTED_RULES))
def test_user_can_answers_each_role_as_the_expected_rules_say(role: str, action: str) -> None:
    assert user_can(user_with_role(role), action) is (role in EXPECTED_RULES[action])


# --- asking the service -------------------------------------------------------------------


def _ask(client: Any, endpoint: Endpoint, method: str, path: str) -> Any:
    key = (endpoint.name, method)
    if endpoint.is_api:
        body = json.dumps(BODIES.get(key, {})) if method != "GET" else None
        kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
        return getattr(client, method.lower())(path, **kwargs)
    return getattr(client, method.lower())(path, BODIES.get(key, {}))


def _refusal_status(endpoint: Endpoint) -> int:
    return 403 if endpoint.is_api else 404


def _refusals_recorded(action: str) -> int:
    return AuditEvent.objects.filter(
        action=AuditAction.ACCESS_REFUSED, detail__action=action
    ).count()


@pytest.fixture(autouse=True)
def _a_tuesday_morning() -> Iterator[None]:
    with time_machine.travel(TUESDAY, tick=False):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), sorted(PUBLIC), ids=lambda v: str(v))
def test_public_pages_answer_anyone(client, name: str, method: str) -> None:
    status, location = PUBLIC[(name, method)]
    response = getattr(client, method.lower())(BY_NAME[name].path())
    assert response.status_code == status
    if location:
        assert response["Location"].startswith(location)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS_WITHOUT_IDENTIFIERS, ids=_row_id)
def test_people_not_signed_in_are_sent_to_sign_in_or_refused(client, row) -> None:
    endpoint, method, _roles = row
    response = _ask(client, endpoint, method, endpoint.path())
    if endpoint.is_api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("row", ROWS_WITHOUT_IDENTIFIERS, ids=_row_id)
def test_each_role_gets_the_real_page_or_a_refusal(client_for, role: str, row) -> None:
    endpoint, method, roles = row
    response = _ask(client_for(user_with_role(role)), endpoint, method, endpoint.path())
    if role in roles:
        status, location = ALLOWED_OUTCOME.get((endpoint.name, method), (200, ""))
        assert response.status_code == status, (
            f"{role} may {method} {endpoint.name} but got {response.status_code}"
        )
        if location:
            assert re.fullmatch(location, response["Location"]), response["Location"]
    else:
        assert response.status_code == _refusal_status(endpoint), (
            f"{role} may not {method} {endpoint.name} but got {response.status_code}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("row", ROWS_WITH_IDENTIFIERS, ids=_row_id)
def test_guessed_identifiers_are_404_to_those_allowed_and_refused_to_the_rest(
    client_for, role: str, row
) -> None:
    """With an identifier that exists nowhere, a role allowed to use the page gets 404 (no
    such record); a role refused is refused before any record is looked up, and audited."""
    endpoint, method, roles = row
    refused_before = _refusals_recorded(endpoint.rule or "")
    response = _ask(client_for(user_with_role(role)), endpoint, method, endpoint.path())
    refused_after = _refusals_recorded(endpoint.rule or "")
    if role in roles:
        assert response.status_code == 404, f"{role}: {response.status_code}"
        if not endpoint.is_api:
            assert refused_after == refused_before, f"{role} was refused {endpoint.name}"
    else:
        assert response.status_code == _refusal_status(endpoint), f"{role}: {response.status_code}"
        if not endpoint.is_api:
            assert refused_after == refused_before + 1, f"{role}'s refusal was not audited"


# --- record pages, with a record each role has a reason to open ---------------------------

# Record pages a person of each role opens for a referral of their own authority, sent to
# their home: the answer for a role in EXPECTED is the page itself; for the rest, 404.
RECORD_PAGES = [
    "referrals:detail",
    "referrals:timeline",
    "referrals:task_list",
    "referrals:section",
    "referrals:check",
    "referrals:withdraw",
    "referrals:close",
    "referrals:request_information",
    "referrals:update",
    "referrals:extend",
    "referrals:hand_over",
    "matching:match",
    "matching:respond",
    "matching:offers",
    "matching:list",
    "reporting:survey",
    "questions:thread",
    "documents:list",
]


@pytest.fixture
def record_world(db):
    from swc.matching.tests.factories import home_make
    from swc.organisations.tests.factories import LocalAuthorityFactory
    from swc.referrals.models import ReferralShare
    from swc.referrals.tests.factories import complete_referral

    authority = LocalAuthorityFactory(name="Hampshire")
    home = home_make(name="Shared Home")
    referral = complete_referral(local_authority=authority)
    ReferralShare.objects.create(
        referral=referral, home_organisation=home.organisation, shared_at=referral.completed_at
    )
    people = {
        R: user_with_role(R, authority.organisation),
        H: user_with_role(H, home.organisation),
        C: user_with_role(C),
        M: user_with_role(M),
        A: user_with_role(A),
        D: user_with_role(D, authority.organisation),
    }
    return referral, people


@pytest.mark.parametrize("name", RECORD_PAGES)
def test_each_role_opens_exactly_the_record_pages_expected(client_for, record_world, name) -> None:
    referral, people = record_world
    endpoint = BY_NAME[name]
    values = {"pk": referral.pk, "referral_id": referral.pk, "section": "child"}
    wrong = {}
    for role, person in people.items():
        status = client_for(person).get(endpoint.path(**values)).status_code
        expected = 200 if role in EXPECTED[(name, "GET")] else 404
        if status != expected:
            wrong[role] = (status, expected)
    assert not wrong, f"{name}: role -> (got, expected) {wrong}"
