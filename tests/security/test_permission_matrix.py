"""Every URL × every role: the permission matrix, derived from the URL configuration.

New pages join the matrix automatically. A page that declares no rule fails
``test_every_endpoint_declares_its_rule``; pages are checked for anonymous
people, for every role with and without the page's action, and with
identifiers that do not exist (always 404, never 403 or 500).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from swc.organisations.models import Role
from swc.organisations.policy import user_can
from swc.organisations.tests.factories import user_with_role


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str
    callback: Any

    @property
    def converters(self) -> list[tuple[str, str]]:
        return re.findall(r"<(?:(\w+):)?(\w+)>", self.route)

    def sample_path(self, value_for_int: int = 987654321) -> str:
        def substitute(match: re.Match[str]) -> str:
            converter = match.group(1) or "str"
            if converter == "int":
                return str(value_for_int)
            if converter == "uuid":
                return "00000000-0000-4000-8000-000000000000"
            return "no-such-thing"

        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", substitute, self.route)

    @property
    def rule(self) -> str | None:
        view_class = getattr(self.callback, "cls", None) or getattr(
            self.callback, "view_class", None
        )
        for holder in (self.callback, view_class):
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
        return self.route.startswith("api/")


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
PAGES = [e for e in ENDPOINTS if not e.is_api]


def test_the_url_configuration_was_walked() -> None:
    names = {e.name for e in ENDPOINTS}
    assert {"web:start", "web:sign-in", "healthz"} <= names


def test_every_endpoint_declares_its_rule() -> None:
    undeclared = [f"{e.route} ({e.name})" for e in ENDPOINTS if e.rule is None]
    assert not undeclared, (
        "These endpoints declare no permission rule; decorate each page with "
        "@requires('<action>') or @public from swc.organisations.access (API views: "
        "a policy_action attribute):\n" + "\n".join(undeclared)
    )


NO_ARG_PAGES = [e for e in PAGES if not e.converters and e.rule not in (None, "public")]
ARG_PAGES = [e for e in PAGES if e.converters and e.rule not in (None, "public")]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", NO_ARG_PAGES, ids=lambda e: e.name or e.route)
def test_anonymous_people_are_sent_to_sign_in(client, endpoint: Endpoint) -> None:
    response = client.get(endpoint.sample_path())
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("endpoint", NO_ARG_PAGES, ids=lambda e: e.name or e.route)
def test_each_role_reaches_exactly_the_pages_its_rules_allow(
    client_for, role: Role, endpoint: Endpoint
) -> None:
    user = user_with_role(role)
    response = client_for(user).get(endpoint.sample_path())
    if user_can(user, endpoint.rule):
        assert response.status_code in (200, 302, 405), (
            f"{role} may {endpoint.rule} but got {response.status_code}"
        )
    else:
        assert response.status_code == 404, (
            f"{role} may not {endpoint.rule} but got {response.status_code}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("endpoint", ARG_PAGES, ids=lambda e: e.name or e.route)
def test_guessed_identifiers_are_404_for_every_role(
    client_for, role: Role, endpoint: Endpoint
) -> None:
    response = client_for(user_with_role(role)).get(endpoint.sample_path())
    assert response.status_code in (404, 405), (
        f"{endpoint.sample_path()} gave {response.status_code} to {role}"
    )
