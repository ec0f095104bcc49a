"""Checks that production settings are safe; kept apart so tests can import them.

``production_environment_problems`` reads the environment before any setting is
built from it, so a bad value is refused by name ("DATABASE_URL is not a valid
database address") instead of surfacing as a ValueError deep in base.py, or not
at all until the first request that needs it.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

FALSE = ("", "0", "false", "no", "off")
NOTIFY_BACKEND = "swc.notifications.backends.NotifyBackend"
NOTIFICATION_BACKENDS = (NOTIFY_BACKEND, "swc.notifications.backends.LocalBackend")
SCANNERS = ("", "swc.documents.scanning.ClamdScanner")
# A GOV.UK Notify API key: "<key name>-<service id>-<secret>", the last two UUIDs.
NOTIFY_KEY = re.compile(
    r"^.+-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"
)
HOST_NAME = re.compile(
    r"^\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def _whole_number(minimum: int, unit: str) -> Callable[[str, str], str | None]:
    def check(name: str, value: str) -> str | None:
        if not re.fullmatch(r"\d+", value.strip()) or int(value) < minimum:
            return f"{name} must be a whole number of {unit}, {minimum} or more (it is {value!r})"
        return None

    return check


def _seconds(name: str, value: str) -> str | None:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not seconds > 0:
        return f"{name} must be a number of seconds greater than 0 (it is {value!r})"
    return None


def _web_address(name: str, value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"{name} must be a web address, such as https://api.notifications.service.gov.uk"
    return None


def _json_object(name: str, value: str) -> str | None:
    try:
        parsed = json.loads(value)
    except ValueError:
        return f"{name} is not valid JSON"
    if parsed is not None and not isinstance(parsed, dict):
        return f"{name} must be a JSON object ({{...}})"
    return None


def _absolute_path(name: str, value: str) -> str | None:
    return None if value.startswith("/") else f"{name} must be an absolute path"


def _base_url(name: str, value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        return f"{name} must be the service's https address, such as https://swc.example.gov.uk"
    return None


def _clamd_address(name: str, value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme == "unix" and parts.path:
        return None
    if parts.scheme == "tcp" and parts.hostname:
        try:
            if parts.port:
                return None
        except ValueError:
            pass
    return f"{name} must be unix:///path/to/clamd.ctl or tcp://host:port"


def _one_of(choices: tuple[str, ...]) -> Callable[[str, str], str | None]:
    def check(name: str, value: str) -> str | None:
        if value not in choices:
            return f"{name} must be one of: {', '.join(c for c in choices if c)} (it is {value!r})"
        return None

    return check


# Every variable the settings read, with the check of a value that is present.
# A variable missing here is refused by name, so a typo ("SWC_RETENTON_MONTHS")
# cannot silently leave the default in force (tests/test_production_settings.py
# fails when settings read a variable this table does not know).
OPTIONAL: dict[str, Callable[[str, str], str | None]] = {
    "SWC_NOTIFY_TEMPLATES": _json_object,
    "SWC_API_DEPRECATIONS": _json_object,
    "SWC_DOCUMENTS_STORAGE": _json_object,
    "SWC_DOCUMENT_MAX_BYTES": _whole_number(1, "bytes"),
    "SWC_RETENTION_MONTHS": _whole_number(1, "months"),
    "SWC_SIGN_UP_REMINDER_DAYS": _whole_number(0, "days"),
    "SWC_ACCOUNT_UNUSED_DAYS": _whole_number(0, "days"),
    "SWC_INVITATION_DAYS": _whole_number(1, "days"),
    "SWC_NOTIFICATION_BACKEND": _one_of(NOTIFICATION_BACKENDS),
    "SWC_NOTIFICATION_LEASE_SECONDS": _seconds,
    "SWC_NOTIFICATION_RETRY_SECONDS": _seconds,
    "SWC_IDEMPOTENCY_STALE_SECONDS": _seconds,
    "NOTIFY_TIMEOUT_SECONDS": _seconds,
    "NOTIFY_BASE_URL": _web_address,
    "SWC_DOCUMENT_SCANNER": _one_of(SCANNERS),
    "SWC_CLAMD_ADDRESS": _clamd_address,
    "SWC_DOCUMENTS_ROOT": _absolute_path,
    "STATIC_ROOT": _absolute_path,
    "SWC_BASE_URL": _base_url,
    "SWC_LOG_FORMAT": _one_of(("json", "plain")),
    "NOTIFY_API_KEY": lambda name, value: (
        None if NOTIFY_KEY.match(value) else f"{name} is not a GOV.UK Notify API key"
    ),
    # Checked below, where the rule needs more than the value itself.
    "DJANGO_SECRET_KEY": lambda name, value: None,
    "DATABASE_URL": lambda name, value: None,
    "ALLOWED_HOSTS": lambda name, value: None,
    "DJANGO_DEBUG": lambda name, value: None,
    "SWC_REQUIRE_MFA": lambda name, value: None,
}
REQUIRED = ("DJANGO_SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SWC_BASE_URL")


def _database_problem(value: str) -> str | None:
    try:
        config = dj_database_url.parse(value)
    except (ValueError, dj_database_url.UnknownSchemeError):
        return (
            "DATABASE_URL is not a valid database address (postgres://user:password@host:port/name)"
        )
    if "postgresql" not in config["ENGINE"]:
        return "DATABASE_URL must name a PostgreSQL database: production needs PostgreSQL"
    if not config.get("NAME"):
        return "DATABASE_URL names no database (postgres://user:password@host:port/name)"
    return None


def _host_problem(value: str) -> str | None:
    hosts = [h.strip() for h in value.split(",") if h.strip()]
    if not hosts:
        return "ALLOWED_HOSTS is empty: list the service's host names, separated by commas"
    for host in hosts:
        if host == "*":
            return "ALLOWED_HOSTS must not be '*': list the service's host names"
        try:
            ipaddress.ip_address(host.strip("[]"))
            continue
        except ValueError:
            pass
        if not HOST_NAME.match(host.lower()):
            return f"ALLOWED_HOSTS has {host!r}, which is not a host name"
    return None


def production_environment_problems(environ: Mapping[str, str]) -> list[str]:
    """Every problem with the production environment, each naming its variable."""
    problems = [f"{name} is missing" for name in REQUIRED if not environ.get(name, "").strip()]
    for name in sorted(k for k in environ if k.startswith("SWC_") and k not in OPTIONAL):
        problems.append(f"{name} is not a setting of this service (a misspelt name?)")
    for name, check in OPTIONAL.items():
        value = environ.get(name)
        if value:
            problem = check(name, value)
            if problem:
                problems.append(problem)
    secret = environ.get("DJANGO_SECRET_KEY", "")
    if secret and (secret.startswith("insecure-") or len(secret) < 50):
        problems.append(
            "DJANGO_SECRET_KEY must be set to a long random value (50 characters or more)"
        )
    if environ.get("DATABASE_URL"):
        problems.append(_database_problem(environ["DATABASE_URL"]) or "")
    if environ.get("ALLOWED_HOSTS"):
        problems.append(_host_problem(environ["ALLOWED_HOSTS"]) or "")
    if environ.get("DJANGO_DEBUG", "").lower() not in FALSE:
        problems.append("DJANGO_DEBUG: DEBUG must be off in production")
    if environ.get("SWC_REQUIRE_MFA", "true").lower() in FALSE:
        problems.append("SWC_REQUIRE_MFA: two-factor sign-in cannot be switched off in production")
    backend = environ.get("SWC_NOTIFICATION_BACKEND", NOTIFY_BACKEND)
    if backend == NOTIFY_BACKEND and not environ.get("NOTIFY_API_KEY"):
        problems.append("NOTIFY_API_KEY is missing (the GOV.UK Notify backend needs it)")
    if environ.get("SWC_DOCUMENT_SCANNER") and not environ.get("SWC_CLAMD_ADDRESS"):
        problems.append("SWC_CLAMD_ADDRESS is missing (the virus scanner needs it)")
    return [p for p in problems if p]


def production_environment_check(environ: Mapping[str, str]) -> None:
    """Refuse to start, naming each bad variable, before any setting is read."""
    problems = production_environment_problems(environ)
    if problems:
        raise ImproperlyConfigured(
            "The production environment is not valid:\n  " + "\n  ".join(problems)
        )


def production_settings_check(
    *, debug: bool, secret_key: str, engine: str, require_mfa: bool
) -> None:
    """Refuse to start with any setting that would be unsafe in production."""
    problems = []
    if debug:
        problems.append("DEBUG must be off in production")
    if not secret_key or secret_key.startswith("insecure-") or len(secret_key) < 50:
        problems.append("DJANGO_SECRET_KEY must be set to a long random value")
    if "sqlite" in engine:
        problems.append("production needs PostgreSQL: set DATABASE_URL")
    if not require_mfa:
        problems.append("two-factor sign-in cannot be switched off in production")
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
