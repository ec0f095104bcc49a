"""Declaring, on each page, which policy action it needs.

Every view is either ``@requires("action")`` or ``@public``; the permission
matrix test (tests/security) walks every URL and fails on a view that
declares neither, so a new page cannot ship without a rule.

``requires`` sends anonymous people to sign in and answers 404 to a signed-in
person whose role may not do the action at all: the page's existence, like a
record's, is nobody else's business. Object-level checks stay in the view,
through ``policy.require(user, action, obj)``; ``NotPermitted`` raised there
also becomes a 404 (see swc.core.middleware.ServiceErrorMiddleware).
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
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_can(request.user, action):
                access_refused_record(request, action)
                raise Http404()
            return view(request, *args, **kwargs)

        wrapped.swc_policy_action = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def access_refused_record(request: HttpRequest, action: str) -> None:
    """Every refused access is logged in the audit trail (ASVS V7.2.2)."""
    from swc.audit.models import AuditAction
    from swc.audit.services import audit_record

    audit_record(
        actor=request.user,
        action=AuditAction.ACCESS_REFUSED,
        object_type="page",
        object_id=request.path[:64],
        request=request,
        detail={"action": action},
    )


def public(view: View) -> View:
    """A page anyone may open, signed in or not (sign-in, health, accessibility)."""
    view.swc_public = True  # type: ignore[attr-defined]
    return view
