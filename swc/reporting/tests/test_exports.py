"""The workbook as official statistics: revisions marked [r], numbers stored as numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from swc.reporting.exports import Release, return_csv, return_xlsx

from .test_suppression import _quiet_month, _referral


def _month(admissions: int) -> dict:
    return _quiet_month([_referral("Alderton")] * 20, flow=(admissions, 7))


def test_a_revised_month_marks_what_changed_and_says_why() -> None:
    first, second = _month(8), _month(9)  # admissions 8 -> 9 after sign-off
    book = load_workbook(
        io.BytesIO(
            return_xlsx(
                second,
                Release(
                    version=2,
                    published_on=dt.date(2026, 12, 2),
                    note="A late admission recorded",
                    previous=first,
                ),
            )
        )
    )
    cover = {row[0]: row[1] for row in book["Cover"].iter_rows(values_only=True) if row}
    assert cover["Version"] == "Version 2, signed off"
    assert cover["Date published"] == "2 December 2026"
    flow = {
        row[0]: row[1:]
        for row in book["Admissions and discharges"].iter_rows(min_row=4, values_only=True)
    }
    # Numbers as numbers; the revised one marked in the Revised column, the other not.
    assert flow == {"Admissions": (9, "[r]"), "Discharges": (7, None)}
    # Its measure of 8 -> 9 values changed too; nothing else did.
    revisions = list(book["Revisions"].iter_rows(min_row=4, values_only=True))
    assert ("Admissions and discharges", "Admissions", "8", "9") in revisions
    assert (
        "Times and distances",
        "Distance from home area (miles)",
        "8, 2.5, 4",
        "9, 2.5, 4",
    ) in revisions
    assert len(revisions) == 2
    assert book["Revisions"]["A2"].value == ("A late admission recorded")
    rows = list(csv.DictReader(io.StringIO(return_csv(second, first))))
    revised = {(r["table"], r["category"], r["measure"]) for r in rows if r["revised"] == "[r]"}
    assert ("Admissions and discharges", "Admissions", "Count") in revised
    assert ("Admissions and discharges", "Discharges", "Count") not in revised


def test_a_first_version_has_no_revisions() -> None:
    book = load_workbook(io.BytesIO(return_xlsx(_month(8), Release(version=1))))
    assert "Revisions" not in book.sheetnames
    headings = next(
        book["Admissions and discharges"].iter_rows(min_row=3, max_row=3, values_only=True)
    )
    assert headings == ("Movement", "Count")
