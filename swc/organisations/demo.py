"""Demo organisations and one account per role, for `make run`.

Everything here is synthetic. Passwords are generated once per machine and
kept in var/demo-password (not in the repository); each account's TOTP secret
is printed so a person can add it to an authenticator app.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .mfa import totp_device_confirmed_create, totp_secret_base32
from .models import LocalAuthority, Membership, Organisation, OrganisationKind, Role, User


class Writer(Protocol):
    """Where demo loaders report: a command's stdout or any text stream."""

    def write(self, text: str) -> Any: ...


UNIT_NAME = "Secure Welfare Coordination Unit"
ANALYST_BODY_NAME = "Department for Education"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    roles: tuple[str, ...]
    organisation_kind: str
    organisation_key: str  # a DfE LA code, a home name, or the unit / analyst body name


DEMO_ACCOUNTS = [
    DemoAccount(
        "referrer@hampshire.example",
        "Sam Referrer",
        (Role.REFERRER,),
        OrganisationKind.LOCAL_AUTHORITY,
        "850",
    ),
    DemoAccount(
        "referrer@leeds.example",
        "Lee Referrer",
        (Role.REFERRER,),
        OrganisationKind.LOCAL_AUTHORITY,
        "383",
    ),
    DemoAccount(
        "admin@hampshire.example",
        "Ash Council-Admin",
        (Role.ADMIN,),
        OrganisationKind.LOCAL_AUTHORITY,
        "850",
    ),
    DemoAccount(
        "manager@swanwick.example",
        "Hannah Home-Manager",
        (Role.HOME_MANAGER,),
        OrganisationKind.SECURE_HOME,
        "Swanwick Lodge",
    ),
    DemoAccount(
        "manager@adelbeck.example",
        "Adam Home-Manager",
        (Role.HOME_MANAGER,),
        OrganisationKind.SECURE_HOME,
        "Adel Beck",
    ),
    DemoAccount(
        "coordinator@swcu.example",
        "Cara Coordinator",
        (Role.COORDINATOR,),
        OrganisationKind.UNIT,
        UNIT_NAME,
    ),
    DemoAccount(
        "unit.manager@swcu.example",
        "Uma Unit-Manager",
        (Role.UNIT_MANAGER,),
        OrganisationKind.UNIT,
        UNIT_NAME,
    ),
    DemoAccount("admin@swcu.example", "Ade Admin", (Role.ADMIN,), OrganisationKind.UNIT, UNIT_NAME),
    DemoAccount(
        "analyst@dfe.example",
        "Ana Analyst",
        (Role.ANALYST,),
        OrganisationKind.ANALYST_BODY,
        ANALYST_BODY_NAME,
    ),
]


def demo_home_names() -> tuple[str, ...]:
    """The secure homes a demo account manages: left for the person trying the demo to answer."""
    return tuple(
        a.organisation_key
        for a in DEMO_ACCOUNTS
        if a.organisation_kind == OrganisationKind.SECURE_HOME
    )


def demo_password() -> str:
    """One generated password for every demo account on this machine."""
    path = Path(settings.BASE_DIR) / "var" / "demo-password"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = "demo-" + secrets.token_urlsafe(12)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


def _organisation_for(account: DemoAccount) -> Organisation:
    if account.organisation_kind == OrganisationKind.LOCAL_AUTHORITY:
        return LocalAuthority.objects.get(dfe_la_code=account.organisation_key).organisation
    organisation, _ = Organisation.objects.get_or_create(
        kind=account.organisation_kind, name=account.organisation_key
    )
    return organisation


def demo_accounts_load(out: Writer) -> None:
    """Create the demo organisations and accounts (idempotent)."""
    password = demo_password()
    with transaction.atomic():
        for account in DEMO_ACCOUNTS:
            organisation = _organisation_for(account)
            user = User.objects.filter(email=account.email).first()
            if user is None:
                user = User.objects.create_user(
                    email=account.email, password=password, full_name=account.full_name
                )
            for role in account.roles:
                Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                totp_device_confirmed_create(user)
    out.write(f"demo accounts: {len(DEMO_ACCOUNTS)} ready\n")


def demo_accounts_print(out: Writer) -> None:
    """Print how to sign in as each demo account: the shared password and each TOTP secret."""
    password = demo_password()
    rows = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        organisation = user.memberships.select_related("organisation").first().organisation  # type: ignore[union-attr]
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        rows.append((account, organisation, totp_secret_base32(device)))
    out.write(f"\nDemo accounts (synthetic data only). Password for every account: {password}\n")
    out.write(
        "Add the TOTP secret to an authenticator app, or run "
        "`.venv/bin/python manage.py demo_totp_code EMAIL` for the current code.\n\n"
    )
    for account, organisation, secret in rows:
        roles = ", ".join(Role(r).label for r in account.roles)
        out.write(f"  {roles:<16} {account.email:<30} {organisation.name:<36} TOTP {secret}\n")
