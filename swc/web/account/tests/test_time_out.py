"""Nothing lost to a time-out: a form sent after the session ended is kept and offered back."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from swc.organisations.models import Role, TimedOutSubmission
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 12, 26, 1, 0, tzinfo=dt.UTC)  # Boxing Day, 1 a.m.


def _section(referral: Referral) -> str:
    return reverse("referrals:section", args=[referral.pk, "preferences"])


def _answers(referral: Referral) -> dict[str, str]:
    return {
        "version": str(referral.version),
        "max_distance_miles": "",
        "preferences": "Near her grandmother in Leeds",
    }


@pytest.fixture
def world(client_for):
    authority = LocalAuthorityFactory()
    referrer = user_with_role(Role.REFERRER, authority.organisation)
    with time_machine.travel(START, tick=False):
        client = client_for(referrer)
        client.get(reverse("web:start"))
    return {
        "referrer": referrer,
        "referral": ReferralFactory(local_authority=authority),
        "client": client,
    }


def test_a_form_sent_after_30_idle_minutes_is_kept_then_saved_after_sign_in(world):
    referral, client = world["referral"], world["client"]
    with time_machine.travel(START + dt.timedelta(minutes=30, seconds=1), tick=False):
        response = client.post(_section(referral), _answers(referral))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
    assert "reason=timeout" in response["Location"]
    referral.refresh_from_db()
    assert referral.preferences == ""  # nothing the form asked for was done
    kept = TimedOutSubmission.objects.get(user=world["referrer"])
    assert kept.path == _section(referral)
    assert kept.fields["preferences"] == ["Near her grandmother in Leeds"]
    assert "csrfmiddlewaretoken" not in kept.fields

    sign_in = Client().get(response["Location"])
    assert "You were signed out after 30 minutes without activity; your answers were saved" in (
        sign_in.content.decode()
    )


def test_the_kept_form_is_offered_back_and_sending_it_saves_once(world, client_for):
    referral, client = world["referral"], world["client"]
    with time_machine.travel(START + dt.timedelta(minutes=31), tick=False):
        client.post(_section(referral), _answers(referral))
    again = client_for(world["referrer"])
    page = again.get(reverse("account:timed-out"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your answers were kept" in html
    assert 'value="Near her grandmother in Leeds"' in html
    kept = TimedOutSubmission.objects.get()
    response = again.post(_section(referral), {**_answers(referral), "swc_kept": str(kept.pk)})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.preferences == "Near her grandmother in Leeds"
    assert not TimedOutSubmission.objects.exists()


def test_someone_else_never_sees_another_persons_kept_form(world, client_for):
    referral, client = world["referral"], world["client"]
    with time_machine.travel(START + dt.timedelta(minutes=31), tick=False):
        client.post(_section(referral), _answers(referral))
    colleague = user_with_role(Role.REFERRER, referral.local_authority.organisation)
    response = client_for(colleague).get(reverse("account:timed-out"))
    assert response.status_code == 302
    assert TimedOutSubmission.objects.count() == 1


def test_a_post_with_no_session_at_all_keeps_nothing(world):
    referral = world["referral"]
    response = Client().post(_section(referral), _answers(referral))
    assert response.status_code == 302
    assert not TimedOutSubmission.objects.exists()


def test_the_warning_endpoint_keeps_the_session_alive(world):
    client = world["client"]
    with time_machine.travel(START + dt.timedelta(minutes=29), tick=False):
        assert client.post(reverse("account:session-refresh")).status_code == 200
    with time_machine.travel(START + dt.timedelta(minutes=50), tick=False):
        assert client.get(reverse("referrals:list")).status_code == 200
    with time_machine.travel(START + dt.timedelta(minutes=81), tick=False):
        assert client.get(reverse("referrals:list")).status_code == 302


def test_a_disabled_persons_api_key_stops_at_once(client_for):
    from swc.organisations.selectors import account_get_for
    from swc.organisations.services import account_disable, api_key_create

    authority = LocalAuthorityFactory()
    admin = user_with_role(Role.ADMIN, authority.organisation)
    person = user_with_role(Role.REFERRER, authority.organisation)
    issued = api_key_create(
        organisation=authority.organisation, role=Role.REFERRER, name="Case system", by=None
    )
    issued.api_key.user = person
    issued.api_key.save()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issued.secret}"}
    assert Client().get("/api/v1/referrals/", **headers).status_code == 200
    account_disable(by=admin, account=account_get_for(admin, person.pk, "account.disable"))
    assert Client().get("/api/v1/referrals/", **headers).status_code == 401


def test_a_disabled_persons_late_form_is_not_kept(world):
    from swc.organisations.models import User

    referral, client = world["referral"], world["client"]
    User.objects.filter(pk=world["referrer"].pk).update(is_active=False)
    response = client.post(_section(referral), _answers(referral))
    assert response.status_code == 302
    assert not TimedOutSubmission.objects.exists()


def test_the_warnings_own_sign_out_says_why_and_comes_back_to_the_page(world):
    client = world["client"]
    page = reverse("referrals:list") + "?status=open"
    response = client.post(reverse("web:sign-out"), {"reason": "timeout", "next": page})
    assert response.status_code == 302
    sign_in = client.get(response["Location"])
    html = sign_in.content.decode()
    assert "You were signed out after 30 minutes without activity" in html
    assert 'name="next" value="/referrals/?status=open"' in html
    # Another site's address is never a place to come back to.
    response = client.post(
        reverse("web:sign-out"), {"reason": "timeout", "next": "https://evil.example/"}
    )
    assert "evil" not in response["Location"]


def test_an_ordinary_sign_out_is_not_called_a_time_out(world):
    response = world["client"].post(reverse("web:sign-out"))
    assert response["Location"] == reverse("web:signed-out")
