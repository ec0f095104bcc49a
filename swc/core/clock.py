"""The one source of "now", so that tests can control time.

Services call ``clock.now()`` rather than ``timezone.now()`` directly; tests
use time-machine to move it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """Today's date in England, whatever the server's zone."""
    return timezone.localtime(now(), LONDON).date()
