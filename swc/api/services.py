"""API keys at the door: the key a request carries, found by its secret; and the API's housekeeping.

Keys themselves (made, listed, revoked) belong to their organisation: see
``swc.organisations.services``.
"""

from __future__ import annotations

import datetime as dt
import hmac

from swc.core import clock
from swc.organisations.models import ApiKey
from swc.organisations.services import KEY_PREFIX, api_key_digest

from .idempotency import idempotency_records_purge

# Writing last_used_at on every call would make every read a write; a minute is precise enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def api_key_authenticate(secret: str) -> ApiKey | None:
    """The active key whose secret this is, or None; notes when it was last used."""
    prefix, dot, _ = secret.partition(".")
    if not dot or not prefix.startswith(KEY_PREFIX):
        return None
    api_key = (
        ApiKey.objects.select_related("organisation", "user")
        .filter(
            prefix=prefix,
            revoked_at__isnull=True,
            organisation__is_active=True,
            user__is_active=True,
        )
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.secret_digest, api_key_digest(secret)):
        return None
    now = clock.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_PRECISION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key


def api_due_publish(now: dt.datetime) -> dict[str, int]:
    """Scheduled: forget idempotency records older than a day (they only guard retries)."""
    return {"api.idempotency_purged": idempotency_records_purge(now=now)}
