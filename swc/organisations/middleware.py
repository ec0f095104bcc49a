"""Sign-in rules applied to every request: two-factor and the absolute session limit."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, get_resolver

from swc.core.logs import request_id_from, request_id_var

from .mfa import user_is_verified

request_logger = logging.getLogger("swc.request")

SESSION_STARTED_KEY = "swc_session_started_at"
# When the session row was last written: each write moves its expiry to 30 idle
# minutes from then. Written when the session changes, or at most once a minute
# to keep an active person signed in, not on every request.
SESSION_SAVED_KEY = "swc_session_saved_at"
SESSION_REFRESH_SECONDS = 60


def session_idle_seconds_left(request: HttpRequest) -> int:
    """Seconds until the session ends without activity, for the time-out warning.

    Counted from the session's last write, since only a write moves its expiry.
    """
    age = int(settings.SESSION_COOKIE_AGE)
    saved = getattr(request, "session", {}).get(SESSION_SAVED_KEY)
    if saved is None:
        return age
    return max(0, min(age, int(age - (time.time() - float(saved)))))


def view_of(request: HttpRequest) -> Callable[..., Any] | None:
    """The view the request's address resolves to (None when nothing does)."""
    try:
        match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    except Resolver404:
        return None
    return match.func


def _holders(view: Callable[..., Any]) -> list[Any]:
    # A function view carries its marks itself; a class-based view on its class.
    return [
        holder
        for holder in (view, getattr(view, "cls", None), getattr(view, "view_class", None))
        if holder is not None
    ]


def view_is_public(view: Callable[..., Any]) -> bool:
    """Marked ``@public`` (swc.organisations.access), or a public view class."""
    return any(getattr(holder, "swc_public", False) for holder in _holders(view))


def view_authenticates_with_two_factors(view: Callable[..., Any]) -> bool:
    """An API endpoint whose every authentication refuses a password-only session.

    Such an endpoint accepts an API key, or a session that passed two-factor,
    and answers 401 to anything else: it needs no redirect to the security code.
    Each authentication class declares this with ``swc_requires_second_factor``;
    Django REST framework's own session authentication does not, so an endpoint
    that uses it is treated as a page.
    """
    view_class = getattr(view, "cls", None)
    classes = getattr(view_class, "authentication_classes", None) or []
    return bool(classes) and all(
        getattr(auth_class, "swc_requires_second_factor", False) for auth_class in classes
    )


def view_exempt_from_two_factor(view: Callable[..., Any] | None) -> bool:
    """Reachable before the second step: public pages, and the API (which checks for itself).

    Decided by the view, never by the address: a page under /api/ (the key pages)
    is a page like any other. An address that resolves to nothing is not exempt.
    """
    if view is None:
        return False
    return view_is_public(view) or view_authenticates_with_two_factors(view)


class SignInPolicyMiddleware:
    """End sessions older than 12 hours, and require two-factor before any page.

    The 30-minute idle limit is Django's own (SESSION_COOKIE_AGE: a session row
    expires that long after it was last written). The row is written when the
    session changes, or when a signed-in request comes a minute or more after
    the last write; so a session ends between 29 and 30 idle minutes after the
    last request, never later, and a page does not cost a write. A deactivated
    account's sessions end at once because the auth backend refuses inactive
    users when it loads the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.SWC_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
            saved = request.session.get(SESSION_SAVED_KEY)
            if saved is None or now - float(saved) >= SESSION_REFRESH_SECONDS:
                request.session[SESSION_SAVED_KEY] = now  # a change: this request writes it
            if (
                settings.SWC_REQUIRE_MFA
                and not user_is_verified(user)
                and not view_exempt_from_two_factor(view_of(request))
            ):
                return redirect("web:sign-in-mfa")
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.modified and request.user.is_authenticated:
            # Written anyway (a message, a sign-in, "Stay signed in"): its expiry moves too.
            session[SESSION_SAVED_KEY] = time.time()
        return response


class RequestLogMiddleware:
    """One structured log line per request: who, which route, the answer, how long.

    The route is the address pattern (``referrals/<int:pk>/``), not the address,
    and nothing of the request's query or body is logged (swc.core.logs). The
    request id is returned in ``X-Request-ID`` so a person reporting a problem
    can quote it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            fields = self._fields(request, response, started)
            request_logger.info("request", extra={"request_id": request_id, **fields})
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def _fields(request: HttpRequest, response: HttpResponse, started: float) -> dict[str, Any]:
        match = getattr(request, "resolver_match", None)
        fields: dict[str, Any] = {
            "method": request.method,
            "route": ("/" + match.route) if match is not None else None,
            "view": match.view_name if match is not None else None,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            fields["user_id"] = user.pk
            # The organisation as the policy already resolved it for this request: asking
            # again would cost every page a query (and fail when the database is away).
            principal = getattr(user, "_swc_principal", None)
            if principal is not None:
                fields["organisation_id"] = principal.organisation_id
        return fields
