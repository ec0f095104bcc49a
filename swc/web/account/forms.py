"""A person's own notification preferences."""

from __future__ import annotations

from typing import Any

from django import forms

from swc.notifications.messages import MESSAGES
from swc.notifications.models import Channel, NotificationPreference
from swc.web.forms import GovukFormMixin

OPTIONAL = [(key, spec.title) for key, spec in MESSAGES.items() if spec.optional]


class NotificationPreferenceForm(GovukFormMixin, forms.Form):
    channels = forms.MultipleChoiceField(
        label="How do you want to be told?",
        help_text="Select all that apply. Text messages need a mobile number on your account.",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    receive = forms.MultipleChoiceField(
        label="Which of these optional messages do you want?",
        help_text="Messages about work you must act on are always sent.",
        choices=OPTIONAL,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    @classmethod
    def initial_from(cls, preference: NotificationPreference) -> dict[str, Any]:
        channels = [Channel.EMAIL] if preference.email_enabled else []
        channels += [Channel.SMS] if preference.sms_enabled else []
        muted = set(preference.muted_messages or [])
        return {"channels": channels, "receive": [k for k, _ in OPTIONAL if k not in muted]}

    def muted(self) -> list[str]:
        wanted = set(self.cleaned_data["receive"])
        return [key for key, _ in OPTIONAL if key not in wanted]
