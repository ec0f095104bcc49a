"""The vacancy register's hard rules, as pure functions (no ORM).

A home declares, for one day, how many places are approved, staffed and
usable, contracted to youth justice, and occupied. Everything else – how many
welfare beds are free, whether a bed or a restriction may be offered – follows
from these numbers, so it is worked out here and tested exhaustively.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from swc.core import calendar
from swc.core.vocabulary import HomeAccepts, Sex


@dataclass(frozen=True)
class RegisterCounts:
    """One day's declared numbers for one home."""

    approved: int
    staffed: int
    youth_justice: int
    occupied_welfare: int
    occupied_youth_justice: int

    @property
    def occupied(self) -> int:
        return self.occupied_welfare + self.occupied_youth_justice

    @property
    def welfare_staffed(self) -> int:
        """Staffed places not contracted to youth justice: the welfare beds in use today."""
        return max(self.staffed - self.youth_justice, 0)

    @property
    def welfare_free(self) -> int:
        """Welfare beds staffed, not contracted to youth justice, and empty."""
        return max(self.welfare_staffed - self.occupied_welfare, 0)

    @property
    def youth_justice_free(self) -> int:
        return max(self.youth_justice - self.occupied_youth_justice, 0)


@dataclass(frozen=True)
class RegisterProblem:
    field: str
    message: str


def register_problems(counts: RegisterCounts) -> list[RegisterProblem]:
    """Every reason these numbers cannot be true at once (empty: they can).

    The order of the checks is the order a home manager reads the form in.
    """
    problems: list[RegisterProblem] = []
    for field, value in (
        ("approved", counts.approved),
        ("staffed", counts.staffed),
        ("youth_justice", counts.youth_justice),
        ("occupied_welfare", counts.occupied_welfare),
        ("occupied_youth_justice", counts.occupied_youth_justice),
    ):
        if value < 0:
            problems.append(RegisterProblem(field, "Enter a number of places of 0 or more"))
    if problems:
        return problems
    if counts.staffed > counts.approved:
        problems.append(
            RegisterProblem(
                "staffed",
                f"Staffed places ({counts.staffed}) cannot be more than approved places "
                f"({counts.approved})",
            )
        )
    if counts.youth_justice > counts.staffed:
        problems.append(
            RegisterProblem(
                "youth_justice",
                f"Places contracted to youth justice ({counts.youth_justice}) cannot be more "
                f"than staffed places ({counts.staffed})",
            )
        )
    if counts.occupied > counts.staffed:
        problems.append(
            RegisterProblem(
                "occupied_welfare",
                f"Occupied places ({counts.occupied}) cannot be more than staffed places "
                f"({counts.staffed})",
            )
        )
    elif counts.occupied_youth_justice > counts.youth_justice:
        problems.append(
            RegisterProblem(
                "occupied_youth_justice",
                f"Youth justice places occupied ({counts.occupied_youth_justice}) cannot be "
                f"more than places contracted to youth justice ({counts.youth_justice})",
            )
        )
    elif counts.occupied_welfare > counts.welfare_staffed:
        problems.append(
            RegisterProblem(
                "occupied_welfare",
                f"Welfare places occupied ({counts.occupied_welfare}) cannot be more than "
                f"staffed welfare places ({counts.welfare_staffed})",
            )
        )
    return problems


def vacancy_count_problem(counts: RegisterCounts, *, open_now: int, open_later: int) -> str | None:
    """Why this many offered welfare beds do not fit the register (None: they fit).

    ``open_now`` beds are free today, so each needs an empty staffed welfare
    place; beds free from a later date may be occupied now (a child is about
    to leave) but still need a staffed welfare place.
    """
    if open_now > counts.welfare_free:
        return (
            f"You have {counts.welfare_free} free welfare "
            f"{'place' if counts.welfare_free == 1 else 'places'} today, so you cannot offer "
            f"{open_now} beds from today"
        )
    if open_now + open_later > counts.welfare_staffed:
        return (
            f"You have {counts.welfare_staffed} staffed welfare places, so you cannot offer "
            f"{open_now + open_later} beds"
        )
    return None


def vacancy_date_problem(available_from: dt.date, today: dt.date) -> str | None:
    """A vacancy cannot be dated in the past: a bed free 'since last week' is free today."""
    if available_from < today:
        return "The date the bed is free from must be today or in the future"
    return None


_SEX_WORDS = {
    Sex.FEMALE: ("girl", "girls", "female", "females"),
    Sex.MALE: ("boy", "boys", "male", "males"),
}


def restriction_text_sex(text: str) -> str:
    """The sex a free-text restriction limits a bed to ("girls only for now"), or ''.

    Only a text naming one sex counts; "boys and girls" limits nothing.
    """
    words = set("".join(ch if ch.isalpha() else " " for ch in text.lower()).split())
    named = [sex for sex, sex_words in _SEX_WORDS.items() if words.intersection(sex_words)]
    return named[0] if len(named) == 1 else ""


def restriction_problem(home_accepts: str, restriction_sex: str, text: str = "") -> str | None:
    """A restriction may narrow a home's registration, never contradict it.

    The structured sex and the words of the restriction must agree, and
    neither may name a sex the home is not registered for.
    """
    text_sex = restriction_text_sex(text)
    if text_sex and restriction_sex and text_sex != restriction_sex:
        return "The restriction's words and who the bed is for do not agree"
    restriction_sex = restriction_sex or text_sex
    if not restriction_sex:
        return None
    if not HomeAccepts.allows(home_accepts, restriction_sex):
        label = "girls" if restriction_sex == Sex.FEMALE else "boys"
        return (
            f"This home is registered for {HomeAccepts(home_accepts).label.lower()}, "
            f"so a bed cannot be for {label} only"
        )
    return None


# --- working days -------------------------------------------------------------
# One calendar for the whole service (swc/core/calendar.py): England's bank holidays.

working_day_is = calendar.is_working_day
working_days_between = calendar.working_days_between


def working_day_previous(day: dt.date) -> dt.date:
    """The working day before ``day``."""
    return calendar.working_days_add(day, -1)


# --- how current a home's register is -------------------------------------------------


@dataclass(frozen=True)
class ConfirmationAge:
    """How current a home's figures are on a day, in words a person reads beside the home."""

    last_confirmed_on: dt.date | None
    working_days_missed: int | None
    out_of_date: bool
    words: str


def register_confirmation_age(
    last_confirmed_on: dt.date | None, today: dt.date, nation: str = calendar.ENGLAND
) -> ConfirmationAge:
    """The one rule for "is this home's register current?", for the board and the matching page.

    A home confirms its figures every working day, and has until the end of the
    day to do it. So its figures are *out of date* when a whole working day has
    gone by without a confirmation: the last one is older than the last working
    day before ``today``. Friday's figures are current all weekend and on Monday
    (or on Tuesday after a bank holiday Monday); Thursday's are out of date on
    Saturday. A home that never confirmed is out of date.
    """
    if last_confirmed_on is None:
        return ConfirmationAge(None, None, True, "never confirmed")
    day = dt.timedelta(days=1)
    missed = calendar.working_days_between(last_confirmed_on + day, today - day, nation)
    if last_confirmed_on >= today:
        words = "confirmed today"
    elif missed:
        plural = "s" if missed > 1 else ""
        words = (
            f"not confirmed for {missed} working day{plural}, since {last_confirmed_on:%A %-d %B}"
        )
    elif last_confirmed_on == today - day:
        words = "confirmed yesterday"
    else:
        words = f"confirmed {last_confirmed_on:%A %-d %B}"
    return ConfirmationAge(last_confirmed_on, missed, missed > 0, words)
