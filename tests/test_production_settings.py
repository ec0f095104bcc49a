"""Production settings refuse to start with an insecure configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.checks import production_settings_check
from swc.notifications.messages import MESSAGES

GOOD = {
    "debug": False,
    "secret_key": "k" * 64,
    "engine": "django.db.backends.postgresql",
    "require_mfa": True,
}


def test_a_safe_configuration_is_accepted() -> None:
    production_settings_check(**GOOD)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"debug": True}, "DEBUG must be off"),
        ({"secret_key": "insecure-development-key-not-for-production"}, "DJANGO_SECRET_KEY"),
        ({"secret_key": "short"}, "DJANGO_SECRET_KEY"),
        ({"engine": "django.db.backends.sqlite3"}, "needs PostgreSQL"),
        ({"require_mfa": False}, "two-factor sign-in cannot be switched off"),
    ],
)
def test_each_insecure_setting_is_refused(change: dict, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        production_settings_check(**{**GOOD, **change})


def _start_production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_", "SWC_"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_starting_with_default_secret_and_sqlite_fails() -> None:
    result = _start_production({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is missing" in result.stderr
    assert "DATABASE_URL is missing" in result.stderr


# A synthetic GOV.UK Notify key: "<name>-<service id>-<secret>".
NOTIFY_KEY = "swc_live-" + str(uuid.UUID(int=7)) + "-" + str(uuid.UUID(int=8))
# A template id for every message the service sends (synthetic ids).
ALL_TEMPLATES = {m: str(uuid.UUID(int=n + 1)) for n, m in enumerate(MESSAGES)}


def _check_deploy(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
                and not k.startswith("SWC_")
            },
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "p" * 30 + "Q7r!x9#" * 5,
            "DATABASE_URL": "postgres://swc@127.0.0.1:1/swc",
            "ALLOWED_HOSTS": "swc.example.gov.uk",
            "SWC_BASE_URL": "https://swc.example.gov.uk",
            "NOTIFY_API_KEY": NOTIFY_KEY,
            "SWC_NOTIFY_TEMPLATES": json.dumps(ALL_TEMPLATES),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_starting_with_a_proper_configuration_passes_check_deploy() -> None:
    result = _check_deploy()
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_message_without_its_notify_template_stops_the_deploy_and_is_named() -> None:
    templates = {k: v for k, v in ALL_TEMPLATES.items() if k != "organisation.sign_up_reminder"}
    result = _check_deploy(SWC_NOTIFY_TEMPLATES=json.dumps({**templates, "referal.submitted": "x"}))
    assert result.returncode != 0
    output = result.stderr + result.stdout
    assert "swc.notifications.E001" in output
    assert "no GOV.UK Notify template id for: organisation.sign_up_reminder" in output
    assert "swc.notifications.W001" in output and "referal.submitted" in output


def test_relaxing_mfa_in_production_fails() -> None:
    result = _start_production(
        {
            "DJANGO_SECRET_KEY": "s" * 64,
            "DATABASE_URL": "postgres://swc@127.0.0.1:1/swc",
            "SWC_REQUIRE_MFA": "false",
        }
    )
    assert result.returncode != 0
    assert "two-factor sign-in cannot be switched off" in result.stderr
