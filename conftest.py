"""Fixtures shared by every test: signed-in clients for each role."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import settings as hypothesis_settings

from swc.organisations.models import User
from swc.organisations.tests.factories import confirmed_device

# Browser fixtures are registered here, once for the whole run, so that a
# browser test anywhere in the tree shares the one Playwright session (a
# second sync Playwright session in the same process cannot start).
from tests.browser.fixtures import browser, web, working_tuesday  # noqa: F401

# ``--now=INSTANT``: the whole run at one instant (scripts/test-instants.sh).
pytest_plugins = ["tests.now_option"]

# Property tests: no per-example deadline (a loaded 2-core CI machine is not a
# bug), and in CI the same examples every run, so that a red build is reproducible.
hypothesis_settings.register_profile("swc", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "swc")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A test client signed in as ``user`` with two-factor already verified."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        device = confirmed_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return make


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "web" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
