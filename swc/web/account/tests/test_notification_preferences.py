"""A person sets their own notification preferences."""

from __future__ import annotations

import pytest
from django.urls import reverse

from swc.audit.models import AuditEvent
from swc.notifications.messages import Message
from swc.notifications.models import NotificationPreference
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

pytestmark = pytest.mark.django_db
URL = "account:notifications"


@pytest.mark.parametrize("role", list(Role.values))
def test_everyone_can_see_their_preferences(client_for, role):
    response = client_for(user_with_role(role)).get(reverse(URL))
    assert response.status_code == 200
    assert "Your notification preferences" in response.content.decode()


def test_a_person_with_a_phone_chooses_texts_and_mutes_an_optional_message(client_for):
    person = user_with_role(Role.HOME_MANAGER, phone="07700900555")
    response = client_for(person).post(
        reverse(URL),
        {"channels": ["email", "sms"], "receive": []},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=person)
    assert preference.email_enabled and preference.sms_enabled
    assert Message.REFERRAL_CLOSED in preference.muted_messages
    assert AuditEvent.objects.filter(object_type__icontains="preference").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"channels": []}, "Choose at least one way to be told: email or text message."),
        ({"channels": ["sms"]}, "Add a mobile phone number to your account before choosing"),
        ({"channels": ["pigeon"]}, "Select a valid choice"),
    ],
)
def test_bad_choices_get_a_specific_error_and_change_nothing(client_for, data, message):
    person = user_with_role(Role.REFERRER)
    response = client_for(person).post(reverse(URL), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    assert not NotificationPreference.objects.exists()
