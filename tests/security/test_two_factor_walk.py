"""A password-only session reaches nothing: every URL pattern, every method, real records.

Signed in with the password but not yet the security code, a person must be
sent to the security-code page by every page (wherever it lives: the API key
pages sit under /api/), and must get 401 from every API endpoint (the API takes
an API key, or a session that passed two-factor). Only the pages below, listed
by hand, are open before the second step.

The URL configuration is walked recursively, so a new page joins the walk on
its own; path parameters are filled with the ids of real records, so that a
view that forgot the rule would have something to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from swc.api.tests.factories import key_for
from swc.core import clock
from swc.documents.models import Document
from swc.homes.tests.factories import SecureHomeFactory
from swc.matching.models import HomeExclusion, HomeResponse, Offer, OfferStatus, Placement
from swc.notifications.models import OnCallPeriod
from swc.organisations.models import ApiKey, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    confirmed_device,
    user_with_role,
)
from swc.questions.models import Question
from swc.referrals.tests.factories import complete_referral

pytestmark = pytest.mark.django_db

SECURITY_CODE_PAGE = "/sign-in/security-code/"

# Open before the second step, by URL name: signing in and out, and pages that hold no data.
OPEN_BEFORE_SECOND_STEP = {
    "web:sign-in",
    "web:sign-in-mfa",
    "web:sign-out",
    "web:signed-out",
    "web:accessibility",
    "web:privacy",
    "healthz",
    "api:schema",
    "api:docs",
    "account:invitation",  # a new person's link (its token is the secret): sets a password
}

METHODS = ("get", "head", "post", "put", "patch", "delete", "options")


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str
    parameters: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        # Written by hand, not asked of the code under test: the versioned API
        # answers 401; everything else (the key pages under /api/ too) is a page.
        return self.route.startswith("api/v")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[Pattern]:
    found: list[Pattern] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            found += _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"{prefix}{pattern.pattern} has no name: name it to walk it"
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            route = (prefix + str(pattern.pattern)).replace("^", "").replace("$", "")
            found.append(Pattern(route, name, tuple(pattern.pattern.regex.groupindex)))
    return found


PATTERNS = _walk(get_resolver().url_patterns)
GUARDED = [p for p in PATTERNS if p.name not in OPEN_BEFORE_SECOND_STEP]

# Which record fills a path parameter, by the start of the route: the first match wins.
PARAMETERS: list[tuple[str, str, Callable[[dict[str, Any]], Any]]] = [
    ("account/api-keys/", "pk", lambda w: w["api_key"].pk),
    ("api/v1/referrals/", "pk", lambda w: w["referral"].pk),
    ("api/v1/offers/", "pk", lambda w: w["offer"].pk),
    ("api/v1/placements/", "pk", lambda w: w["placement"].pk),
    ("api/v1/homes/", "pk", lambda w: w["home"].pk),
    ("api/v1/reports/returns/", "month", lambda w: w["month"]),
    ("register/homes/", "pk", lambda w: w["home"].pk),
    ("referrals/", "pk", lambda w: w["referral"].pk),
    ("referrals/", "section", lambda w: "preferences"),
    ("matching/excluded-homes/", "pk", lambda w: w["exclusion"].pk),
    ("matching/placements/", "pk", lambda w: w["placement"].pk),
    ("matching/offers/", "pk", lambda w: w["offer"].pk),
    ("matching/referrals/", "pk", lambda w: w["referral"].pk),
    ("notifications/rota/", "pk", lambda w: w["on_call"].pk),
    ("reports/returns/", "month", lambda w: w["month"]),
    ("reports/returns/", "fmt", lambda w: "csv"),
    ("reports/surveys/", "referral_id", lambda w: w["referral"].pk),
    ("api/v1/questions/", "pk", lambda w: w["question"].pk),
    ("api/v1/documents/", "pk", lambda w: w["document"].pk),
    ("questions/referral/", "pk", lambda w: w["referral"].pk),
    ("questions/", "pk", lambda w: w["question"].pk),
    ("documents/referral/", "pk", lambda w: w["referral"].pk),
    ("documents/", "pk", lambda w: w["document"].pk),
    ("account/invitation/", "token", lambda w: "no-such-invitation"),
    ("account/organisations/", "organisation", lambda w: w["authority"].organisation_id),
    ("account/people/", "pk", lambda w: w["person"].pk),
]


def _path(pattern: Pattern, world: dict[str, Any]) -> str:
    kwargs = {}
    for parameter in pattern.parameters:
        for start, name, value in PARAMETERS:
            if name == parameter and pattern.route.startswith(start):
                kwargs[parameter] = value(world)
                break
        else:
            raise AssertionError(
                f"No record fills <{parameter}> in {pattern.route}: add a row to PARAMETERS "
                "in tests/security/test_two_factor_walk.py"
            )
    return reverse(pattern.name, kwargs=kwargs)


@pytest.fixture
def world() -> dict[str, Any]:
    """One record of each kind a URL can name, shared with every role's organisation."""
    authority = LocalAuthorityFactory(name="Walkshire")
    home = SecureHomeFactory(name="Walk Home")
    referral = complete_referral(local_authority=authority)
    now = clock.now()
    response = HomeResponse.objects.create(
        referral=referral, home=home, kind="accept", recorded_at=now
    )
    offer = Offer.objects.create(
        referral=referral,
        home=home,
        response=response,
        available_from=now.date(),
        status=OfferStatus.ACCEPTED,
    )
    placement = Placement.objects.create(
        referral=referral, offer=offer, home=home, admitted_on=now.date()
    )
    coordinator = user_with_role(Role.COORDINATOR)
    return {
        "authority": authority,
        "home": home,
        "referral": referral,
        "offer": offer,
        "placement": placement,
        "exclusion": HomeExclusion.objects.create(local_authority=authority, home=home),
        "on_call": OnCallPeriod.objects.create(
            officer=coordinator, starts_at=now, ends_at=now + dt.timedelta(hours=8)
        ),
        "api_key": key_for(Role.REFERRER, authority.organisation).api_key,
        "person": user_with_role(Role.REFERRER, authority.organisation),
        "month": f"{now.year - 1}-10",
        "question": Question.objects.create(
            referral=referral,
            asked_by_organisation=coordinator.memberships.get().organisation,
            asked_at=now,
            text="Walk question",
            route="direct",
            status="with_authority",
        ),
        "document": Document.objects.create(
            referral=referral,
            kind="care_plan",
            name="walk.pdf",
            file_type="pdf",
            size=1,
            sha256="0" * 64,
            storage_name="referrals/walk",
            uploaded_at=now,
            stored_at=now,
        ),
    }


