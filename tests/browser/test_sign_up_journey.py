"""Sign-up in a real browser: the unit reminds an authority, whose admin then accepts the terms."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from swc.notifications.messages import Message
from swc.notifications.models import Notification
from swc.organisations.models import OrganisationKind, Role
from swc.organisations.tests.factories import (
    LocalAuthorityFactory,
    OrganisationFactory,
    user_with_role,
)
from swc.reporting.models import TermsAcceptance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_unit_reminds_an_authority_and_its_admin_signs_up(web) -> None:
    authority = LocalAuthorityFactory(name="Synthetic Shire")
    admin = user_with_role(Role.ADMIN, authority.organisation)
    unit = OrganisationFactory(kind=OrganisationKind.UNIT, name="Secure Welfare Coordination Unit")
    web.sign_in(user_with_role(Role.COORDINATOR, unit))

    page = web.open("/reports/kpis/")
    row = page.locator("tr", has_text="Synthetic Shire")
    expect(row).to_contain_text("1 admin")
    expect(row).to_contain_text("Never")
    web.assert_accessible()
    row.get_by_role("button", name="Remind Synthetic Shire").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Reminder sent to 1 organisation: Synthetic Shire"
    )
    expect(page.locator("tr", has_text="Synthetic Shire")).not_to_contain_text("Never")
    web.assert_accessible()
    reminder = Notification.objects.get(message=Message.SIGN_UP_REMINDER)
    assert reminder.recipient == admin

    web.page.context.clear_cookies()
    web.sign_in(admin)
    # The emailed link, followed on this test server.
    page = web.open(urlparse(reminder.personalisation["link"]).path)
    page.get_by_label("I accept these terms on behalf of my organisation").check()
    page.get_by_role("button", name="Accept and sign up").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "your organisation is signed up"
    )
    assert TermsAcceptance.objects.filter(organisation=authority.organisation).exists()
