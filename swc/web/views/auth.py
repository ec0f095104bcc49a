"""Sign-in with email and password, then a TOTP code; sign-out; lock-out page."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, logout
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.organisations.access import public
from swc.organisations.mfa import (
    totp_device_for_enrolment,
    totp_provisioning_uri,
    totp_secret_base32,
    user_is_verified,
)
from swc.organisations.selectors import timed_out_submission_for
from swc.organisations.services import sign_in_attempt_allow

from ..forms import GovukFormMixin


class SignInForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        max_length=256,
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=6,
        min_length=6,
        error_messages={
            "required": "Enter the 6-digit security code",
            "min_length": "Enter the 6-digit security code",
            "max_length": "Enter the 6-digit security code",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip().replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("The security code must be 6 digits")
        return code


def _safe_next(request: HttpRequest) -> str | None:
    target = request.GET.get("next") or request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


@public
@sensitive_post_parameters("password")
def sign_in(request: HttpRequest) -> HttpResponse:
    if user_is_verified(request.user):
        return redirect("web:start")
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not sign_in_attempt_allow(form.cleaned_data["email"]):
            return lockout_response(request, None, {})
        user = authenticate(
            request,
            email=form.cleaned_data["email"].lower(),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, None, {})
        if user is None:
            audit_record(
                actor=None,
                action=AuditAction.SIGN_IN_FAILED,
                object_type="account",
                request=request,
            )
            form.add_error(None, "Enter the email address and password for your account")
            form.error_anchor = "id_email"  # type: ignore[attr-defined]
        else:
            auth_login(request, user)
            request.session["swc_next"] = _safe_next(request)
            return redirect("web:sign-in-mfa")
    return render(
        request,
        "auth/sign_in.html",
        {
            "form": form,
            "next": _safe_next(request),
            "timed_out": (request.GET.get("reason") or request.POST.get("reason")) == "timeout",
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
    )


@public
def sign_in_mfa(request: HttpRequest) -> HttpResponse:
    """Second step: a TOTP code, or enrolment of an authenticator app on first sign-in."""
    user = request.user
    if not user.is_authenticated:
        return redirect("web:sign-in")
    if user_is_verified(user):
        return redirect("web:start")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = totp_device_for_enrolment(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "code", "Too many wrong codes. Wait a few seconds, then enter the latest code"
            )
        elif device.verify_token(form.cleaned_data["code"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=user, action=AuditAction.SIGN_IN, obj=user, request=request)
            target = request.session.pop("swc_next", None)
            if timed_out_submission_for(user) is not None:
                # A form sent after a time-out: offer it back before anything else.
                return redirect("account:timed-out")
            return redirect(target or "web:start")
        else:
            audit_record(
                actor=user,
                action=AuditAction.SIGN_IN_FAILED,
                obj=user,
                request=request,
                detail={"step": "security code"},
            )
            form.add_error(
                "code", "The security code is wrong or has expired. Enter the latest code"
            )
    context: dict[str, Any] = {"form": form, "enrolling": enrolling}
    if enrolling:
        uri = totp_provisioning_uri(device)
        context["qr_svg_data_uri"] = segno.make(uri, error="m").svg_data_uri(scale=4)
        context["secret"] = totp_secret_base32(device)
    return render(request, "auth/sign_in_mfa.html", context)


@public
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(
            actor=request.user, action=AuditAction.SIGN_OUT, obj=request.user, request=request
        )
    logout(request)
    if request.POST.get("reason") == "timeout":
        # The time-out warning's own sign-out: say why on the sign-in page, and come back.
        query = {"reason": "timeout", **({"next": n} if (n := _safe_next(request)) else {})}
        return redirect(reverse("web:sign-in") + "?" + urlencode(query))
    return redirect("web:signed-out")


@public
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "auth/signed_out.html")


def lockout_response(request: HttpRequest, response: Any, credentials: Any) -> HttpResponse:
    """Shown after too many failed sign-ins for one account (django-axes)."""
    audit_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        object_type="account",
        request=request,
        detail={"locked_out": True},
    )
    return render(request, "auth/locked_out.html", status=429)
