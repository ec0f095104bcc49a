"""GOV.UK Design System styling for Django forms, and the GOV.UK date input as a field."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from swc.core.clock import LONDON

WIDGET_CLASSES = {
    forms.TextInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.PasswordInput: "govuk-input govuk-password-input__input govuk-js-password-input-input",
    forms.NumberInput: "govuk-input govuk-input--width-5",
    forms.DateInput: "govuk-input govuk-input--width-10",
    forms.DateTimeInput: "govuk-input govuk-input--width-20",
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


class GovukFormMixin:
    """Adds GOV.UK classes, error classes and aria-describedby to every widget."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            for widget_type, css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_type):
                    widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
                    break

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"id_{name}-hint")
            if name in self.errors:  # type: ignore[attr-defined]
                described.append(f"id_{name}-error")
                css = field.widget.attrs.get("class", "")
                error_class = (
                    "govuk-input--error"
                    if "govuk-input" in css
                    else "govuk-textarea--error"
                    if "govuk-textarea" in css
                    else "govuk-select--error"
                    if "govuk-select" in css
                    else ""
                )
                if error_class and error_class not in css:
                    field.widget.attrs["class"] = f"{css} {error_class}"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


# --- GOV.UK date input -------------------------------------------------------------
# One field for every date a person types: day, month and year boxes (month and year for
# a month), rendered by includes/date.html through includes/field.html, with the GOV.UK
# error messages and only the boxes at fault highlighted.

PART_LABELS = {"day": "Day", "month": "Month", "year": "Year", "hour": "Hour", "minute": "Minute"}
PART_WIDTHS = {"day": 2, "month": 2, "year": 4, "hour": 2, "minute": 2}


class GovukDateWidget(forms.MultiWidget):
    """Boxes named ``<name>_day``, ``<name>_month``, ``<name>_year``.

    A single ``<name>=YYYY-MM-DD`` (or ``YYYY-MM`` for a month) is read too, so links
    built by the service and older bookmarks keep working.
    """

    parts: tuple[str, ...] = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(
                attrs={"part": part, "label": PART_LABELS[part], "width": PART_WIDTHS[part]}
            )
            for part in self.parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.datetime):
            local = value.astimezone(LONDON)
            values = {
                "day": local.day,
                "month": local.month,
                "year": local.year,
                "hour": local.hour,
                "minute": f"{local.minute:02d}",
            }
            return [values[p] for p in self.parts]
        if isinstance(value, dt.date):
            values = {"day": value.day, "month": value.month, "year": value.year}
            return [values.get(p) for p in self.parts]
        if isinstance(value, str) and value.strip():
            numbers = re.split(r"[-/ ]+", value.strip())
            if len(numbers) not in (2, 3):
                # Not a date at all ("yesterday"): every box shows it, and it is refused.
                return [value.strip()] * len(self.parts)
            # 2026-03-27 and 2026-03 as the service writes them; 27 3 2026 as people do.
            order: tuple[str, ...] = ("day", "month", "year")
            if len(numbers[0]) == 4:
                order = ("year", "month", "day")
            elif len(numbers) == 2:
                order = ("month", "year")
            values = dict(zip(order, numbers, strict=False))
            return [values.get(p, "") for p in self.parts]
        return [None] * len(self.parts)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        if name in data and not any(f"{name}_{part}" in data for part in self.parts):
            return self.decompress(data.get(name))
        return super().value_from_datadict(data, files, name)  # type: ignore[no-any-return]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)


class GovukMonthWidget(GovukDateWidget):
    parts = ("month", "year")


