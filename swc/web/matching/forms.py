"""Forms for the matching pages: sending the list, homes' responses, offers, placements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from swc.core import clock
from swc.homes.models import SecureHome, Vacancy
from swc.matching.models import DeclineReason, DischargeDestination, DischargeReason, ResponseKind
from swc.web.forms import GovukDateField, GovukFormMixin


class DayField(GovukDateField):
    """A day typed in the GOV.UK date input; ``what`` ends "Enter …" (the label's words)."""


class SendForm(GovukFormMixin, forms.Form):
    """The coordinator's shortlist: chosen homes, and a note for the authority."""

    homes = forms.MultipleChoiceField(
        label="Homes to send the referral to",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Note for the authority (optional)",
        help_text="Shown to the authority with the list. Each sending keeps its own note.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    exclusions_shared = forms.BooleanField(
        label="Show the authority why the other homes cannot take the child "
        "(otherwise it sees only their names)",
        required=False,
    )

    def __init__(self, *args: Any, candidates: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A home sent the referral without being ranked (an earlier list) has no score.
        self.fields["homes"].choices = [  # type: ignore[attr-defined]
            (
                str(c["home_id"]),
                f"{c['name']} (score {c['score']:g})" if "score" in c else c["name"],
            )
            for c in candidates
        ]

    def home_ids(self) -> list[int]:
        return [int(h) for h in self.cleaned_data.get("homes", [])]


class ResponseForm(GovukFormMixin, forms.Form):
    """A home's answer; the unit uses it for answers taken by phone.

    Each answer has fields of its own, revealed under its radio (GOV.UK conditional
    reveal); only the chosen answer's fields are checked, so a half-typed date under
    "Offer a bed" does not stop a decline.
    """

    home = forms.ModelChoiceField(
        label="Home", queryset=SecureHome.objects.none(), empty_label="Choose the home"
    )
    kind = forms.ChoiceField(
        label="The home's answer",
        choices=[
            (ResponseKind.ACCEPT, "Offer a bed"),
            (ResponseKind.INFORMATION, "Ask the authority a question"),
            (ResponseKind.DECLINE, "Decline the referral"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select offer a bed, ask a question or decline"},
    )
    vacancy = forms.ModelChoiceField(
        label="Bed offered",
        queryset=Vacancy.objects.none(),
        required=False,
        empty_label="Choose the bed",
        help_text="One of the home's free beds on the register",
    )
    available_from = DayField(label="Date the bed is available", required=False)
    conditions = forms.CharField(
        label="Conditions of the offer (optional)",
        required=False,
        max_length=2000,
        help_text="For example, a planning meeting before admission",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    offer_message = forms.CharField(
        label="Message for the authority (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    question = forms.CharField(
        label="Your question for the authority",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decline_reason = forms.ChoiceField(
        label="Why is the home declining?",
        choices=DeclineReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    decline_detail = forms.CharField(
        label="The reason in your own words",
        required=False,
        max_length=4000,
        help_text="Needed if you chose Other",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    # The fields revealed under each answer, and the one that carries its words.
    ANSWER_FIELDS = {
        ResponseKind.ACCEPT: ("vacancy", "available_from", "conditions", "offer_message"),
        ResponseKind.INFORMATION: ("question",),
        ResponseKind.DECLINE: ("decline_reason", "decline_detail"),
    }
    DETAIL_FIELD = {
        ResponseKind.ACCEPT: "offer_message",
        ResponseKind.INFORMATION: "question",
        ResponseKind.DECLINE: "decline_detail",
    }

    def __init__(
        self,
        *args: Any,
        homes: Any,
        vacancies: Any,
        fixed_home: SecureHome | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        home_field: Any = self.fields["home"]
        home_field.queryset = homes
        vacancy_field: Any = self.fields["vacancy"]
        vacancy_field.queryset = vacancies
        vacancy_field.label_from_instance = lambda v: (
            f"{v.home.name}: free from {v.available_from:%-d %B %Y}"
            + (f" ({v.get_restriction_sex_display().lower()} only)" if v.restriction_sex else "")
        )
        if fixed_home is not None:
            del self.fields["home"]
        self.fixed_home = fixed_home

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Fields under the answers not chosen were hidden: their errors are not the person's.
        kind = cleaned.get("kind")
        for other, names in self.ANSWER_FIELDS.items():
            if other == kind:
                continue
            for name in names:
                self.errors.pop(name, None)
                cleaned[name] = None
        return cleaned

    def responding_home(self) -> SecureHome:
        if self.fixed_home is not None:
            return self.fixed_home
        home: SecureHome = self.cleaned_data["home"]
        return home

    def answer(self) -> dict[str, Any]:
        """The chosen answer, as the service's keyword arguments."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "kind": kind,
            "vacancy": data.get("vacancy"),
            "available_from": data.get("available_from"),
            "conditions": data.get("conditions") or "",
            "decline_reason": data.get("decline_reason") or "",
            "detail": data.get(self.DETAIL_FIELD[kind]) or "",
        }

    def service_field(self, name: str | None) -> str | None:
        """The form's field for a field the service names (its ``detail`` is per answer)."""
        if name == "detail":
            kind = self.cleaned_data.get("kind") if hasattr(self, "cleaned_data") else None
            return self.DETAIL_FIELD.get(kind) if kind else None
        return name


TIME_HINT = "Use the 24-hour clock, for example 14:30"


class TimeOfDayField(forms.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%H:%M", "%H.%M", "%H%M"])
        kwargs.setdefault("help_text", TIME_HINT)
        kwargs.setdefault(
            "widget",
            forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input govuk-input--width-5"}),
        )
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "invalid", "Enter the time in hours and minutes, like 14:30"
        )
        super().__init__(**kwargs)


class _MomentForm(GovukFormMixin, forms.Form):
    """A day and a time of day, in England, made one aware moment."""

    day_field = ""
    time_field = ""

    def moment(self) -> dt.datetime:
        day = self.cleaned_data[self.day_field]
        time = self.cleaned_data[self.time_field]
        return dt.datetime.combine(day, time, tzinfo=clock.LONDON)


class AdmitForm(_MomentForm):
    day_field, time_field = "admitted_on", "admitted_time"
    admitted_on = DayField(
        label="Date the child arrived", required=True, what="the date the child arrived"
    )
    admitted_time = TimeOfDayField(
        label="Time the child arrived",
        error_messages={"required": "Enter the time the child arrived"},
    )


class DischargeForm(_MomentForm):
    day_field, time_field = "discharged_on", "discharged_time"
    discharged_on = DayField(
        label="Date the child left", required=True, what="the date the child left"
    )
    discharged_time = TimeOfDayField(
        label="Time the child left", error_messages={"required": "Enter the time the child left"}
    )
    reason = forms.ChoiceField(
        label="Why the placement ended",
        choices=DischargeReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the placement ended"},
    )
    destination = forms.ChoiceField(
        label="Where the child went",
        choices=DischargeDestination.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the child went"},
    )
    detail = forms.CharField(label="Details (optional)", required=False, max_length=500)


class OfferReasonForm(GovukFormMixin, forms.Form):
    """Why the authority declines an offer, or the home withdraws one."""

    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
