"""Settings for pytest: same database choice as base (DATABASE_URL selects PostgreSQL)."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_environment

DEBUG = False
DATABASES = {"default": database_from_environment(BASE_DIR / "var" / "test.sqlite3")}
# One SQLite test file per test process, so parallel runs never share a database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SWC_NOTIFICATION_BACKEND = "swc.notifications.backends.LocalBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# Other parts' scheduler tests travel months ahead: accounts are disabled for disuse only
# in the tests of that rule (swc/web/account/tests, with override_settings).
SWC_ACCOUNT_UNUSED_DAYS = 0
