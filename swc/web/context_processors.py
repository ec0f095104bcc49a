from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from swc.organisations.middleware import session_idle_seconds_left

from .navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
        # What is left of the idle limit, for the time-out warning (the session row's
        # expiry moves only when it is written), and the words that replace it without JavaScript.
        "session_idle_seconds": session_idle_seconds_left(request),
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
