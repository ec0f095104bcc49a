"""National data at scale: ten years of synthetic referrals, placements and registers.

Run with ``make bench`` (``pytest benchmarks -s``). Prints timings; asserts only
that the answers are well formed, never a time (machines differ). Set
``SWC_BENCH_REFERRALS`` for a bigger run (default 60,000 referrals over ten
years, far beyond today's few hundred a year).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from zoneinfo import ZoneInfo

import pytest

from swc.core.vocabulary import Ethnicity, LegalStatus, NeedOrRisk, Sex
from swc.homes.models import RegisterDeclaration
from swc.homes.tests.factories import SecureHomeFactory
from swc.organisations.models import Region
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.models import Referral
from swc.referrals.workflow import Status
from swc.reporting.returns import ReturnMonth
from swc.reporting.selectors import kpi_dashboard, monthly_return_figures, referral_trend

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2016, 11, 1, tzinfo=LONDON)
DAYS = 3652


def _load(referrals: int) -> None:
    rng = random.Random(7)
    regions = [code for code, _ in Region.choices]
    las = [
        LocalAuthorityFactory(name=f"Bench authority {i:03d}", region=regions[i % len(regions)])
        for i in range(150)
    ]
    homes = [SecureHomeFactory(name=f"Bench home {i:02d}") for i in range(14)]
    statuses = [Status.PLACED, Status.WITHDRAWN, Status.CLOSED_NOT_PLACED]
    rows = []
    for k in range(referrals):
        submitted = START + dt.timedelta(minutes=rng.randrange(DAYS * 24 * 60))
        completed = submitted + dt.timedelta(minutes=rng.randrange(240))
        listed = completed + dt.timedelta(minutes=rng.randrange(300))
        closed = listed + dt.timedelta(hours=rng.randrange(1, 400))
        status = rng.choice(statuses)
        rows.append(
            Referral(
                local_authority=las[k % len(las)],
                status=status,
                sex=rng.choice(Sex.values),
                ethnicity=rng.choice(Ethnicity.values),
                legal_status=rng.choice(LegalStatus.values),
                date_of_birth=dt.date(2004 + rng.randrange(20), 1 + rng.randrange(12), 1),
                needs=rng.sample(NeedOrRisk.values, 2),
                submitted_at=submitted,
                completed_at=completed,
                list_provided_at=listed,
                offer_accepted_at=closed if status == Status.PLACED else None,
                placed_at=closed if status == Status.PLACED else None,
                closed_at=closed,
                outcome_reason="other" if status != Status.PLACED else "",
            )
        )
    Referral.objects.bulk_create(rows, batch_size=2000)
    declarations = []
    for home in homes:
        for d in range(0, DAYS, 3):
            day = START.date() + dt.timedelta(days=d)
            declarations.append(
                RegisterDeclaration(
                    home=home,
                    declared_on=day,
                    declared_at=dt.datetime.combine(day, dt.time(9), tzinfo=LONDON),
                    approved=8,
                    staffed=8,
                    youth_justice=2,
                    occupied_welfare=rng.randrange(7),
                    occupied_youth_justice=2,
                )
            )
    RegisterDeclaration.objects.bulk_create(declarations, batch_size=2000)


def _timed(label: str, fn):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - began:.2f} s")
    return result


@pytest.mark.django_db
def test_reports_on_ten_years_of_data() -> None:
    referrals = int(os.environ.get("SWC_BENCH_REFERRALS", "60000"))
    _timed(f"load {referrals} referrals", lambda: _load(referrals))
    figures = _timed(
        "monthly return (one month)", lambda: monthly_return_figures(ReturnMonth(2026, 10))
    )
    assert sum(figures["counts"]["referrals_by_region"].values()) > 0
    labels, series = _timed(
        "trend, 120 months by authority",
        lambda: referral_trend(ReturnMonth(2016, 11), ReturnMonth(2026, 10), by="authority"),
    )
    assert len(labels) == 120 and len(series) == 150
    kpis = _timed(
        "KPI dashboard, one year",
        lambda: kpi_dashboard(dt.date(2025, 11, 1), dt.date(2026, 10, 31)),
    )
    assert len(kpis) == 7
