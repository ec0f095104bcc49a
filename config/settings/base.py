"""Settings shared by every environment.

Environment-specific files (dev, test, production) import from here and
override. Secrets and deployment facts come from the environment only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SERVICE_NAME = "Secure Welfare Coordination"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-not-for-production")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "swc.core",
    "swc.organisations",
    "swc.audit",
    "swc.homes",
    "swc.referrals",
    "swc.matching",
    "swc.notifications",
    "swc.reporting",
    "swc.privacy",
    "swc.questions",
    "swc.documents",
    "swc.api",
    "swc.scheduling",
    "swc.web",
]

MIDDLEWARE = [
    # First, so that its duration and status cover every other layer's work.
    "swc.organisations.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "swc.api.middleware.ApiNotFoundMiddleware",
    "swc.core.middleware.SlashOnlyForReadsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "swc.organisations.middleware.SignInPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "swc.core.middleware.NoStoreForSignedInMiddleware",
    "swc.web.middleware.ServiceErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "swc" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "swc.web.context_processors.service",
            ],
        },
    }
]


def database_from_environment(default_sqlite_path: Path) -> dict:
    """PostgreSQL when DATABASE_URL is set, otherwise the embedded SQLite file.

    SQLite runs in WAL mode with IMMEDIATE transactions and a busy timeout:
    a read-then-write transaction in Django's default DEFERRED mode cannot
    wait out another writer's lock and fails with "database is locked".
    ``synchronous=FULL`` syncs the log at every commit: with NORMAL, WAL mode
    survives a crashed process but may lose the last commits to a power cut or
    an operating-system crash, and an acknowledged referral must survive both.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        config.setdefault("OPTIONS", {})
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(default_sqlite_path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=FULL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASES = {"default": database_from_environment(BASE_DIR / "var" / "swc.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NCSC guidance: length and a deny-list of common passwords; no composition rules.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "web:sign-in"
LOGIN_REDIRECT_URL = "web:start"

# Two-factor sign-in is required for every account. Only dev/test may relax it,
# and production settings refuse to start if they do.
SWC_REQUIRE_MFA = True

# Sessions: 30 minutes idle, 12 hours absolute (ASVS V3).
SESSION_COOKIE_AGE = 30 * 60
# Written when it changes or once a minute (swc.organisations.middleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SWC_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lock-out after repeated failures, per account (django-axes).
AXES_FAILURE_LIMIT = 6
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "swc.web.views.auth.lockout_response"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    # Documents attached to referrals: outside the web root, served only through a view
    # that asks the policy (docs/documents-and-questions.md). S3-compatible storage by
    # setting SWC_DOCUMENTS_STORAGE to a JSON {"BACKEND": ..., "OPTIONS": {...}}.
    "documents": json.loads(os.environ.get("SWC_DOCUMENTS_STORAGE", "null"))
    or {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("SWC_DOCUMENTS_ROOT") or str(BASE_DIR / "var" / "documents"),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
# The largest document accepted, in bytes (20 MB).
SWC_DOCUMENT_MAX_BYTES = int(os.environ.get("SWC_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))
# Virus scanning of uploads: off unless set, e.g. "swc.documents.scanning.ClamdScanner"
# with SWC_CLAMD_ADDRESS "unix:///run/clamav/clamd.ctl" or "tcp://clamav:3310".
SWC_DOCUMENT_SCANNER = os.environ.get("SWC_DOCUMENT_SCANNER", "")
SWC_CLAMD_ADDRESS = os.environ.get("SWC_CLAMD_ADDRESS", "")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Only these two: a key, or a session that passed two-factor (a password-only
    # session must never reach data through an endpoint that forgot to say so).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "swc.api.authentication.ApiKeyAuthentication",
        "swc.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Secure Welfare Coordination API",
    "DESCRIPTION": "Referrals, vacancies and national data for secure welfare placements.",
    "VERSION": "1.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc are served from our own static files (no CDN, CSP-friendly).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
    }
}

# Operating hours of the unit: office hours Monday–Thursday, Friday until 19:00,
# on-call otherwise (seed 001, 2.4).
SWC_OFFICE_HOURS = {
    0: ("09:00", "17:00"),
    1: ("09:00", "17:00"),
    2: ("09:00", "17:00"),
    3: ("09:00", "17:00"),
    4: ("09:00", "19:00"),
}

NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
# GOV.UK Notify's address, and how long one call may take before it counts as a failed try.
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT_SECONDS = float(os.environ.get("NOTIFY_TIMEOUT_SECONDS", "10"))
# The outbox (docs/notifications.md): a worker's claim on a message lasts this long before
# another may take it over (longer than any send can take), and a failed send waits this,
# doubling at each try up to 60 times it, before the next.
SWC_NOTIFICATION_LEASE_SECONDS = float(os.environ.get("SWC_NOTIFICATION_LEASE_SECONDS", "300"))
SWC_NOTIFICATION_RETRY_SECONDS = float(os.environ.get("SWC_NOTIFICATION_RETRY_SECONDS", "60"))
# GOV.UK Notify template ids, one per message kind (keys of swc.notifications.messages.MESSAGES),
# as a JSON object in the environment: SWC_NOTIFY_TEMPLATES='{"referral.submitted": "uuid", ...}'.
SWC_NOTIFY_TEMPLATES: dict[str, str] = json.loads(os.environ.get("SWC_NOTIFY_TEMPLATES", "{}"))
# API versions being retired (docs/api.md): '{"v1": {"deprecated": "YYYY-MM-DD",
# "sunset": "YYYY-MM-DD", "successor": "/api/v2/"}}'. None today.
SWC_API_DEPRECATIONS: dict[str, dict[str, str]] = json.loads(
    os.environ.get("SWC_API_DEPRECATIONS", "{}")
)
# Seconds after which an Idempotency-Key whose request never answered (its worker died)
# may be taken over by a retry (swc/api/idempotency.py).
SWC_IDEMPOTENCY_STALE_SECONDS = float(os.environ.get("SWC_IDEMPOTENCY_STALE_SECONDS", "120"))
# The service's public address, for links in emails and texts.
SWC_BASE_URL = os.environ.get("SWC_BASE_URL", "http://127.0.0.1:8000")
SWC_NOTIFICATION_BACKEND = os.environ.get(
    "SWC_NOTIFICATION_BACKEND", "swc.notifications.backends.LocalBackend"
)

# Logs never carry personal data: we log identifiers and events, not request bodies.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "swc.core.logs.JsonFormatter"},
    },
    # Production logs JSON (config/settings/production.py); SWC_LOG_FORMAT chooses.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("SWC_LOG_FORMAT", "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "swc.web.views.public.csrf_failure"

# Lock-out is per account, not per IP address: a council's staff share one
# outgoing address, and locking it would stop every social worker at once.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Months after a referral closes before its identifying details are removed
# (docs/security.md explains the default).
SWC_RETENTION_MONTHS = int(os.environ.get("SWC_RETENTION_MONTHS", "24"))
# Days between automatic reminders to an authority or home that has not signed up
# (0 turns them off; the unit can still remind from the KPI page).
SWC_SIGN_UP_REMINDER_DAYS = int(os.environ.get("SWC_SIGN_UP_REMINDER_DAYS", "14"))
# Accounts (docs/accounts.md): an account unused this many days is disabled (0: never),
# with a warning a week before; an invitation link works for this many days.
SWC_ACCOUNT_UNUSED_DAYS = int(os.environ.get("SWC_ACCOUNT_UNUSED_DAYS", "90"))
SWC_INVITATION_DAYS = int(os.environ.get("SWC_INVITATION_DAYS", "7"))
