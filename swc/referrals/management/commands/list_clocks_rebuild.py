"""Work out every referral's stored two-hour clock again from its timeline.

The services keep the clocks as statuses are recorded; run this after history has been
loaded or mended some other way (a restore, a bulk import), so the KPI reads agree with it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from swc.referrals.services import referral_list_clocks_rebuild


class Command(BaseCommand):
    help = "Rebuild the two-hour list clocks (the KPI) of every referral from its status history."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(
            f"Rebuilt the two-hour clocks of {referral_list_clocks_rebuild():,} referrals."
        )
