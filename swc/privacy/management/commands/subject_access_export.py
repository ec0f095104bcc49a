import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from swc.organisations.models import LocalAuthority
from swc.privacy.services import subject_access_export


class Command(BaseCommand):
    help = "Export everything held on one child (subject access request) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--local-authority", required=True, help="DfE LA code, e.g. 850")
        parser.add_argument("--child-id", required=True, help="the authority's child identifier")
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["local_authority"]
        if not LocalAuthority.objects.filter(dfe_la_code=code).exists():
            raise CommandError(f"{code} is not a known DfE local authority code")
        export = subject_access_export(
            local_authority_code=code, la_child_identifier=options["child_id"], by=None
        )
        options["out"].write_text(json.dumps(export, indent=2, default=str))
        self.stdout.write(f"{len(export['referrals'])} referral(s) written to {options['out']}")
