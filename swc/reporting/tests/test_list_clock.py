"""The two-hour KPI through the services: the clock each status move keeps beside the timeline.

Four referrals moved by referral_submit / referral_transition / referral_list_provided at
set instants in March 2026 (Tuesday 10 to Thursday 12, no bank holiday; London is on GMT),
the KPI read at two instants, every figure worked out by hand below.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from swc.core.vocabulary import WithdrawalReason
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral, ReferralListClock
from swc.referrals.services import (
    referral_create,
    referral_list_provided,
    referral_section_save,
    referral_submit,
    referral_transition,
)
from swc.referrals.tests.factories import complete_values
from swc.referrals.workflow import Status
from swc.reporting.kpi import TwoHourCounts
from swc.reporting.selectors import list_within_two_hours

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
MARCH = (dt.datetime(2026, 3, 1, tzinfo=LONDON), dt.datetime(2026, 4, 1, tzinfo=LONDON))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=LONDON)


class Unit:
    def __init__(self) -> None:
        self.la = LocalAuthorityFactory()
        self.referrer = user_with_role(Role.REFERRER, self.la.organisation)
        self.coordinator = user_with_role(Role.COORDINATOR)

    def complete(self, when: dt.datetime) -> Referral:
        with time_machine.travel(when, tick=False):
            draft = referral_create(local_authority=self.la, by=self.referrer)
            filled = referral_section_save(
                referral=draft, by=self.referrer, version=draft.version, values=complete_values()
            )
            return referral_submit(referral=filled, by=self.referrer, version=filled.version)

    def ask(self, referral: Referral, when: dt.datetime) -> Referral:
        with time_machine.travel(when, tick=False):
            return referral_transition(
                referral=referral, to=Status.INFORMATION_REQUESTED, by=self.coordinator
            )

    def answer(self, referral: Referral, when: dt.datetime) -> Referral:
        with time_machine.travel(when, tick=False):
            return referral_submit(referral=referral, by=self.referrer, version=referral.version)

    def list(self, referral: Referral, when: dt.datetime) -> Referral:
        with time_machine.travel(when, tick=False):
            return referral_list_provided(referral=referral, by=self.coordinator)

    def withdraw(self, referral: Referral, when: dt.datetime) -> Referral:
        with time_machine.travel(when, tick=False):
            return referral_transition(
                referral=referral,
                to=Status.WITHDRAWN,
                by=self.referrer,
                reason=WithdrawalReason.NO_LONGER_NEEDED,
            )


def kpi_at(when: dt.datetime) -> TwoHourCounts:
    with time_machine.travel(when, tick=False):
        return list_within_two_hours(*MARCH)


def clock_row(referral: Referral) -> tuple:
    return ReferralListClock.objects.filter(referral=referral).values_list(
        "first_completed_at",
        "last_completed_at",
        "listed_at",
        "running",
        "last_elapsed",
        "last_office",
        "first_elapsed",
        "first_office",
    )[0]


def test_the_clock_kept_by_the_services_gives_the_kpi_counted_by_hand() -> None:
    unit = Unit()
    # A: complete Tuesday 09:30, asked at 10:30 (1 h), answered Wednesday 14:00, list 15:30.
    # From the last completion 1.5 h: within on both clocks. From the first 1 + 1.5 = 2.5 h:
    # a miss on both.
    a = unit.complete(at(10, 9, 30))
    a = unit.ask(a, at(10, 10, 30))
    a = unit.answer(a, at(11, 14))
    a = unit.list(a, at(11, 15, 30))
    # B: complete Tuesday 16:00, list Wednesday 09:45: 17.75 h elapsed (a miss), office hours
    # 16:00-17:00 and 09:00-09:45, 1.75 h (within). Never asked: first and last agree.
    b = unit.list(unit.complete(at(10, 16)), at(11, 9, 45))
    # C: complete Thursday 10:00, no list yet: its clock is still running.
    c = unit.complete(at(12, 10))

    assert clock_row(a) == (
        at(10, 9, 30),
        at(11, 14),
        at(11, 15, 30),
        False,
        True,
        True,
        False,
        False,
    )
    assert clock_row(b) == (at(10, 16), at(10, 16), at(11, 9, 45), False, False, True, False, True)
    assert clock_row(c) == (at(12, 10), at(12, 10), None, True, None, None, None, None)
    # Thursday 11:00: C has run an hour, so it may still succeed and is not counted.
    assert kpi_at(at(12, 11)) == TwoHourCounts(
        last_elapsed=(1, 2), last_office=(2, 2), first_elapsed=(0, 2), first_office=(1, 2)
    )

    # D: complete Thursday 11:30, withdrawn at 12:00 without a list: never counted.
    d = unit.withdraw(unit.complete(at(12, 11, 30)), at(12, 12))
    assert clock_row(d) == (at(12, 11, 30), at(12, 11, 30), None, False, None, None, None, None)
    # Thursday 13:00: C has run three hours (all office hours) without a list: a miss on
    # every clock. Last: A, B within on office hours, A on elapsed; first: only B on office.
    assert kpi_at(at(12, 13)) == TwoHourCounts(
        last_elapsed=(1, 3), last_office=(2, 3), first_elapsed=(0, 3), first_office=(1, 3)
    )
    # Nothing of it falls in February or April.
    with time_machine.travel(at(12, 13), tick=False):
        assert (
            list_within_two_hours(dt.datetime(2026, 2, 1, tzinfo=LONDON), MARCH[0])
            == TwoHourCounts()
        )

    # The rebuild from the timeline writes the same clocks the services kept.
    kept = sorted(ReferralListClock.objects.values_list())
    ReferralListClock.objects.all().delete()
    out = StringIO()
    call_command("list_clocks_rebuild", stdout=out)
    assert out.getvalue() == "Rebuilt the two-hour clocks of 4 referrals.\n"
    assert sorted(ReferralListClock.objects.values_list()) == kept
    assert len(kept) == 4
