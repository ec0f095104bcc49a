"""Errors never put a child's personal data into logs or onto the error page."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.template import loader
from django.test import Client

from .conftest import FIRST_NAME, SURNAME

pytestmark = pytest.mark.django_db


def test_a_crash_on_a_referral_page_logs_no_personal_data_and_shows_none(
    world, client_for, caplog, settings
) -> None:
    from swc.referrals.models import Referral

    referral = Referral.objects.get(last_name=SURNAME)
    client: Client = client_for(world["coordinator"])
    client.raise_request_exception = False
    # Fail while rendering the page, after the child's record has been read; the
    # error page itself (the next render) then renders for real.
    with (
        caplog.at_level(logging.DEBUG),
        mock.patch(
            "django.shortcuts.loader.render_to_string",
            side_effect=[RuntimeError("template exploded")] + [mock.DEFAULT] * 5,
            wraps=loader.render_to_string,
        ),
    ):
        response = client.get(f"/referrals/{referral.pk}/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert SURNAME not in page and FIRST_NAME not in page and "Traceback" not in page
    logged = "\n".join(
        record.getMessage() + (str(record.exc_info[1]) if record.exc_info else "")
        for record in caplog.records
    )
    assert "Internal Server Error" in logged
    assert SURNAME not in logged and FIRST_NAME not in logged


@pytest.mark.parametrize("path", ["/referrals/new/", "/register/our-home/", "/audit/"])
def test_bad_input_is_never_logged(world, client_for, caplog, path) -> None:
    who = {
        "/referrals/new/": "referrer_same_la",
        "/register/our-home/": "home_shared",
        "/audit/": "unit_manager",
    }[path]
    client = client_for(world[who])
    with caplog.at_level(logging.DEBUG):
        client.post(path, {"first_name": SURNAME, "note": SURNAME, "actor": SURNAME})
        client.get(path, {"actor": SURNAME})
    assert not [r for r in caplog.records if SURNAME in r.getMessage()]
