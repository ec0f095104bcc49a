"""The register in a real browser: a home's update page and the board, checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from swc.homes.models import RegisterDeclaration
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, price_set, vacancy_make
from swc.organisations.models import Role
from swc.organisations.tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_home_manager_corrects_an_impossible_register_and_offers_a_bed(web) -> None:
    home = SecureHomeFactory(name="Synthetic Lodge", approved_places=12)
    web.sign_in(user_with_role(Role.HOME_MANAGER, home.organisation))
    page = web.open("/register/our-home/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your home's register")
    web.assert_accessible()

    page.get_by_label("Staffed places").fill("8")
    page.get_by_label("Places contracted to youth justice").fill("2")
    page.get_by_label("Welfare places occupied").fill("9")
    page.get_by_label("Youth justice places occupied").fill("0")
    page.get_by_role("button", name="Save places").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Occupied places (9) cannot be more than staffed places (8)")
    assert page.title().startswith("Error: ")
    assert not RegisterDeclaration.objects.exists()
    web.assert_accessible()

    page.get_by_label("Welfare places occupied").fill("5")
    page.get_by_role("button", name="Save places").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your places have been updated"
    )
    page.get_by_label("Restriction (optional)").fill("girls only for now")
    page.get_by_role("button", name="Offer bed").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "added to the national board"
    )
    web.assert_accessible()


def test_the_board_is_accessible_sortable_and_readable_on_a_phone(web) -> None:
    # Free welfare beds now: Beta 3, Gamma 2, Alpha 1 (typed by hand, not read back).
    for name, free in [("Beta Home", 3), ("Alpha Home", 1), ("Gamma Home", 2)]:
        home = SecureHomeFactory(name=name)
        declaration_make(home)
        for _ in range(free):
            vacancy_make(home)
        price_set(home, "7000")
    web.sign_in(user_with_role(Role.COORDINATOR))
    page = web.open("/register/")
    expect(page.get_by_role("heading", level=1)).to_have_text("National vacancy board")
    web.assert_accessible()
    expect(page.locator("tbody tr").first).to_contain_text("Alpha Home")
    # On a wide screen the column headings sort (every home fits on one page).
    page.get_by_role("button", name="Home").click()
    page.get_by_role("button", name="Home").click()
    expect(page.locator("tbody tr").first).to_contain_text("Gamma Home")

    # On a phone the table is a stack of cards: no headings to press, so the
    # "Filter and sort" control sorts, and nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page = web.open("/register/")
    expect(page.locator("tbody tr").first).to_contain_text("Alpha Home")
    page.get_by_text("Filter and sort").click()
    page.get_by_label("Sort by").select_option(label="Free welfare beds now")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("tbody tr").nth(0)).to_contain_text("Beta Home")
    expect(page.locator("tbody tr").nth(1)).to_contain_text("Gamma Home")
    expect(page.locator("tbody tr").nth(2)).to_contain_text("Alpha Home")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    web.assert_accessible()
