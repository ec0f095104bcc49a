"""Fixtures for the fault tests: real processes against the test database, always killed after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .processes import Processes, database_handover, hard_timeout

# Each fault test is over in well under this even on a loaded 2-core machine; past it, it hangs.
LIMIT_SECONDS = 300


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.path):
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def processes(transactional_db: None, tmp_path: Path) -> Iterator[Processes]:
    """Starts processes with the fault settings (``tests.faults.settings``); kills them all after."""
    started = Processes(tmp_path, database_handover())
    try:
        with hard_timeout(LIMIT_SECONDS):
            yield started
    finally:
        started.stop_all()
