"""Rate limits per API key (and per person for the pages' own calls)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey

# A case-management system syncing a day's referrals needs far less than this;
# a runaway loop hits it within seconds. Overridable per deployment.
DEFAULT_RATE = "600/min"


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Counts requests per key in the cache; a 429 carries Retry-After.

    The counters live in Django's cache: production needs a cache shared by
    every web worker (a per-process cache lets each worker allow the full rate).
    """

    scope = "api_key"

    def get_rate(self) -> str:
        return str(getattr(settings, "SWC_API_RATE", DEFAULT_RATE))

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiKey):
            # The prefix, not the row id: ids are reused by test databases.
            ident = f"key:{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
