"""`manage.py backup PATH`: the database and every uploaded document, in one archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from swc.core import clock
from swc.core.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Back up the database and the uploaded documents to one archive (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help="the archive to write, e.g. /backups/swc-2026-11-29.tar.gz"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if path.exists():
            raise CommandError(f"{path} already exists: choose a new name for each backup")
        try:
            summary = backup_write(path, now=clock.now())
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Backed up {summary.engine}: {summary.tables} tables, {summary.rows} rows, "
            f"{summary.documents} documents to {path}"
        )
