"""Changes to secure homes: the reference import."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from swc.core.csv_import import (
    Column,
    ImportRejected,
    ImportReport,
    RowProblem,
    csv_rows_read,
    fields_apply,
    parse_float,
    parse_int,
)
from swc.organisations.models import LocalAuthority, Organisation, OrganisationKind
from swc.referrals.vocabulary import HomeAccepts

from .models import Nation, SecureHome


def _choice(values: list[str], what: str):  # type: ignore[no-untyped-def]
    def parse(text: str) -> str:
        if text not in values:
            raise ValueError(f"{text!r} is not {what} (expected one of: {', '.join(values)})")
        return text

    return parse


SECURE_HOME_COLUMNS = [
    Column("name"),
    Column("operator"),
    Column("operator_type", _choice(["local authority", "voluntary"], "an operator type")),
    Column("host_la_dfe_code", parse_int(100, 999), required=False),
    Column("nation", _choice(Nation.values, "a nation")),
    Column("town"),
    # Great Britain's bounds, as homes in Wales are listed too.
    Column("latitude", parse_float(49.8, 60.9)),
    Column("longitude", parse_float(-8.2, 1.8)),
    Column("approved_places", parse_int(0, 500)),
    Column("age_min", parse_int(10, 17)),
    Column("age_max", parse_int(10, 17)),
    Column("accepts", _choice(HomeAccepts.values, "who the home accepts")),
    Column("notes", required=False),
]


def secure_homes_import(path: Path | str) -> ImportReport:
    """Create or update secure children's homes, each its own organisation.

    Rows are matched on the home's name. A row naming an unknown host local
    authority, an England home without one, or an age range the wrong way
    round rejects the whole file; nothing is written.
    """
    rows = csv_rows_read(path, SECURE_HOME_COLUMNS, unique=("name",))
    authorities = {la.dfe_la_code: la for la in LocalAuthority.objects.all()}
    problems: list[RowProblem] = []
    prepared: list[dict] = []
    for line, row in rows:
        code = row.pop("host_la_dfe_code")
        host = None
        if code is not None:
            host = authorities.get(f"{code:03d}")
            if host is None:
                problems.append(
                    RowProblem(
                        line,
                        f"host_la_dfe_code {code} is not a known local authority "
                        "(import local authorities first)",
                    )
                )
        elif row["nation"] == Nation.ENGLAND:
            problems.append(RowProblem(line, "a home in England needs a host_la_dfe_code"))
        if (
            row["age_min"] is not None
            and row["age_max"] is not None
            and row["age_min"] > row["age_max"]
        ):
            problems.append(RowProblem(line, "age_min is above age_max"))
        row["public_notes"] = row.pop("notes") or ""
        row["host_local_authority"] = host
        prepared.append(row)
    if problems:
        raise ImportRejected(problems)

    report = ImportReport()
    with transaction.atomic():
        existing = {home.name: home for home in SecureHome.objects.all()}
        for row in prepared:
            home = existing.get(row["name"])
            if home is None:
                organisation, _ = Organisation.objects.get_or_create(
                    kind=OrganisationKind.SECURE_HOME, name=row["name"]
                )
                SecureHome.objects.create(organisation=organisation, **row)
                report.created += 1
            elif fields_apply(home, row):
                home.save()
                report.updated += 1
            else:
                report.unchanged += 1
    return report
