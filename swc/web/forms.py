"""GOV.UK Design System styling for Django forms."""

from __future__ import annotations

from typing import Any

from django import forms

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
