"""Production: PostgreSQL, secrets from the environment, refuses insecure configuration."""

import os

from .checks import production_environment_check, production_settings_check

# Before base.py reads anything: a bad variable is refused by name.
production_environment_check(os.environ)

from .base import *  # noqa: E402, F403
from .base import DATABASES, LOGGING, SECRET_KEY  # noqa: E402

DEBUG = os.environ.get("DJANGO_DEBUG", "") not in ("", "0", "false", "False")
SWC_REQUIRE_MFA = os.environ.get("SWC_REQUIRE_MFA", "true").lower() not in ("0", "false", "no")

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-swc-session"
CSRF_COOKIE_NAME = "__Host-swc-csrf"
SWC_NOTIFICATION_BACKEND = os.environ.get(
    "SWC_NOTIFICATION_BACKEND", "swc.notifications.backends.NotifyBackend"
)

# One JSON object a line, each request with its id, route, status and timing (swc.core.logs).
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("SWC_LOG_FORMAT", "json")

production_settings_check(
    debug=DEBUG,
    secret_key=SECRET_KEY,
    engine=DATABASES["default"]["ENGINE"],
    require_mfa=SWC_REQUIRE_MFA,
)

# Shared by every web worker, so per-key API rate limits hold across processes.
# Create the table once per database: `manage.py createcachetable`.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "swc_cache",
    }
}
