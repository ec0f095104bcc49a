"""`manage.py restore PATH`: put back a backup; refuses a database that holds data without --force."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from swc.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the database and documents from a backup archive (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the archive written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data (everything since the backup is lost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(Path(options["path"]), force=options["force"])
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Restored {summary.engine}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.documents} documents from {options['path']}"
        )