def _organisation_for(role: Role, world: dict[str, Any]) -> Any:
    """Each role in the organisation the records belong to, where it has one."""
    if role in (Role.REFERRER, Role.ADMIN):
        return world["authority"].organisation
    if role == Role.HOME_MANAGER:
        return world["home"].organisation
    return None


def password_only_client(user: Any) -> Client:
    """Signed in with the password; the security code not yet entered."""
    confirmed_device(user)
    client = Client()
    client.force_login(user)
    return client


def test_the_walk_found_the_whole_service() -> None:
    names = {p.name for p in PATTERNS}
    # A sample typed by hand from each part of the service, the key pages included.
    assert {
        "web:start",
        "account:api-keys",
        "account:api-key-revoke",
        "api:v1:referral-list",
        "api:v1:referral-detail",
        "referrals:section",
        "reporting:return-download",
        "audit:search",
        "privacy:subject-access",
    } <= names
    assert names >= OPEN_BEFORE_SECOND_STEP, "an open page in the allow-list no longer exists"


@pytest.mark.parametrize("role", list(Role))
def test_a_password_only_session_reaches_nothing_but_the_open_pages(world, role) -> None:
    client = password_only_client(user_with_role(role, _organisation_for(role, world)))
    keys_before = ApiKey.objects.count()
    wrong = []
    for pattern in GUARDED:
        path = _path(pattern, world)
        for method in METHODS:
            response = getattr(client, method)(path)
            if pattern.is_api:
                ok = response.status_code == 401
            else:
                ok = response.status_code == 302 and response["Location"] == SECURITY_CODE_PAGE
            if not ok:
                where = response.get("Location", "")
                wrong.append(
                    f"{method.upper()} {path} ({pattern.name}): {response.status_code} {where}"
                )
    assert not wrong, "Reached with the password only:\n" + "\n".join(wrong)
    assert ApiKey.objects.count() == keys_before


