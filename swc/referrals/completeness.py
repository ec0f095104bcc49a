"""When is a referral complete? A pure function over its values, no ORM.

The check-answers page, the submit service and the API all call
``referral_problems``: a referral is complete when it returns nothing. Each
problem names its section so the task list can show which sections need work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from swc.core.clock import LONDON
from swc.core.vocabulary import LegalStatus

AGE_MIN, AGE_MAX = 10, 17
# A secure placement of a child under 13 needs the Secretary of State's approval.
AGE_NEEDS_APPROVAL = 13


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "child",
        "The child",
        (
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "gender_identity",
            "ethnicity",
            "first_language",
            "religion",
            "la_child_identifier",
            "unaccompanied_asylum_seeking",
        ),
    ),
    Section(
        "legal",
        "Legal position",
        (
            "legal_status",
            "order_expires_on",
            "hearing_date",
            "regulation_10_started_at",
            "secretary_of_state_approval_on",
            "legal_notes",
        ),
    ),
    Section("needs", "Needs and risks", ("needs", "need_descriptions")),
    Section(
        "placement",
        "Current placement and home area",
        ("current_placement", "home_area_region", "home_area"),
    ),
    Section("when", "When the bed is needed", ("bed_needed_at",)),
    Section(
        "contacts",
        "Contacts",
        (
            "social_worker_name",
            "social_worker_phone",
            "social_worker_email",
            "manager_name",
            "manager_email",
            "guardian_name",
            "guardian_phone",
        ),
    ),
    Section("preferences", "Distance and preferences", ("max_distance_miles", "preferences")),
)
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}
FIELDS: tuple[str, ...] = tuple(name for section in SECTIONS for name in section.fields)

REQUIRED: dict[str, str] = {
    "first_name": "Enter the child's first name",
    "last_name": "Enter the child's last name",
    "date_of_birth": "Enter the child's date of birth",
    "sex": "Select the child's sex",
    "ethnicity": "Select the child's ethnicity",
    "first_language": "Enter the child's first language",
    "la_child_identifier": "Enter your authority's identifier for the child",
    "unaccompanied_asylum_seeking": "Say whether the child is an unaccompanied asylum-seeking child",
    "legal_status": "Select the legal position",
    "current_placement": "Enter where the child is living now",
    "home_area_region": "Select the region of the child's home area",
    "home_area": "Enter the town or district of the child's home area",
    "bed_needed_at": "Enter the date and time the bed is needed",
    "social_worker_name": "Enter the social worker's name",
    "social_worker_phone": "Enter the social worker's phone number",
    "social_worker_email": "Enter the social worker's email address",
    "manager_name": "Enter the name of the manager who sanctioned the referral",
}
SECTION_OF = {name: section.slug for section in SECTIONS for name in section.fields}


@dataclass(frozen=True)
class Problem:
    section: str
    field: str
    message: str


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Age in whole years on ``day`` (a birthday on 29 February counts from 1 March)."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def age_problem(date_of_birth: dt.date, day: dt.date, *, when: str) -> str | None:
    """The message when a child's age on ``day`` is outside the ages secure homes take."""
    age = age_on(date_of_birth, day)
    if age < 0:
        return "Date of birth must be in the past"
    if age > AGE_MAX:
        return f"The child must be under 18 {when}: secure children's homes take ages 10 to 17"
    if age < AGE_MIN:
        return f"The child must be at least 10 {when}: secure children's homes take ages 10 to 17"
    return None


