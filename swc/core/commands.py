"""Shared shape of the reference-data import commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from .csv_import import ImportRejected, ImportReport


class ImportCommand(BaseCommand):
    """Run an importer on a CSV path and report created, updated, unchanged, rejected."""

    noun = "rows"
    importer: Callable[[Path | str], ImportReport]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV file to import")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            report = type(self).importer(path)
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(f"{path}: {problem}")
            raise CommandError(
                f"{self.noun}: 0 created, 0 updated, 0 unchanged, "
                f"{len(rejected.problems)} rejected; nothing was imported"
            ) from None
        self.stdout.write(report.summary(self.noun))