@pytest.mark.parametrize("name", sorted(OPEN_BEFORE_SECOND_STEP))
def test_the_open_pages_answer_a_password_only_session(world, name) -> None:
    client = password_only_client(user_with_role(Role.COORDINATOR))
    pattern = next(p for p in PATTERNS if p.name == name)
    response = client.get(_path(pattern, world))
    assert response.status_code < 500
    assert response.get("Location") != SECURITY_CODE_PAGE


def test_an_api_key_works_whatever_session_comes_with_it(world) -> None:
    client = password_only_client(user_with_role(Role.ADMIN, world["authority"].organisation))
    issued = key_for(Role.REFERRER, world["authority"].organisation)
    headers = {"Authorization": f"Bearer {issued.secret}"}
    response = client.get("/api/v1/me/", headers=headers)
    assert response.status_code == 200
    # The key is the API's credential, not the pages': the key pages still want the code.
    keys_before = ApiKey.objects.count()
    response = client.post(
        "/account/api-keys/", {"name": "Sneaky", "role": Role.REFERRER.value}, headers=headers
    )
    assert response.status_code == 302
    assert response["Location"] == SECURITY_CODE_PAGE
    assert ApiKey.objects.count() == keys_before


def test_after_the_security_code_the_same_person_reaches_the_key_pages(world, client_for) -> None:
    # The walk's control: the refusals above come from the missing second step, not the role.
    admin = user_with_role(Role.ADMIN, world["authority"].organisation)
    client = client_for(admin)
    assert client.get("/account/api-keys/").status_code == 200
    response = client.post(
        "/account/api-keys/", {"name": "Case system", "role": Role.REFERRER.value}
    )
    assert response.status_code == 200
    assert ApiKey.objects.filter(name="Case system").count() == 1
    assert client.get("/api/v1/me/").status_code == 200


def test_an_address_that_leads_nowhere_is_not_open_either() -> None:
    client = password_only_client(user_with_role(Role.COORDINATOR))
    response = client.get("/no-such-page/")
    assert response.status_code == 302
    assert response["Location"] == SECURITY_CODE_PAGE


@override_settings(ROOT_URLCONF="tests.security.pages_under_api_urls")
def test_an_address_under_api_is_no_way_round_the_second_step(client_for) -> None:
    # The probe's bypass (issue 14, item 1): everything under /api/ was exempt by its
    # address, key pages included. A page or an endpoint that takes a password-only
    # session must want the code wherever it is mounted; the service's own endpoints
    # refuse such a session for themselves (401).
    person = user_with_role(Role.ADMIN)
    client = password_only_client(person)
    for path in ("/api/keys/", "/api/v1/test-password-session/"):
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert (response.status_code, response.get("Location")) == (302, SECURITY_CODE_PAGE)
    assert client.get("/api/v1/test-own-authentication/").status_code == 401
    # The control: with the second step done, the same person reaches all three.
    verified = client_for(person)
    assert verified.get("/api/keys/").content == b"A page under /api/"
    for path in ("/api/v1/test-password-session/", "/api/v1/test-own-authentication/"):
        assert verified.get(path).json() == {"reached": True}
