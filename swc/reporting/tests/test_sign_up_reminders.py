"""Authorities and homes that have not signed up are reminded: by the unit, and every few weeks.

A reminder goes to whoever can sign the organisation up (an authority's
admins, a home's managers), never to one already signed up, at most once a
day, and automatically only every ``SWC_SIGN_UP_REMINDER_DAYS`` from 10:00 on
a working day.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from swc.audit.models import AuditEvent
from swc.core.calendar import LONDON
from swc.core.errors import NotPermitted
from swc.homes.tests.factories import SecureHomeFactory
from swc.notifications.messages import Message, message_render
from swc.notifications.models import Notification
from swc.organisations.models import Organisation, OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.reporting.models import SignUpReminder, TermsAcceptance, TermsKind
from swc.reporting.services import reporting_due_publish, sign_up_reminders_send

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, a working day.
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


@pytest.fixture
def unit():
    return OrganisationFactory(kind=OrganisationKind.UNIT, name="Secure Welfare Coordination Unit")


@pytest.fixture
def coordinator(unit):
    return user_with_role(Role.COORDINATOR, unit)


@pytest.fixture
def people():
    """Two authorities and a home, none signed up, all having joined a month before MONDAY_10."""
    shire = LocalAuthorityFactory(name="Synthetic Shire")
    borough = LocalAuthorityFactory(name="Synthetic Borough")
    home = SecureHomeFactory(name="Synthetic House")
    people = {
        "shire": shire.organisation,
        "borough": borough.organisation,
        "home": home.organisation,
        "shire_admin": user_with_role(Role.ADMIN, shire.organisation),
        "shire_referrer": user_with_role(Role.REFERRER, shire.organisation),
        "borough_admin": user_with_role(Role.ADMIN, borough.organisation),
        "home_manager": user_with_role(Role.HOME_MANAGER, home.organisation),
        "home_admin": user_with_role(Role.ADMIN, home.organisation),
    }
    Organisation.objects.update(created_at=MONDAY_10 - dt.timedelta(days=30))
    return people


def reminded() -> set:
    return {
        n.recipient
        for n in Notification.objects.filter(message=Message.SIGN_UP_REMINDER).select_related(
            "recipient"
        )
    }


def sign_up(organisation: Organisation, kind: str = TermsKind.LA_TERMS) -> None:
    TermsAcceptance.objects.create(
        organisation=organisation, kind=kind, accepted_at=MONDAY_10 - dt.timedelta(days=1)
    )


# --- the reminder itself ---------------------------------------------------------


def test_a_reminder_reaches_an_authoritys_admins_and_a_homes_managers_only(
    people, coordinator
) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        outcome = sign_up_reminders_send(by=coordinator)

    assert {o.pk for o in outcome.sent} == {
        people["shire"].pk,
        people["borough"].pk,
        people["home"].pk,
    }
    # The referrer cannot sign the authority up, nor the home's admin the home.
    assert reminded() == {people["shire_admin"], people["borough_admin"], people["home_manager"]}
    shire_row = Notification.objects.get(recipient=people["shire_admin"])
    subject, body = message_render(shire_row.message, shire_row.personalisation)
    assert subject == "Synthetic Shire: please sign up to Secure Welfare Coordination"
    assert body.endswith("/reports/sign-up/")
    assert "Synthetic Borough" not in body
    home_row = Notification.objects.get(recipient=people["home_manager"])
    assert "Synthetic House" in message_render(home_row.message, home_row.personalisation)[0]
    assert SignUpReminder.objects.filter(sent_by=coordinator).count() == 3
    assert AuditEvent.objects.filter(object_type="reporting.signupreminder").count() == 3


def test_an_organisation_that_has_signed_up_is_never_reminded(people, coordinator) -> None:
    sign_up(people["shire"])
    sign_up(people["home"], TermsKind.HOME_MOU)
    with time_machine.travel(MONDAY_10, tick=False):
        outcome = sign_up_reminders_send(by=coordinator)
        only_shire = sign_up_reminders_send(by=coordinator, organisation_ids=[people["shire"].pk])
    assert [o.pk for o in outcome.sent] == [people["borough"].pk]
    assert reminded() == {people["borough_admin"]}
    assert (only_shire.sent, only_shire.recently_reminded, only_shire.nobody_to_remind) == (
        [],
        [],
        [],
    )


def test_nobody_is_reminded_twice_in_a_day_but_can_be_the_next(people, coordinator) -> None:
    shire = [people["shire"].pk]
    with time_machine.travel(MONDAY_10, tick=False):
        first = sign_up_reminders_send(by=coordinator, organisation_ids=shire)
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=7), tick=False):
        again = sign_up_reminders_send(by=coordinator, organisation_ids=shire)
    assert len(first.sent) == 1
    assert again.sent == []
    assert [o.pk for o in again.recently_reminded] == shire
    assert Notification.objects.filter(recipient=people["shire_admin"]).count() == 1

    with time_machine.travel(MONDAY_10 + dt.timedelta(days=1), tick=False):
        tuesday = sign_up_reminders_send(by=coordinator, organisation_ids=shire)
    assert [o.pk for o in tuesday.sent] == shire
    assert Notification.objects.filter(recipient=people["shire_admin"]).count() == 2


def test_an_organisation_with_nobody_who_can_sign_is_reported_not_reminded(coordinator) -> None:
    lonely = LocalAuthorityFactory(name="Synthetic Nowhere")
    user_with_role(Role.REFERRER, lonely.organisation)  # a referrer cannot sign up
    inactive_admin = user_with_role(Role.ADMIN, lonely.organisation)
    inactive_admin.is_active = False
    inactive_admin.save()
    with time_machine.travel(MONDAY_10, tick=False):
        outcome = sign_up_reminders_send(by=coordinator)
    assert [o.pk for o in outcome.nobody_to_remind] == [lonely.organisation_id]
    assert outcome.sent == []
    assert not SignUpReminder.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("role", [Role.REFERRER, Role.HOME_MANAGER, Role.ANALYST, Role.ADMIN])
def test_only_the_unit_reminds(people, role) -> None:
    with pytest.raises(NotPermitted):
        sign_up_reminders_send(by=user_with_role(role))
    assert not SignUpReminder.objects.exists()


# --- automatic reminders -----------------------------------------------------------


def tick(at: dt.datetime) -> int:
    with time_machine.travel(at, tick=False):
        published = reporting_due_publish(at)
    return published.get("organisation.sign_up_reminder", 0)


def test_the_scheduler_reminds_from_ten_on_a_working_day_every_fortnight(people) -> None:
    assert tick(MONDAY_10 - dt.timedelta(minutes=1)) == 0
    assert tick(MONDAY_10) == 3
    assert tick(MONDAY_10 + dt.timedelta(minutes=1)) == 0
    assert tick(MONDAY_10 + dt.timedelta(days=13)) == 0  # Sunday 6 December: too soon anyway
    assert tick(MONDAY_10 + dt.timedelta(days=14, minutes=-1)) == 0
    assert tick(MONDAY_10 + dt.timedelta(days=14)) == 3  # Monday 7 December
    assert SignUpReminder.objects.filter(sent_by=None).count() == 6
    assert Notification.objects.filter(recipient=people["shire_admin"]).count() == 2


def test_the_scheduler_waits_for_a_newcomer_and_skips_weekends_and_bank_holidays(people) -> None:
    Organisation.objects.filter(pk=people["borough"].pk).update(
        created_at=MONDAY_10 - dt.timedelta(days=3)
    )
    assert tick(dt.datetime(2026, 11, 21, 12, 0, tzinfo=LONDON)) == 0  # Saturday
    assert tick(MONDAY_10) == 2
    assert people["borough_admin"] not in reminded()  # joined three days ago
    assert tick(dt.datetime(2026, 12, 28, 12, 0, tzinfo=LONDON)) == 0  # Boxing Day, observed
    assert tick(dt.datetime(2026, 12, 29, 12, 0, tzinfo=LONDON)) == 3
    assert people["borough_admin"] in reminded()


def test_automatic_reminders_can_be_switched_off(people, settings) -> None:
    settings.SWC_SIGN_UP_REMINDER_DAYS = 0
    assert tick(MONDAY_10) == 0
    assert not SignUpReminder.objects.exists()


# --- two officers press at once ----------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_officers_reminding_at_once_send_one_reminder() -> None:
    unit = OrganisationFactory(kind=OrganisationKind.UNIT, name="Secure Welfare Coordination Unit")
    officers = [user_with_role(Role.COORDINATOR, unit) for _ in range(4)]
    shire = LocalAuthorityFactory(name="Synthetic Shire")
    admin = user_with_role(Role.ADMIN, shire.organisation)
    barrier = threading.Barrier(len(officers))
    sent: list[int] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            with time_machine.travel(MONDAY_10, tick=False):
                outcome = sign_up_reminders_send(
                    by=officers[n], organisation_ids=[shire.organisation_id]
                )
            with lock:
                sent.append(len(outcome.sent))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(officers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(sent) == [0, 0, 0, 1]
    assert SignUpReminder.objects.count() == 1
    assert Notification.objects.filter(recipient=admin).count() == 1


# --- the page ------------------------------------------------------------------------


def test_the_unit_reminds_from_the_kpi_page(client_for, people, coordinator) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        client = client_for(coordinator)
        page = client.get(reverse("reporting:kpis")).content.decode()
        assert f'name="organisation" value="{people["shire"].pk}"' in page
        assert "Never" in page

        response = client.post(
            reverse("reporting:sign-up-remind"), {"organisation": people["shire"].pk}, follow=True
        )
        text = response.content.decode()
        assert "Reminder sent to 1 organisation: Synthetic Shire" in text
        assert "23 November 2026, 10:00" in text
        assert reminded() == {people["shire_admin"]}

        response = client.post(
            reverse("reporting:sign-up-remind"), {"organisation": "all"}, follow=True
        )
        text = response.content.decode()
    assert "Reminder sent to 2 organisations: Synthetic Borough, Synthetic House" in text
    assert "Already reminded today, not reminded again: Synthetic Shire" in text
    assert reminded() == {people["shire_admin"], people["borough_admin"], people["home_manager"]}


@pytest.mark.parametrize("value", ["", "everyone", "-1", "1; DROP TABLE"])
def test_a_bad_choice_is_refused_clearly(client_for, people, coordinator, value) -> None:
    response = client_for(coordinator).post(
        reverse("reporting:sign-up-remind"), {"organisation": value}, follow=True
    )
    assert response.status_code == 200
    assert "Choose an organisation to remind, or remind them all" in response.content.decode()
    assert not SignUpReminder.objects.exists()


def test_an_organisation_already_signed_up_is_not_reminded_from_the_page(
    client_for, people, coordinator
) -> None:
    sign_up(people["shire"])
    response = client_for(coordinator).post(
        reverse("reporting:sign-up-remind"), {"organisation": people["shire"].pk}, follow=True
    )
    assert "that organisation has already signed up" in response.content.decode()
    assert not Notification.objects.exists()


def test_the_page_only_takes_a_post_and_only_from_the_unit(client_for, people, coordinator) -> None:
    assert client_for(coordinator).get(reverse("reporting:sign-up-remind")).status_code == 405
    analyst = user_with_role(Role.ANALYST)
    response = client_for(analyst).post(
        reverse("reporting:sign-up-remind"), {"organisation": "all"}
    )
    assert response.status_code == 404  # the service's answer to a page outside one's role
    assert "Remind all" not in client_for(analyst).get(reverse("reporting:kpis")).content.decode()
    assert not SignUpReminder.objects.exists()
