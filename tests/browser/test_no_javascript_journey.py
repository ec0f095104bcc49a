"""The referral journey with JavaScript turned off: every page is a plain HTML form.

A social worker signs in (password, then the authenticator's code), starts a
referral, completes each section, checks the answers and submits, in a
browser context where no script runs. Conditionally revealed questions are
all shown, the Print button (which needs a script) is not, and each action
still ends on a page that says what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from swc.core import clock
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.workflow import Status
from tests.browser.fixtures import BrowserSession

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("working_tuesday"),
]


@pytest.fixture
def no_script(browser: Browser, live_server: Any) -> Iterator[BrowserSession]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield BrowserSession(page=context.new_page(), base_url=live_server.url)
    context.close()


def _date(page: Page, legend: str, day: dt.date, time: str | None = None) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
    if time is not None:
        hour, minute = time.split(":")
        group.get_by_label("Hour").fill(hour)
        group.get_by_label("Minute").fill(minute)


def _save(page: Page, section: str) -> None:
    page.get_by_role("button", name="Save and return to the task list").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"{section}: saved")


def test_a_referral_is_made_and_submitted_without_javascript(no_script: BrowserSession) -> None:
    today = clock.today()
    authority = LocalAuthorityFactory(name="Synthshire")
    referrer = user_with_role(Role.REFERRER, authority.organisation, full_name="Sam Referrer")
    no_script.sign_in(referrer)
    page = no_script.page
    # No script ran: GOV.UK Frontend's "js-enabled" class was never added.
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")

    page.get_by_role("link", name="Refer a child for a secure welfare placement").click()
    page.get_by_role("button", name="Start a referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complete the referral")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("started")

    page.get_by_role("link", name="The child").click()
    page.get_by_label("First name").fill("Testchild")
    page.get_by_label("Last name").fill("Nojavascript")
    _date(page, "Date of birth", dt.date(today.year - 15, 1, 1))
    page.get_by_label("Female").check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("First language").fill("English")
    page.get_by_label("Your authority's identifier for the child").fill("SYN-NOJS")
    page.get_by_label("No", exact=True).check()
    _save(page, "The child")

    page.get_by_role("link", name="Legal position").click()
    page.get_by_label("Application to court for a section 25 order").check()
    _date(page, "Date of the court hearing", today + dt.timedelta(days=3))
    _save(page, "Legal position")

    page.get_by_role("link", name="Needs and risks").click()
    page.get_by_label("Going missing", exact=True).check()
    # Without a script, the description box is already on the page (not revealed by a click).
    page.get_by_label("Describe: going missing").fill("Missing three times this month")
    _save(page, "Needs and risks")

    page.get_by_role("link", name="Current placement and home area").click()
    page.get_by_label("Where is the child living now?").fill("Residential children's home")
    page.get_by_label("Region of the child's home area").select_option("South East")
    page.get_by_label("Town or district of the child's home area").fill("Synthtown")
    _save(page, "Current placement and home area")

    page.get_by_role("link", name="When the bed is needed").click()
    _date(page, "Date and time the bed is needed", today + dt.timedelta(days=1), "10:00")
    _save(page, "When the bed is needed")

    page.get_by_role("link", name="Contacts").click()
    page.get_by_label("Social worker's name").fill("Sam Referrer")
    page.get_by_label("Social worker's phone number").fill("01234 567890")
    page.get_by_label("Social worker's email address").fill("sam.referrer@example.test")
    page.get_by_label("Name of the manager who sanctioned the referral").fill("Morgan Manager")
    _save(page, "Contacts")
    expect(page.locator("main")).to_contain_text("Every required item is present")

    page.get_by_role("link", name="Check answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    page.get_by_role("button", name="Submit the referral").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("submitted")
    referral = Referral.objects.get()
    assert referral.status == Status.COMPLETE
    assert referral.need_descriptions["going_missing"] == "Missing three times this month"
    # The referral page: its Print button needs a script, so without one it is not shown.
    expect(page.get_by_role("heading", level=1)).to_contain_text(referral.reference)
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
