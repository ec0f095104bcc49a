"""Settings for the processes the fault tests start and kill (never used in production).

The test settings, pointed at the database the test hands over in
``SWC_FAULTS_DATABASE`` (a connection's settings as JSON), with tasks queued in
the database as in production, so that ``run_worker`` processes take them.
Each fault is switched on by environment variables the test sets for the
processes it starts.
"""

import json
import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES = {
    "default": {**DATABASES["default"], **json.loads(os.environ["SWC_FAULTS_DATABASE"])},
}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The clients of a fault test call as fast as they can; the limit is tested elsewhere.
SWC_API_RATE = "100000/min"
# The stub GOV.UK Notify of tests/faults/provider.py, when the test names it.
SWC_NOTIFICATION_BACKEND = os.environ.get(
    "SWC_NOTIFICATION_BACKEND", "swc.notifications.backends.LocalBackend"
)
# The database will store nothing: every connection of these processes is read-only, as
# when the disk is remounted read-only or PostgreSQL is a standby (tests/faults/
# test_read_only_database.py explains the choice).
if os.environ.get("SWC_FAULTS_READ_ONLY"):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        _options["init_command"] = _options.get("init_command", "") + "PRAGMA query_only=ON;"
    else:
        _options["options"] = "-c default_transaction_read_only=on"
# SQLite only: the database file may not grow past this many pages, so a write that needs
# a new page fails with SQLITE_FULL ("database or disk is full"), as on a full disk.
if os.environ.get("SWC_FAULTS_MAX_PAGES"):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["init_command"] = (
        _options.get("init_command", "")
        + f"PRAGMA max_page_count={int(os.environ['SWC_FAULTS_MAX_PAGES'])};"
    )
