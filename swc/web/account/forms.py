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


# --- accounts run by each organisation (docs/accounts.md) -----------------------


def role_choices(kind: str) -> list[tuple[str, str]]:
    from swc.organisations.models import Role
    from swc.organisations.roles import roles_fitting

    return [(role, Role(role).label) for role in roles_fitting(kind)]


class RolesField(forms.MultipleChoiceField):
    """Roles as checkboxes; an unknown value is left for the service to name plainly."""

    def valid_value(self, value: Any) -> bool:
        return True


class InviteForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the person's full name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send the invitation to this address. It must be their work address.",
        max_length=254,
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    roles = RolesField(
        label="Roles",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(kind)  # type: ignore[attr-defined]


class RolesForm(GovukFormMixin, forms.Form):
    roles = RolesField(
        label="Roles",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices(kind)  # type: ignore[attr-defined]


class TwoFactorResetForm(GovukFormMixin, forms.Form):
    identity_checked = forms.BooleanField(
        label="I have checked this person's identity",
        help_text="For example, by calling them back on a number your organisation already holds.",
        required=False,
    )
    reason = forms.CharField(
        label="Why are you resetting their authenticator app?",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationAcceptForm(GovukFormMixin, forms.Form):
    password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. A few unrelated words are easy to remember and hard to guess.",
        max_length=256,
        strip=False,
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Enter the password again",
        max_length=256,
        strip=False,
        error_messages={"required": "Enter the password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") not in (None, data["password"]):
            self.add_error("password_again", "The passwords do not match")
        return data
