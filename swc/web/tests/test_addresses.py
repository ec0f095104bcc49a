"""The addresses of a list's rows, reversed once for the whole list."""

from __future__ import annotations

import pytest

from swc.web.addresses import address_of_each


def test_each_record_gets_its_own_address() -> None:
    detail = address_of_each("referrals:detail")
    take = address_of_each("referrals:take")
    assert [detail(7), detail(120034), take(5)] == [
        "/referrals/7/",
        "/referrals/120034/",
        "/referrals/5/take/",
    ]


def test_an_address_without_a_record_number_is_refused() -> None:
    with pytest.raises(ValueError, match="does not take a record's number"):
        address_of_each("referrals:triage")