def legal_problems(
    values: Mapping[str, Any], now: dt.datetime, *, include_missing: bool = True
) -> list[Problem]:
    """Dates the legal position needs, and dates that cannot be right.

    A draft's question page asks only about wrong dates (``include_missing=False``):
    a missing one may be filled in later.
    """
    today = now.astimezone(LONDON).date()
    status = values.get("legal_status")
    problems: list[Problem] = []

    def add(name: str, message: str) -> None:
        problems.append(Problem("legal", name, message))

    expires = values.get("order_expires_on")
    hearing = values.get("hearing_date")
    started = values.get("regulation_10_started_at")
    approved = values.get("secretary_of_state_approval_on")
    if approved is not None and approved > today:
        add("secretary_of_state_approval_on", "The date of approval must not be in the future")
    if include_missing and status == LegalStatus.S25_ORDER and expires is None:
        add("order_expires_on", "Enter the date the section 25 order expires")
    if include_missing and status == LegalStatus.S25_APPLICATION and hearing is None:
        add("hearing_date", "Enter the date of the court hearing")
    if include_missing and status == LegalStatus.REGULATION_10 and started is None:
        add("regulation_10_started_at", "Enter the date and time the 72 hours began")
    missing_both = expires is None and hearing is None
    if include_missing and status == LegalStatus.WALES_S119 and missing_both:
        add("hearing_date", "Enter the hearing date or the date the section 119 order expires")
    ordered = status in (LegalStatus.S25_ORDER, LegalStatus.WALES_S119)
    if expires is not None and ordered and expires < today:
        add("order_expires_on", "The order's expiry date must not be in the past")
    in_court = status in (LegalStatus.S25_APPLICATION, LegalStatus.WALES_S119)
    if hearing is not None and in_court and hearing < today:
        add("hearing_date", "The court hearing date must be today or in the future")
    if started is not None and status == LegalStatus.REGULATION_10 and started > now:
        add("regulation_10_started_at", "The time the 72 hours began must not be in the future")
    return problems


def referral_problems(values: Mapping[str, Any], now: dt.datetime) -> list[Problem]:
    """Everything that stops this referral being complete, in section order.

    ``values`` maps field names (see ``FIELDS``) to the referral's values;
    ``now`` is an aware datetime. An empty list means complete.
    """
    problems = [
        Problem(SECTION_OF[name], name, message)
        for name, message in REQUIRED.items()
        if _empty(values.get(name))
    ]
    problems += legal_problems(values, now)

    needs = values.get("needs") or []
    descriptions = values.get("need_descriptions") or {}
    if not needs:
        problems.append(Problem("needs", "needs", "Select at least one need or risk"))
    for code in needs:
        if not str(descriptions.get(code, "")).strip():
            problems.append(
                Problem("needs", f"description_{code}", "Describe each need or risk you selected")
            )
            break

    dob = values.get("date_of_birth")
    needed = values.get("bed_needed_at")
    if dob is not None:
        day = needed.astimezone(LONDON).date() if needed is not None else now.date()
        message = age_problem(dob, day, when="on the date the bed is needed")
        if message:
            problems.append(Problem("child", "date_of_birth", message))
        elif age_on(dob, day) < AGE_NEEDS_APPROVAL and not values.get(
            "secretary_of_state_approval_on"
        ):
            problems.append(
                Problem(
                    "legal",
                    "secretary_of_state_approval_on",
                    "A child under 13 needs the Secretary of State's approval: "
                    "enter the date it was given",
                )
            )
    order = [section.slug for section in SECTIONS]
    problems.sort(key=lambda p: order.index(p.section))
    return problems


OPTIONAL_SECTIONS = frozenset({"preferences"})


def section_status(section: str, values: Mapping[str, Any], problems: list[Problem]) -> str:
    """GOV.UK task list status: "Not yet started", "Incomplete", "Completed" or "Optional"."""
    fields = SECTION_BY_SLUG[section].fields
    if all(_empty(values.get(name)) for name in fields):
        return "Optional" if section in OPTIONAL_SECTIONS else "Not yet started"
    if any(p.section == section for p in problems):
        return "Incomplete"
    return "Completed"


def answer_problems(values: Mapping[str, Any], now: dt.datetime) -> list[Problem]:
    """Answers that cannot be right whatever else is filled in later (drafts included).

    A date of birth making the child under 10 or over 17 today, a court date in
    the past, a regulation 10 start in the future, an approval dated in the
    future, a bed needed before today. Missing answers are not problems here.
    """
    today = now.astimezone(LONDON).date()
    problems = legal_problems(values, now, include_missing=False)
    dob = values.get("date_of_birth")
    if dob is not None:
        message = age_problem(dob, today, when="today")
        if message:
            problems.append(Problem("child", "date_of_birth", message))
    needed = values.get("bed_needed_at")
    if needed is not None and needed.astimezone(LONDON).date() < today:
        problems.append(
            Problem("when", "bed_needed_at", "The date the bed is needed must be today or later")
        )
    return problems
