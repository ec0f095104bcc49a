"""The Print button on the referral and the list of potential placements (JavaScript on).

Without JavaScript the button is not shown (tests/browser/test_no_javascript_journey.py);
with it, the button prints the page, and the print style hides every button.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.tests.factories import complete_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_print_button_prints_the_referral_and_the_list_and_is_not_printed(web) -> None:
    authority = LocalAuthorityFactory(name="Synthshire")
    referral = complete_referral(local_authority=authority)
    web.sign_in(user_with_role(Role.REFERRER, authority.organisation))
    page = web.page
    for path in (f"/referrals/{referral.pk}/", f"/matching/referrals/{referral.pk}/list/"):
        web.open(path)
        # Count the calls instead of opening the browser's print dialog.
        page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1 } }")
        button = page.get_by_role("button", name="Print this page")
        expect(button).to_be_visible()
        button.click()
        assert page.evaluate("window.printed") == 1, path
        page.emulate_media(media="print")
        expect(button).to_be_hidden()
        page.emulate_media(media="screen")
        web.assert_accessible()
