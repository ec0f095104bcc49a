"""A whole referral, played through the services: every organisation gets exactly its messages.

Three homes are sent the referral: A offers and is chosen, B offers and is not,
C declines. The expected messages are typed out by hand, per organisation, by
kind, channel and count: the chosen home is told its offer was accepted and
never that the referral is closed; the others are told "closed to you" once.
Runs on SQLite and (scripts/with-postgres.sh) PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine

from swc.core.vocabulary import WithdrawalReason
from swc.matching.models import Offer
from swc.matching.services import (
    home_response_record,
    match_run,
    offer_accept,
    offer_decline,
    offer_withdraw,
    placement_admit,
    shortlist_send,
)
from swc.matching.tests.factories import free_bed, home_make, manager_of
from swc.notifications.messages import message_render
from swc.notifications.models import Notification, NotificationPreference
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.referrals.models import Referral
from swc.referrals.services import referral_submit, referral_transition
from swc.referrals.tests.factories import ReferralFactory, complete_values
from swc.referrals.workflow import Status

pytestmark = pytest.mark.django_db
# A Tuesday in office hours (GMT): no on-call officer is involved.
NOW = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)

E, T = "email", "sms"
# What each organisation receives for the whole journey, by message and channel.
# The referrer has a mobile and asked for texts; everyone else has email only.
EXPECTED: dict[str, Counter[tuple[str, str]]] = {
    "unit": Counter(
        {
            ("referral.submitted", E): 1,
            ("referral.completed", E): 1,
            ("referral.home_offered", E): 2,
            ("referral.home_responded", E): 1,
            ("placement.admitted", E): 1,
        }
    ),
    "authority": Counter(
        {
            ("referral.list_provided", E): 1,
            ("referral.list_provided", T): 1,
            ("referral.home_offered", E): 2,
            ("referral.home_offered", T): 2,
            ("referral.home_responded", E): 1,
            ("referral.home_responded", T): 1,
            ("placement.admitted", E): 1,
            ("placement.admitted", T): 1,
            ("referral.survey_invited", E): 1,
            ("referral.survey_invited", T): 1,
        }
    ),
    "home A (chosen)": Counter(
        {
            ("referral.sent_to_home", E): 1,
            ("referral.offer_accepted", E): 1,
            ("referral.survey_invited", E): 1,
        }
    ),
    "home B (offered, not chosen)": Counter(
        {
            ("referral.sent_to_home", E): 1,
            ("referral.closed", E): 1,
            ("referral.survey_invited", E): 1,
        }
    ),
    "home C (declined)": Counter(
        {
            ("referral.sent_to_home", E): 1,
            ("referral.closed", E): 1,
            ("referral.survey_invited", E): 1,
        }
    ),
    "home D (not sent)": Counter(),
    "another authority": Counter(),
}


@pytest.fixture(autouse=True)
def _now():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    unit = OrganisationFactory(kind=OrganisationKind.UNIT)
    la = LocalAuthorityFactory(latitude=52.1, longitude=-1.4)
    referrer = user_with_role(Role.REFERRER, la.organisation, phone="07700900123")
    NotificationPreference.objects.create(user=referrer, sms_enabled=True)
    homes = {name: home_make(name=f"Home {name}") for name in "ABCD"}
    return {
        "coordinator": user_with_role(Role.COORDINATOR, unit),
        "la": la,
        "referrer": referrer,
        "homes": homes,
        "managers": {name: manager_of(home) for name, home in homes.items()},
        "stranger": user_with_role(Role.REFERRER, LocalAuthorityFactory().organisation),
    }


def _received(people) -> dict[str, Counter[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    def of(user) -> Counter[tuple[str, str]]:  # type: ignore[no-untyped-def]
        return Counter(
            Notification.objects.filter(recipient=user).values_list("message", "channel")
        )

    managers = people["managers"]
    return {
        "unit": of(people["coordinator"]),
        "authority": of(people["referrer"]),
        "home A (chosen)": of(managers["A"]),
        "home B (offered, not chosen)": of(managers["B"]),
        "home C (declined)": of(managers["C"]),
        "home D (not sent)": of(managers["D"]),
        "another authority": of(people["stranger"]),
    }


def _play_to_acceptance(people) -> Offer:  # type: ignore[no-untyped-def]
    coordinator, referrer, homes = people["coordinator"], people["referrer"], people["homes"]
    draft = ReferralFactory(local_authority=people["la"], **complete_values(NOW))
    referral = referral_submit(referral=draft, by=referrer, version=draft.version)
    run = match_run(referral=referral, by=coordinator)
    shortlist_send(
        run=run,
        by=coordinator,
        home_ids=[homes[n].pk for n in "ABC"],
        note="Home A knows the child's school",
    )
    offers = {}
    for name in "AB":
        offers[name] = home_response_record(
            referral=referral,
            kind="accept",
            by=people["managers"][name],
            vacancy=free_bed(homes[name]),
            available_from=NOW.date(),
        ).offer
    home_response_record(
        referral=referral,
        kind="decline",
        by=people["managers"]["C"],
        decline_reason="group_mix",
    )
    return offer_accept(offer=offers["A"], by=referrer)


def test_each_organisation_gets_exactly_its_messages_once(people) -> None:
    accepted = _play_to_acceptance(people)
    # The child arrives later that day; the home records it.
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        placement_admit(
            offer=accepted,
            admitted_at=NOW + dt.timedelta(hours=2, minutes=15),
            by=people["managers"]["A"],
        )
    assert Referral.objects.get().status == Status.PLACED
    assert _received(people) == EXPECTED
    # The chosen home's message says what it needs: its offer was accepted, the child expected.
    told = Notification.objects.get(
        recipient=people["managers"]["A"], message="referral.offer_accepted"
    )
    subject, body = message_render(told.message, told.personalisation)
    assert subject == f"Referral {Referral.objects.get().reference}: your offer has been accepted"
    assert "The child is expected from 10 March 2026." in body
    admitted = Notification.objects.get(
        recipient=people["referrer"], message="placement.admitted", channel=E
    )
    # 09:30 UTC plus 2 h 15 min, in London in March (GMT): 11:45.
    assert (
        "admission on 10 March 2026 at 11:45"
        in message_render(admitted.message, admitted.personalisation)[1]
    )


def test_a_referral_withdrawn_after_acceptance_tells_only_the_chosen_home_it_is_closed(
    people,
) -> None:
    _play_to_acceptance(people)
    before = _received(people)
    referral_transition(
        referral=Referral.objects.get(),
        to=Status.WITHDRAWN,
        by=people["referrer"],
        reason=WithdrawalReason.ALTERNATIVE_FOUND,
    )
    after = _received(people)
    added = {org: after[org] - before[org] for org in after}
    assert added == {
        "unit": Counter(),
        "authority": Counter(
            {("referral.survey_invited", E): 1, ("referral.survey_invited", T): 1}
        ),
        "home A (chosen)": Counter({("referral.closed", E): 1, ("referral.survey_invited", E): 1}),
        # Already told it was closed to them when A was chosen: not again.
        "home B (offered, not chosen)": Counter({("referral.survey_invited", E): 1}),
        "home C (declined)": Counter({("referral.survey_invited", E): 1}),
        "home D (not sent)": Counter(),
        "another authority": Counter(),
    }


def test_a_declined_offer_tells_the_home_and_the_unit_and_a_withdrawn_one_the_authority(
    people,
) -> None:
    coordinator, referrer, homes = people["coordinator"], people["referrer"], people["homes"]
    draft = ReferralFactory(local_authority=people["la"], **complete_values(NOW))
    referral = referral_submit(referral=draft, by=referrer, version=draft.version)
    shortlist_send(
        run=match_run(referral=referral, by=coordinator),
        by=coordinator,
        home_ids=[homes["A"].pk, homes["B"].pk],
    )
    offers = {
        name: home_response_record(
            referral=referral,
            kind="accept",
            by=people["managers"][name],
            vacancy=free_bed(homes[name]),
            available_from=NOW.date(),
        ).offer
        for name in "AB"
    }
    before = _received(people)
    offer_decline(offer=offers["A"], by=referrer, reason="Too far from the child's family")
    offer_withdraw(offer=offers["B"], by=people["managers"]["B"], reason="Bed needed elsewhere")
    after = _received(people)
    assert {org: after[org] - before[org] for org in after} == {
        "unit": Counter({("offer.declined", E): 1, ("offer.withdrawn", E): 1}),
        "authority": Counter({("offer.withdrawn", E): 1, ("offer.withdrawn", T): 1}),
        "home A (chosen)": Counter({("offer.declined", E): 1}),
        "home B (offered, not chosen)": Counter(),
        "home C (declined)": Counter(),
        "home D (not sent)": Counter(),
        "another authority": Counter(),
    }
    # The reason's words stay on the service: the message carries a reference and a link.
    for row in Notification.objects.filter(message__in=["offer.declined", "offer.withdrawn"]):
        body = message_render(row.message, row.personalisation)[1]
        assert "family" not in body and "elsewhere" not in body
        assert f"/matching/referrals/{referral.pk}/offers/" in body
