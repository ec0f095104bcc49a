"""Forms for the vacancy register pages. They parse input; the services decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from swc.core.phones import phone_validate
from swc.core.vocabulary import NeedOrRisk, Sex
from swc.homes.models import AdmissionsStatus
from swc.homes.register import RegisterCounts, register_problems
from swc.homes.selectors import BOARD_SORTS, BoardFilters
from swc.organisations.models import LocalAuthority

from ..forms import GovukDateField, GovukFormMixin


def _places(label: str, hint: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=0,
        max_value=500,
        error_messages={
            "required": f"Enter the number of {label.lower()}",
            "invalid": f"{label} must be a whole number, like 4",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be 500 or fewer",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _date(label: str, *, required: bool, what: str) -> GovukDateField:
    return GovukDateField(label=label, required=required, what=f"the date {what}")


class RegisterForm(GovukFormMixin, forms.Form):
    approved = _places("Approved places", "As on your registration")
    staffed = _places("Staffed places", "Places you have staff for and can use today")
    youth_justice = _places(
        "Places contracted to youth justice", "Staffed places under the Youth Custody contract"
    )
    occupied_welfare = _places("Welfare places occupied")
    occupied_youth_justice = _places("Youth justice places occupied")
    note = forms.CharField(
        label="Note for the unit (optional)",
        required=False,
        max_length=500,
        help_text="Do not name any child",
        widget=forms.TextInput(),
    )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if not self.errors:
            for problem in register_problems(self.counts()):
                self.add_error(problem.field, problem.message)
        return data

    def counts(self) -> RegisterCounts:
        data = self.cleaned_data
        return RegisterCounts(
            approved=data["approved"],
            staffed=data["staffed"],
            youth_justice=data["youth_justice"],
            occupied_welfare=data["occupied_welfare"],
            occupied_youth_justice=data["occupied_youth_justice"],
        )


class VacancyForm(GovukFormMixin, forms.Form):
    available_from = _date("Free from", required=True, what="the bed is free from")
    restriction_sex = forms.ChoiceField(
        label="Who can the bed take?",
        required=False,
        choices=[("", "Anyone the home is registered for"), *Sex.choices],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select who the bed is for"},
    )
    restriction = forms.CharField(
        label="Restriction (optional)",
        required=False,
        max_length=300,
        help_text="For example, girls only for now, because of the current group",
        widget=forms.TextInput(),
    )


def _needs(label: str, hint: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        help_text=hint,
        required=False,
        choices=NeedOrRisk.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select needs from the list"},
    )


class ProfileForm(GovukFormMixin, forms.Form):
    specialist_support = _needs("Needs you have specialist support for")
    risks_not_managed = _needs("Risks you cannot manage")
    admissions = forms.ChoiceField(
        label="Admissions",
        choices=AdmissionsStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether admissions are open or suspended"},
    )
    admissions_suspended_reason = forms.CharField(
        label="Why are admissions suspended?",
        required=False,
        max_length=500,
        widget=forms.TextInput(),
    )
    admissions_suspended_until = _date(
        "Suspended until (optional)", required=False, what="admissions are suspended until"
    )
    contact_name = forms.CharField(
        label="Contact name",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    contact_phone = forms.CharField(
        label="Contact phone",
        required=False,
        max_length=32,
        validators=[phone_validate],
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-20", "type": "tel", "autocomplete": "tel"}
        ),
    )
    contact_email = forms.EmailField(
        label="Contact email",
        required=False,
        error_messages={"invalid": "Enter an email address, like duty@home.example"},
        widget=forms.EmailInput(attrs={"class": "govuk-input--width-30"}),
    )
    current_group_needs = _needs(
        "Needs present in the current group", "Matching reads this; name no child"
    )
    current_group_notes = forms.CharField(
        label="The current group (optional)",
        required=False,
        max_length=2000,
        help_text="For example, four boys aged 14 to 16. Do not name any child",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    weekly_price_welfare = forms.DecimalField(
        label="Weekly price for a welfare placement (£)",
        help_text="Only the coordination unit, your home, and an authority you make an "
        "offer to can see it",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the weekly price as a number, like 6850.00",
            "min_value": "The weekly price must be £0 or more",
            "max_digits": "The weekly price is too large",
            "max_decimal_places": "Enter the weekly price in pounds and pence, like 6850.00",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )


class QuickSelect(forms.Select):
    """A select of a flat list of choices, its options written here rather than through
    Django's option template and option dictionary each.

    The board's filters list 153 authorities: drawing them the Django way took 10 ms of
    every board page. The same element, options and attributes (selected, the GOV.UK
    classes, aria-describedby and aria-invalid); only the whitespace between options differs.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(choice)}"{" selected" if str(choice) in chosen else ""}>'
            f"{escape(label)}</option>"
            for choice, label in self.choices
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            # Every value and label is escaped just above (format_html_join, escaping
            # through three calls an option, took a millisecond for 153 authorities).
            mark_safe(options),  # noqa: S308  # nosec B308 B703
        )


class _AuthorityChoices(ModelChoiceIterator):
    """The authorities to choose from as (number, "Name (code)", as ``LocalAuthority`` names
    itself) read as two columns: 153 model objects were most of the filter form's time."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, code in self.queryset.values_list("pk", "name", "dfe_la_code"):
            yield (pk, f"{name} ({code})")


class _AuthorityField(forms.ModelChoiceField):
    iterator = _AuthorityChoices


class BoardFilterForm(GovukFormMixin, forms.Form):
    local_authority = _AuthorityField(
        label="Distance from",
        required=False,
        queryset=LocalAuthority.objects.order_by("name"),
        empty_label="Your authority (or none)",
        widget=QuickSelect,
    )
    sex = forms.ChoiceField(
        label="Can take",
        required=False,
        choices=[("", "Boys or girls"), *Sex.choices],
        widget=QuickSelect,
    )
    age = forms.IntegerField(
        label="Age of the child",
        required=False,
        min_value=10,
        max_value=17,
        error_messages={
            "invalid": "Age must be a whole number, like 14",
            "min_value": "Secure children's homes take children aged 10 to 17",
            "max_value": "Secure children's homes take children aged 10 to 17",
        },
    )
    need = forms.ChoiceField(
        label="Can manage",
        required=False,
        choices=[("", "Any need or risk"), *NeedOrRisk.choices],
        widget=QuickSelect,
    )
    free_only = forms.BooleanField(label="Only homes with a free bed", required=False)
    open_only = forms.BooleanField(label="Only homes open to admissions", required=False)
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=list(BOARD_SORTS.items()), widget=QuickSelect
    )

    def filters(self) -> BoardFilters:
        if not self.is_valid():
            return BoardFilters()
        data = self.cleaned_data
        la = data.get("local_authority")
        return BoardFilters(
            local_authority_id=la.pk if la else None,
            sex=data.get("sex") or "",
            age=data.get("age"),
            need=data.get("need") or "",
            free_only=bool(data.get("free_only")),
            open_only=bool(data.get("open_only")),
            sort=data.get("sort") or "name",
        )


class DayForm(GovukFormMixin, forms.Form):
    day = GovukDateField(label="Show another day", what="the day")

    def day_or(self, default: dt.date) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("day"):
            return self.cleaned_data["day"]
        return default
