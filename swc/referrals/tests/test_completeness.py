"""Completeness: every required item, every bad date, and the under-13 rule."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swc.core.vocabulary import LegalStatus, NeedOrRisk
from swc.referrals.completeness import (
    REQUIRED,
    age_on,
    age_problem,
    referral_problems,
    section_status,
)
from swc.referrals.tests.factories import complete_values

NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)
TODAY = NOW.date()


def problems_for(**overrides):  # type: ignore[no-untyped-def]
    return referral_problems(complete_values(NOW, **overrides), NOW)


def test_a_full_set_of_answers_is_complete() -> None:
    assert problems_for() == []


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_required_item_missing_is_named_with_its_section(name) -> None:
    problems = problems_for(**{name: None})
    assert [(p.field, p.message) for p in problems if p.field == name] == [(name, REQUIRED[name])]


def test_problems_come_in_section_order() -> None:
    problems = problems_for(manager_name="", first_name="", needs=[])
    assert [p.section for p in problems] == ["child", "needs", "contacts"]


def test_each_need_needs_a_description() -> None:
    problems = problems_for(
        needs=[NeedOrRisk.SELF_HARM], need_descriptions={NeedOrRisk.SELF_HARM: "  "}
    )
    assert [p.message for p in problems] == ["Describe each need or risk you selected"]


@pytest.mark.parametrize(
    ("status", "missing_field", "message"),
    [
        (LegalStatus.S25_ORDER, "order_expires_on", "Enter the date the section 25 order expires"),
        (LegalStatus.S25_APPLICATION, "hearing_date", "Enter the date of the court hearing"),
        (
            LegalStatus.REGULATION_10,
            "regulation_10_started_at",
            "Enter the date and time the 72 hours began",
        ),
        (
            LegalStatus.WALES_S119,
            "hearing_date",
            "Enter the hearing date or the date the section 119 order expires",
        ),
    ],
)
def test_each_legal_position_needs_its_own_date(status, missing_field, message) -> None:
    problems = problems_for(
        legal_status=status, hearing_date=None, order_expires_on=None, regulation_10_started_at=None
    )
    assert [(p.field, p.message) for p in problems] == [(missing_field, message)]


def test_a_court_date_in_the_past_is_refused() -> None:
    problems = problems_for(hearing_date=TODAY - dt.timedelta(days=1))
    assert [p.message for p in problems] == [
        "The court hearing date must be today or in the future"
    ]
    assert problems_for(hearing_date=TODAY) == []


def test_a_regulation_10_start_in_the_future_is_refused() -> None:
    problems = problems_for(
        legal_status=LegalStatus.REGULATION_10,
        hearing_date=None,
        regulation_10_started_at=NOW + dt.timedelta(minutes=5),
    )
    assert [p.message for p in problems] == [
        "The time the 72 hours began must not be in the future"
    ]


def test_an_expired_order_is_refused() -> None:
    problems = problems_for(
        legal_status=LegalStatus.S25_ORDER,
        hearing_date=None,
        order_expires_on=TODAY - dt.timedelta(days=1),
    )
    assert [p.message for p in problems] == ["The order's expiry date must not be in the past"]


def test_age_is_checked_on_the_date_the_bed_is_needed() -> None:
    eighteen_soon = dt.date(TODAY.year - 18, TODAY.month, TODAY.day + 1)
    assert problems_for(date_of_birth=eighteen_soon, bed_needed_at=NOW) == []
    problems = problems_for(date_of_birth=eighteen_soon, bed_needed_at=NOW + dt.timedelta(days=2))
    assert [p.message for p in problems] == [
        "The child must be under 18 on the date the bed is needed: "
        "secure children's homes take ages 10 to 17"
    ]


def test_a_child_under_ten_is_refused() -> None:
    problems = problems_for(date_of_birth=dt.date(TODAY.year - 9, 1, 1))
    assert [p.field for p in problems] == ["date_of_birth"]
    assert "at least 10" in problems[0].message


def test_a_child_under_13_needs_the_secretary_of_states_approval() -> None:
    twelve = dt.date(TODAY.year - 12, 1, 1)
    problems = problems_for(date_of_birth=twelve)
    assert [(p.section, p.field) for p in problems] == [("legal", "secretary_of_state_approval_on")]
    assert problems_for(date_of_birth=twelve, secretary_of_state_approval_on=TODAY) == []


@given(
    dob=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 1, 1)),
)
def test_age_problem_is_none_exactly_for_ages_10_to_17(dob, day) -> None:
    age = age_on(dob, day)
    assert (age_problem(dob, day, when="then") is None) == (10 <= age <= 17)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)))
def test_age_is_zero_on_the_day_of_birth_and_rises_by_one_each_birthday(dob) -> None:
    assert age_on(dob, dob) == 0
    try:
        tenth = dob.replace(year=dob.year + 10)
    except ValueError:  # 29 February
        tenth = dt.date(dob.year + 10, 3, 1)
    assert age_on(dob, tenth) == 10
    assert age_on(dob, tenth - dt.timedelta(days=1)) == 9


def test_section_statuses_for_the_task_list() -> None:
    values = complete_values(NOW, social_worker_phone="", preferences="")
    problems = referral_problems(values, NOW)
    assert section_status("child", values, problems) == "Completed"
    assert section_status("contacts", values, problems) == "Incomplete"
    assert section_status("preferences", values, problems) == "Optional"
    empty: dict[str, object] = {}
    assert section_status("legal", empty, referral_problems(empty, NOW)) == "Not yet started"


@given(st.sets(st.sampled_from(sorted(REQUIRED))))
def test_blanking_any_required_items_reports_exactly_those(blanked) -> None:
    problems = problems_for(**dict.fromkeys(blanked, None))
    assert {p.field for p in problems} == set(blanked)
