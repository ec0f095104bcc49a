"""The ``--now`` option that scripts/test-instants.sh runs the time-sensitive suites under."""

from __future__ import annotations

import datetime as dt

import pytest

from swc.core import clock
from tests.now_option import NOW_KEY, now_option_parse

UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # A naive time is London's: GMT in winter, BST in summer.
        ("2026-12-31T23:59:59", dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("2027-04-30T23:59:59", dt.datetime(2027, 4, 30, 22, 59, 59, tzinfo=UTC)),
        # 01:30 does not exist on 28 March 2027: read with the offset before the change.
        ("2027-03-28T01:30", dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)),
        # An explicit offset or Z is kept.
        ("2026-10-25T01:30:00+01:00", dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("2026-10-25T01:30:00Z", dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ],
)
def test_now_option_reads_london_time_unless_an_offset_is_given(
    value: str, expected: dt.datetime
) -> None:
    assert now_option_parse(value) == expected


def test_now_option_refuses_what_is_not_a_date_and_time() -> None:
    with pytest.raises(ValueError):
        now_option_parse("next Tuesday")


def test_a_now_run_sees_its_instant_and_the_clock_stands_still(request) -> None:
    instant = request.config.stash.get(NOW_KEY, None)
    if instant is None:
        pytest.skip("checks the clock of a --now run; scripts/test-instants.sh runs it")
    assert clock.now() == instant
    assert clock.now() == instant  # stopped: a second reading is the same instant
    assert clock.today() == instant.astimezone(clock.LONDON).date()
