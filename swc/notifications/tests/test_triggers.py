"""Each trigger reaches the right people; the on-call officer out of hours; no child's name."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from swc.core.calendar import LONDON
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.homes.services import homes_due_publish
from swc.homes.tests.factories import SecureHomeFactory, declaration_make
from swc.notifications.messages import MESSAGES, Message, message_render
from swc.notifications.models import Channel, Notification, NotificationPreference, OnCallPeriod
from swc.notifications.selectors import on_call_officer_at
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.services import (
    referral_create,
    referral_section_save,
    referral_share_with_homes,
    referral_submit,
    referral_transition,
    referrals_due_publish,
)
from swc.referrals.tests.factories import complete_referral, complete_values
from swc.referrals.workflow import Status
from swc.reporting.services import monthly_return_due
from swc.scheduling.scheduler import scheduler_tick

pytestmark = pytest.mark.django_db


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


MONDAY_10 = london(2026, 11, 23, 10, 0)


@pytest.fixture
def world(unit, coordinator, manager):
    la = LocalAuthorityFactory(name="Synthetic Shire")
    referrer = user_with_role(Role.REFERRER, la.organisation)
    homes = [SecureHomeFactory(name=f"Synthetic Home {n}") for n in (1, 2)]
    home_managers = [user_with_role(Role.HOME_MANAGER, h.organisation) for h in homes]
    return {
        "la": la,
        "referrer": referrer,
        "homes": homes,
        "home_managers": home_managers,
        "coordinator": coordinator,
        "manager": manager,
    }


def recipients(message: str, channel: str = Channel.EMAIL) -> set:
    return {
        n.recipient
        for n in Notification.objects.filter(message=message, channel=channel).select_related(
            "recipient"
        )
    }


def event(kind: str, world, *, at: dt.datetime = MONDAY_10, homes=(), **detail) -> DomainEvent:
    return DomainEvent(
        kind=kind,
        key=f"test:{kind}:{at.isoformat()}:{detail.get('stage', '')}",
        occurred_at=at,
        referral_id=42,
        local_authority_organisation_id=world["la"].organisation_id,
        home_organisation_ids=tuple(h.organisation_id for h in homes),
        detail=detail,
    )


# --- the table: who hears of what ----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "audience", "stage"),
    [
        (EventKind.REFERRAL_SUBMITTED, "unit", ""),
        (EventKind.REFERRAL_COMPLETED, "unit", ""),
        (EventKind.REFERRAL_SENT_TO_HOME, "homes", ""),
        (EventKind.HOME_RESPONDED, "unit+authority", ""),
        (EventKind.OFFER_ACCEPTED, "homes", ""),
        (EventKind.REFERRAL_CLOSED, "homes", ""),
        (EventKind.REFERRAL_INFORMATION_REQUESTED, "authority", ""),
        (EventKind.REFERRAL_UPDATE_DUE, "authority", ""),
        (EventKind.REFERRAL_REVIEW_DUE, "authority", ""),
        (EventKind.REFERRAL_LIST_OVERDUE, "managers", ""),
        (EventKind.MONTHLY_RETURN_DUE, "managers", ""),
        (EventKind.REGISTER_NOT_CONFIRMED, "homes", "home"),
        (EventKind.REGISTER_NOT_CONFIRMED, "unit", "unit"),
        # The sign-up signatories of a home are its managers (an authority's: its admins).
        (EventKind.SIGN_UP_REMINDER, "homes", ""),
    ],
)
def test_each_event_reaches_its_audience(world, kind, audience, stage):
    with time_machine.travel(MONDAY_10, tick=False):
        event_publish(event(kind, world, homes=world["homes"], stage=stage))
    expected = {
        "unit": {world["coordinator"], world["manager"]},
        "homes": set(world["home_managers"]),
        "authority": {world["referrer"]},
        "unit+authority": {world["coordinator"], world["manager"], world["referrer"]},
        "managers": {world["manager"]},
    }[audience]
    assert {n.recipient for n in Notification.objects.all()} == expected


def test_writing_for_many_homes_takes_a_constant_number_of_queries(
    world, django_assert_max_num_queries
):
    homes = [SecureHomeFactory(name=f"Extra Home {n}") for n in range(10)]
    for home in homes:
        user_with_role(Role.HOME_MANAGER, home.organisation)
    with time_machine.travel(MONDAY_10, tick=False), django_assert_max_num_queries(8):
        event_publish(event(EventKind.REFERRAL_SENT_TO_HOME, world, homes=homes))
    assert Notification.objects.count() == 10


def test_a_home_is_named_to_its_own_managers_only(world):
    with time_machine.travel(MONDAY_10, tick=False):
        event_publish(event(EventKind.REFERRAL_SENT_TO_HOME, world, homes=world["homes"]))
    for home, person in zip(world["homes"], world["home_managers"], strict=True):
        notification = Notification.objects.get(recipient=person)
        assert notification.personalisation["home"] == home.name
        assert notification.personalisation["reference"] == "R000042"


def test_a_home_response_says_what_the_home_answered(world):
    home = world["homes"][0]
    with time_machine.travel(MONDAY_10, tick=False):
        declined = event(EventKind.HOME_RESPONDED, world, homes=[home])
        event_publish(
            DomainEvent(**{**declined.__dict__, "detail": {"kind": "decline", "counted": True}})
        )
    notification = Notification.objects.filter(recipient=world["referrer"]).get()
    subject, body = message_render(notification.message, notification.personalisation)
    assert subject == f"{home.name} has responded to referral R000042"
    assert body.startswith(f"{home.name} has responded to referral R000042: it has declined.")


def test_a_person_who_prefers_texts_gets_a_text_too_and_can_mute_optional_messages(world):
    referrer = world["referrer"]
    referrer.phone = "07700900123"
    referrer.save()
    NotificationPreference.objects.create(user=referrer, email_enabled=True, sms_enabled=True)
    manager = world["home_managers"][0]
    NotificationPreference.objects.create(user=manager, muted_messages=[Message.REFERRAL_CLOSED])
    with time_machine.travel(MONDAY_10, tick=False):
        event_publish(event(EventKind.REFERRAL_INFORMATION_REQUESTED, world))
        event_publish(event(EventKind.REFERRAL_CLOSED, world, homes=world["homes"]))
    assert recipients(Message.REFERRAL_INFORMATION_REQUESTED, Channel.SMS) == {referrer}
    sms = Notification.objects.get(channel=Channel.SMS)
    assert sms.address == "07700900123"
    assert recipients(Message.REFERRAL_CLOSED) == {world["home_managers"][1]}


# --- on call: evenings, weekends, bank holidays ----------------------------------


@pytest.fixture
def rota(world, unit):
    officer = user_with_role(Role.COORDINATOR, unit, phone="07700900999")
    # Thursday 24 Dec 2026 17:00 to Tuesday 29 Dec 09:00: Christmas Day is a Friday.
    OnCallPeriod.objects.create(
        officer=officer, starts_at=london(2026, 12, 24, 17), ends_at=london(2026, 12, 29, 9)
    )
    # The Easter weekend 2027 (Good Friday 26 March, clocks change on the 28th).
    OnCallPeriod.objects.create(
        officer=officer, starts_at=london(2027, 3, 25, 17), ends_at=london(2027, 3, 30, 9)
    )
    # An ordinary weekend in November 2026.
    OnCallPeriod.objects.create(
        officer=officer, starts_at=london(2026, 11, 27, 19), ends_at=london(2026, 11, 30, 9)
    )
    return officer


@pytest.mark.parametrize(
    ("at", "on_call"),
    [
        (london(2026, 11, 27, 18, 30), False),  # Friday, office open until 19:00
        (london(2026, 11, 27, 19, 30), True),  # Friday evening
        (london(2026, 11, 28, 3, 0), True),  # Saturday night
        (london(2026, 11, 29, 15, 0), True),  # Sunday
        (london(2026, 11, 30, 9, 0), False),  # Monday morning: the office again
        (london(2026, 12, 24, 16, 0), False),  # Christmas Eve, a working Thursday
        (london(2026, 12, 25, 11, 0), True),  # Christmas Day, a bank holiday Friday
        (london(2026, 12, 28, 11, 0), True),  # Boxing Day substitute Monday
        (london(2027, 3, 26, 11, 0), True),  # Good Friday
        (london(2027, 3, 28, 1, 30), True),  # Sunday of the clock change, BST already
        (london(2027, 3, 29, 11, 0), True),  # Easter Monday
    ],
)
def test_the_on_call_officer_hears_of_a_new_referral_out_of_hours_by_text_and_email(
    world, rota, at, on_call
):
    with time_machine.travel(at, tick=False):
        event_publish(event(EventKind.REFERRAL_SUBMITTED, world, at=at))
    officer_rows = set(
        Notification.objects.filter(recipient=rota).values_list("channel", flat=True)
    )
    if on_call:
        assert officer_rows == {Channel.EMAIL, Channel.SMS}
    else:
        # In office hours the officer is told like any coordinator: by email only.
        assert officer_rows == {Channel.EMAIL}
    assert world["coordinator"] in recipients(Message.REFERRAL_SUBMITTED)


def test_with_nobody_on_the_rota_the_unit_managers_are_texted_out_of_hours(world):
    at = london(2027, 1, 2, 12)  # a Saturday with no rota
    with time_machine.travel(at, tick=False):
        event_publish(event(EventKind.REFERRAL_COMPLETED, world, at=at))
    assert recipients(Message.REFERRAL_COMPLETED, Channel.SMS) == {world["manager"]}
    assert world["coordinator"] not in recipients(Message.REFERRAL_COMPLETED, Channel.SMS)


def test_the_rota_answers_who_is_on_call(rota):
    assert on_call_officer_at(london(2026, 12, 26, 12)) == rota
    assert on_call_officer_at(london(2026, 12, 29, 9)) is None  # the period has ended
    assert on_call_officer_at(london(2027, 1, 2, 12)) is None  # nobody on the rota


# --- through the referral services ---------------------------------------------


def test_submitting_and_sending_a_referral_notifies_the_unit_then_the_homes(world):
    la, referrer = world["la"], world["referrer"]
    with time_machine.travel(MONDAY_10, tick=False):
        draft = referral_create(local_authority=la, by=referrer)
        draft = referral_section_save(
            referral=draft, by=referrer, version=draft.version, values=complete_values()
        )
        done = referral_submit(referral=draft, by=referrer, version=draft.version)
        referral_share_with_homes(
            referral=done,
            home_organisations=[world["homes"][0].organisation],
            by=world["coordinator"],
        )
    assert recipients(Message.REFERRAL_SUBMITTED) == {world["coordinator"], world["manager"]}
    assert recipients(Message.REFERRAL_COMPLETED) == {world["coordinator"], world["manager"]}
    assert recipients(Message.REFERRAL_SENT_TO_HOME) == {world["home_managers"][0]}
    assert {n.referral_id for n in Notification.objects.all()} == {done.pk}


def test_no_childs_details_appear_in_any_rendered_message(world):
    """Every message kind, rendered for every row, holds no name or identifier of the child."""
    child = {"first_name": "Zebediah", "last_name": "Quixotic", "la_child_identifier": "CHILD-99"}
    referral = complete_referral(local_authority=world["la"], **child)
    with time_machine.travel(MONDAY_10, tick=False):
        for kind in MESSAGES:
            for stage in ("home", "unit"):
                event_publish(
                    DomainEvent(
                        kind=kind,
                        key=f"scan:{kind}:{stage}",
                        occurred_at=MONDAY_10,
                        referral_id=referral.pk,
                        local_authority_organisation_id=world["la"].organisation_id,
                        home_organisation_ids=(world["homes"][0].organisation_id,),
                        detail={
                            "stage": stage,
                            # Details the message does not use must never travel.
                            "first_name": child["first_name"],
                            "due": "1 December 2026",
                            # The person an account message is for (swc.organisations).
                            "account_id": world["coordinator"].pk,
                        },
                    )
                )
    rows = list(Notification.objects.all())
    assert {n.message for n in rows} == set(MESSAGES)
    for notification in rows:
        subject, body = message_render(notification.message, notification.personalisation)
        text = f"{subject} {body} {notification.personalisation}"
        for value in child.values():
            assert value not in text
        assert referral.reference in text or notification.message in (
            Message.REGISTER_NOT_CONFIRMED,
            Message.REGISTER_NOT_CONFIRMED_UNIT,
            Message.MONTHLY_RETURN_DUE,
            Message.SIGN_UP_REMINDER,
            Message.DELIVERY_FAILED,
            Message.ACCOUNT_INVITED,
            Message.ACCOUNT_INACTIVE_WARNING,
        )


# --- the scheduled checks --------------------------------------------------------


def test_register_not_confirmed_by_ten_tells_the_home_then_at_eleven_the_unit(world):
    confirmed, silent = world["homes"]
    declaration_make(confirmed, on=dt.date(2026, 11, 23))
    homes_due_publish(london(2026, 11, 23, 9, 59))
    assert Notification.objects.count() == 0
    for at in (london(2026, 11, 23, 10, 0), london(2026, 11, 23, 10, 30)):
        with time_machine.travel(at, tick=False):
            homes_due_publish(at)
    assert recipients(Message.REGISTER_NOT_CONFIRMED) == {world["home_managers"][1]}
    assert Notification.objects.count() == 1  # the second tick added nothing
    with time_machine.travel(london(2026, 11, 23, 11, 0), tick=False):
        homes_due_publish(london(2026, 11, 23, 11, 0))
    assert recipients(Message.REGISTER_NOT_CONFIRMED_UNIT) == {
        world["coordinator"],
        world["manager"],
    }
    assert (
        silent.name
        in Notification.objects.filter(message=Message.REGISTER_NOT_CONFIRMED_UNIT)
        .first()
        .personalisation["home"]
    )


def test_no_register_reminder_on_a_bank_holiday(world):
    at = london(2026, 12, 25, 12, 0)
    with time_machine.travel(at, tick=False):
        homes_due_publish(at)
    assert Notification.objects.count() == 0


def test_a_complete_referral_without_a_list_after_90_office_minutes_tells_the_manager(world):
    # Completed Thursday 16:00: 60 office minutes that day, 30 more on Friday at 09:30.
    completed = london(2026, 11, 26, 16, 0)
    referral = complete_referral(local_authority=world["la"], completed_at=completed)
    complete_referral(  # already listed: no reminder
        local_authority=world["la"], completed_at=completed, list_provided_at=completed
    )
    for at, expected in (
        (london(2026, 11, 26, 22, 0), 0),  # six hours later but only one office hour
        (london(2026, 11, 27, 9, 29), 0),
        (london(2026, 11, 27, 9, 30), 1),
        (london(2026, 11, 27, 11, 0), 1),  # not again
    ):
        with time_machine.travel(at, tick=False):
            referrals_due_publish(at)
        assert Notification.objects.filter(message=Message.REFERRAL_LIST_OVERDUE).count() == (
            expected
        )
    assert recipients(Message.REFERRAL_LIST_OVERDUE) == {world["manager"]}
    assert Notification.objects.get().referral_id == referral.pk


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 12, 9), (dt.date(2026, 12, 14), "2026-11")),  # due Mon 14 Dec
        (dt.date(2026, 12, 8), None),
        (dt.date(2026, 12, 10), None),
        (dt.date(2027, 1, 12), (dt.date(2027, 1, 15), "2026-12")),  # 1 Jan a bank holiday
        (dt.date(2026, 4, 13), (dt.date(2026, 4, 16), "2026-03")),  # after Easter 2026
        (dt.date(2026, 4, 11), None),  # a Saturday
    ],
)
def test_monthly_return_reminder_falls_three_working_days_before_the_tenth(today, expected):
    assert monthly_return_due(today) == expected


def test_a_scheduler_tick_publishes_the_return_reminder_once(world):
    at = london(2026, 12, 9, 8, 0)
    with time_machine.travel(at, tick=False):
        first = scheduler_tick(at)
        scheduler_tick(at)
    assert first.errors == []
    assert recipients(Message.MONTHLY_RETURN_DUE) == {world["manager"]}
    assert Notification.objects.filter(message=Message.MONTHLY_RETURN_DUE).count() == 1
    notification = Notification.objects.get(message=Message.MONTHLY_RETURN_DUE)
    assert notification.personalisation["due"] == "14 December 2026"


def test_status_moves_publish_closed_to_every_home_involved(world):
    referral = complete_referral(local_authority=world["la"])
    with time_machine.travel(MONDAY_10, tick=False):
        referral_share_with_homes(
            referral=referral,
            home_organisations=[h.organisation for h in world["homes"]],
            by=world["coordinator"],
        )
        Notification.objects.all().delete()
        referral_transition(
            referral=referral,
            to=Status.CLOSED_NOT_PLACED,
            by=world["coordinator"],
            reason=_a_close_reason(),
        )
    assert recipients(Message.REFERRAL_CLOSED) == set(world["home_managers"])


def _a_close_reason() -> str:
    from swc.referrals.services import REASONS_FOR_STATUS

    return sorted(REASONS_FOR_STATUS[Status.CLOSED_NOT_PLACED])[0]