class GovukDateTimeWidget(GovukDateWidget):
    parts = ("day", "month", "year", "hour", "minute")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class GovukDateField(forms.Field):
    """A date typed as day, month and year; empty is None unless required.

    ``label`` reads as a heading ("Start date") and starts the messages ("Start date
    must include a month"); ``what`` completes "Enter …" ("the start date").
    After a failed clean, ``error_parts`` names the boxes to highlight.
    """

    widget: type[forms.MultiWidget] = GovukDateWidget
    is_date_input = True
    hint = "For example, 27 3 2026"

    def __init__(
        self, *, label: str, required: bool = False, what: str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("help_text", self.hint)
        super().__init__(label=label, required=required, **kwargs)
        self.what = what or label[:1].lower() + label[1:]
        self.error_parts: tuple[str, ...] = ()

    @property
    def parts(self) -> tuple[str, ...]:
        return self.widget.parts  # type: ignore[attr-defined,no-any-return]

    def _fail(self, message: str, code: str, parts: tuple[str, ...]) -> forms.ValidationError:
        self.error_parts = parts
        return forms.ValidationError(message, code=code)

    def numbers(self, value: Any) -> dict[str, int] | None:
        """The boxes as numbers, or None when all are empty; GOV.UK's message otherwise."""
        self.error_parts = ()
        raw = [str(v).strip() if v is not None else "" for v in (value or [])]
        raw += [""] * (len(self.parts) - len(raw))
        typed = dict(zip(self.parts, raw, strict=True))
        if not any(typed.values()):
            if self.required:
                raise self._fail(f"Enter {self.what}", "required", self.parts)
            return None
        missing = tuple(p for p in self.parts if not typed[p])
        if missing:
            words = _and([p if p != "minute" else "minutes" for p in missing])
            raise self._fail(f"{self.label} must include a {words}", "partial", missing)
        wrong = tuple(p for p in self.parts if not typed[p].isdigit())
        if wrong:
            raise self._fail(f"{self.label} must be a real {self.kind}", "invalid", wrong)
        numbers = {p: int(n) for p, n in typed.items()}
        if len(typed["year"]) != 4:
            raise self._fail("Year must include 4 numbers", "year", ("year",))
        if not 1 <= numbers["month"] <= 12:
            raise self._fail(f"{self.label} must be a real {self.kind}", "invalid", ("month",))
        return numbers

    kind = "date"

    def clean(self, value: Any) -> dt.date | None:
        numbers = self.numbers(value)
        if numbers is None:
            return None
        try:
            return dt.date(numbers["year"], numbers["month"], numbers["day"])
        except ValueError:
            raise self._fail(f"{self.label} must be a real date", "invalid", ("day",)) from None


class GovukMonthField(GovukDateField):
    """A month typed as month and year: the first day of that month."""

    widget = GovukMonthWidget
    hint = "For example, 3 2026"

    def clean(self, value: Any) -> dt.date | None:
        numbers = self.numbers(value)
        return None if numbers is None else dt.date(numbers["year"], numbers["month"], 1)


class GovukDateTimeField(GovukDateField):
    """A date and a 24-hour time, read as UK local time."""

    widget = GovukDateTimeWidget
    hint = "For example, 27 3 2026, 14 30 (24-hour clock)"
    kind = "date and time"

    def clean(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        numbers = self.numbers(value)
        if numbers is None:
            return None
        try:
            return dt.datetime(
                numbers["year"],
                numbers["month"],
                numbers["day"],
                numbers["hour"],
                numbers["minute"],
                tzinfo=LONDON,
            )
        except ValueError:
            wrong = tuple(p for p, top in (("hour", 23), ("minute", 59)) if numbers[p] > top) or (
                "day",
            )
            raise self._fail(
                f"{self.label} must be a real date and time", "invalid", wrong
            ) from None


def date_order_check(form: forms.Form, first: str, last: str, message: str) -> None:
    """Adds ``message`` to ``last`` when both dates are valid and ``last`` is before ``first``."""
    start, end = form.cleaned_data.get(first), form.cleaned_data.get(last)
    if start is not None and end is not None and end < start:
        field = form.fields[last]
        if isinstance(field, GovukDateField):
            field.error_parts = field.parts
        form.add_error(last, message)
