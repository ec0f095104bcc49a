"""Run the scheduled checks and the outbox sweep every minute (or once)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections, connections

from swc.scheduling.scheduler import scheduler_tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Every INTERVAL seconds: publish due reminders (register, lists, monthly return, "
        "referral updates) and re-enqueue notifications due a retry or left by a dead worker. "
        "Safe to run on several machines: every tick is idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=60, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="run one tick and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                report = scheduler_tick()
            except DatabaseError as error:
                # The database is stopped or unreachable: say so, wait, and tick again.
                # Every check is idempotent, so the missed tick is made up by the next.
                logger.warning(
                    "Scheduler tick skipped: database unavailable (%s)", type(error).__name__
                )
                self.stdout.write(f"tick: skipped, database unavailable ({type(error).__name__})")
                connections.close_all()
            else:
                published = ", ".join(f"{k}={v}" for k, v in sorted(report.published.items()) if v)
                self.stdout.write(
                    f"tick: published {published or 'nothing'}; swept {report.swept}"
                    + (f"; errors {', '.join(report.errors)}" if report.errors else "")
                )
            if options["once"]:
                return
            time.sleep(max(options["interval"], 1))
            # A long-running process: drop connections the database may have closed.
            close_old_connections()
