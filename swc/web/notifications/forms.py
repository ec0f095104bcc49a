"""Forms for the outbox filter and the on-call rota."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from swc.core.calendar import LONDON
from swc.notifications.messages import MESSAGES
from swc.notifications.models import Channel, NotificationStatus
from swc.notifications.selectors import unit_officers
from swc.web.forms import GovukDateField, GovukFormMixin

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class OutboxFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *NotificationStatus.choices], required=False
    )
    channel = forms.ChoiceField(choices=[("", "Email and text"), *Channel.choices], required=False)
    message = forms.ChoiceField(
        label="Message",
        choices=[("", "Any message")] + [(k, s.title) for k, s in MESSAGES.items()],
        required=False,
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email


class OnCallPeriodForm(GovukFormMixin, forms.Form):
    officer = OfficerChoiceField(
        queryset=unit_officers(),
        empty_label="Choose an officer",
        error_messages={"required": "Choose the officer who will be on call"},
    )
    starts_on = GovukDateField(label="Start date", what="the start date", required=True)
    starts_at_time = forms.TimeField(
        label="Start time",
        help_text="24-hour clock, London time, for example 17:00",
        input_formats=TIME_FORMATS,
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time like 17:00",
        },
    )
    ends_on = GovukDateField(label="End date", what="the end date", required=True)
    ends_at_time = forms.TimeField(
        label="End time",
        help_text="24-hour clock, London time, for example 09:00",
        input_formats=TIME_FORMATS,
        error_messages={
            "required": "Enter the end time",
            "invalid": "Enter the end time like 09:00",
        },
    )
    note = forms.CharField(label="Note (optional)", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = unit_officers()  # type: ignore[attr-defined]

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        starts = dt.datetime.combine(data["starts_on"], data["starts_at_time"], tzinfo=LONDON)
        ends = dt.datetime.combine(data["ends_on"], data["ends_at_time"], tzinfo=LONDON)
        return starts, ends
