"""Question pages of the referral form, one form per section, and the lifecycle forms.

Forms parse and check the shape of answers; whether a referral is complete
is ``swc.referrals.completeness``'s business, and saving is the services'.
Nothing is required on a question page: a draft may be saved half done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from swc.core import clock
from swc.core.phones import phone_validate
from swc.core.vocabulary import (
    ClosureDestination,
    Ethnicity,
    LegalStatus,
    NeedOrRisk,
    Sex,
    WithdrawalReason,
)
from swc.organisations.models import Region
from swc.referrals.completeness import age_problem, legal_problems

from ..forms import GovukDateField, GovukDateTimeField, GovukFormMixin

BLANK = [("", "Select")]


def _text(label: str, *, max_length: int = 200, hint: str = "", width: str = "") -> forms.CharField:
    attrs = {"class": f"govuk-input--width-{width}"} if width else {}
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=hint,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _area(label: str, *, hint: str = "", max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _phone(label: str) -> forms.CharField:
    """A UK phone number, checked and stored by swc.core.phones (the API uses the same)."""
    field = _text(label, max_length=32, width="20", hint="For example, 01632 960 001")
    field.validators.append(phone_validate)
    return field


class SectionForm(GovukFormMixin, forms.Form):
    """Every question page carries the version it was read at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ChildForm(SectionForm):
    first_name = _text("First name", max_length=100)
    last_name = _text("Last name", max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2011")
    sex = forms.ChoiceField(
        label="Sex", required=False, choices=Sex.choices, widget=forms.RadioSelect
    )
    gender_identity = _text(
        "Gender identity, if different from sex", max_length=100, hint="Leave blank if the same"
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity", required=False, choices=BLANK + Ethnicity.choices
    )
    first_language = _text("First language", max_length=100, width="20")
    religion = _text("Religion", max_length=100, width="20", hint="Optional")
    la_child_identifier = _text(
        "Your authority's identifier for the child",
        max_length=50,
        width="20",
        hint="The child's number in your case management system",
    )
    unaccompanied_asylum_seeking = forms.TypedChoiceField(
        label="Is the child an unaccompanied asylum-seeking child?",
        required=False,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial")
        if initial and isinstance(initial.get("unaccompanied_asylum_seeking"), bool):
            initial["unaccompanied_asylum_seeking"] = (
                "yes" if initial["unaccompanied_asylum_seeking"] else "no"
            )
        super().__init__(*args, **kwargs)

    def clean_date_of_birth(self) -> dt.date | None:
        dob = self.cleaned_data.get("date_of_birth")
        if dob is not None:
            message = age_problem(dob, clock.today(), when="today")
            if message:
                raise forms.ValidationError(message)
        return dob


class LegalForm(SectionForm):
    legal_status = forms.ChoiceField(
        label="What is the legal position?",
        required=False,
        choices=LegalStatus.choices,
        widget=forms.RadioSelect,
    )
    order_expires_on = GovukDateField(label="Date the order expires")
    hearing_date = GovukDateField(label="Date of the court hearing")
    regulation_10_started_at = GovukDateTimeField(label="Date and time the 72 hours began")
    secretary_of_state_approval_on = GovukDateField(
        label="Date the Secretary of State approved the placement",
        help_text="Needed when the child is under 13. For example, 27 3 2026",
    )
    legal_notes = _area("Anything else about the legal position", hint="Optional")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for problem in legal_problems(cleaned, clock.now(), include_missing=False):
            if problem.field in self.fields and problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return cleaned


NEED_CODES = list(NeedOrRisk.values)


class NeedsForm(SectionForm):
    needs = forms.MultipleChoiceField(
        label="Needs and risks",
        required=False,
        choices=NeedOrRisk.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial") or {}
        descriptions = initial.get("need_descriptions") or {}
        for code in NEED_CODES:
            initial.setdefault(f"description_{code}", descriptions.get(code, ""))
        super().__init__(*args, **kwargs)
        for code, label in NeedOrRisk.choices:
            self.fields[f"description_{code}"] = forms.CharField(
                label=f"Describe: {label.lower()}",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
                error_messages={"max_length": "Each description must be 1000 characters or fewer"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for code in cleaned.get("needs") or []:
            if not (cleaned.get(f"description_{code}") or "").strip():
                self.add_error(
                    f"description_{code}",
                    f"Describe the child's {NeedOrRisk(code).label.lower()} in a sentence or two",
                )
        return cleaned

    def rows(self) -> list[dict[str, Any]]:
        selected = set(self["needs"].value() or [])
        return [
            {
                "code": code,
                "label": label,
                "checked": code in selected,
                "description": self[f"description_{code}"],
            }
            for code, label in NeedOrRisk.choices
        ]

    def values(self) -> dict[str, Any]:
        needs = list(self.cleaned_data.get("needs") or [])
        return {
            "needs": needs,
            "need_descriptions": {
                code: self.cleaned_data[f"description_{code}"].strip() for code in needs
            },
        }


class PlacementForm(SectionForm):
    current_placement = _text(
        "Where is the child living now?",
        max_length=300,
        hint="The kind of placement, for example a residential children's home. Not an address.",
    )
    home_area_region = forms.ChoiceField(
        label="Region of the child's home area",
        required=False,
        choices=BLANK + Region.choices,
    )
    home_area = _text(
        "Town or district of the child's home area",
        hint="Used to measure distances to homes. Not an exact address.",
        width="20",
    )


class WhenForm(SectionForm):
    bed_needed_at = GovukDateTimeField(label="Date and time the bed is needed")

    def clean_bed_needed_at(self) -> dt.datetime | None:
        needed = self.cleaned_data.get("bed_needed_at")
        if needed is not None and needed.astimezone(clock.LONDON).date() < clock.today():
            raise forms.ValidationError("The date the bed is needed must be today or later")
        return needed


class ContactsForm(SectionForm):
    social_worker_name = _text("Social worker's name")
    social_worker_phone = _phone("Social worker's phone number")
    social_worker_email = forms.EmailField(
        label="Social worker's email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk"
        },
    )
    manager_name = _text("Name of the manager who sanctioned the referral")
    manager_email = forms.EmailField(
        label="Manager's email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk"
        },
    )
    guardian_name = _text("Children's guardian's name", hint="If one has been appointed")
    guardian_phone = _phone("Children's guardian's phone number")


class PreferencesForm(SectionForm):
    max_distance_miles = forms.IntegerField(
        label="Furthest distance from the home area, in miles",
        required=False,
        min_value=1,
        max_value=1000,
        help_text="Optional. Leave blank for any distance",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Distance must be a whole number of miles, like 50",
            "min_value": "Distance must be at least 1 mile",
            "max_value": "Distance must be 1000 miles or fewer",
        },
    )
    preferences = _area("Any other preferences", hint="Optional")


SECTION_FORMS: dict[str, type[SectionForm]] = {
    "child": ChildForm,
    "legal": LegalForm,
    "needs": NeedsForm,
    "placement": PlacementForm,
    "when": WhenForm,
    "contacts": ContactsForm,
    "preferences": PreferencesForm,
}


class SubmitForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why is the referral being withdrawn?",
        choices=WithdrawalReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the referral is being withdrawn"},
    )
    detail = _area("More detail", hint="Optional", max_length=500)


class CloseForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Where did the child go?",
        choices=ClosureDestination.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the child went"},
    )
    detail = _area("More detail", hint="Optional", max_length=500)


