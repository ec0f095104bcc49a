"""Two-factor devices (TOTP through django-otp)."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def totp_device_for_enrolment(user: User) -> TOTPDevice:
    """The user's unconfirmed TOTP device, created on first need."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_device_confirmed_create(user: User, *, key_hex: str | None = None) -> TOTPDevice:
    """A confirmed device (for demo accounts and tests), replacing any earlier ones."""
    TOTPDevice.objects.filter(user=user).delete()
    extra = {"key": key_hex} if key_hex else {}
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True, **extra)


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as an authenticator app expects it (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_provisioning_uri(device: TOTPDevice) -> str:
    issuer = settings.SERVICE_NAME.replace(" ", "%20")
    return (
        f"otpauth://totp/{issuer}:{device.user.email}?secret={totp_secret_base32(device)}"
        f"&issuer={issuer}&digits={device.digits}&period={device.step}"
    )


def user_is_verified(user: Any) -> bool:
    """Signed in and past the second step (django-otp adds ``is_verified`` to the user)."""
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())
