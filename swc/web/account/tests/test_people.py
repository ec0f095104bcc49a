"""An organisation's administrator runs its accounts: permissions, escalation, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from swc.audit.models import AuditEvent
from swc.notifications.models import Notification
from swc.organisations.models import Invitation, Membership, OrganisationKind, Role, User
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    confirmed_device,
    user_with_role,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)  # the night the clocks change


@pytest.fixture
def authority():
    return LocalAuthorityFactory().organisation


@pytest.fixture
def admin(authority):
    return user_with_role(Role.ADMIN, authority, full_name="Ada Admin")


def _invite(client, organisation, **data):
    body = {"full_name": "Rita Referrer", "email": "rita@example.test", "roles": ["referrer"]}
    body.update(data)
    return client.post(reverse("account:invite", args=[organisation.pk]), body)


def _link(user: User) -> str:
    row = Notification.objects.get(recipient=user, message="account.invited")
    return row.personalisation["link"]


@time_machine.travel(NOW, tick=False)
def test_an_administrator_invites_a_person_who_sets_a_password_once(client_for, admin, authority):
    response = _invite(client_for(admin), authority)
    assert response.status_code == 302
    invited = User.objects.get(email="rita@example.test")
    assert not invited.has_usable_password()
    assert set(invited.memberships.values_list("role", flat=True)) == {"referrer"}
    link = _link(invited)
    token = link.rsplit("/", 2)[-2]
    # Only a digest is stored: the link's secret is nowhere in the invitations table.
    assert not Invitation.objects.filter(token_digest=token).exists()
    assert Invitation.objects.get(user=invited).expires_at == NOW + dt.timedelta(days=7)

    path = reverse("account:invitation", args=[token])
    from django.test import Client

    anonymous = Client()
    response = anonymous.post(
        path, {"password": "paddock lantern oboe", "password_again": "paddock lantern oboe"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("web:sign-in-mfa")
    invited.refresh_from_db()
    assert invited.check_password("paddock lantern oboe")
    # The second use of the same link is refused, in words.
    again = Client().get(path)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()
    history = client_for(admin).get(reverse("account:person-history", args=[invited.pk]))
    text = history.content.decode()
    assert "Invited as Referrer" in text and "Accepted the invitation and set a password" in text


def test_an_expired_or_unknown_link_says_so(client_for, admin, authority):
    with time_machine.travel(NOW, tick=False):
        _invite(client_for(admin), authority)
    token = _link(User.objects.get(email="rita@example.test")).rsplit("/", 2)[-2]
    from django.test import Client

    with time_machine.travel(NOW + dt.timedelta(days=7, seconds=1), tick=False):
        response = Client().get(reverse("account:invitation", args=[token]))
        assert response.status_code == 400
        assert "This invitation link has expired" in response.content.decode()
        response = Client().post(
            reverse("account:invitation", args=[token]),
            {"password": "paddock lantern oboe", "password_again": "paddock lantern oboe"},
        )
        assert response.status_code == 400
    assert not User.objects.get(email="rita@example.test").has_usable_password()
    response = Client().get(reverse("account:invitation", args=["not-a-real-link"]))
    assert response.status_code == 400
    assert "not recognised" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "taken@example.test"}, "There is already an account with that email address"),
        ({"email": "TAKEN@example.test"}, "There is already an account with that email address"),
        ({"roles": ["wizard"]}, "Select a role from the list"),
        ({"roles": ["home_manager"]}, "Home manager is not a role in a local authority"),
        ({"roles": []}, "Select at least one role"),
        ({"email": "not an address"}, "Enter an email address in the correct format"),
        ({"full_name": ""}, "Enter the person&#x27;s full name"),
    ],
)
def test_bad_invitations_get_a_clear_error_and_create_nothing(
    client_for, admin, authority, data, message
):
    user_with_role(Role.REFERRER, authority, email="taken@example.test")
    before = User.objects.count()
    response = _invite(client_for(admin), authority, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_an_administrator_cannot_give_a_role_above_their_own():
    unit = OrganisationFactory(kind=OrganisationKind.UNIT, name="The unit")
    unit_admin = user_with_role(Role.ADMIN, unit)
    from django.test import Client

    client = Client()
    client.force_login(unit_admin)
    from swc.organisations.tests.factories import confirmed_device as device_for

    device = device_for(unit_admin)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    response = _invite(client, unit, roles=["unit_manager"], email="boss@example.test")
    assert response.status_code == 400
    assert "You cannot give a role above your own" in response.content.decode()
    coordinator = user_with_role(Role.COORDINATOR, unit)
    response = client.post(
        reverse("account:person-roles", args=[coordinator.pk]), {"roles": ["unit_manager"]}
    )
    assert response.status_code == 400
    assert "You cannot give a role above your own" in response.content.decode()
    assert set(coordinator.memberships.values_list("role", flat=True)) == {"coordinator"}
    manager = user_with_role(Role.UNIT_MANAGER, unit)
    response = client.post(reverse("account:person-disable", args=[manager.pk]))
    assert response.status_code == 400
    assert "someone with a role above your own" in response.content.decode()
    manager.refresh_from_db()
    assert manager.is_active


def _account_urls(person: User, organisation_pk: int) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("account:people", args=[organisation_pk]), {}),
        ("get", reverse("account:invite", args=[organisation_pk]), {}),
        (
            "post",
            reverse("account:invite", args=[organisation_pk]),
            {"full_name": "X", "email": "x@example.test", "roles": ["referrer"]},
        ),
        ("get", reverse("account:person", args=[person.pk]), {}),
        ("get", reverse("account:person-roles", args=[person.pk]), {}),
        ("post", reverse("account:person-roles", args=[person.pk]), {"roles": ["admin"]}),
        ("post", reverse("account:person-disable", args=[person.pk]), {}),
        ("post", reverse("account:person-enable", args=[person.pk]), {}),
        ("post", reverse("account:person-invite-again", args=[person.pk]), {}),
        ("get", reverse("account:person-two-factor", args=[person.pk]), {}),
        (
            "post",
            reverse("account:person-two-factor", args=[person.pk]),
            {"identity_checked": "on", "reason": "x"},
        ),
        ("get", reverse("account:person-history", args=[person.pk]), {}),
    ]


def test_another_organisations_administrator_gets_404_for_every_account_action(
    client_for, authority
):
    person = user_with_role(Role.REFERRER, authority)
    confirmed_device(person)
    other_admin = user_with_role(Role.ADMIN, LocalAuthorityFactory().organisation)
    client = client_for(other_admin)
    for method, url, data in _account_urls(person, authority.pk):
        assert getattr(client, method)(url, data).status_code == 404, url
    person.refresh_from_db()
    assert person.is_active
    assert TOTPDevice.objects.filter(user=person).exists()
    assert set(person.memberships.values_list("role", flat=True)) == {"referrer"}


@pytest.mark.parametrize("role", [Role.REFERRER, Role.HOME_MANAGER, Role.COORDINATOR, Role.ANALYST])
def test_working_roles_cannot_reach_any_account_page(client_for, authority, role):
    person = user_with_role(Role.REFERRER, authority)
    client = client_for(user_with_role(role, authority if role == Role.REFERRER else None))
    for method, url, data in _account_urls(person, authority.pk):
        assert getattr(client, method)(url, data).status_code == 404, url


def test_the_unit_manager_manages_any_organisations_people(client_for, authority):
    person = user_with_role(Role.REFERRER, authority)
    user_with_role(Role.ADMIN, authority)
    manager = user_with_role(Role.UNIT_MANAGER)
    client = client_for(manager)
    assert client.get(reverse("account:people", args=[authority.pk])).status_code == 200
    response = client.post(
        reverse("account:person-roles", args=[person.pk]), {"roles": ["referrer", "admin"]}
    )
    assert response.status_code == 302
    assert set(person.memberships.values_list("role", flat=True)) == {"referrer", "admin"}


def test_the_last_administrator_cannot_be_demoted_or_disabled(client_for, admin, authority):
    manager = user_with_role(Role.UNIT_MANAGER)
    client = client_for(manager)
    response = client.post(
        reverse("account:person-roles", args=[admin.pk]), {"roles": ["referrer"]}
    )
    assert response.status_code == 400
    assert "only administrator" in response.content.decode()
    response = client.post(reverse("account:person-disable", args=[admin.pk]))
    assert response.status_code == 400
    assert "only administrator" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active
    assert Membership.objects.filter(user=admin, role=Role.ADMIN).exists()
    # With a second administrator, the first may go.
    user_with_role(Role.ADMIN, authority)
    assert client.post(reverse("account:person-disable", args=[admin.pk])).status_code == 302
    admin.refresh_from_db()
    assert not admin.is_active


def test_disabling_ends_the_persons_session_at_once(client_for, admin, authority):
    person = user_with_role(Role.REFERRER, authority)
    theirs = client_for(person)
    assert theirs.get(reverse("web:start")).status_code == 200
    assert (
        client_for(admin).post(reverse("account:person-disable", args=[person.pk])).status_code
        == 302
    )
    response = theirs.get(reverse("referrals:list"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    event = AuditEvent.objects.filter(object_id=str(person.pk), detail__disabled=True).get()
    assert event.actor == admin


def test_two_factor_reset_needs_an_identity_check_and_a_reason(client_for, admin, authority):
    person = user_with_role(Role.REFERRER, authority)
    confirmed_device(person)
    url = reverse("account:person-two-factor", args=[person.pk])
    client = client_for(admin)
    response = client.post(url, {"reason": "Lost phone"})
    assert response.status_code == 400
    assert "Confirm that you have checked the person" in response.content.decode()
    response = client.post(url, {"identity_checked": "on", "reason": " "})
    assert response.status_code == 400
    assert "Enter why the authenticator app is being reset" in response.content.decode()
    assert TOTPDevice.objects.filter(user=person).exists()
    response = client.post(
        url, {"identity_checked": "on", "reason": "Lost phone, called back on desk line"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    history = client.get(reverse("account:person-history", args=[person.pk])).content.decode()
    assert "Reason: Lost phone, called back on desk line" in history


@pytest.mark.parametrize(
    ("days_unused", "warned", "disabled"),
    [
        (82, None, False),
        (83, "5 April 2026", False),
        (89, "30 March 2026", False),
        (90, None, True),
        (200, None, True),
    ],
)
def test_an_unused_account_is_warned_a_week_before_then_disabled(days_unused, warned, disabled):
    from django.test import override_settings

    from swc.scheduling.scheduler import scheduler_tick

    person = user_with_role(Role.REFERRER)
    User.objects.filter(pk=person.pk).update(last_login=NOW - dt.timedelta(days=days_unused))
    with override_settings(SWC_ACCOUNT_UNUSED_DAYS=90), time_machine.travel(NOW, tick=False):
        scheduler_tick(NOW)
        scheduler_tick(NOW)  # a second tick sends nothing twice
    person.refresh_from_db()
    assert person.is_active is not disabled
    warnings = Notification.objects.filter(recipient=person, message="account.inactive_warning")
    assert warnings.count() == (1 if warned else 0)
    if warned:
        assert warnings.get().personalisation["disable_on"] == warned
    assert AuditEvent.objects.filter(object_id=str(person.pk), detail__disabled=True).count() == (
        1 if disabled else 0
    )


def test_an_account_enabled_again_is_not_disabled_at_the_next_tick(client_for, admin, authority):
    from django.test import override_settings

    from swc.scheduling.scheduler import scheduler_tick

    person = user_with_role(Role.REFERRER, authority)
    long_ago = NOW - dt.timedelta(days=120)
    User.objects.filter(pk=person.pk).update(last_login=long_ago)
    with override_settings(SWC_ACCOUNT_UNUSED_DAYS=90), time_machine.travel(NOW, tick=False):
        scheduler_tick(NOW)
        person.refresh_from_db()
        assert not person.is_active
        response = client_for(admin).post(reverse("account:person-enable", args=[person.pk]))
        assert response.status_code == 302
        scheduler_tick(NOW + dt.timedelta(minutes=1))
    person.refresh_from_db()
    assert person.is_active
    assert person.last_login == long_ago  # enabling is not a sign-in
    history = client_for(admin).get(reverse("account:person-history", args=[person.pk]))
    text = history.content.decode()
    assert "Disabled automatically: not used for 90 days" in text and "Enabled again" in text


def test_the_invitation_email_carries_only_the_link_and_its_expiry(client_for, admin, authority):
    from swc.notifications.messages import message_render

    with time_machine.travel(NOW, tick=False):
        _invite(client_for(admin), authority)
    row = Notification.objects.get(message="account.invited")
    assert row.address == "rita@example.test"
    assert set(row.personalisation) == {"link", "expires"}
    assert row.personalisation["expires"] == "5 April 2026"
    subject, body = message_render(row.message, row.personalisation)
    assert row.personalisation["link"] in body
    for private in ("Rita", "Ada", authority.name):
        assert private not in subject + body
