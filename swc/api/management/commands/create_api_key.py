"""Make an API key from the command line (for automation); prints the key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from swc.core.errors import ServiceError
from swc.organisations.models import Organisation, Role
from swc.organisations.services import api_key_create


def organisation_find(text: str) -> Organisation:
    """An organisation by DfE LA code, secure home name or organisation name."""
    text = text.strip()
    matches = list(
        Organisation.objects.filter(
            Q(local_authority__dfe_la_code=text)
            | Q(secure_home__name__iexact=text)
            | Q(name__iexact=text)
        ).distinct()
    )
    if not matches:
        raise CommandError(f"No organisation has the DfE code or name {text!r}")
    if len(matches) > 1:
        raise CommandError(f"{text!r} names more than one organisation; use a DfE code")
    return matches[0]


class Command(BaseCommand):
    help = "Make an API key for an organisation, acting in one role. The key is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="DfE LA code or home name")
        parser.add_argument("--role", required=True, choices=list(Role.values))
        parser.add_argument("--name", default="Command line", help="What the key is for")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = organisation_find(options["organisation"])
        try:
            issued = api_key_create(
                organisation=organisation, role=options["role"], name=options["name"], by=None
            )
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stderr.write(
            f"Key {issued.api_key.prefix} for {organisation.name} as {options['role']}. "
            "It is shown once: store it now."
        )
        # Only the key on stdout, so that scripts can capture it.
        self.stdout.write(issued.secret)
