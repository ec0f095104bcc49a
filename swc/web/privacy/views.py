"""The unit manager's subject access export page."""

from __future__ import annotations

import json

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from swc.organisations.access import requires
from swc.organisations.models import LocalAuthority
from swc.privacy.services import subject_access_export

from ..forms import GovukFormMixin


class SubjectAccessForm(GovukFormMixin, forms.Form):
    local_authority_code = forms.RegexField(
        label="DfE local authority code",
        help_text="Three digits, for example 850 for Hampshire",
        regex=r"^\d{3}$",
        error_messages={
            "required": "Enter the DfE local authority code",
            "invalid": "Enter the DfE local authority code as three digits, like 850",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    child_identifier = forms.CharField(
        label="The authority's child identifier",
        max_length=50,
        error_messages={"required": "Enter the authority's child identifier"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )

    def clean_local_authority_code(self) -> str:
        code: str = self.cleaned_data["local_authority_code"]
        if not LocalAuthority.objects.filter(dfe_la_code=code).exists():
            raise forms.ValidationError(f"{code} is not a DfE local authority code")
        return code


@requires("subject_access.export")
def subject_access(request: HttpRequest) -> HttpResponse:
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        export = subject_access_export(
            local_authority_code=form.cleaned_data["local_authority_code"],
            la_child_identifier=form.cleaned_data["child_identifier"],
            by=request.user,
        )
        response = HttpResponse(
            json.dumps(export, indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="subject-access.json"'
        return response
    return render(request, "privacy/subject_access.html", {"form": form})
