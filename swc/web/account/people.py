"""An organisation's people: invite, change roles, disable, reset two-factor, history.

Each view parses input, asks the selector for the account (404 for anyone
else's), calls one service, and redirects with a banner (docs/accounts.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from swc.core.errors import ServiceError
from swc.organisations import selectors, services
from swc.organisations.access import public, requires
from swc.organisations.policy import user_can

from .forms import InvitationAcceptForm, InviteForm, RolesForm, TwoFactorResetForm


def _error_show(form: Any, error: ServiceError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@requires("account.list")
def organisations(request: HttpRequest) -> HttpResponse:
    """The organisations whose people this person manages."""
    managed = selectors.organisations_managed_by(request.user)
    return render(request, "account/organisations.html", {"organisations": managed})


@requires("account.list")
def people(request: HttpRequest, organisation: int) -> HttpResponse:
    org = selectors.organisation_get_for(request.user, organisation, "account.list")
    return render(
        request,
        "account/people.html",
        {
            "organisation": org,
            "accounts": selectors.accounts_of(request.user, org),
            "can_invite": user_can(request.user, "account.invite", org),
        },
    )


@requires("account.invite")
def invite(request: HttpRequest, organisation: int) -> HttpResponse:
    org = selectors.organisation_get_for(request.user, organisation, "account.invite")
    form = InviteForm(request.POST if request.method == "POST" else None, kind=org.kind)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_invite(
                by=request.user,  # type: ignore[arg-type]
                organisation=org,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                roles=form.cleaned_data["roles"],
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(
                request,
                f"Invitation sent to {user.email}. The link works once, "
                f"for {settings.SWC_INVITATION_DAYS} days.",
            )
            return redirect("account:person", pk=user.pk)
    return render(
        request,
        "account/invite.html",
        {"organisation": org, "form": form, "invitation_days": settings.SWC_INVITATION_DAYS},
        status=400 if form.errors else 200,
    )


def _person_context(request: HttpRequest, account: Any) -> dict[str, Any]:
    actions = {
        name: user_can(request.user, f"account.{name}", account)
        for name in ("change_role", "disable", "enable", "reset_two_factor", "view_history")
    }
    return {"account": account, "can": actions, "is_self": account.user.pk == request.user.pk}


@requires("account.list")
def person(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for(request.user, pk, "account.list")
    return render(request, "account/person.html", _person_context(request, account))


@requires("account.change_role")
def person_roles(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for(request.user, pk, "account.change_role")
    form = RolesForm(
        request.POST if request.method == "POST" else None,
        kind=account.organisation.kind,
        initial={"roles": account.roles},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.account_roles_set(
                by=request.user,  # type: ignore[arg-type]
                account=account,
                roles=form.cleaned_data["roles"],
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(request, f"{account.user.full_name}'s roles have been changed.")
            return redirect("account:person", pk=pk)
    return render(
        request,
        "account/person_roles.html",
        {"account": account, "form": form},
        status=400 if form.errors else 200,
    )


def _person_action(request: HttpRequest, pk: int, action: str, done: str) -> HttpResponse:
    account = selectors.account_get_for(request.user, pk, f"account.{action}")
    service = {
        "disable": services.account_disable,
        "enable": services.account_enable,
        "invite": services.account_invite_again,
    }[action]
    try:
        service(by=request.user, account=account)  # type: ignore[operator,arg-type]
    except ServiceError as error:
        context = _person_context(request, account)
        context["error"] = error.message
        return render(request, "account/person.html", context, status=400)
    messages.success(request, done.format(name=account.user.full_name))
    return redirect("account:person", pk=pk)


@requires("account.disable")
@require_POST
def person_disable(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request, pk, "disable", "{name}'s account is disabled. They can no longer sign in."
    )


@requires("account.enable")
@require_POST
def person_enable(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(request, pk, "enable", "{name}'s account is enabled again.")


@requires("account.invite")
@require_POST
def person_invite_again(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(request, pk, "invite", "A new invitation has been sent to {name}.")


@requires("account.reset_two_factor")
def person_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for(request.user, pk, "account.reset_two_factor")
    form = TwoFactorResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_two_factor_reset(
                by=request.user,  # type: ignore[arg-type]
                account=account,
                reason=form.cleaned_data["reason"],
                identity_checked=form.cleaned_data["identity_checked"],
            )
        except ServiceError as error:
            _error_show(form, error)
        else:
            messages.success(
                request,
                f"{account.user.full_name}'s authenticator app has been reset. "
                "They will set up a new one when they next sign in.",
            )
            return redirect("account:person", pk=pk)
    return render(
        request,
        "account/person_two_factor.html",
        {"account": account, "form": form},
        status=400 if form.errors else 200,
    )


@requires("account.view_history")
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get_for(request.user, pk, "account.view_history")
    return render(
        request,
        "account/person_history.html",
        {"account": account, "history": selectors.account_history_for(request.user, account)},
    )


@public
@sensitive_post_parameters("password", "password_again")
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: set a password, then set up the authenticator app."""
    found = services.invitation_for_token(token)
    problem = None
    if found is None:
        problem = services.INVITATION_UNKNOWN
    elif found.accepted_at is not None:
        problem = services.INVITATION_USED
    elif not found.user.is_active or found.expires_at <= services.clock.now():
        problem = services.INVITATION_EXPIRED
    if problem:
        return render(request, "account/invitation_problem.html", {"problem": problem}, status=400)
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password"])
        except ServiceError as error:
            if error.field is None:
                return render(
                    request,
                    "account/invitation_problem.html",
                    {"problem": error.message},
                    status=400,
                )
            _error_show(form, error)
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("web:sign-in-mfa")
    assert found is not None
    return render(
        request,
        "account/invitation.html",
        {"form": form, "invited": found.user},
        status=400 if form.errors else 200,
    )
