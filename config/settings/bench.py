"""Settings for `make bench`: DEBUG off, as served, on a database of the benchmark's own.

SWC_BENCH_SQLITE names the SQLite file, one per data set, so a generated national set
is made once and reused; DATABASE_URL selects PostgreSQL, as everywhere.
"""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_environment

DEBUG = False
DATABASES = {
    "default": database_from_environment(
        Path(os.environ.get("SWC_BENCH_SQLITE", str(BASE_DIR / "var" / "bench.sqlite3")))
    )
}
