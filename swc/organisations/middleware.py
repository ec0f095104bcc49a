"""Sign-in rules applied to every request: two-factor and the absolute session limit."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .mfa import user_is_verified

SESSION_STARTED_KEY = "swc_session_started_at"

# Paths a signed-in but not yet two-factor-verified person may reach.
MFA_EXEMPT_PREFIXES = ("/sign-in", "/sign-out", "/static/", "/healthz", "/api/", "/accessibility")


class SignInPolicyMiddleware:
    """End sessions older than 12 hours, and require two-factor before any page.

    The 30-minute idle limit is Django's own (SESSION_COOKIE_AGE with
    SESSION_SAVE_EVERY_REQUEST). A deactivated account's sessions end at once
    because the auth backend refuses inactive users when it loads the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = time.time()
            elif time.time() - float(started) > settings.SWC_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if (
                settings.SWC_REQUIRE_MFA
                and not user_is_verified(user)
                and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            ):
                return redirect("web:sign-in-mfa")
        return self.get_response(request)
