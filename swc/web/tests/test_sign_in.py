from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from swc.audit.models import AuditAction, AuditEvent
from swc.organisations.middleware import SESSION_STARTED_KEY
from swc.organisations.models import Role
from swc.organisations.services import user_deactivate
from swc.organisations.tests.factories import confirmed_device, user_with_role

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in_password(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("web:sign-in"), {"email": email, "password": password})


def test_pages_need_sign_in() -> None:
    response = Client().get(reverse("web:start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:sign-in"))


def test_password_alone_does_not_give_access_two_factor_is_required() -> None:
    user = user_with_role(Role.COORDINATOR)
    device = confirmed_device(user)
    client = Client()
    response = sign_in_password(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:sign-in-mfa")
    # Any page before the code sends the person back to the code page.
    response = client.get(reverse("web:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:sign-in-mfa")

    response = client.post(
        reverse("web:sign-in-mfa"),
        {"code": "000000" if current_code(device) != "000000" else "111111"},
    )
    assert response.status_code == 200
    assert "The security code is wrong or has expired" in response.content.decode()

    # Straight after a wrong code, django-otp throttles further tries.
    response = client.post(reverse("web:sign-in-mfa"), {"code": current_code(device)})
    assert "Too many wrong codes" in response.content.decode()

    with time_machine.travel(time.time() + 5, tick=False):
        response = client.post(reverse("web:sign-in-mfa"), {"code": current_code(device)})
        assert response.status_code == 302
        assert client.get(reverse("web:start")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=user).exists()


def test_first_sign_in_enrols_an_authenticator() -> None:
    user = user_with_role(Role.REFERRER)
    client = Client()
    sign_in_password(client, user.email)
    page = client.get(reverse("web:sign-in-mfa")).content.decode()
    assert "Set up your authenticator app" in page
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    client.post(reverse("web:sign-in-mfa"), {"code": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(reverse("web:start")).status_code == 200


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit security code"),
        ("12ab56", "The security code must be 6 digits"),
        ("123", "Enter the 6-digit security code"),
    ],
)
def test_bad_codes_get_specific_errors(code: str, message: str) -> None:
    user = user_with_role(Role.REFERRER)
    confirmed_device(user)
    client = Client()
    sign_in_password(client, user.email)
    response = client.post(reverse("web:sign-in-mfa"), {"code": code})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_wrong_password_gets_one_message_that_does_not_reveal_the_account_exists() -> None:
    user = user_with_role(Role.REFERRER)
    for email in (user.email, "nobody@example.test"):
        response = sign_in_password(Client(), email, "wrong password here")
        assert response.status_code == 200
        assert "Enter the email address and password for your account" in response.content.decode()


def test_empty_sign_in_form_names_each_missing_field() -> None:
    response = Client().post(reverse("web:sign-in"), {"email": "", "password": ""})
    body = response.content.decode()
    assert "Enter your email address" in body
    assert "Enter your password" in body
    assert 'class="govuk-error-summary"' in body


def test_account_locks_after_six_failures_even_with_the_right_password() -> None:
    user = user_with_role(Role.REFERRER)
    for _ in range(6):
        sign_in_password(Client(), user.email, "not the password at all")
    response = sign_in_password(Client(), user.email)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    # Another account is not affected.
    other = user_with_role(Role.REFERRER)
    assert sign_in_password(Client(), other.email).status_code == 302


def test_session_expires_after_12_hours_even_when_active(client_for, settings) -> None:
    user = user_with_role(Role.COORDINATOR)
    client = client_for(user)
    assert client.get(reverse("web:start")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SWC_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("web:start"))
    assert response.status_code == 302
    assert client.get(reverse("web:start")).status_code == 302


def test_idle_timeout_is_30_minutes(settings) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Written on change or once a minute instead (test_session_writes.py).
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_deactivated_account_loses_its_sessions_at_once(client_for) -> None:
    user = user_with_role(Role.REFERRER)
    admin = user_with_role(Role.ADMIN)
    client = client_for(user)
    assert client.get(reverse("web:start")).status_code == 200
    user_deactivate(user=user, by=admin)
    assert client.get(reverse("web:start")).status_code == 302


def test_sign_out_ends_the_session(client_for) -> None:
    client = client_for(user_with_role(Role.ANALYST))
    response = client.post(reverse("web:sign-out"))
    assert response.status_code == 302
    assert client.get(reverse("web:start")).status_code == 302


def test_open_redirect_after_sign_in_is_refused() -> None:
    user = user_with_role(Role.COORDINATOR)
    device = confirmed_device(user)
    client = Client()
    client.post(
        reverse("web:sign-in") + "?next=https://evil.example/",
        {"email": user.email, "password": PASSWORD},
    )
    response = client.post(reverse("web:sign-in-mfa"), {"code": current_code(device)})
    assert response["Location"] == reverse("web:start")


def test_signed_in_pages_are_never_cached(client_for) -> None:
    client = client_for(user_with_role(Role.COORDINATOR))
    assert client.get(reverse("web:start"))["Cache-Control"] == "no-store"
