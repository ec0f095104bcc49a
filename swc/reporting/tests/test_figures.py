"""Every figure of October 2026 against the hand-built data set (dataset.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from swc.reporting.returns import ReturnMonth
from swc.reporting.selectors import children_figures, monthly_return_figures, tables_for

from .dataset import october_build

pytestmark = pytest.mark.django_db
OCTOBER = ReturnMonth(2026, 10)


@pytest.fixture
def figures() -> dict:
    october_build()
    with time_machine.travel(dt.datetime(2026, 11, 5, 10, tzinfo=dt.UTC), tick=False):
        return monthly_return_figures(OCTOBER)


def test_due_date_is_on_the_return(figures: dict) -> None:
    # November 2026: Sun 1, Mon 2 .. Fri 6 are 1-5, Mon 9 .. Fri 13 are 6-10.
    assert figures["due_on"] == "2026-11-13"


def test_referrals_received_breakdowns(figures: dict) -> None:
    counts = figures["counts"]
    # Received in October: r1, r2 (Synthshire, South East), r3, r4 (Testborough, London).
    # r0 (July) and r5 (September) were received earlier; the draft was never submitted.
    assert counts["referrals_by_region"]["South East"] == 2
    assert counts["referrals_by_region"]["London"] == 2
    assert sum(counts["referrals_by_region"].values()) == 4
    assert counts["referrals_by_authority"] == {"Synthshire": 2, "Testborough": 2}
    # Ages on the day referred: r1 (born 1 Jan 2011, referred 5 October 2026) is 15; r2 (born
    # 1 Jun 2010, 6 October) is 16; r3 (born 20 Oct 2013, referred 12 October) is 12, although
    # 13 by the month's end; r4 has no date of birth.
    assert counts["referrals_by_age_band"] == {
        "Under 10": 0,
        "10 to 12": 1,
        "13 to 14": 0,
        "15": 1,
        "16": 1,
        "17 and over": 0,
        "Not recorded": 1,
    }
    assert counts["referrals_by_sex"] == {"Female": 3, "Male": 1}
    ethnicity = counts["referrals_by_ethnicity"]
    assert ethnicity["WBRI White British"] == 2
    assert ethnicity["BCRB Caribbean"] == 1
    assert ethnicity["Not recorded"] == 1
    assert sum(ethnicity.values()) == 4
    legal = counts["referrals_by_legal_status"]
    assert legal["Section 25 order granted"] == 1
    assert legal["Application to court for a section 25 order"] == 1
    assert legal["Regulation 10 placement without an order (72 hours)"] == 1
    assert legal["Not recorded"] == 1
    needs = counts["referrals_by_need"]
    assert needs["Going missing"] == 2  # r1 and r2
    assert needs["Self-harm"] == 1  # r1
    assert sum(needs.values()) == 3
    # No asylum status recorded on any; no disability named.
    assert counts["referrals_by_uasc"] == {
        "Unaccompanied asylum-seeking child": 0,
        "Not an unaccompanied asylum-seeking child": 0,
        "Not recorded": 4,
    }
    assert counts["referrals_by_disability"] == {"Disability named": 0, "No disability named": 4}
    assert figures["authority_regions"] == {"Synthshire": "South East", "Testborough": "London"}
    # Four referrals of four children (no child identifiers: each referral its own child).
    assert figures["children"] == {"distinct_children": 4, "re_referrals_12_months": 0}


def test_the_return_carries_the_two_hour_kpi(figures: dict) -> None:
    # Completed in October: r1 (1 h), r2 (3 h), r3 (18.5 h elapsed, 2.5 office hours).
    assert figures["list_two_hours"] == {
        "last_elapsed": [1, 3],
        "last_office": [1, 3],
        "first_elapsed": [1, 3],
        "first_office": [1, 3],
    }


def test_outcomes_reasons_and_declines(figures: dict) -> None:
    counts = figures["counts"]
    # Closed in October: r1 placed (9th), r2 withdrawn (20th), r3 closed (25th). r0 closed in August.
    assert counts["outcomes"] == {"Placed": 1, "Withdrawn": 1, "Closed without placement": 1}
    assert counts["withdrawal_reasons"]["Alternative placement found"] == 1
    assert sum(counts["withdrawal_reasons"].values()) == 1
    assert counts["closure_destinations"]["Custody"] == 1
    assert sum(counts["closure_destinations"].values()) == 1
    # Declines: group mix (6th) and staffing (7th); the late one and September's do not count.
    assert counts["declines_by_reason"]["Group mix"] == 1
    assert counts["declines_by_reason"]["Staffing"] == 1
    assert sum(counts["declines_by_reason"].values()) == 2
    # Admitted: r1 on 9 October. Discharged: r0 on 15 October.
    assert counts["placements_flow"] == {"Admissions": 1, "Discharges": 1}


def test_times_stays_and_distance(figures: dict) -> None:
    m = figures["measures"]
    # Lists provided in October: r1 after 1 h, r2 after 3 h, r3 after 18.5 h (15:00 to 09:30).
    # Median 3; 90th percentile at rank 0.9 x 2 = 1.8: 3 + 0.8 x (18.5 - 3) = 15.4.
    assert m["completion_to_list_hours"] == {"n": 3, "median": 3.0, "p90": 15.4}
    # r1: complete 5 October 10:00, placed 9 October 10:00: 4 days.
    assert m["completion_to_placement_days"] == {"n": 1, "median": 4.0, "p90": 4.0}
    # r0: admitted 1 August, discharged 15 October: 31 + 30 + 14 = 75 days.
    assert m["length_of_stay_days"] == {"n": 1, "median": 75.0, "p90": 75.0}
    # r1: Synthshire (51.0, -1.3) to Home One (52.0, -1.3): one degree of latitude,
    # 6371.0088 km x pi / 180 = 111.195 km; / 1.609344 km a mile = 69.09 miles.
    assert m["distance_miles"] == {"n": 1, "median": 69.1, "p90": 69.1}


def test_children_waiting_each_day(figures: dict) -> None:
    waiting = figures["waiting"]
    per_day = waiting["per_day"]
    # At the end of each day: r5 waits all 31 days; r1 the 5th-7th (offer accepted on the 8th);
    # r2 the 6th-19th (withdrawn on the 20th); r3 the 12th-24th (closed on the 25th);
    # r4 the 30th and 31st; r6 the 1st-13th and again from the 16th, when its accepted offer
    # fell through (13 + 16 = 29 days), although its acceptance stamp stays.
    # 31 + 3 + 14 + 13 + 2 + 29 = 92 child-days over 31 days = 2.97.
    assert per_day["2026-10-01"] == 2  # r5, r6
    assert per_day["2026-10-05"] == 3  # r5, r6, r1
    assert per_day["2026-10-06"] == 4  # r5, r6, r1, r2
    assert per_day["2026-10-08"] == 3  # r5, r6, r2
    assert per_day["2026-10-12"] == 4  # r5, r6, r2, r3
    assert per_day["2026-10-14"] == 3  # r5, r2, r3: r6 has an accepted offer
    assert per_day["2026-10-15"] == 3
    assert per_day["2026-10-16"] == 4  # r6 waits again
    assert per_day["2026-10-20"] == 3  # r5, r6, r3
    assert per_day["2026-10-25"] == 2  # r5, r6
    assert per_day["2026-10-31"] == 3  # r5, r6, r4
    assert sum(per_day.values()) == 92
    assert waiting["average"] == 3.0
    assert waiting["maximum"] == 4
    # Home One has one free welfare bed from the 1st to the 9th, none from the 10th;
    # Home Two has none all month (2 staffed, 1 for youth justice, 1 occupied): 22 days.
    assert waiting["days_no_free_welfare_bed"] == 22


def test_occupancy_of_welfare_beds(figures: dict) -> None:
    occupancy = figures["occupancy"]
    # 1st-9th: occupied 3 + 1 = 4 of 4 + 1 = 5 staffed welfare beds; 10th-31st: 5 of 5.
    # Occupied 9 x 4 + 22 x 5 = 146 bed-days; staffed 31 x 5 = 155.
    assert occupancy == {
        "days_with_register": 31,
        "average_occupied_welfare": 4.7,  # 146 / 31
        "average_staffed_welfare": 5.0,
        "occupancy_percent": 94.2,  # 146 / 155
        "days_no_free_welfare_bed": 22,
        "homes_declared": 2,
        "homes": 2,
        # Both homes are in England: the same figures for England alone.
        "england_days_with_register": 31,
        "england_average_occupied_welfare": 4.7,
        "england_average_staffed_welfare": 5.0,
        "england_occupancy_percent": 94.2,
        "england_days_no_free_welfare_bed": 22,
        "england_homes_declared": 2,
        "england_homes": 2,
    }


def test_suppressed_tables_hide_small_counts(figures: dict) -> None:
    tables, measures = tables_for(figures, suppress=True)
    by_key = {t.key: dict(t.rows) for t in tables}
    totals = {t.key: t.total for t in tables}
    # Two and two: both hidden; the total of 4 is hidden too.
    assert by_key["referrals_by_region"]["South East"] == "[c]"
    assert by_key["referrals_by_region"]["London"] == "[c]"
    assert by_key["referrals_by_region"]["North East"] == "0"
    assert totals["referrals_by_region"] == "[c]"
    for m in measures:
        assert (m.n, m.median, m.p90) == ("[c]", "[c]", "[c]")
    unsuppressed, _ = tables_for(figures, suppress=False)
    assert dict(unsuppressed[0].rows)["London"] == "2"


def test_the_month_costs_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:
    october_build()
    # A fixed number whatever the size of the tables (bed figures are read twice: England
    # and Wales, and England alone).
    with django_assert_max_num_queries(36):
        monthly_return_figures(OCTOBER)


def test_distinct_children_and_re_referrals_within_12_months() -> None:
    from swc.organisations.tests.factories import LocalAuthorityFactory
    from swc.referrals.models import Referral

    from .dataset import at

    la = LocalAuthorityFactory()
    for child, when in [
        ("X1", dt.datetime(2025, 9, 1, 10, tzinfo=dt.UTC)),  # 13 months before: not counted
        ("X1", at(10, 3, 10)),  # 397 days after the first: not a re-referral
        ("X1", at(10, 20, 10)),  # 17 days after the last: a re-referral
        ("X2", at(10, 5, 10)),
        ("", at(10, 7, 10)),  # no identifier: a child of its own
    ]:
        Referral.objects.create(
            local_authority=la, status="submitted", submitted_at=when, la_child_identifier=child
        )
    # Another authority's X1 in September is another child: not an earlier referral of this X1.
    Referral.objects.create(
        local_authority=LocalAuthorityFactory(),
        status="submitted",
        submitted_at=at(9, 15, 10),
        la_child_identifier="X1",
    )
    # October: four referrals of three children (X1, X2, the unidentified one); one re-referral.
    assert children_figures(OCTOBER) == {"distinct_children": 3, "re_referrals_12_months": 1}
