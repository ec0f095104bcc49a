from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
        # The idle limit, for the time-out warning and the words that replace it without JavaScript.
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
