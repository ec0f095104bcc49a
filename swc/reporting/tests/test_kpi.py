"""KPI arithmetic, worked by hand."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from swc.referrals.deadlines import list_clock, list_outcome
from swc.reporting.kpi import (
    TwoHourCounts,
    list_two_hour_counts,
    list_within_two_hours_elapsed,
    list_within_two_hours_office,
    median,
    percent,
    percentile,
    survey_is_satisfied,
    survey_satisfaction_percent,
    target_met,
    waiting_per_day,
)

LONDON = ZoneInfo("Europe/London")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_percent() -> None:
    assert percent(17, 20) == 85.0
    assert percent(0, 0) is None
    assert target_met(85.0, 85.0) is True
    assert target_met(84.9, 85.0) is False
    assert target_met(None, 85.0) is None


def test_median_and_ninetieth_percentile_by_hand() -> None:
    assert median([]) is None
    assert median([7]) == 7
    assert median([1, 3, 2]) == 2
    assert median([1, 2, 3, 10]) == 2.5
    # Ten values 1..10: rank (10-1)*0.9 = 8.1, between 9 and 10: 9 + 0.1 = 9.1.
    assert percentile(range(1, 11), 90) == pytest.approx(9.1)
    # Five values: rank 4*0.9 = 3.6 between 40 and 50: 40 + 6 = 46.
    assert percentile([10, 20, 30, 40, 50], 90) == pytest.approx(46)
    with pytest.raises(ValueError):
        percentile([1], 101)


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=50))
def test_percentiles_lie_within_the_values_and_increase(values: list[float]) -> None:
    low = percentile(values, 10)
    mid = median(values)
    high = percentile(values, 90)
    assert low is not None and mid is not None and high is not None
    assert min(values) <= low <= mid <= high <= max(values)


def test_two_hours_elapsed_and_in_office_hours() -> None:
    # Tuesday 10:00 to 12:00: two hours on both clocks.
    assert list_within_two_hours_elapsed(at(2026, 10, 6, 10), at(2026, 10, 6, 12))
    assert list_within_two_hours_office(at(2026, 10, 6, 10), at(2026, 10, 6, 12))
    # Thursday 16:30 to Friday 10:00: 17.5 hours elapsed, but 0.5 + 1 = 1.5 office hours.
    assert not list_within_two_hours_elapsed(at(2026, 10, 8, 16, 30), at(2026, 10, 9, 10))
    assert list_within_two_hours_office(at(2026, 10, 8, 16, 30), at(2026, 10, 9, 10))
    # Friday 18:00 to Monday 10:30: one office hour Friday, 1.5 on Monday = 2.5.
    assert not list_within_two_hours_office(at(2026, 10, 9, 18), at(2026, 10, 12, 10, 30))
    # Saturday 02:00 to 03:00: one hour elapsed, none in office hours.
    assert list_within_two_hours_elapsed(at(2026, 10, 10, 2), at(2026, 10, 10, 3))


# A hand-counted October 2026 for the two-hour KPI: status arrivals of eight referrals.
C, Q, L, W = "complete", "information_requested", "shortlisted", "withdrawn"
HISTORIES = {
    # Tuesday 6 October 10:00, list at 11:00: within on every clock.
    "A": [(at(2026, 10, 6, 10), C), (at(2026, 10, 6, 11), L)],
    # Withdrawn 40 minutes after completion without a list: not counted.
    "B": [(at(2026, 10, 6, 10), C), (at(2026, 10, 6, 10, 40), W)],
    # Clock stopped after one hour by a request for information, never answered: not counted.
    "C": [(at(2026, 10, 7, 10), C), (at(2026, 10, 7, 11), Q)],
    # Stopped after one hour; complete again Thursday 14:00, list 15:30. From the last
    # completion 1.5 hours (within); from the first 1 + 1.5 = 2.5 hours (a miss).
    "D": [
        (at(2026, 10, 7, 10), C),
        (at(2026, 10, 7, 11), Q),
        (at(2026, 10, 8, 14), C),
        (at(2026, 10, 8, 15, 30), L),
    ],
    # Friday 9 October 10:00, still no list on 5 November: a miss on every clock.
    "E": [(at(2026, 10, 9, 10), C)],
    # Saturday 31 October 23:00, list 00:30 on Sunday: 1.5 hours, no office hours.
    "F": [(at(2026, 10, 31, 23), C), (at(2026, 11, 1, 0, 30), L)],
    # Thursday 8 October 16:30 to Friday 10:00: 17.5 hours elapsed, 0.5 + 1 office hours.
    "G": [(at(2026, 10, 8, 16, 30), C), (at(2026, 10, 9, 10), L)],
    # First complete on 30 September (September's cohort from the first completion), asked,
    # complete again Thursday 1 October 10:00, list 11:00: October's from the last.
    "H": [
        (at(2026, 9, 30, 16), C),
        (at(2026, 9, 30, 17), Q),
        (at(2026, 10, 1, 10), C),
        (at(2026, 10, 1, 11), L),
    ],
}
AS_OF = at(2026, 11, 5, 10)
# From the last completion, elapsed: within A, D, F, H; missed E, G; B and C not counted.
# In office hours: G is within too. From the first completion (H is September's): elapsed
# within A, F; missed D, E, G. In office hours G is within (1.5 h) but D is not (1 + 1.5 h).
EXPECTED_OCTOBER = TwoHourCounts(
    last_elapsed=(4, 6), last_office=(5, 6), first_elapsed=(2, 5), first_office=(3, 5)
)


def test_two_hour_clock_stops_for_information_and_restarts() -> None:
    clock = list_clock(HISTORIES["D"], AS_OF)
    assert clock.first_completed_at == at(2026, 10, 7, 10)
    assert clock.last_completed_at == at(2026, 10, 8, 14)
    assert clock.listed_at == at(2026, 10, 8, 15, 30)
    assert clock.from_first == (
        (at(2026, 10, 7, 10), at(2026, 10, 7, 11)),
        (at(2026, 10, 8, 14), at(2026, 10, 8, 15, 30)),
    )
    assert clock.from_last == ((at(2026, 10, 8, 14), at(2026, 10, 8, 15, 30)),)
    assert list_outcome(clock.from_last, True) is True
    assert list_outcome(clock.from_first, True) is False
    # Withdrawn at 40 minutes, or stopped at one hour: neither within nor a miss.
    assert list_outcome(list_clock(HISTORIES["B"], AS_OF).from_last, False) is None
    assert list_outcome(list_clock(HISTORIES["C"], AS_OF).from_last, False) is None
    # Exactly two hours is within; two hours and a minute without a list is a miss.
    two = list_clock([(at(2026, 10, 6, 10), C), (at(2026, 10, 6, 12), L)], AS_OF)
    assert list_outcome(two.from_last, True) is True
    waiting = list_clock([(at(2026, 10, 6, 10), C)], at(2026, 10, 6, 12, 1))
    assert list_outcome(waiting.from_last, False) is False
    assert (
        list_outcome(list_clock([(at(2026, 10, 6, 10), C)], at(2026, 10, 6, 12)).from_last, False)
        is None
    )


def test_two_hour_counts_of_a_hand_counted_month() -> None:
    clocks = [list_clock(h, AS_OF) for h in HISTORIES.values()]
    assert list_two_hour_counts(clocks, at(2026, 10, 1), at(2026, 11, 1)) == EXPECTED_OCTOBER


@pytest.mark.django_db
@time_machine.travel(AS_OF, tick=False)
def test_two_hour_kpi_read_from_the_status_history() -> None:
    from swc.organisations.tests.factories import LocalAuthorityFactory
    from swc.referrals.models import Referral
    from swc.reporting.selectors import list_within_two_hours

    from .dataset import history_add

    la = LocalAuthorityFactory()
    for history in HISTORIES.values():
        referral = Referral.objects.create(local_authority=la, status=history[-1][1])
        history_add(referral, ((history[0][0], "submitted"), *history))
    assert list_within_two_hours(at(2026, 10, 1), at(2026, 11, 1)) == EXPECTED_OCTOBER


def test_waiting_counts_the_status_at_the_end_of_each_day() -> None:
    # Submitted 1st, offer accepted 2nd, fell through (back with homes) 3rd, placed 5th.
    history = [
        (at(2026, 10, 1, 9), "submitted"),
        (at(2026, 10, 2, 9), "offer_accepted"),
        (at(2026, 10, 3, 9), "with_homes"),
        (at(2026, 10, 5, 9), "placed"),
    ]
    ends = [at(2026, 10, d) for d in range(2, 7)]  # midnight ending the 1st to the 5th
    assert waiting_per_day([history], ends) == [1, 0, 1, 1, 0]


def test_survey_scoring() -> None:
    assert survey_is_satisfied("very_satisfied")
    assert survey_is_satisfied("satisfied")
    assert not survey_is_satisfied("neither")
    with pytest.raises(ValueError):
        survey_is_satisfied("great")
    assert survey_satisfaction_percent(["satisfied"] * 17 + ["dissatisfied"] * 3) == (17, 20, 85.0)
    assert survey_satisfaction_percent([]) == (0, 0, None)


@pytest.mark.django_db
@time_machine.travel(AS_OF, tick=False)
def test_homes_engaged_are_the_union_of_signed_up_and_answering() -> None:
    from swc.homes.tests.factories import SecureHomeFactory
    from swc.matching.models import HomeResponse, ResponseKind
    from swc.organisations.tests.factories import LocalAuthorityFactory
    from swc.referrals.models import Referral
    from swc.reporting.models import TermsAcceptance, TermsKind
    from swc.reporting.selectors import kpi_dashboard

    signed_only, answered_only, both, _neither = (SecureHomeFactory() for _ in range(4))
    referral = Referral.objects.create(local_authority=LocalAuthorityFactory(), status="with_homes")
    for home in (signed_only, both):
        TermsAcceptance.objects.create(
            organisation=home.organisation, kind=TermsKind.HOME_MOU, accepted_at=at(2026, 10, 1)
        )
    for home in (answered_only, both):
        HomeResponse.objects.create(
            referral=referral, home=home, kind=ResponseKind.DECLINE, recorded_at=at(2026, 10, 2)
        )
    engaged = next(
        k for k in kpi_dashboard(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) if k.code == "engaged"
    )
    # Signed up: 2; answered: 2; either: 3 of 4 (the larger of the two would say 2).
    assert engaged.value.endswith("3 of 4 homes")


@pytest.mark.django_db
@time_machine.travel(AS_OF, tick=False)
def test_the_kpis_hide_the_referrals_of_a_month_whose_return_hides_its_total() -> None:
    from swc.organisations.models import Role
    from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
    from swc.referrals.models import Referral
    from swc.reporting.publication import return_published
    from swc.reporting.returns import ReturnMonth
    from swc.reporting.selectors import kpi_dashboard, kpi_months_for, monthly_return_figures

    # By hand: October, seven referrals from one authority, aged (on 5 October) 8, 11, and
    # 14 five times: three age bands of 1, 1 and 5, hidden, with nothing but zeros beside
    # them, so the return hides its national total of 7 too. September: six referrals, all
    # aged 14, nothing hidden.
    la = LocalAuthorityFactory()
    for when, born in [
        (at(2026, 10, 5, 10), dt.date(2018, 1, 1)),
        (at(2026, 10, 5, 11), dt.date(2015, 1, 1)),
        *[(at(2026, 10, 6 + k, 10), dt.date(2012, 6, 1)) for k in range(5)],
        *[(at(2026, 9, 7 + k, 10), dt.date(2012, 6, 1)) for k in range(6)],
    ]:
        Referral.objects.create(
            local_authority=la, status="submitted", submitted_at=when, date_of_birth=born
        )
    october = return_published(monthly_return_figures(ReturnMonth(2026, 10)), suppress=True)
    assert next(t.total for t in october.tables if t.key == "referrals_by_region") == "[c]"

    def referrals(first: dt.date, last: dt.date, *, suppress: bool = True) -> str:
        return next(
            k for k in kpi_dashboard(first, last, suppress=suppress) if k.code == "referrals"
        ).value

    # The KPI for October, or for any period reaching into it, would print the 7 (or a
    # difference giving it); September alone and November alone are their own.
    assert referrals(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == "[c] referrals"
    assert referrals(dt.date(2026, 9, 1), dt.date(2026, 10, 5)) == "[c] referrals"
    assert referrals(dt.date(2026, 9, 1), dt.date(2026, 9, 30)) == "6 referrals"
    assert referrals(dt.date(2026, 11, 1), dt.date(2026, 11, 4)) == "0 referrals"
    assert referrals(dt.date(2026, 10, 1), dt.date(2026, 10, 31), suppress=False) == "7 referrals"
    months = kpi_months_for(user_with_role(Role.ANALYST), ReturnMonth(2026, 10))
    charted = {
        str(m): next(k for k in ks if k.code == "referrals").chart_values for m, ks in months
    }
    assert charted["2026-10"] == (("Referrals", None),)
    assert charted["2026-09"] == (("Referrals", 6.0),)


def test_office_hours_over_christmas_and_a_clock_left_running() -> None:
    # Thursday 24 December 2026 16:30 to Tuesday 29 December 10:00: half an hour on
    # Thursday, Christmas Day (Friday), the weekend and Boxing Day's substitute (Monday 28th)
    # shut, an hour on Tuesday: 1.5 office hours (within), though 4 days 17.5 hours elapsed.
    christmas = ((at(2026, 12, 24, 16, 30), at(2026, 12, 29, 10)),)
    assert list_outcome(christmas, True, office_hours=True) is True
    assert list_outcome(christmas, False, office_hours=True) is None
    assert list_outcome(christmas, True) is False
    # A clock left running for a year without a list is a miss on both clocks.
    year = ((at(2026, 1, 5, 10), at(2027, 1, 5, 10)),)
    assert list_outcome(year, False, office_hours=True) is False
    assert list_outcome(year, False) is False
    # Two stretches of an hour in office hours each: exactly two hours is within.
    two = ((at(2026, 10, 6, 10), at(2026, 10, 6, 11)), (at(2026, 10, 7, 9), at(2026, 10, 7, 10)))
    assert list_outcome(two, True, office_hours=True) is True
    # Friday 18:30 to Monday 10:31: half an hour on Friday and 1 h 31 on Monday, one minute
    # over; the whole weekend between them counts for nothing.
    weekend = ((at(2026, 10, 9, 18, 30), at(2026, 10, 12, 10, 31)),)
    assert list_outcome(weekend, True, office_hours=True) is False


# Instants from January 2026 to February 2027 (both clock changes, Christmas, Easter).
_instants = st.integers(min_value=0, max_value=400 * 24 * 4).map(
    lambda quarter_hours: (
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=15 * quarter_hours)
    )
)
_lengths = st.one_of(
    st.integers(min_value=0, max_value=16).map(lambda q: dt.timedelta(minutes=15 * q)),
    st.integers(min_value=0, max_value=60 * 24).map(lambda m: dt.timedelta(minutes=m)),
    st.integers(min_value=0, max_value=40).map(lambda d: dt.timedelta(days=d, hours=1)),
)


@given(st.lists(st.tuples(_instants, _lengths), max_size=4), st.booleans())
def test_office_hours_outcome_is_the_calendar_sum_compared_with_two_hours(
    stretches: list[tuple[dt.datetime, dt.timedelta]], listed: bool
) -> None:
    # The definition, stretch by stretch through the one calendar; the KPI decides it
    # without walking long stretches day by day, and must agree.
    from swc.core.calendar import office_hours_between

    running = tuple(sorted((start, start + length) for start, length in stretches))
    total = sum((office_hours_between(a, b) for a, b in running), dt.timedelta(0))
    over = total > dt.timedelta(hours=2)
    expected = (not over) if listed else (False if over else None)
    assert list_outcome(running, listed, office_hours=True) is expected


_STATUSES = (
    "submitted",
    "complete",
    "information_requested",
    "shortlisted",
    "with_homes",
    "offer_accepted",
    "placed",
    "withdrawn",
    "closed_not_placed",
)


@given(
    st.lists(
        st.lists(
            st.tuples(st.integers(min_value=0, max_value=24 * 12), st.sampled_from(_STATUSES)),
            max_size=6,
        ),
        max_size=5,
    ),
    st.lists(st.integers(min_value=0, max_value=24 * 12), min_size=1, max_size=12, unique=True),
)
def test_waiting_per_day_is_the_status_at_each_day_end(
    histories: list[list[tuple[int, str]]], ends: list[int]
) -> None:
    # The definition: at each instant, the status of each referral's last arrival before it
    # (arrivals and instants on a grid of hours, so ties between them are common).
    from swc.reporting.kpi import WAITING_STATUSES, status_on

    hour = dt.timedelta(hours=1)
    base = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    arrivals = [sorted((base + h * hour, status) for h, status in history) for history in histories]
    instants = [base + h * hour for h in sorted(ends)]
    expected = [
        sum(status_on(history, instant) in WAITING_STATUSES for history in arrivals)
        for instant in instants
    ]
    assert waiting_per_day(arrivals, instants) == expected


def test_the_default_period_is_the_financial_year_in_complete_months() -> None:
    from swc.reporting.kpi import kpi_period_default

    # On 6 December 2026, December is still running: 1 April to 30 November 2026.
    assert kpi_period_default(dt.date(2026, 12, 6)) == (dt.date(2026, 4, 1), dt.date(2026, 11, 30))
    # On 1 May the year has one complete month, April.
    assert kpi_period_default(dt.date(2027, 5, 1)) == (dt.date(2027, 4, 1), dt.date(2027, 4, 30))
    # In April no month of the new year is complete: the whole year just ended.
    assert kpi_period_default(dt.date(2027, 4, 20)) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    # In January and March, the year that began the April before.
    assert kpi_period_default(dt.date(2027, 1, 2)) == (dt.date(2026, 4, 1), dt.date(2026, 12, 31))
    assert kpi_period_default(dt.date(2027, 3, 31)) == (dt.date(2026, 4, 1), dt.date(2027, 2, 28))
