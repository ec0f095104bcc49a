from typing import Any

from django.core.management.base import BaseCommand

from swc.privacy.services import referrals_retention_apply


class Command(BaseCommand):
    help = "Remove identifying details from closed referrals past the retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        count = referrals_retention_apply()
        self.stdout.write(f"{count} referral(s) anonymised")
