"""``pytest --now=INSTANT``: run every test with the clock stopped at one instant.

Date code breaks on particular days: a weekend, a bank holiday, the nights the
clocks change, the last second of a month. ``scripts/test-instants.sh`` runs
the time-sensitive suites at each of those instants, so a test that reads
"today" without saying which day fails on any day in CI, not only on the day
it happens to be run. A test that sets its own time (time_machine) still does:
travels nest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from swc.core.clock import LONDON

NOW_KEY = pytest.StashKey[dt.datetime]()


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
    instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        # A London time that does not exist (the hour the clocks skip) is read with the offset
        # before the change. In UTC, so that it compares equal to itself in any zone (PEP 495).
        instant = instant.replace(tzinfo=LONDON)
    return instant.astimezone(dt.UTC)


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


@pytest.fixture(autouse=True)
def _clock_frozen_by_now_option(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test of a ``--now`` run starts at that instant with the clock stopped."""
    instant = request.config.stash.get(NOW_KEY, None)
    if instant is None:
        yield
        return
    with time_machine.travel(instant, tick=False):
        yield
