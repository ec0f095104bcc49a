"""Generate a synthetic national data set for measuring the service (swc/web/national.py).

    manage.py import_local_authorities ../shared/data/local_authorities.csv
    manage.py generate_national --homes 3000 --years 10 --referrals-per-year 50000 --seed 1

It writes many parts' rows (homes, referrals, matching), so it sits above them all, with
the pages. Into a fresh database only: it refuses one that already holds a national set.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from swc.web.national import AlreadyGenerated, NationalPlan, NoAuthorities, national_generate

BAR_WIDTH = 30


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Generate synthetic homes, registers and referrals at national scale (for make bench)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--homes", type=_positive, default=3000)
        parser.add_argument("--years", type=_positive, default=10)
        parser.add_argument("--referrals-per-year", type=_positive, default=50000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = NationalPlan(
            homes=options["homes"],
            years=options["years"],
            referrals_per_year=options["referrals_per_year"],
            seed=options["seed"],
        )
        self.stderr.style_func = None  # type: ignore[assignment]
        began = time.monotonic()
        try:
            counts = national_generate(plan, self._progress)
        except AlreadyGenerated as error:
            raise CommandError(
                "This database already holds a national data set: generate into a fresh one"
            ) from error
        except NoAuthorities as error:
            raise CommandError(
                "No local authorities: run import_local_authorities first"
            ) from error
        statuses = ", ".join(f"{status} {n:,}" for status, n in sorted(counts.by_status.items()))
        self.stdout.write(
            f"{counts.homes:,} homes, {counts.beds:,} beds, {counts.declarations:,} register "
            f"declarations; {counts.referrals:,} referrals ({statuses}), {counts.events:,} "
            f"timeline entries, {counts.shares:,} sent to homes, {counts.responses:,} answers, "
            f"{counts.offers:,} offers, {counts.placements:,} placements "
            f"in {time.monotonic() - began:.0f} s"
        )

    def _progress(self, stage: str, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        ending = "\n" if done >= total else ""
        self.stderr.write(f"\r{stage:<10} [{bar}] {done:,}/{total:,}", ending=ending)
        self.stderr.flush()
