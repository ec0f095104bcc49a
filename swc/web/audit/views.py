"""The unit manager's search of the audit trail: who did what, and who looked at which record."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from swc.audit.models import AuditAction
from swc.audit.selectors import (
    AuditFilters,
    audit_events_for,
    audit_object_types,
    record_kind_describe,
)
from swc.organisations.access import requires

from ..forms import GovukDateField, GovukFormMixin, date_order_check


class AuditSearchForm(GovukFormMixin, forms.Form):
    actor = forms.CharField(label="Person (email contains)", required=False, max_length=254)
    action = forms.ChoiceField(
        label="What they did", required=False, choices=[("", "Anything"), *AuditAction.choices]
    )
    object_type = forms.ChoiceField(label="Kind of record", required=False, choices=[])
    object_id = forms.CharField(
        label="Record number",
        required=False,
        max_length=64,
        help_text="For a referral, its number without the R (R000123 is 123)",
    )
    date_from = GovukDateField(label="From date", what="the from date")
    date_to = GovukDateField(label="To date", what="the to date")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        object_type = self.fields["object_type"]
        assert isinstance(object_type, forms.ChoiceField)
        kinds = sorted(
            ((t, record_kind_describe(t)) for t in audit_object_types() if t),
            key=lambda choice: choice[1],
        )
        object_type.choices = [("", "Any"), *kinds]

    def clean_object_id(self) -> str:
        value: str = self.cleaned_data["object_id"].strip()
        if value[:1] in ("R", "r") and value[1:].isdigit():
            value = str(int(value[1:]))
        return value

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        date_order_check(
            self, "date_from", "date_to", "To date must be the same as or after from date"
        )
        return cleaned


@requires("audit.view")
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        filters = AuditFilters(**form.cleaned_data)
    elif not form.is_bound:
        filters = AuditFilters()
    else:
        filters = None
    if filters is not None:
        events = audit_events_for(request.user, filters)
        page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/search.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
