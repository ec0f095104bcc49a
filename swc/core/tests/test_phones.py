"""UK phone numbers: typed by hand -> stored form, or refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from swc.core.phones import PHONE_MESSAGE, phone_display, phone_normalise

GOOD = [
    ("01632 960 001", "+441632960001"),
    ("01632960001", "+441632960001"),
    ("07700 900 982", "+447700900982"),
    ("+44 7700 900982", "+447700900982"),
    ("0044 7700 900982", "+447700900982"),
    ("(020) 7946 0000", "+442079460000"),
    ("020 7946 0000", "+442079460000"),
    ("0117 496 0000", "+441174960000"),
    ("", ""),
    ("   ", ""),
]
BAD = ["12345", "0770090098", "077009009821", "phone me", "+1 202 555 0100", "01632 96000A"]


@pytest.mark.parametrize(("typed", "stored"), GOOD)
def test_a_uk_number_is_stored_in_one_form(typed, stored) -> None:
    assert phone_normalise(typed) == stored


@pytest.mark.parametrize("typed", BAD)
def test_anything_else_is_refused_with_the_message(typed) -> None:
    with pytest.raises(ValidationError) as refused:
        phone_normalise(typed)
    assert refused.value.messages == [PHONE_MESSAGE]
    assert PHONE_MESSAGE == "Enter a UK phone number, like 01632 960 001 or 07700 900 982"


def test_a_stored_number_is_shown_in_the_national_form() -> None:
    assert phone_display("+447700900982") == "07700 900982"
    assert phone_display("+441632960001") == "01632 960001"
    assert phone_display("") == ""
