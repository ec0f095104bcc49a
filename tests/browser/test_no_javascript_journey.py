"""The referral journey with JavaScript turned off: every page is a plain HTML form.

A social worker signs in (password, then the authenticator's code), starts a
referral, completes each section, checks the answers and submits, in a
browser context where no script runs. Conditionally revealed questions are
all shown, the Print button (which needs a script) is not, and each action
still ends on a page that says what happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from swc.core import clock
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.workflow import Status
from tests.browser.fixtures import BrowserSession
from tests.browser.referral_sections import referral_sections_fill

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

    referral_sections_fill(
        no_script,
        today=today,
        surname="Nojavascript",
        identifier="SYN-NOJS",
        check_accessible=False,
    )

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
