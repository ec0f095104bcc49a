"""Reading reference CSV files strictly: every problem named with its line number.

Domain importers describe their columns with ``Column`` and get back clean
rows or a list of ``RowProblem``; they then write all rows in one transaction
or none of them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowProblem] = field(default_factory=list)

    def summary(self, noun: str) -> str:
        return (
            f"{noun}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.rejected)} rejected"
        )


class ImportRejected(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], Any] = str
    required: bool = True


def parse_int(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
        if low is not None and value < low:
            raise ValueError(f"{value} is below {low}")
        if high is not None and value > high:
            raise ValueError(f"{value} is above {high}")
        return value

    return parse


def parse_float(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low} to {high}")
        return value

    return parse


def parse_choice(values: list[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in values:
            raise ValueError(f"{text!r} is not {what} (expected one of: {', '.join(values)})")
        return text

    return parse


def parse_pattern(regex: str, what: str) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def parse(text: str) -> str:
        if not compiled.fullmatch(text):
            raise ValueError(f"{text!r} is not {what}")
        return text

    return parse


def csv_rows_read(
    path: Path | str, columns: list[Column], *, unique: tuple[str, ...] = ()
) -> list[tuple[int, dict[str, Any]]]:
    """Parse a UTF-8 CSV file into ``(line_number, row)`` pairs, or raise ``ImportRejected``.

    Checks: the file is UTF-8; every declared column is in the header; each
    required value is present and parses; no two rows share a value of a
    ``unique`` column.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportRejected([RowProblem(line, "the file is not UTF-8 text")]) from None

    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c.name for c in columns if c.name not in header]
    if missing:
        raise ImportRejected([RowProblem(1, f"missing column(s): {', '.join(missing)}")])

    problems: list[RowProblem] = []
    rows: list[tuple[int, dict[str, Any]]] = []
    seen: dict[str, dict[Any, int]] = {name: {} for name in unique}
    for record in reader:
        line = reader.line_num
        if None in record:
            problems.append(RowProblem(line, "more values than columns"))
            continue
        row: dict[str, Any] = {}
        for column in columns:
            value = (record.get(column.name) or "").strip()
            if not value:
                if column.required:
                    problems.append(RowProblem(line, f"{column.name} is empty"))
                row[column.name] = None
                continue
            try:
                row[column.name] = column.parse(value)
            except ValueError as exc:
                problems.append(RowProblem(line, f"{column.name}: {exc}"))
                row[column.name] = None
        for name in unique:
            key = row.get(name)
            if key is None:
                continue
            if key in seen[name]:
                problems.append(
                    RowProblem(line, f"duplicate {name} {key} (first on line {seen[name][key]})")
                )
            else:
                seen[name][key] = line
        rows.append((line, row))
    if not rows and not problems:
        problems.append(RowProblem(1, "the file has no rows"))
    if problems:
        raise ImportRejected(problems)
    return rows


def fields_apply(instance: Any, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``instance``; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
