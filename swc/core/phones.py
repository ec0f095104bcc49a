"""UK phone numbers: one rule for every phone field, on pages and in the API.

A number is stored in international form (+447700900982), so the same phone is the
same text however it was typed, and shown in the national form (07700 900982).
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError

PHONE_MESSAGE = "Enter a UK phone number, like 01632 960 001 or 07700 900 982"
# Ofcom's numbers for drama (01632 960xxx, 07700 900xxx, 020 7946 0xxx...) are real UK
# numbers that ring nobody: the examples above, demo data and tests use them, and
# libphonenumber does not count them as assigned.
OFCOM_DRAMA_PREFIXES = (
    "1632960",
    "7700900",
    "2079460",
    "1134960",
    "1144960",
    "1154960",
    "1164960",
    "1174960",
    "1184960",
    "1214960",
    "1314960",
    "1414960",
    "1514960",
    "1614960",
    "2890180",
)


def phone_normalise(text: str) -> str:
    """``text`` as +44… (empty stays empty); ValidationError with PHONE_MESSAGE if not UK."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        raise ValidationError(PHONE_MESSAGE, code="phone") from None
    national = str(number.national_number)
    drama = len(national) == 10 and national.startswith(OFCOM_DRAMA_PREFIXES)
    if number.country_code != 44 or not (phonenumbers.is_valid_number(number) or drama):
        raise ValidationError(PHONE_MESSAGE, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(stored: str) -> str:
    """A stored number in the national form people read (07700 900982); other text as is."""
    try:
        number = phonenumbers.parse(stored, "GB")
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_validate(text: str) -> None:
    """``phone_normalise`` as a Django validator, for form fields."""
    phone_normalise(text)
