"""An authority's page of homes it will not use (applied to every match of its referrals)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from swc.core.errors import ServiceError
from swc.homes.models import SecureHome
from swc.matching.exclusions import (
    exclusions_authority_for,
    home_exclusion_add,
    home_exclusion_remove,
    home_exclusions_for,
)
from swc.organisations.access import requires

from ..forms import GovukFormMixin


class ExclusionForm(GovukFormMixin, forms.Form):
    home = forms.ModelChoiceField(
        label="Home",
        queryset=SecureHome.objects.order_by("name"),
        empty_label="Choose a home",
        error_messages={
            "required": "Choose the home your authority will not use",
            "invalid_choice": "Choose a home from the list",
        },
    )
    reason = forms.CharField(
        label="Why your authority will not use it",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why your authority will not use this home",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )


@requires("home_exclusion.manage")
def exclusions(request: HttpRequest) -> HttpResponse:
    if exclusions_authority_for(request.user) is None:
        # An administrator of the unit, a home or an analyst body: nothing to exclude.
        return render(request, "matching/exclusions_not_authority.html")
    form = ExclusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            home_exclusion_add(
                user=request.user,
                home=form.cleaned_data["home"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{form.cleaned_data['home'].name} will not be matched")
            return redirect("matching:exclusions")
    return render(
        request,
        "matching/exclusions.html",
        {"form": form, "exclusions": home_exclusions_for(request.user)},
    )


@requires("home_exclusion.manage")
@require_POST
def exclusion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    home_exclusion_remove(user=request.user, exclusion_id=pk)
    messages.success(request, "The home will be matched again")
    return redirect("matching:exclusions")
