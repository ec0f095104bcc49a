"""The embedded SQLite database is set up to be durable and to queue writers, not fail them."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
def test_sqlite_is_durable_with_wal_immediate_transactions_and_foreign_keys() -> None:
    with connection.cursor() as cursor:
        pragmas = {
            name: cursor.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    # synchronous 2 is FULL: an acknowledged commit survives a power cut, not only a crash.
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 20000,
    }
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
