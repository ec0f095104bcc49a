"""Rate limits per API key (and per person for the pages' own calls).

Each caller has an allowance per window of time (600 a minute unless the
deployment says otherwise). The count is a row in the database taken by a
conditional UPDATE, so it holds across every web worker and every server, and
two requests arriving together can never both take the last request of the
window: the probe that found 800 of 600 allowed ran 8 clients in parallel
against a read-modify-write counter in the cache.

Windows are fixed (they start on multiples of their length): a caller may make
up to twice the rate across a window's boundary, never more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from swc.core import clock
from swc.organisations.models import ApiKey

from .models import ApiRateWindow

# A case-management system syncing a day's referrals needs far less than this;
# a runaway loop hits it within seconds. Overridable per deployment.
DEFAULT_RATE = "600/min"
PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Windows older than this are deleted as new ones start.
KEEP_WINDOWS_FOR = dt.timedelta(hours=1)


def rate_window_start(now: dt.datetime, seconds: int) -> dt.datetime:
    """The start of the window holding ``now``: windows start on multiples of their length."""
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def rate_allowance_take(*, caller: str, window_start: dt.datetime, limit: int) -> bool:
    """Count one request of ``caller`` in the window; False once ``limit`` were counted.

    Atomic on SQLite and PostgreSQL alike: the UPDATE adds one only while the
    count is under the limit, and the unique constraint lets exactly one request
    start a window.
    """
    window = ApiRateWindow.objects.filter(caller=caller, window_start=window_start)
    for _ in range(5):
        if window.filter(count__lt=limit).update(count=F("count") + 1):
            return True
        counted = window.values_list("count", flat=True).first()
        if counted is not None:
            if counted >= limit:
                return False
            # Another request started the window after our UPDATE looked: count again.
            continue
        try:
            with transaction.atomic():
                ApiRateWindow.objects.create(caller=caller, window_start=window_start, count=1)
        except IntegrityError:
            continue  # another request started the window first: count in it
        ApiRateWindow.objects.filter(window_start__lt=window_start - KEEP_WINDOWS_FOR).delete()
        return limit >= 1
    return False


class ApiKeyRateThrottle(BaseThrottle):
    """Counts requests per key (per person for the pages' calls); a 429 carries Retry-After."""

    def __init__(self) -> None:
        self.wait_seconds: float | None = None

    def rate(self) -> tuple[int, int]:
        """(requests, seconds) from ``SWC_API_RATE``: "600/min", "10/s", "5000/hour"..."""
        number, period = str(getattr(settings, "SWC_API_RATE", DEFAULT_RATE)).split("/")
        return int(number), PERIOD_SECONDS[period[0]]

    def caller_of(self, request: Request) -> str:
        if isinstance(request.auth, ApiKey):
            # The prefix, not the row id: ids are reused by test databases.
            return f"key:{request.auth.prefix}"
        if request.user and request.user.is_authenticated:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def allow_request(self, request: Request, view: Any) -> bool:
        limit, seconds = self.rate()
        now = clock.now()
        start = rate_window_start(now, seconds)
        if rate_allowance_take(caller=self.caller_of(request), window_start=start, limit=limit):
            return True
        self.wait_seconds = (start + dt.timedelta(seconds=seconds) - now).total_seconds()
        return False

    def wait(self) -> float | None:
        return self.wait_seconds
