"""GOV.UK date input (day, month, year) and a date-and-time variant, as Django fields.

Rendered by ``referrals/_date.html``. Messages follow the GOV.UK pattern:
"<Label> must include a month", "<Label> must be a real date".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from swc.core.clock import LONDON


def _part(label: str, width: int) -> forms.TextInput:
    return forms.TextInput(attrs={"label": label, "width": width, "inputmode": "numeric"})


class GovukDateWidget(forms.MultiWidget):
    parts = ("day", "month", "year")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": _part("Day", 2),
            "month": _part("Month", 2),
            "year": _part("Year", 4),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateTimeWidget(forms.MultiWidget):
    parts = ("day", "month", "year", "hour", "minute")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": _part("Day", 2),
            "month": _part("Month", 2),
            "year": _part("Year", 4),
            "hour": _part("Hour", 2),
            "minute": _part("Minute", 2),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.datetime):
            local = value.astimezone(LONDON)
            return [local.day, local.month, local.year, local.hour, f"{local.minute:02d}"]
        return [None, None, None, None, None]


class GovukDateField(forms.Field):
    """A date from three boxes; empty is None unless required."""

    widget: type[forms.MultiWidget] = GovukDateWidget
    is_date_input = True

    def __init__(self, *, label: str, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(label=label, required=required, **kwargs)

    def _numbers(self, value: Any, names: tuple[str, ...]) -> list[int] | None:
        parts = [str(v).strip() if v is not None else "" for v in (value or [])]
        parts += [""] * (len(names) - len(parts))
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter {str(self.label).lower()}", code="required")
            return None
        for name, part in zip(names, parts, strict=True):
            if not part:
                raise forms.ValidationError(f"{self.label} must include a {name}", code="partial")
        try:
            return [int(p) for p in parts]
        except ValueError:
            raise forms.ValidationError(
                f"{self.label} must be a real date", code="invalid"
            ) from None

    def clean(self, value: Any) -> dt.date | None:
        numbers = self._numbers(value, ("day", "month", "year"))
        if numbers is None:
            return None
        day, month, year = numbers
        if year < 1900 or year > 2100:
            raise forms.ValidationError(f"{self.label} must include a 4-digit year", code="year")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                f"{self.label} must be a real date", code="invalid"
            ) from None


class GovukDateTimeField(GovukDateField):
    """A date and a 24-hour time, read as UK local time."""

    widget = GovukDateTimeWidget

    def __init__(self, *, label: str, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "For example, 27 3 2026, 14 30 (24-hour clock)")
        super().__init__(label=label, required=required, **kwargs)

    def clean(self, value: Any) -> dt.datetime | None:  # type: ignore[override]
        numbers = self._numbers(value, ("day", "month", "year", "hour", "minute"))
        if numbers is None:
            return None
        day, month, year, hour, minute = numbers
        if year < 1900 or year > 2100:
            raise forms.ValidationError(f"{self.label} must include a 4-digit year", code="year")
        try:
            return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)
        except ValueError:
            raise forms.ValidationError(
                f"{self.label} must be a real date and time", code="invalid"
            ) from None
