"""A coordinator finds a child by initials and date of birth, then takes a referral from the queue."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import complete_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_finds_a_child_and_takes_their_referral(web) -> None:
    mine = complete_referral(
        local_authority=LocalAuthorityFactory(name="Synthshire"),
        first_name="Sam",
        last_name="Patel",
        date_of_birth=dt.date(2011, 3, 27),
    )
    theirs = complete_referral(
        local_authority=LocalAuthorityFactory(name="Otherton"),
        first_name="Sam",
        last_name="Patel",
        date_of_birth=dt.date(2012, 5, 4),
    )
    coordinator = user_with_role(Role.COORDINATOR, full_name="Robin Ashdown")
    web.sign_in(coordinator)

    page = web.open("/")
    page.get_by_role("link", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search referrals")
    web.assert_accessible()

    # A range that ends before it starts is a clear error, not an empty list.
    started_from = page.get_by_role("group", name="Referral started on or after")
    started_from.get_by_label("Day").fill("9")
    started_from.get_by_label("Month").fill("3")
    started_from.get_by_label("Year").fill("2026")
    started_to = page.get_by_role("group", name="Referral started on or before")
    started_to.get_by_label("Day").fill("1")
    started_to.get_by_label("Month").fill("3")
    started_to.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The first date must be the same as or before the second date"
    )
    assert page.title().startswith("Error: ")
    web.assert_accessible()
    for group in (started_from, started_to):
        for part in ("Day", "Month", "Year"):
            group.get_by_label(part).fill("")

    # Two children called Sam Patel: initials and a date of birth find the one.
    page.get_by_label("Reference, child's name or initials").fill("S P")
    born = page.get_by_role("group", name="Child's date of birth")
    born.get_by_label("Day").fill("4")
    born.get_by_label("Month").fill("5")
    born.get_by_label("Year").fill("2012")
    page.get_by_role("button", name="Search").click()
    results = page.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text(theirs.reference)
    expect(results.first).to_contain_text("S.P.")
    expect(results.first).to_contain_text("4 May 2012")
    expect(results.first).to_contain_text("Otherton")
    expect(page.locator("table")).not_to_contain_text(mine.reference)
    web.assert_accessible()

    page.get_by_role("link", name="Triage queue").click()
    row = page.locator("tbody tr", has_text=theirs.reference)
    expect(row).to_contain_text("Not assigned")
    expect(row).to_contain_text("List due")
    row.get_by_role("button", name=f"Take referral {theirs.reference}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You have taken referral {theirs.reference}"
    )
    row = page.locator("tbody tr", has_text=theirs.reference)
    expect(row).to_contain_text("Robin Ashdown")
    expect(row.get_by_role("button", name=f"Take referral {theirs.reference}")).to_have_count(0)
    web.assert_accessible()
    assert Referral.objects.get(pk=theirs.pk).assigned_to == coordinator
