"""Making a person: the phone texts are sent to is a UK number, kept in one form."""

from __future__ import annotations

import pytest

from swc.core.errors import ServiceError
from swc.organisations.models import Role, User
from swc.organisations.services import user_create
from swc.organisations.tests.factories import LocalAuthorityFactory

pytestmark = pytest.mark.django_db


def test_a_persons_phone_is_kept_in_international_form() -> None:
    authority = LocalAuthorityFactory().organisation
    person = user_create(
        email="Sam.Patel@council.example",
        full_name="Sam Patel",
        organisation=authority,
        roles=[Role.REFERRER],
        password=None,
        phone="07700 900 982",
    )
    assert User.objects.get(pk=person.pk).phone == "+447700900982"
    assert person.email == "sam.patel@council.example"


def test_a_phone_that_is_not_a_uk_number_is_refused_and_nobody_is_made() -> None:
    with pytest.raises(ServiceError, match="Enter a UK phone number") as refused:
        user_create(
            email="someone@council.example",
            full_name="Someone",
            organisation=LocalAuthorityFactory().organisation,
            roles=[Role.REFERRER],
            password=None,
            phone="+1 202 555 0100",
        )
    assert refused.value.field == "phone"
    assert not User.objects.filter(email="someone@council.example").exists()
