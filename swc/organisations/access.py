"""Declaring, on each page, which policy action it needs.

Every view is either ``@requires("action")`` or ``@public``; the permission
matrix test (tests/security) walks every URL and fails on a view that
declares neither, so a new page cannot ship without a rule.

``requires`` sends anonymous people to sign in and answers 404 to a signed-in
person whose role may not do the action at all: the page's existence, like a
record's, is nobody else's business. Object-level checks stay in the view,
through ``policy.require(user, action, obj)``; ``NotPermitted`` raised there
also becomes a 404 (see swc.web.middleware.ServiceErrorMiddleware).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from .policy import RULES, user_can

View = TypeVar("View", bound=Callable[..., HttpResponse])


def requires(action: str) -> Callable[[View], View]:
    if action not in RULES:
        raise KeyError(f"undeclared policy action {action!r}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            posted = request.method == "POST"
            if not request.user.is_authenticated or (posted and request.POST.get(TIMED_OUT_FIELD)):
                return signed_out_redirect(request)
            if posted and request.POST.get(KEPT_FIELD):
                # A kept form sent again after sign-in: it is no longer waiting.
                timed_out_submission_forget(request.user, request.POST[KEPT_FIELD])
            if not user_can(request.user, action):
                access_refused_record(request, action)
                raise Http404()
            return view(request, *args, **kwargs)

        wrapped.swc_policy_action = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


TIMED_OUT_FIELD = "swc_timed_out"
KEPT_FIELD = "swc_kept"


def timed_out_submission_forget(user: Any, pk: str) -> None:
    from .services import timed_out_submission_discard

    if pk.isdigit():
        timed_out_submission_discard(user=user, pk=int(pk))


def expired_session_user_id(request: HttpRequest) -> int | None:
    """Whose session the request's cookie named, if it ended by time-out after two-factor.

    Django forgets an expired session's data when it loads it, but its row stays
    until ``clearsessions``; the cookie's key is a secret only that browser holds.
    """
    from django.conf import settings
    from django.contrib.sessions.models import Session

    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    row = Session.objects.filter(session_key=key).first()
    if row is None:
        return None
    data = row.get_decoded()
    if not data.get("otp_device_id") or not data.get("_auth_user_id"):
        return None
    from .models import User

    try:
        user_id = int(data["_auth_user_id"])
    except (TypeError, ValueError):
        return None
    # A disabled account's forms are not kept: its sessions ended on purpose.
    return user_id if User.objects.filter(pk=user_id, is_active=True).exists() else None


def signed_out_redirect(request: HttpRequest) -> HttpResponse:
    """To sign in, then back here; a form sent after a time-out is kept, not lost.

    A form arrives without a session when the session timed out while the
    person was typing, or with ``swc_timed_out`` when the page's time-out
    warning sent it as the session ended. Either way its fields are kept for
    the account the session belonged to, and offered back after sign-in
    (docs/accounts.md). Nothing the form asked for is done.
    """
    from django.conf import settings
    from django.contrib.auth import logout
    from django.shortcuts import redirect, resolve_url
    from django.utils.http import urlencode

    from .services import timed_out_submission_keep

    path = request.get_full_path()
    if request.method != "POST":
        return redirect_to_login(path)
    user_id = request.user.pk if request.user.is_authenticated else None
    user_id = user_id or expired_session_user_id(request)
    if user_id is not None:
        timed_out_submission_keep(user_id=user_id, path=path, fields=dict(request.POST.lists()))
    if request.user.is_authenticated:
        logout(request)
    return redirect(
        resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": path, "reason": "timeout"})
    )


def access_refused_record(request: HttpRequest, action: str, *, object_type: str = "page") -> None:
    """Every refused access is logged in the audit trail (ASVS V7.2.2), page or API call."""
    from swc.audit.models import AuditAction
    from swc.audit.services import audit_record

    audit_record(
        actor=request.user,
        action=AuditAction.ACCESS_REFUSED,
        object_type=object_type,
        object_id=request.path[:64],
        request=request,
        detail={"action": action},
    )


def public(view: View) -> View:
    """A page anyone may open, signed in or not (sign-in, health, accessibility)."""
    view.swc_public = True  # type: ignore[attr-defined]
    return view
