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
# The load test is one caller asking as fast as the server answers: it measures what the
# API can serve, not the allowance a real caller has (600 a minute, swc/api/throttling.py),
# which would turn most of its requests into quick refusals (429).
SWC_API_RATE = "1000000/min"
