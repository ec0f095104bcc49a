"""Production start-up validates every environment variable and names the bad one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.checks import OPTIONAL, production_environment_problems

GOOD = {
    "DJANGO_SECRET_KEY": "Zq" * 30,
    "DATABASE_URL": "postgres://swc:pw@db.internal:5432/swc",
    "ALLOWED_HOSTS": "swc.example.gov.uk,.swc.example.gov.uk,10.0.0.5",
    "SWC_BASE_URL": "https://swc.example.gov.uk",
    "NOTIFY_API_KEY": "live-00000000-0000-0000-0000-000000000007-00000000-0000-0000-0000-000000000008",
}


def test_a_good_environment_has_no_problem() -> None:
    assert production_environment_problems(GOOD) == []


# (variable, value, what start-up says): typed by hand; the value None means "unset".
BAD = [
    ("DJANGO_SECRET_KEY", None, "DJANGO_SECRET_KEY is missing"),
    ("DJANGO_SECRET_KEY", "short", "DJANGO_SECRET_KEY must be set to a long random value"),
    ("DATABASE_URL", None, "DATABASE_URL is missing"),
    ("DATABASE_URL", "db.internal:5432", "DATABASE_URL is not a valid database address"),
    ("DATABASE_URL", "postgres://swc@db:port/swc", "DATABASE_URL is not a valid database address"),
    ("DATABASE_URL", "sqlite:////srv/swc.sqlite3", "DATABASE_URL must name a PostgreSQL database"),
    ("DATABASE_URL", "postgres://swc@db.internal:5432/", "DATABASE_URL names no database"),
    ("ALLOWED_HOSTS", None, "ALLOWED_HOSTS is missing"),
    ("ALLOWED_HOSTS", ",", "ALLOWED_HOSTS is empty"),
    ("ALLOWED_HOSTS", "*", "ALLOWED_HOSTS must not be '*'"),
    ("ALLOWED_HOSTS", "https://swc.example.gov.uk", "ALLOWED_HOSTS has 'https://swc.example"),
    ("SWC_BASE_URL", None, "SWC_BASE_URL is missing"),
    ("SWC_BASE_URL", "http://swc.example.gov.uk", "SWC_BASE_URL must be the service's https"),
    ("DJANGO_DEBUG", "1", "DJANGO_DEBUG: DEBUG must be off in production"),
    ("SWC_REQUIRE_MFA", "false", "SWC_REQUIRE_MFA: two-factor sign-in cannot be switched off"),
    ("NOTIFY_API_KEY", None, "NOTIFY_API_KEY is missing"),
    ("NOTIFY_API_KEY", "abc", "NOTIFY_API_KEY is not a GOV.UK Notify API key"),
    ("SWC_NOTIFICATION_BACKEND", "swc.Nope", "SWC_NOTIFICATION_BACKEND must be one of"),
    ("SWC_NOTIFY_TEMPLATES", "{'a': 1}", "SWC_NOTIFY_TEMPLATES is not valid JSON"),
    ("SWC_API_DEPRECATIONS", "[]", "SWC_API_DEPRECATIONS must be a JSON object"),
    ("SWC_DOCUMENTS_STORAGE", "s3", "SWC_DOCUMENTS_STORAGE is not valid JSON"),
    ("SWC_DOCUMENT_MAX_BYTES", "20MB", "SWC_DOCUMENT_MAX_BYTES must be a whole number of bytes"),
    ("SWC_DOCUMENT_MAX_BYTES", "0", "SWC_DOCUMENT_MAX_BYTES must be a whole number of bytes, 1"),
    ("SWC_RETENTION_MONTHS", "-3", "SWC_RETENTION_MONTHS must be a whole number of months"),
    ("SWC_SIGN_UP_REMINDER_DAYS", "two", "SWC_SIGN_UP_REMINDER_DAYS must be a whole number"),
    ("SWC_ACCOUNT_UNUSED_DAYS", "9.5", "SWC_ACCOUNT_UNUSED_DAYS must be a whole number of days"),
    ("SWC_INVITATION_DAYS", "0", "SWC_INVITATION_DAYS must be a whole number of days, 1 or more"),
    ("SWC_DOCUMENT_SCANNER", "clamav", "SWC_DOCUMENT_SCANNER must be one of"),  # and its address
    ("SWC_CLAMD_ADDRESS", "clamav:3310", "SWC_CLAMD_ADDRESS must be unix:///"),
    ("SWC_DOCUMENTS_ROOT", "var/documents", "SWC_DOCUMENTS_ROOT must be an absolute path"),
    ("STATIC_ROOT", "static", "STATIC_ROOT must be an absolute path"),
    ("SWC_LOG_FORMAT", "xml", "SWC_LOG_FORMAT must be one of: json, plain"),
    ("SWC_RETENTON_MONTHS", "12", "SWC_RETENTON_MONTHS is not a setting of this service"),
    ("SWC_NOTIFICATION_LEASE_SECONDS", "0", "SWC_NOTIFICATION_LEASE_SECONDS must be a number of"),
    ("SWC_NOTIFICATION_RETRY_SECONDS", "1m", "SWC_NOTIFICATION_RETRY_SECONDS must be a number of"),
    ("SWC_IDEMPOTENCY_STALE_SECONDS", "soon", "SWC_IDEMPOTENCY_STALE_SECONDS must be a number"),
    ("NOTIFY_TIMEOUT_SECONDS", "-1", "NOTIFY_TIMEOUT_SECONDS must be a number of seconds"),
    ("NOTIFY_BASE_URL", "notify.local:8080", "NOTIFY_BASE_URL must be a web address"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD)
def test_each_bad_variable_is_refused_by_name(name: str, value: str | None, message: str) -> None:
    environ = {k: v for k, v in GOOD.items() if k != name}
    if value is not None:
        environ[name] = value
    problems = production_environment_problems(environ)
    if name == "SWC_DOCUMENT_SCANNER":  # a scanner without an address: both are named
        problems = [p for p in problems if not p.startswith("SWC_CLAMD_ADDRESS is missing")]
    assert len(problems) == 1, problems
    assert problems[0].startswith(message), problems


def test_the_scanner_needs_its_address() -> None:
    environ = {**GOOD, "SWC_DOCUMENT_SCANNER": "swc.documents.scanning.ClamdScanner"}
    assert production_environment_problems(environ) == [
        "SWC_CLAMD_ADDRESS is missing (the virus scanner needs it)"
    ]
    environ["SWC_CLAMD_ADDRESS"] = "tcp://clamav.internal:3310"
    assert production_environment_problems(environ) == []


def test_a_secret_value_is_never_repeated_in_the_message() -> None:
    problems = production_environment_problems({**GOOD, "DJANGO_SECRET_KEY": "hunter2secret"})
    assert problems and not any("hunter2secret" in p for p in problems)


def test_every_variable_the_settings_read_is_validated() -> None:
    """A new os.environ.get in the production settings must join the table of checks."""
    settings_dir = Path(__file__).resolve().parent.parent / "config" / "settings"
    read = set()
    for path in (settings_dir / "base.py", settings_dir / "production.py"):
        read |= set(re.findall(r"environ\.get\(\s*\"([A-Z_]+)\"", path.read_text()))
    assert read, "found no environment variable in the settings"
    assert read - {"DJANGO_SETTINGS_MODULE"} <= set(OPTIONAL), read - set(OPTIONAL)


def test_start_up_with_a_bad_database_address_names_it() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SWC_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **clean,
            **GOOD,
            "DATABASE_URL": "postgres//swc@db.internal/swc",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not a valid database address" in result.stderr
    assert "Traceback" in result.stderr  # refused at import, before any setting was built
