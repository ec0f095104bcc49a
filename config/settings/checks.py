"""Checks that production settings are safe; kept apart so tests can import them."""

from django.core.exceptions import ImproperlyConfigured


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
