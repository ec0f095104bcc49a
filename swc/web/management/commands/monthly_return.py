"""python manage.py monthly_return --month 2026-10 --format xlsx|csv|html --out PATH

With the pages rather than in reporting: its HTML is the return's page, and
reporting (below the pages) never imports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.reporting.exports import return_csv, return_xlsx
from swc.reporting.returns import ReturnMonth, return_due_date
from swc.reporting.selectors import monthly_return_figures
from swc.web.reporting.views import return_html_standalone


class Command(BaseCommand):
    help = "Write a month's return (always suppressed) as XLSX, CSV or HTML and print its due date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["xlsx", "csv", "html"], default="xlsx")
        parser.add_argument("--out", required=True, help="file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = ReturnMonth.parse(options["month"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        figures = monthly_return_figures(month)
        fmt = options["format"]
        path = Path(options["out"])
        if fmt == "xlsx":
            path.write_bytes(return_xlsx(figures))
        elif fmt == "csv":
            path.write_text(return_csv(figures), encoding="utf-8")
        else:
            path.write_text(return_html_standalone(figures), encoding="utf-8")
        audit_record(
            actor="manage.py monthly_return",
            action=AuditAction.EXPORT,
            object_type="reporting.monthlyreturn",
            object_id=str(month),
            detail={"format": fmt},
        )
        due = return_due_date(month)
        self.stdout.write(f"Monthly return for {month.label} written to {path}")
        self.stdout.write(f"Due to the DfE on {due:%A %-d %B %Y} ({due.isoformat()})")
