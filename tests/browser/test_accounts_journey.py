"""Accounts and time-outs in a real browser (docs/accounts.md)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Route, expect

from swc.notifications.models import Notification
from swc.organisations.models import Role, User
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import ReferralFactory
from tests.browser.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "paddock lantern oboe"


def test_an_administrator_invites_a_person_who_enrols_then_is_disabled(web, browser) -> None:
    authority = LocalAuthorityFactory(name="Synthetic Shire").organisation
    admin = user_with_role(Role.ADMIN, authority, full_name="Ada Admin")
    web.sign_in(admin)

    page = web.open("/account/people/")
    page.get_by_role("link", name="Synthetic Shire").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    web.assert_accessible()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Full name").fill("Rita Referrer")
    page.get_by_label("Email address").fill("rita@example.test")
    page.get_by_label("Referrer").check()
    web.assert_accessible()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Invitation sent to rita@example.test"
    )
    web.assert_accessible()
    rita = User.objects.get(email="rita@example.test")
    link = Notification.objects.get(recipient=rita, message="account.invited").personalisation[
        "link"
    ]

    # Rita, in her own browser, follows the link, sets a password and enrols her app.
    context = browser.new_context()
    theirs = context.new_page()
    theirs.goto(web.base_url + urlparse(link).path)
    theirs.get_by_label("Create a password").fill(NEW_PASSWORD)
    theirs.get_by_label("Enter the password again").fill(NEW_PASSWORD)
    theirs.get_by_role("button", name="Continue").click()
    theirs.wait_for_url("**/sign-in/security-code/")
    device = TOTPDevice.objects.get(user=rita, confirmed=False)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    theirs.get_by_label("Security code").fill(f"{totp.token():06d}")
    theirs.get_by_role("button", name="Continue").click()
    theirs.wait_for_url(lambda url: "/sign-in/" not in url)
    assert TOTPDevice.objects.get(user=rita).confirmed
    theirs.goto(web.base_url + "/referrals/")
    expect(theirs.get_by_role("heading", level=1)).to_be_visible()
    assert "/sign-in/" not in theirs.url

    # The administrator disables her; her very next request is refused.
    page = web.open(f"/account/people/{rita.pk}/")
    page.get_by_role("button", name="Disable account").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is disabled")
    web.assert_accessible()
    theirs.goto(web.base_url + "/referrals/")
    assert "/sign-in/" in theirs.url
    page = web.open(f"/account/people/{rita.pk}/history/")
    expect(page.locator("table")).to_contain_text("Disabled")
    expect(page.locator("table")).to_contain_text("Invited as Referrer")
    web.assert_accessible()
    context.close()


def test_a_referrer_is_warned_stays_signed_in_then_times_out_and_keeps_answers(web) -> None:
    authority = LocalAuthorityFactory(name="Synthetic Shire")
    referrer = user_with_role(Role.REFERRER, authority.organisation)
    referral = ReferralFactory(local_authority=authority)
    page = web.page
    page.clock.install()
    web.sign_in(referrer)
    page = web.open(f"/referrals/{referral.pk}/sections/preferences/")
    expect(page.locator(".swc-account-bar")).to_contain_text(
        "You are signed out after 30 minutes without activity"
    )
    page.get_by_label("Any other preferences").fill("Near her grandmother in Leeds")

    # 28 minutes later: the warning, with focus on "Stay signed in".
    page.clock.run_for("28:01")
    dialog = page.get_by_role("dialog", name="You're about to be signed out")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    web.assert_accessible()
    # The server's reply is held back: choosing to stay restarts the countdown at once,
    # so a slow reply cannot let the old deadline sign the person out meanwhile.
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route("**/account/session/refresh/", hold)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    page.wait_for_function("() => true")  # let the click's handler run
    page.clock.run_for("27:00")
    assert "/sign-in/" not in page.url
    expect(dialog).to_be_hidden()
    assert len(held) == 1
    with page.expect_response("**/account/session/refresh/") as refreshed:
        held[0].continue_()
    assert refreshed.value.ok
    page.unroute("**/account/session/refresh/")
    page.clock.run_for("01:01")

    # Warned again: Escape means "Stay signed in", and focus goes back where it was.
    page.get_by_label("Any other preferences").focus()
    expect(dialog).to_be_visible()
    with page.expect_response("**/account/session/refresh/") as refreshed:
        page.keyboard.press("Escape")
    assert refreshed.value.ok
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("Any other preferences")).to_be_focused()

    # Later still, nobody answers: the page signs out, keeping the typed answers.
    page.clock.run_for("30:05")
    page.wait_for_url("**/sign-in/**")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You were signed out after 30 minutes without activity; your answers were saved"
    )
    web.assert_accessible()
    # Signing in again on this page (its device is the one web.sign_in set up).
    # The test is quicker than a 30-second code: let the same code be used a second time.
    TOTPDevice.objects.filter(user=referrer).update(last_t=-1)
    device = TOTPDevice.objects.get(user=referrer)
    page.get_by_label("Email address").fill(referrer.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/security-code/")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    page.get_by_label("Security code").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/account/kept-answers/")
    expect(page.get_by_role("heading", name="Your answers were kept")).to_be_visible()
    web.assert_accessible()
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_url(f"**/referrals/{referral.pk}/sections/")
    assert Referral.objects.get(pk=referral.pk).preferences == "Near her grandmother in Leeds"
