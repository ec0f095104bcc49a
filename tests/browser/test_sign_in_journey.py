from __future__ import annotations

import pytest
from playwright.sync_api import expect

from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_page_is_accessible_and_errors_use_the_govuk_pattern(web) -> None:
    page = web.open("/sign-in/")
    assert page.title() == "Sign in – Secure Welfare Coordination – GOV.UK"
    web.assert_accessible()
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter your email address")
    assert page.title().startswith("Error: ")
    # The summary's link moves focus to the field with the problem.
    summary.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    web.assert_accessible()


def test_a_referrer_signs_in_with_two_factor_and_sees_their_start_page(web) -> None:
    authority = LocalAuthorityFactory(name="Hampshire", dfe_la_code="850")
    user = user_with_role(Role.REFERRER, authority.organisation, full_name="Sam Social-Worker")
    web.sign_in(user)
    page = web.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Secure Welfare Coordination")
    assert "Hampshire" in page.locator("main").inner_text()
    assert "Signed in as Sam Social-Worker" in page.inner_text("body")
    web.assert_accessible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signed-out/")
    web.open("/")
    assert "/sign-in/" in page.url


def test_the_layout_works_on_a_phone_sized_screen(web) -> None:
    web.page.set_viewport_size({"width": 375, "height": 740})
    user = user_with_role(Role.COORDINATOR)
    web.sign_in(user)
    width = web.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    web.assert_accessible()


def test_first_sign_in_shows_the_authenticator_set_up_page_accessibly(web) -> None:
    user = user_with_role(Role.ANALYST)
    page = web.open("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/security-code/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    assert page.get_by_role(
        "img", name="QR code to add this account to an authenticator app"
    ).is_visible()
    web.assert_accessible()
