"""The pages where an organisation's admin makes, sees and revokes its API keys.

They are pages like any other (two-factor, audit, the policy): only the API itself, called
with a key, lives under /api/."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from swc.core.errors import ServiceError
from swc.organisations import selectors, services
from swc.organisations.access import requires
from swc.organisations.models import Organisation, Role
from swc.organisations.selectors import organisation_for
from swc.web.forms import GovukFormMixin


class ApiKeyForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name of the key",
        max_length=100,
        help_text="Say which system will use it, for example 'Mosaic live'.",
        error_messages={
            "required": "Enter a name for the key, such as the system that will use it"
        },
    )
    role = forms.ChoiceField(
        label="The key acts as",
        choices=(),
        error_messages={"required": "Choose the role the key acts as"},
    )

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (role, Role(role).label) for role in services.api_key_roles_for(organisation)
        ]


def _keys_page(
    request: HttpRequest,
    form: ApiKeyForm | None,
    organisation: Organisation | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "account/api_keys.html",
        {
            "form": form,
            "organisation": organisation,
            "keys": selectors.api_key_list_for(request.user),
        },
        status=status,
    )


@requires("api_key.manage")
def keys(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request.user)
    form = ApiKeyForm(organisation=organisation) if organisation else None
    if request.method == "POST" and organisation is not None:
        form = ApiKeyForm(request.POST, organisation=organisation)
        if form.is_valid():
            try:
                issued = services.api_key_create(
                    organisation=organisation,
                    role=form.cleaned_data["role"],
                    name=form.cleaned_data["name"],
                    by=request.user,
                )
            except ServiceError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                # Shown in this response only: never in a URL, a session or a log.
                return render(request, "account/api_key_created.html", {"issued": issued})
        return _keys_page(request, form, organisation, status=400)
    return _keys_page(request, form, organisation)


@require_POST
@requires("api_key.manage")
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    api_key = selectors.api_key_get_for(request.user, pk)
    try:
        services.api_key_revoke(api_key=api_key, by=request.user)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The key {api_key.name} ({api_key.prefix}) no longer works.")
    return redirect("account:api-keys")
