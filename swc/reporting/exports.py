"""The monthly return as files: an XLSX workbook laid out as official statistics, and tidy CSV.

Exports always leave the unit, so they are always suppressed (``publication``).
The workbook follows the GSS guidance on releasing statistics in spreadsheets:
a cover sheet (title, period, source, coverage, contact, revisions policy, date
published), a notes sheet with the symbols, one table per sheet with its title in
A1, numbers stored as numbers and the symbols ``[c]``, ``[z]``, ``[x]`` as text,
and, for a revised version, the revised figures marked ``[r]`` with a revisions
sheet. The CSV is tidy: one observation a row, columns documented in docs/data.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from .publication import PublishedReturn, return_published
from .returns import ReturnMonth
from .suppression import REVISED, SUPPRESSED, SYMBOLS

CSV_COLUMNS = ("month", "table", "dimension", "category", "measure", "value", "revised")
TITLE = "Secure welfare placements: monthly return to the Department for Education"
SOURCE = (
    "Secure Welfare Coordination service: the national unit's records of referrals, homes' "
    "answers, placements and the homes' daily vacancy registers."
)
COVERAGE = (
    "Referrals from local authorities in England to secure children's homes in England and "
    "Wales made through the unit. Bed figures cover only the homes that declared their "
    "register; England's bed figures exclude homes in Wales."
)
CONTACT = "Secure Welfare Coordination Unit: secure.welfare@example.gov.uk"
REVISIONS_POLICY = (
    "A month's figures are signed off and published as version 1 by the 10th working day of "
    "the following month. If a figure changes later (a late record, a correction), the month "
    "is published again as a new version: the figures that changed are marked [r], and the "
    "Revisions sheet lists them with their previous value. Earlier versions stay available."
)
SUPPRESSION_NOTE = (
    "[c]: counts from 1 to 5 are not shown, nor any figure from which one could be worked "
    "out, across every table of the month taken together. Zeros are always shown. The "
    "month's referrals are given for England and by region: figures for each local "
    "authority are published only for complete financial years (April to March), as a "
    "month has too few referrals for an authority's count to be shown without hiding its "
    "region's."
)


# Each table's sheet name (at most 31 characters, Excel's limit), also the CSV's "table"
# column: a person reads it, so it is words, never the table's key in the code.
SHEET_NAMES = {
    "referrals_by_region": "Referrals by region",
    "referrals_by_age_band": "Referrals by age",
    "referrals_by_sex": "Referrals by sex",
    "referrals_by_ethnicity": "Referrals by ethnicity",
    "referrals_by_legal_status": "Referrals by legal position",
    "referrals_by_uasc": "Referrals of UASC",
    "referrals_by_disability": "Referrals by disability",
    "referrals_by_need": "Needs and risks",
    "outcomes": "Outcomes",
    "withdrawal_reasons": "Withdrawal reasons",
    "closure_destinations": "Destinations when closed",
    "declines_by_reason": "Declines by reason",
    "placements_flow": "Admissions and discharges",
    "measures": "Times and distances",
    "list_two_hours": "Lists within two hours",
    "children": "Children referred",
    "daily": "Children waiting and beds",
}


@dataclass(frozen=True)
class Row:
    """One printed line of a sheet: its label, its values, whether revised."""

    label: str
    values: tuple[str, ...]
    revised: bool = False


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str

    @property
    def name(self) -> str:
        return SHEET_NAMES[self.key]


def _sheets(published: PublishedReturn) -> list[Sheet]:
    sheets = []
    for table in published.tables:
        rows = [Row(label, (value,)) for label, value in table.rows]
        if table.total:
            rows.append(Row("Total", (table.total,)))
        sheets.append(
            Sheet(table.key, table.title, (table.dimension, "Count"), tuple(rows), table.definition)
        )
    sheets.append(
        Sheet(
            "measures",
            "Times, stays and distances: medians and 90th percentiles",
            ("Measure", "Number of values", "Median", "90th percentile"),
            tuple(Row(m.title, (m.n, m.median, m.p90)) for m in published.measures),
            " ".join(f"{m.title}: {m.definition}" for m in published.measures),
        )
    )
    sheets.append(
        Sheet(
            "list_two_hours",
            "Complete referrals given a list of potential placements within two hours",
            ("Measure", "Within two hours", "Referrals counted", "Percentage"),
            tuple(Row(label, tuple(values)) for label, *values in published.two_hours),
            "The KPI (target 85%) is measured from the last completion before the list; the "
            "measure from the first completion shows what the authority waited. The clock "
            "stops while the unit waits for information it asked for; a referral withdrawn "
            "before two hours without a list is not counted.",
        )
    )
    sheets.append(
        Sheet(
            "children",
            "Children referred",
            ("Figure", "Count"),
            tuple(Row(label, (value,)) for label, value in published.children),
            "A child is identified by the authority's own child identifier; a re-referral is "
            "a referral of a child referred in the 365 days before it.",
        )
    )
    sheets.append(
        Sheet(
            "daily",
            "Children waiting and welfare beds over the month's days",
            ("Figure", "Value"),
            tuple(Row(label, (value,)) for label, value in published.daily),
            "Children waiting: referrals waiting for a bed at the end of each day. Bed figures "
            "cover only the homes that declared their register, in England and Wales.",
        )
    )
    return sheets


def _revised(current: list[Sheet], previous: list[Sheet] | None) -> list[Sheet]:
    """Mark each printed value that differs from the previous version's printed value."""
    if previous is None:
        return current
    before = {(s.key, r.label): r.values for s in previous for r in s.rows}
    out = []
    for sheet in current:
        rows = tuple(
            Row(r.label, r.values, before.get((sheet.key, r.label), r.values) != r.values)
            for r in sheet.rows
        )
        out.append(Sheet(sheet.key, sheet.title, sheet.headers, rows, sheet.note))
    return out


