"""The national figures cost a fixed number of queries, whatever the data and the period.

Each figure is counted by the database within its period (docs/data.md), so ten times
the referrals, or a year instead of a month, must not add a query: a query per referral,
per day or per month would be caught here long before it is slow (make bench measures
the time; these tests never do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from swc.homes.tests.factories import SecureHomeFactory, declaration_make
from swc.matching.models import HomeResponse, ResponseKind
from swc.organisations.tests.factories import LocalAuthorityFactory
from swc.referrals.workflow import Status
from swc.reporting.returns import ReturnMonth
from swc.reporting.selectors import kpi_dashboard, monthly_return_figures, received_by_month

from .dataset import _placement, _referral, at, october_build

pytestmark = pytest.mark.django_db
OCTOBER = ReturnMonth(2026, 10)
AS_OF = dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC)


def _queries(read: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured.captured_queries)


def _more_of_everything() -> None:
    """Twenty more referrals from June to October (each with its history, some placed and
    declined, one re-referred), a third authority and a third home with its register."""
    la = LocalAuthorityFactory(name="Extrashire")
    home = SecureHomeFactory(name="Home Three", approved_places=3)
    for day in (1, 15):
        for month in (6, 7, 8, 9, 10):
            declaration_make(home, on=dt.date(2026, month, day), occupied_welfare=1)
    for k in range(20):
        month, day = 6 + k % 5, 1 + k
        submitted = at(month, day, 9)
        placed = k % 3 == 0
        history = (
            (submitted, Status.SUBMITTED),
            (at(month, day, 10), Status.COMPLETE),
            (at(month, day, 11), Status.SHORTLISTED),
            (at(month, day, 12), Status.WITH_HOMES),
            *(
                ((at(month, day, 13), Status.OFFER_ACCEPTED), (at(month, day, 14), Status.PLACED))
                if placed
                else ((at(month, day, 13), Status.WITHDRAWN),)
            ),
        )
        referral = _referral(
            la,
            history=history,
            status=history[-1][1],
            submitted_at=submitted,
            completed_at=at(month, day, 10),
            list_provided_at=at(month, day, 11),
            closed_at=history[-1][0],
            la_child_identifier=f"X{k % 15}",
        )
        HomeResponse.objects.create(
            referral=referral,
            home=home,
            kind=ResponseKind.DECLINE,
            decline_reason="no_bed",
            recorded_at=at(month, day, 12, 30),
        )
        if placed:
            _placement(referral, home, dt.date(2026, month, day))


@time_machine.travel(AS_OF, tick=False)
def test_the_return_costs_the_same_queries_with_more_referrals() -> None:
    october_build()
    few = _queries(lambda: monthly_return_figures(OCTOBER))
    _more_of_everything()
    assert _queries(lambda: monthly_return_figures(OCTOBER)) == few
    # And an earlier month, with its own referrals, costs the same again.
    assert _queries(lambda: monthly_return_figures(ReturnMonth(2026, 7))) == few


@time_machine.travel(AS_OF, tick=False)
def test_the_kpis_cost_the_same_queries_for_a_month_or_a_year() -> None:
    def dashboard(first: dt.date, suppress: bool) -> int:
        return _queries(lambda: kpi_dashboard(first, dt.date(2026, 10, 31), suppress=suppress))

    october_build()
    month, year = dt.date(2026, 10, 1), dt.date(2025, 11, 1)
    # Suppressed, the dashboard also reads the referrals received of the months it covers.
    for suppress in (False, True):
        assert dashboard(year, suppress) == dashboard(month, suppress)
    few = dashboard(month, True)
    _more_of_everything()
    assert dashboard(year, True) == few


@time_machine.travel(AS_OF, tick=False)
def test_the_trend_costs_the_same_queries_for_one_month_or_two_years() -> None:
    october_build()
    _more_of_everything()
    one = _queries(lambda: received_by_month(OCTOBER, OCTOBER))
    assert _queries(lambda: received_by_month(ReturnMonth(2024, 11), OCTOBER)) == one
