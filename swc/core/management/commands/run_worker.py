"""The task worker, kept running through a database restart.

django-tasks-db's ``db_worker`` waits out a locked SQLite file but exits on any
other database error, such as PostgreSQL being restarted. This command runs it
and, when it stops for that reason, waits and starts it again, so queued
notifications are delivered once the database is back without anyone
restarting the worker by hand. A supervisor (systemd, the platform) still
restarts the process itself if it is killed.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the task worker (db_worker); if the database goes away, wait and start it again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1, help="seconds between polls")
        parser.add_argument(
            "--batch", action="store_true", help="stop when the queue is empty (for tests, cron)"
        )
        parser.add_argument("--worker-id", default=None, help="a name for this worker's logs")
        parser.add_argument(
            "--retry-seconds",
            type=float,
            default=5,
            help="seconds to wait before starting again after the database went away",
        )
        parser.add_argument(
            "--max-restarts",
            type=int,
            default=0,
            help="give up after this many restarts (0: never give up)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = ["--no-reload", "--no-startup-delay", f"--interval={options['interval']}"]
        if options["batch"]:
            arguments.append("--batch")
        if options["worker_id"]:
            arguments.append(f"--worker-id={options['worker_id']}")
        restarts = 0
        while True:
            try:
                call_command("db_worker", *arguments, verbosity=options["verbosity"])
                return
            except DatabaseError as error:
                restarts += 1
                # The error's class only: its text may quote a query's parameters.
                logger.warning(
                    "Task worker stopped: database unavailable (%s); restart %d",
                    type(error).__name__,
                    restarts,
                )
                self.stderr.write(
                    f"worker: database unavailable ({type(error).__name__}); "
                    f"starting again in {options['retry_seconds']:g} s"
                )
                if options["max_restarts"] and restarts > options["max_restarts"]:
                    raise CommandError(
                        f"The database was still unavailable after {restarts - 1} restarts"
                    ) from None
                connections.close_all()
                time.sleep(options["retry_seconds"])
