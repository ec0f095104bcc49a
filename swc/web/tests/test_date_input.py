"""The GOV.UK date input field: what a person types, the date it makes or the message they get."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template.loader import render_to_string

from swc.core.clock import LONDON
from swc.web.forms import (
    GovukDateField,
    GovukDateTimeField,
    GovukFormMixin,
    GovukMonthField,
    date_order_check,
)


class PeriodForm(GovukFormMixin, forms.Form):
    start = GovukDateField(label="Start date", what="the start date", required=True)
    end = GovukDateField(label="End date", what="the end date", required=True)
    month = GovukMonthField(label="Month")
    at = GovukDateTimeField(label="Time the bed is needed")

    def clean(self) -> dict:
        data = super().clean() or {}
        date_order_check(self, "start", "end", "End date must be the same as or after start date")
        return data


def _form(start: tuple[str, str, str], end: tuple[str, str, str] = ("2", "3", "2026"), **more):  # type: ignore[no-untyped-def]
    data = dict(zip(("start_day", "start_month", "start_year"), start, strict=True))
    data |= dict(zip(("end_day", "end_month", "end_year"), end, strict=True))
    form = PeriodForm(data | more)
    form.is_valid()
    return form


# (day, month, year) typed -> (message, boxes highlighted), typed out by hand from the
# GOV.UK date input guidance.
START_ERRORS = [
    (("", "", ""), "Enter the start date", ("day", "month", "year")),
    (("1", "", "2026"), "Start date must include a month", ("month",)),
    (("", "", "2026"), "Start date must include a day and month", ("day", "month")),
    (("", "3", ""), "Start date must include a day and year", ("day", "year")),
    (("1", "3", "26"), "Year must include 4 numbers", ("year",)),
    (("1", "13", "2026"), "Start date must be a real date", ("month",)),
    (("30", "2", "2026"), "Start date must be a real date", ("day",)),
    (("x", "3", "2026"), "Start date must be a real date", ("day",)),
    (("1", "March", "2026"), "Start date must be a real date", ("month",)),
]


@pytest.mark.parametrize(("typed", "message", "parts"), START_ERRORS)
def test_a_wrong_date_gets_the_govuk_message_and_only_its_boxes_highlighted(
    typed, message, parts
) -> None:
    form = _form(typed)
    assert form.errors["start"] == [message]
    assert form.fields["start"].error_parts == parts


def test_good_dates_make_dates_and_the_order_is_checked() -> None:
    form = _form((" 1", "3 ", "2026"), ("31", "3", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == dt.date(2026, 3, 1)
    assert form.cleaned_data["end"] == dt.date(2026, 3, 31)
    assert form.cleaned_data["month"] is None  # optional and empty
    backwards = _form(("2", "3", "2026"), ("1", "3", "2026"))
    assert backwards.errors["end"] == ["End date must be the same as or after start date"]
    assert "start" not in backwards.errors


def test_a_month_and_a_time() -> None:
    form = _form(
        ("1", "3", "2026"),
        month_month="2",
        month_year="2026",
        at_day="29",
        at_month="3",
        at_year="2026",
        at_hour="1",
        at_minute="30",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["month"] == dt.date(2026, 2, 1)
    # 01:30 on the night the clocks go forward does not exist; read as London time.
    assert form.cleaned_data["at"] == dt.datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)
    bad = _form(("1", "3", "2026"), month_month="2")
    assert bad.errors["month"] == ["Month must include a year"]
    late = _form(
        ("1", "3", "2026"),
        at_day="1",
        at_month="3",
        at_year="2026",
        at_hour="25",
        at_minute="0",
    )
    assert late.errors["at"] == ["Time the bed is needed must be a real date and time"]
    assert late.fields["at"].error_parts == ("hour",)


def test_a_single_value_in_a_link_is_read_too() -> None:
    """Links the service builds (?start=2026-03-01) and dates people type in one box."""
    form = PeriodForm({"start": "2026-03-01", "end": "31 3 2026", "month": "2026-02"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == dt.date(2026, 3, 1)
    assert form.cleaned_data["end"] == dt.date(2026, 3, 31)
    assert form.cleaned_data["month"] == dt.date(2026, 2, 1)


def test_the_page_highlights_only_the_boxes_at_fault() -> None:
    form = _form(("1", "", "2026"))
    html = render_to_string("includes/field.html", {"field": form["start"]})
    assert html.count("govuk-input--error") == 1
    assert 'name="start_month"' in html and "Start date must include a month" in html
    assert "<legend" in html and 'class="govuk-date-input"' in html
    whole = render_to_string("includes/field.html", {"field": _form(("", "", ""))["start"]})
    assert whole.count("govuk-input--error") == 3
