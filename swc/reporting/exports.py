"""The monthly return as files: an XLSX workbook and tidy CSV.

Exports always leave the unit, so they are always suppressed. The XLSX has a
cover sheet (month, due date, version, definitions) and one sheet per table;
the CSV is tidy: one observation a row, columns documented in docs/data.md.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import COUNT_TABLES, MEASURES, tables_for
from .suppression import SUPPRESSED

CSV_COLUMNS = ("month", "table", "dimension", "category", "measure", "value")
SUPPRESSION_NOTE = (
    "c = suppressed: counts from 1 to 5 are not shown, nor any figure from which one could "
    "be worked out. Summary statistics from 1 to 5 values are suppressed too."
)


def _summary_rows(figures: dict[str, Any]) -> list[tuple[str, str]]:
    waiting, occupancy = figures["waiting"], figures["occupancy"]
    pct = occupancy["occupancy_percent"]
    return [
        ("Children waiting at the end of a day: average", f"{waiting['average']:g}"),
        ("Children waiting at the end of a day: maximum", _count(waiting["maximum"])),
        ("Days with no free welfare bed", str(waiting["days_no_free_welfare_bed"])),
        ("Welfare beds occupied: average a day", f"{occupancy['average_occupied_welfare']:g}"),
        ("Welfare beds staffed: average a day", f"{occupancy['average_staffed_welfare']:g}"),
        ("Occupancy of welfare beds (%)", "no data" if pct is None else f"{pct:g}"),
    ]


def _count(value: int) -> str:
    return SUPPRESSED if 1 <= value <= 5 else str(value)


def summary_rows(figures: dict[str, Any], *, suppress: bool) -> list[tuple[str, str]]:
    """Daily waiting and occupancy: averages are safe to show; a maximum of 1 to 5 is not."""
    rows = _summary_rows(figures)
    if not suppress:
        rows[1] = (rows[1][0], str(figures["waiting"]["maximum"]))
    return rows


def return_xlsx(figures: dict[str, Any], *, version: int | None = None) -> bytes:
    """The workbook: a cover sheet with definitions and due date, then a sheet per table."""
    tables, measures = tables_for(figures, suppress=True)
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Cover"
    bold = Font(bold=True)
    cover.append(["Secure welfare coordination: monthly return"])
    cover["A1"].font = bold
    cover.append(["Month", figures["month"]])
    cover.append(["Due to the DfE on", figures["due_on"]])
    cover.append(["Version", f"signed off, version {version}" if version else "not signed off"])
    cover.append(["Suppression", SUPPRESSION_NOTE])
    cover.append([])
    cover.append(["Sheet", "Definition"])
    for key, _title, _dim, definition in COUNT_TABLES:
        cover.append([key[:31], definition])
    cover.append(["measures", "Medians and 90th percentiles; see below."])
    for _key, title, definition in MEASURES:
        cover.append([title, definition])
    cover.append(["daily", "Children waiting and welfare-bed occupancy over the month's days."])
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([table.title])
        sheet["A1"].font = bold
        sheet.append([table.dimension, "Count"])
        for label, value in table.rows:
            sheet.append([label, value])
        if table.total:
            sheet.append(["Total", table.total])
    sheet = book.create_sheet("measures")
    sheet.append(["Measure", "Number of values", "Median", "90th percentile"])
    for m in measures:
        sheet.append([m.title, m.n, m.median, m.p90])
    sheet = book.create_sheet("daily")
    sheet.append(["Figure", "Value"])
    for label, value in summary_rows(figures, suppress=True):
        sheet.append([label, value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def return_csv(figures: dict[str, Any]) -> str:
    """Tidy CSV: month, table, dimension, category, measure, value (one observation a row)."""
    tables, measures = tables_for(figures, suppress=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    month = figures["month"]
    for table in tables:
        for label, value in table.rows:
            writer.writerow([month, table.key, table.dimension, label, "count", value])
        if table.total:
            writer.writerow([month, table.key, table.dimension, "Total", "count", table.total])
    for m in measures:
        writer.writerow([month, m.key, "", "", "n", m.n])
        writer.writerow([month, m.key, "", "", "median", m.median])
        writer.writerow([month, m.key, "", "", "p90", m.p90])
    for label, value in summary_rows(figures, suppress=True):
        writer.writerow([month, "daily", "", label, "value", value])
    return out.getvalue()