class InformationRequestForm(GovukFormMixin, forms.Form):
    detail = forms.CharField(
        label="What information do you need?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what information you need"},
    )


class UpdateForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What are you recording?",
        choices=[
            ("update", "Two-weekly update: the child still needs a bed"),
            ("review", "Three-monthly review of the referral"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select an update or a review"},
    )
    note = forms.CharField(
        label="What has changed?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what has changed, or that nothing has"},
    )


class ExtendForm(GovukFormMixin, forms.Form):
    until = GovukDateField(label="Keep searching until", required=True)
    reason = forms.CharField(
        label="Why?",
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the referral is being extended"},
    )


class ReferralSearchForm(GovukFormMixin, forms.Form):
    """Find a referral; every box optional. Authorities are offered only to the unit."""

    text = _text(
        "Reference, child's name or initials",
        hint="For example, R000123, Sam Patel, or S P for initials",
    )
    date_of_birth = GovukDateField(
        label="Child's date of birth", help_text="For example, 27 3 2011"
    )
    local_authority = forms.ChoiceField(label="Local authority", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    started_from = GovukDateField(
        label="Referral started on or after", help_text="For example, 1 11 2026"
    )
    started_to = GovukDateField(
        label="Referral started on or before", help_text="For example, 30 11 2026"
    )

    def __init__(
        self,
        *args: Any,
        statuses: list[tuple[str, str]],
        local_authorities: list[tuple[int, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", "Any status"), *statuses]
        if local_authorities is None:
            del self.fields["local_authority"]
        else:
            field = self.fields["local_authority"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "Any authority"), *((str(pk), n) for pk, n in local_authorities)]
            field.error_messages["invalid_choice"] = "Choose a local authority from the list"


class HandOverForm(GovukFormMixin, forms.Form):
    """Hand a referral to someone in the unit; ``expected`` is who had it when the page showed."""

    to = forms.ChoiceField(
        label="Who should have the referral?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose someone in the unit to hand the referral to",
            "invalid_choice": "Choose someone in the unit to hand the referral to",
        },
    )
    expected = forms.CharField(required=False, widget=forms.HiddenInput)
    back = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = [(str(pk), name) for pk, name in people]