def _cell_value(text: str) -> int | float | str:
    """A printed figure as a spreadsheet value: a number as a number, a symbol as text."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


@dataclass(frozen=True)
class Release:
    """What the cover says about this file: which version, when published, what changed."""

    version: int | None = None
    published_on: dt.date | None = None
    note: str = ""
    previous: dict[str, Any] | None = None


def return_xlsx(figures: dict[str, Any], release: Release | None = None) -> bytes:
    """The workbook: cover, notes, one table per sheet, and revisions for a new version."""
    release = release or Release()
    published = return_published(figures, suppress=True)
    previous = (
        _sheets(return_published(release.previous, suppress=True)) if release.previous else None
    )
    sheets = _revised(_sheets(published), previous)
    month = ReturnMonth.parse(figures["month"])
    book = Workbook()
    bold = Font(bold=True)
    cover = book.active
    assert cover is not None
    cover.title = "Cover"
    cover.append([f"{TITLE}, {month.label}"])
    cover["A1"].font = Font(bold=True, size=14)
    status = (
        f"Version {release.version}, signed off"
        if release.version
        else "Not signed off: provisional figures, not for publication"
    )
    for label, text in (
        ("Period", f"{month.label} (1 to {month.last_day.day} {month.last_day:%B %Y})"),
        ("Version", status),
        (
            "Date published",
            release.published_on.strftime("%-d %B %Y") if release.published_on else "Not published",
        ),
        (
            "Due to the Department for Education on",
            dt.date.fromisoformat(figures["due_on"]).strftime("%A %-d %B %Y"),
        ),
        ("Source", SOURCE),
        ("Coverage", COVERAGE),
        ("Contact", CONTACT),
        ("Revisions policy", REVISIONS_POLICY),
        ("Disclosure control", SUPPRESSION_NOTE),
    ):
        cover.append([label, text])
        cover.cell(row=cover.max_row, column=1).font = bold
    cover.append([])
    cover.append(["Contents"])
    cover.cell(row=cover.max_row, column=1).font = bold
    cover.append(["Sheet", "Table"])
    cover.append(["Notes", "Symbols and notes"])
    for sheet in sheets:
        cover.append([sheet.name, sheet.title])
    if previous is not None:
        cover.append(["Revisions", "Figures revised since the previous version"])
    _widths(cover, (34, 110))

    notes = book.create_sheet("Notes")
    notes.append(["Symbols and notes"])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append(["This worksheet contains one table."])
    notes.append(["Symbol or note", "Meaning"])
    for symbol, meaning in SYMBOLS:
        notes.append([symbol, meaning])
    for sheet in sheets:
        notes.append([sheet.name, sheet.note])
    _widths(notes, (28, 120))

    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        ws.append([sheet.title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(["This worksheet contains one table. Symbols are explained on the Notes sheet."])
        headers = [*sheet.headers] + (["Revised"] if previous is not None else [])
        ws.append(headers)
        for k in range(1, len(headers) + 1):
            ws.cell(row=ws.max_row, column=k).font = bold
        for row in sheet.rows:
            line: list[Any] = [row.label, *(_cell_value(v) for v in row.values)]
            if previous is not None:
                line.append(REVISED if row.revised else "")
            ws.append(line)
        _widths(ws, (48, *([18] * (len(headers) - 1))))

    if previous is not None:
        revisions = book.create_sheet("Revisions")
        revisions.append([f"Figures revised in version {release.version}"])
        revisions["A1"].font = Font(bold=True, size=14)
        revisions.append([release.note or "No note was given with this version."])
        revisions.append(["Sheet", "Figure", "Previous version", "This version"])
        before = {(s.key, r.label): r.values for s in previous for r in s.rows}
        for sheet in sheets:
            for row in sheet.rows:
                if row.revised:
                    was = before[(sheet.key, row.label)]
                    revisions.append([sheet.name, row.label, ", ".join(was), ", ".join(row.values)])
        _widths(revisions, (28, 48, 18, 18))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widths(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for k, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + k)].width = width


def return_csv(figures: dict[str, Any], previous: dict[str, Any] | None = None) -> str:
    """Tidy CSV: month, table, dimension, category, measure, value, revised (one observation
    a row)."""
    published = return_published(figures, suppress=True)
    sheets = _revised(
        _sheets(published),
        _sheets(return_published(previous, suppress=True)) if previous else None,
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    month = figures["month"]
    for sheet in sheets:
        measures = sheet.headers[1:]
        for row in sheet.rows:
            for measure, value in zip(measures, row.values, strict=True):
                writer.writerow(
                    [
                        month,
                        sheet.name,
                        sheet.headers[0],
                        row.label,
                        measure,
                        value,
                        REVISED if row.revised else "",
                    ]
                )
    return out.getvalue()


__all__ = ["CSV_COLUMNS", "SUPPRESSED", "Release", "return_csv", "return_xlsx"]
