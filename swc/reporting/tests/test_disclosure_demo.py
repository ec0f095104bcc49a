"""The intruder's audit over the demo data: a synthetic year shaped like the real figures."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from swc.reporting.publication import authority_years_table, return_published, trend_table
from swc.reporting.returns import ReturnMonth, months_span
from swc.reporting.selectors import kpi_dashboard, monthly_return_figures, received_by_month

from .intruder import Reader, kpi_read, month_read, trend_read, year_read

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
# The demo's year runs to the loading day; every month before it is complete.
NOW = dt.datetime(2026, 11, 16, 12, 0, tzinfo=dt.UTC)

pytestmark = [
    pytest.mark.django_db,
    # The demo year is loaded at a time the test sets; frozen-clock runs add nothing.
    pytest.mark.skipif("config.getoption('--now', default=None)", reason="sets its own time"),
]


@time_machine.travel(NOW, tick=False)
def test_intruder_cannot_narrow_any_small_count_of_the_demo_year() -> None:
    call_command("import_local_authorities", str(DATA / "local_authorities.csv"), stdout=StringIO())
    call_command("import_secure_homes", str(DATA / "secure_homes.csv"), stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    # Every complete month of the demo, from the start of the last complete financial year
    # (April 2025 to March 2026, its authority table linked to its 12 months).
    months = months_span(ReturnMonth(2025, 4), ReturnMonth(2026, 10))
    reader = Reader()
    hidden = 0
    regions_printed = 0
    for month in months:
        figures = monthly_return_figures(month)
        printed = return_published(figures, suppress=True)
        month_read(reader, str(month), figures, printed, return_published(figures, suppress=False))
        hidden += sum(value == "[c]" for t in printed.tables for _label, value in t.rows)
        regions = next(t for t in printed.tables if t.key == "referrals_by_region")
        regions_printed += sum(value not in ("0", "[c]") for _label, value in regions.rows)
        if month >= ReturnMonth(2026, 1):
            # A month of some 35 referrals prints England's total.
            assert regions.total != "[c]", month
        # The KPI dashboard for the month prints its referrals received.
        kpis = kpi_dashboard(month.first_day, month.last_day, suppress=True)
        referrals = next(k for k in kpis if k.code == "referrals")
        kpi_read(
            reader,
            str(month),
            referrals.value.removesuffix(" referrals"),
            sum(figures["counts"]["referrals_by_region"].values()),
        )
    received = received_by_month(months[0], months[-1])
    trend_read(reader, trend_table(received, suppress=True), trend_table(received, suppress=False))
    (year,) = authority_years_table(received, [2025], suppress=True)
    (year_truth,) = authority_years_table(received, [2025], suppress=False)
    year_read(reader, year, year_truth, [str(m) for m in months[:12]])
    assert hidden > 20  # the demo's months are small: plenty to protect
    assert regions_printed > 20  # but a region of 6 or more is printed
    assert reader.disclosed() == []
