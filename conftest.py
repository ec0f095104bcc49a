"""Fixtures shared by every test: signed-in clients for each role."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import settings as hypothesis_settings

from swc.organisations.models import User
from swc.organisations.tests.factories import confirmed_device

# Browser fixtures are registered here, once for the whole run, so that a
# browser test anywhere in the tree shares the one Playwright session (a
# second sync Playwright session in the same process cannot start).
from tests.browser.fixtures import browser, web  # noqa: F401

# Property tests: no per-example deadline (a loaded 2-core CI machine is not a
# bug), and in CI the same examples every run, so that a red build is reproducible.
hypothesis_settings.register_profile("swc", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "swc")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--now",
        default=None,
        metavar="INSTANT",
        help=(
            "Freeze the clock at INSTANT for every test of the run (ISO 8601; a time without "
            "an offset is London time), e.g. --now=2027-03-28T01:30 or --now=2026-12-31T23:59:59Z. "
            "A test that sets its own time still does; any other test now runs at INSTANT."
        ),
    )


def now_option_parse(value: str) -> dt.datetime:
    """The instant ``--now`` names: an explicit offset is kept, a naive time is London's."""
    from swc.core.clock import LONDON

    instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return instant if instant.tzinfo else instant.replace(tzinfo=LONDON)


def pytest_configure(config: pytest.Config) -> None:
    value = config.getoption("--now")
    if value:
        try:
            config.stash[NOW_KEY] = now_option_parse(value)
        except ValueError as error:
            raise pytest.UsageError(f"--now={value}: not an ISO 8601 date and time") from error


def pytest_report_header(config: pytest.Config) -> str | None:
    instant = config.stash.get(NOW_KEY, None)
    return f"clock frozen at {instant.isoformat()} (--now)" if instant else None


NOW_KEY = pytest.StashKey[dt.datetime]()


@pytest.fixture(autouse=True)
def _clock_frozen_by_now_option(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test of a ``--now`` run starts at that instant with the clock stopped."""
    instant = request.config.stash.get(NOW_KEY, None)
    if instant is None:
        yield
        return
    with time_machine.travel(instant, tick=False):
        yield


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
