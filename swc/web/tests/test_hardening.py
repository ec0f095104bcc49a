from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from swc.audit.models import AuditAction, AuditEvent
from swc.organisations.access import requires
from swc.organisations.models import Role
from swc.organisations.services import SIGN_IN_ATTEMPTS_PER_MINUTE
from swc.organisations.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_content_security_policy_allows_no_inline_script_or_style() -> None:
    policy = Client().get(reverse("web:sign-in"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["style-src"] == "'self'"


def test_pages_cannot_be_framed() -> None:
    assert Client().get(reverse("web:sign-in"))["X-Frame-Options"] == "DENY"


def test_forms_need_a_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("web:sign-in"), {"email": "a@b.test", "password": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


def test_sign_in_attempts_are_limited_per_account_per_minute() -> None:
    user = user_with_role(Role.REFERRER)
    # Successful attempts count too: a script cannot hammer an account it knows.
    for _ in range(SIGN_IN_ATTEMPTS_PER_MINUTE):
        response = Client().post(
            reverse("web:sign-in"),
            {"email": user.email, "password": "correct horse battery staple"},
        )
        assert response.status_code == 302
    response = Client().post(
        reverse("web:sign-in"), {"email": user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 429


def test_a_page_refused_to_a_role_is_404_and_audited() -> None:
    analyst = user_with_role(Role.ANALYST)

    @requires("audit.view")
    def audit_page(request):
        raise AssertionError("an analyst reached the audit page")

    request = RequestFactory().get("/audit/")
    request.user = analyst
    with pytest.raises(Http404):
        audit_page(request)
    event = AuditEvent.objects.get(action=AuditAction.ACCESS_REFUSED)
    assert event.actor == analyst
    assert event.detail == {"action": "audit.view"}
