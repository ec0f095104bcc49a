"""Who in the unit has picked a referral up: take, hand over, and the list's due time."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from swc.audit.models import AuditAction, AuditEvent
from swc.core.errors import ConflictError, NotPermitted, ServiceError
from swc.organisations.models import Role
from swc.organisations.tests.factories import OrganisationFactory, user_with_role
from swc.referrals import services
from swc.referrals.deadlines import due_describe, list_due_at
from swc.referrals.models import Referral, ReferralEvent, ReferralEventKind
from swc.referrals.selectors import referral_assignees_for, referral_triage_queue_for
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

UTC = dt.UTC
TUESDAY = dt.datetime(2026, 11, 10, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _a_tuesday():  # type: ignore[no-untyped-def]
    with time_machine.travel(TUESDAY, tick=False):
        yield


@pytest.fixture
def unit():  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="The unit")
    return {
        "sam": user_with_role(Role.COORDINATOR, organisation, full_name="Sam Patel"),
        "alex": user_with_role(Role.COORDINATOR, organisation, full_name="Alex Lee"),
        "manager": user_with_role(Role.UNIT_MANAGER, organisation, full_name="Morgan Reid"),
    }


# --- the list's due time (pure) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed_at", "due"),
    [
        (
            dt.datetime(2026, 11, 10, 12, 35, tzinfo=UTC),
            dt.datetime(2026, 11, 10, 14, 35, tzinfo=UTC),
        ),
        # over midnight, and over the night the clocks go back (two elapsed hours, always)
        (dt.datetime(2026, 11, 10, 23, 0, tzinfo=UTC), dt.datetime(2026, 11, 11, 1, 0, tzinfo=UTC)),
        (
            dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            dt.datetime(2026, 10, 25, 2, 30, tzinfo=UTC),
        ),
    ],
)
def test_the_list_is_due_two_hours_after_completion(completed_at, due) -> None:
    assert list_due_at(completed_at) == due


@pytest.mark.parametrize(
    ("due", "now", "said"),
    [
        # November: London is on UTC
        (dt.datetime(2026, 11, 10, 14, 35, tzinfo=UTC), TUESDAY, "14:35 today"),
        (dt.datetime(2026, 11, 11, 9, 10, tzinfo=UTC), TUESDAY, "09:10 tomorrow"),
        (dt.datetime(2026, 11, 9, 16, 0, tzinfo=UTC), TUESDAY, "16:00 yesterday"),
        (dt.datetime(2026, 11, 13, 16, 0, tzinfo=UTC), TUESDAY, "16:00 on Friday 13 November"),
        # July: London is an hour ahead, so 23:30 UTC is 00:30 the next day
        (
            dt.datetime(2026, 7, 1, 23, 30, tzinfo=UTC),
            dt.datetime(2026, 7, 1, 22, 0, tzinfo=UTC),
            "00:30 tomorrow",
        ),
    ],
)
def test_the_due_time_is_said_in_london_time(due, now, said) -> None:
    assert due_describe(due, now) == said


# --- take and hand over -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_takes_a_referral_and_it_is_recorded(unit) -> None:
    referral = complete_referral()
    services.referral_take(referral=referral, by=unit["sam"])
    after = Referral.objects.get(pk=referral.pk)
    assert (after.assigned_to, after.assigned_at) == (unit["sam"], TUESDAY)
    event = ReferralEvent.objects.get(referral=referral, kind=ReferralEventKind.ASSIGNED)
    assert (event.actor, event.detail) == (unit["sam"], "Taken by Sam Patel")
    audit = AuditEvent.objects.get(action=AuditAction.CHANGE, object_id=str(referral.pk))
    assert audit.detail == {"assigned_to": unit["sam"].pk, "was_assigned_to": None}


@pytest.mark.django_db
def test_taking_a_referral_someone_has_names_them_and_changes_nothing(unit) -> None:
    referral = complete_referral()
    services.referral_take(referral=referral, by=unit["sam"])
    with pytest.raises(ConflictError) as lost:
        services.referral_take(referral=referral, by=unit["alex"])
    assert lost.value.message == "Sam Patel has already picked up this referral"
    with pytest.raises(ConflictError) as again:
        services.referral_take(referral=referral, by=unit["sam"])
    assert again.value.message == "You already have this referral"
    assert Referral.objects.get(pk=referral.pk).assigned_to == unit["sam"]
    assert ReferralEvent.objects.filter(kind=ReferralEventKind.ASSIGNED).count() == 1


@pytest.mark.django_db
def test_a_referral_is_handed_over_only_from_the_person_who_had_it(unit) -> None:
    referral = complete_referral()
    services.referral_take(referral=referral, by=unit["sam"])
    services.referral_hand_over(
        referral=referral, by=unit["sam"], to=unit["alex"], expected_id=unit["sam"].pk
    )
    assert Referral.objects.get(pk=referral.pk).assigned_to == unit["alex"]
    # The manager's page still showed Sam: refused, naming who has it now.
    with pytest.raises(ConflictError) as stale:
        services.referral_hand_over(
            referral=referral, by=unit["manager"], to=unit["manager"], expected_id=unit["sam"].pk
        )
    assert stale.value.message == "Alex Lee has already picked up this referral"
    details = list(
        ReferralEvent.objects.filter(kind=ReferralEventKind.ASSIGNED).values_list(
            "detail", flat=True
        )
    )
    assert details == ["Taken by Sam Patel", "Handed to Alex Lee"]


@pytest.mark.django_db
def test_a_referral_is_handed_only_to_someone_in_the_unit(unit) -> None:
    referral = complete_referral()
    referrer = user_with_role(Role.REFERRER, referral.local_authority.organisation)
    for outsider in (referrer, user_with_role(Role.HOME_MANAGER), user_with_role(Role.ANALYST)):
        with pytest.raises(ServiceError) as refused:
            services.referral_hand_over(
                referral=referral, by=unit["sam"], to=outsider, expected_id=None
            )
        assert refused.value.field == "to"
    unit["alex"].is_active = False
    unit["alex"].save()
    with pytest.raises(ServiceError):
        services.referral_hand_over(
            referral=referral, by=unit["sam"], to=unit["alex"], expected_id=None
        )
    assert Referral.objects.get(pk=referral.pk).assigned_to is None


@pytest.mark.django_db
def test_only_the_unit_takes_or_hands_over(unit) -> None:
    referral = complete_referral()
    referrer = user_with_role(Role.REFERRER, referral.local_authority.organisation)
    with pytest.raises(NotPermitted):
        services.referral_take(referral=referral, by=referrer)
    with pytest.raises(NotPermitted):
        services.referral_hand_over(
            referral=referral, by=referrer, to=unit["sam"], expected_id=None
        )
    with pytest.raises(NotPermitted):
        referral_assignees_for(referrer)


@pytest.mark.django_db
def test_a_finished_referral_is_not_taken(unit) -> None:
    referral = complete_referral(status=Status.WITHDRAWN)
    with pytest.raises(ServiceError) as refused:
        services.referral_take(referral=referral, by=unit["sam"])
    assert refused.value.message == "This referral is finished: nobody needs to pick it up"


@pytest.mark.django_db
def test_the_people_a_referral_may_be_handed_to_are_the_units(unit) -> None:
    user_with_role(Role.REFERRER)
    user_with_role(Role.ADMIN)  # an administrator in another unit-kind organisation
    names = [p.full_name for p in referral_assignees_for(unit["sam"])]
    assert names == ["Alex Lee", "Morgan Reid", "Sam Patel"]


@pytest.mark.django_db
def test_the_queue_shows_who_has_each_referral_and_when_its_list_is_due(unit) -> None:
    mine = complete_referral(completed_at=dt.datetime(2026, 11, 10, 10, 0, tzinfo=UTC))
    late = complete_referral(completed_at=dt.datetime(2026, 11, 10, 8, 0, tzinfo=UTC))
    waiting = complete_referral(status=Status.INFORMATION_REQUESTED)
    services.referral_take(referral=mine, by=unit["sam"])
    rows = {row.referral.pk: row for row in referral_triage_queue_for(unit["alex"])}
    assert rows[mine.pk].referral.assigned_to == unit["sam"]
    assert (rows[mine.pk].list_due, rows[mine.pk].list_overdue) == ("12:00 today", False)
    assert (rows[late.pk].list_due, rows[late.pk].list_overdue) == ("10:00 today", True)
    assert rows[late.pk].referral.assigned_to is None
    # the clock stops while the unit waits for information
    assert (rows[waiting.pk].list_due, rows[waiting.pk].list_due_at) == ("", None)


# --- two coordinators click Take at once ----------------------------------------------------

THREADS = 6


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_of_many_coordinators_taking_at_once_one_wins_and_the_others_are_told_who() -> None:
    organisation = OrganisationFactory(name="The unit")
    people = [
        user_with_role(Role.COORDINATOR, organisation, full_name=f"Coordinator {n}")
        for n in range(THREADS)
    ]
    referral = complete_referral()
    barrier = threading.Barrier(THREADS)
    won: list[int] = []
    told: list[str] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        try:
            barrier.wait()
            services.referral_take(referral=referral, by=people[n])
            with lock:
                won.append(n)
        except ConflictError as error:
            with lock:
                told.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(won) == 1 and len(told) == THREADS - 1
    winner = f"Coordinator {won[0]}"
    assert told == [f"{winner} has already picked up this referral"] * (THREADS - 1)
    assert Referral.objects.get(pk=referral.pk).assigned_to == people[won[0]]
    assert (
        ReferralEvent.objects.filter(referral=referral, kind=ReferralEventKind.ASSIGNED).count()
        == 1
    )
