"""Prices and children's identities never reach anyone who may not see them.

Each role crawls every page and download it can reach; the planted price and
the planted child's names must not appear where the policy forbids them, and
no log line may carry the child's names. New pages and exports join the
crawl automatically through their links.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.test import Client

from swc.core.calendar import LONDON
from swc.core.events import DomainEvent, event_publish
from swc.core.logs import JsonFormatter
from swc.homes.models import SecureHome
from swc.notifications.messages import MESSAGES, message_render
from swc.notifications.models import Notification
from swc.referrals.models import Referral

from .conftest import FIRST_NAME, PRICE, PRICE_FORMS, SURNAME
from .crawler import crawl

pytestmark = pytest.mark.django_db


# Who may see what (design brief, docs/security.md): the price only the unit and the
# home itself (an authority only for an offer to its own referral: none is planted
# here); the child's names only the unit and the child's own authority; a home the
# referral was sent to sees the child's initials, never a name.
MAY_SEE_PRICE = {"coordinator", "unit_manager", "home_shared"}
MAY_SEE_SURNAME = {"coordinator", "unit_manager", "referrer_same_la"}
MAY_SEE_FIRST_NAME = MAY_SEE_SURNAME
INITIALS = "O.Q."  # Ottolinesynth Quarringtonzed, as a home is shown her
PEOPLE = [
    "referrer_same_la",
    "referrer_other_la",
    "admin_same_la",
    "home_shared",
    "home_other",
    "coordinator",
    "unit_manager",
    "analyst",
    "unit_admin",
]


@pytest.mark.parametrize("who", PEOPLE)
def test_nothing_confidential_reaches_a_person_who_may_not_see_it(
    world, who, client_for, caplog
) -> None:
    client: Client = client_for(world[who])
    with caplog.at_level(logging.DEBUG):
        result = crawl(client)
    assert result.pages, "the crawl reached no page"
    errors = {url: status for url, status in result.statuses.items() if status >= 500}
    assert not errors, f"server errors while crawling as {who}: {errors}"
    if who not in MAY_SEE_PRICE:
        for form in PRICE_FORMS:
            assert not result.containing(form), f"{who} saw the price on {result.containing(form)}"
    if who not in MAY_SEE_SURNAME:
        assert not result.containing(SURNAME), (
            f"{who} saw the surname on {result.containing(SURNAME)}"
        )
    if who not in MAY_SEE_FIRST_NAME:
        assert not result.containing(FIRST_NAME), (
            f"{who} saw the first name on {result.containing(FIRST_NAME)}"
        )
    # Each line as production writes it (JSON with the request's fields), not only its message.
    formatter = JsonFormatter()
    for record in caplog.records:
        line = record.getMessage() + formatter.format(record)
        assert SURNAME not in line and FIRST_NAME not in line, (
            f"personal data in a log line: {line}"
        )
        assert not any(form in line for form in PRICE_FORMS), f"a price in a log line: {line}"


def test_a_home_the_referral_was_sent_to_sees_the_childs_initials_only(world, client_for) -> None:
    shared = crawl(client_for(world["home_shared"]))
    assert shared.containing(f">{INITIALS}<"), "the home was not shown the child's initials"
    assert not shared.containing(FIRST_NAME) and not shared.containing(SURNAME)
    other = crawl(client_for(world["home_other"]))
    assert not other.containing(f">{INITIALS}<")


def test_the_crawl_does_reach_the_price_for_the_unit(world, client_for) -> None:
    result = crawl(client_for(world["coordinator"]))
    assert any(result.containing(form) for form in PRICE_FORMS), sorted(result.pages)


def test_no_email_or_text_carries_the_price_or_the_childs_names(world) -> None:
    """Every message the service sends, about the planted child and home, to everyone it reaches.

    Emails and texts leave the service (through GOV.UK Notify, to inboxes and
    phones): they carry a reference and a link, never the price or the child.
    """
    referral = Referral.objects.get(last_name=SURNAME)
    home = SecureHome.objects.get(name="Planted Home")
    at = dt.datetime(2026, 11, 21, 3, 0, tzinfo=LONDON)  # a Saturday night: on call too
    with time_machine.travel(at, tick=False):
        for kind in MESSAGES:
            for stage in ("home", "unit"):
                event_publish(
                    DomainEvent(
                        kind=kind,
                        key=f"confidential:{kind}:{stage}",
                        occurred_at=at,
                        referral_id=referral.pk,
                        local_authority_organisation_id=referral.local_authority.organisation_id,
                        home_organisation_ids=(home.organisation_id,),
                        # Details a message does not use must never travel into it.
                        detail={
                            "stage": stage,
                            "price": PRICE,
                            "surname": SURNAME,
                            # The person an account message is for (swc.organisations).
                            "account_id": world["coordinator"].pk,
                        },
                    )
                )
    sent = list(Notification.objects.all())
    assert {n.message for n in sent} == set(MESSAGES)
    for notification in sent:
        subject, body = message_render(notification.message, notification.personalisation)
        text = f"{subject} {body} {notification.personalisation}"
        for secret in (*PRICE_FORMS, SURNAME, FIRST_NAME):
            assert secret not in text, f"{notification.message} carried {secret!r}"
