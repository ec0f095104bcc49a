"""The referral journey in a real browser: question pages, errors, check answers, submit.

Uses the Chromium + axe-core fixtures registered in the root conftest; every page is checked
for WCAG 2.2 A/AA violations and console errors (CSP included).
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from swc.core import clock
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import complete_referral
from swc.referrals.workflow import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _date(page, legend: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_social_worker_fills_in_a_referral_with_errors_shown_and_nothing_lost(web) -> None:
    la = LocalAuthorityFactory(name="Synthshire")
    web.sign_in(user_with_role(Role.REFERRER, la.organisation))
    page = web.open("/referrals/new/")
    web.assert_accessible()
    page.get_by_role("button", name="Start a referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complete the referral")
    web.assert_accessible()

    today = clock.today()
    page.get_by_role("link", name="The child").click()
    page.get_by_label("First name").fill("Testchild")
    page.get_by_label("Last name").fill("Synthetic")
    _date(page, "Date of birth", today.replace(year=today.year - 19))
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be under 18")
    expect(page.get_by_label("First name")).to_have_value("Testchild")
    web.assert_accessible()
    _date(page, "Date of birth", today.replace(year=today.year - 15, day=1))
    page.get_by_label("Female").check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("First language").fill("English")
    page.get_by_label("Your authority's identifier for the child").fill("SYN-7")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The child: saved")

    page.get_by_role("link", name="Legal position").click()
    page.get_by_label("Regulation 10 placement without an order (72 hours)").check()
    group = page.get_by_role("group", name="Date and time the 72 hours began")
    group.get_by_label("Hour").fill("25")
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Date and time the 72 hours began must include a day"
    )
    web.assert_accessible()
    page.get_by_role("link", name="Back to the referral").click()

    page.get_by_role("link", name="Needs and risks").click()
    page.get_by_label("Going missing", exact=True).check()
    page.get_by_label("Describe: going missing").fill("Missing three times this month")
    page.get_by_role("button", name="Save and check answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator("#missing")).to_contain_text("Select the legal position")
    web.assert_accessible()
    referral = Referral.objects.get()
    assert referral.status == Status.DRAFT
    assert referral.need_descriptions == {"going_missing": "Missing three times this month"}


def test_the_triage_queue_and_a_referral_page_are_accessible(web) -> None:
    referral = complete_referral()
    web.sign_in(user_with_role(Role.COORDINATOR))
    page = web.open("/referrals/triage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage queue")
    web.assert_accessible()
    page.get_by_role("link", name=referral.reference, exact=True).click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    web.assert_accessible()
    page.get_by_role("link", name="Withdraw the referral").click()
    page.get_by_role("button", name="Withdraw the referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select why the referral is being withdrawn"
    )
    web.assert_accessible()
