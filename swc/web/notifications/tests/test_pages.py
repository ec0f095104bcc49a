"""The unit's notification pages: outbox, local messages, the rota."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from swc.core.calendar import LONDON
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.notifications.models import LocalMessage, Notification, NotificationStatus, OnCallPeriod
from swc.notifications.services import notification_deliver
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def unit():
    return OrganisationFactory(kind=OrganisationKind.UNIT, name="The unit")


@pytest.fixture
def coordinator(unit):
    return user_with_role(Role.COORDINATOR, unit, full_name="Cora Ordinator")


@pytest.fixture
def manager(unit):
    return user_with_role(Role.UNIT_MANAGER, unit, full_name="Manny Ager")


def publish(n: int) -> None:
    event_publish(
        DomainEvent(
            kind=EventKind.REFERRAL_SUBMITTED, key=f"page:{n}", occurred_at=NOW, referral_id=n
        )
    )


def test_the_outbox_lists_every_status_with_attempts_and_provider_reference(
    client_for, coordinator, manager, django_assert_max_num_queries
):
    for n in range(1, 6):
        publish(n)
    sent = Notification.objects.filter(recipient=coordinator).first()
    assert notification_deliver(sent.pk) == "sent"
    client = client_for(coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "R000001" in html and "R000005" in html
    sent.refresh_from_db()
    assert sent.provider_reference in html
    response = client.get(reverse("notifications:outbox"), {"status": NotificationStatus.SENT})
    assert list(response.context["rows"]) == [sent]


def test_the_outbox_is_the_units_only(client_for):
    referrer = user_with_role(Role.REFERRER)
    assert client_for(referrer).get(reverse("notifications:outbox")).status_code == 404
    assert client_for(referrer).get(reverse("notifications:local")).status_code == 404


def test_the_local_page_shows_what_would_have_been_sent(client_for, coordinator):
    publish(9)
    notification = Notification.objects.get()
    notification_deliver(notification.pk)
    assert LocalMessage.objects.count() == 1
    response = client_for(coordinator).get(reverse("notifications:local"))
    assert "Referral R000009 submitted" in response.content.decode()


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


def rota_post(client, person, **overrides):
    data = {
        "officer": person.pk,
        "starts_on": "27/11/2026",
        "starts_at_time": "19:00",
        "ends_on": "30/11/2026",
        "ends_at_time": "09:00",
        "note": "",
        **overrides,
    }
    return client.post(reverse("notifications:rota"), data)


def test_the_unit_manager_keeps_the_rota(client_for, manager, coordinator):
    client = client_for(manager)
    response = rota_post(client, coordinator)
    assert response.status_code == 302
    period = OnCallPeriod.objects.get()
    assert (period.officer, period.starts_at, period.ends_at) == (
        coordinator,
        london(2026, 11, 27, 19),
        london(2026, 11, 30, 9),
    )
    page = client.get(reverse("notifications:rota")).content.decode()
    assert "Cora Ordinator" in page
    response = client.post(reverse("notifications:rota-remove", args=[period.pk]))
    assert response.status_code == 302
    assert not OnCallPeriod.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "26/11/2026"}, "The end must be after the start."),
        ({"starts_on": "31/02/2026"}, "Start date must be a real date"),
        ({"starts_on": ""}, "Enter the start date"),
        ({"starts_at_time": "25:00"}, "Enter the start time like 17:00"),
        ({"officer": ""}, "Choose the officer who will be on call"),
        ({"ends_on": "30/12/2026"}, "An on-call period can be at most 14 days long."),
    ],
)
def test_bad_rota_input_gets_a_specific_error_and_changes_nothing(
    client_for, manager, coordinator, overrides, message
):
    response = rota_post(client_for(manager), coordinator, **overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    assert not OnCallPeriod.objects.exists()


def test_an_overlapping_period_is_refused(client_for, manager, coordinator):
    client = client_for(manager)
    rota_post(client, coordinator)
    response = rota_post(client, manager, starts_on="29/11/2026", ends_on="01/12/2026")
    assert response.status_code == 400
    assert "Someone is already on call" in response.content.decode()
    assert OnCallPeriod.objects.count() == 1


def test_a_referrer_cannot_be_put_on_call(client_for, manager):
    referrer = user_with_role(Role.REFERRER)
    response = rota_post(client_for(manager), referrer)
    assert response.status_code == 400
    assert not OnCallPeriod.objects.exists()


def test_coordinators_see_the_rota_but_cannot_change_it(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("notifications:rota"))
    assert page.status_code == 200
    assert "Add a period" not in page.content.decode()
    assert rota_post(client, coordinator).status_code == 404
    assert not OnCallPeriod.objects.exists()
