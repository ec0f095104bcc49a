"""Phones and zoom: each role's main pages at 320 CSS pixels, and the triage queue on a phone.

WCAG 2.2 1.4.10 (Reflow): content must fit 320 CSS pixels without scrolling
sideways, which is what a 1280-pixel-wide screen shows at 400 % zoom. So a
320-pixel viewport stands for both a small phone and 400 % zoom. Below 640
pixels, queues and lists are stacked cards (.swc-cards) with the urgency first.
"""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from swc.matching.models import Offer, OfferStatus
from swc.organisations.models import Role
from swc.referrals.models import Referral
from swc.referrals.workflow import Status
from tests.browser.test_every_page_accessible import _world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZOOMED = {"width": 320, "height": 720}
PHONE = {"width": 375, "height": 740}
SCREENSHOTS = os.environ.get("SWC_SCREENSHOTS", "")  # a folder, to look at the pages by eye

# Each role's everyday pages ({sent}: a referral with an open offer; {complete}: one awaiting
# its list), typed by hand from the start pages' links.
MAIN_PAGES = {
    Role.REFERRER: [
        "/",
        "/referrals/",
        "/referrals/search/",
        "/referrals/{sent}/",
        "/matching/referrals/{sent}/list/",
        "/matching/referrals/{sent}/offers/",
        "/register/",
    ],
    Role.HOME_MANAGER: [
        "/",
        "/referrals/",
        "/referrals/{sent}/",
        "/matching/referrals/{sent}/respond/",
        "/register/our-home/",
    ],
    Role.COORDINATOR: [
        "/",
        "/referrals/triage/",
        "/referrals/{complete}/",
        "/matching/referrals/{sent}/",
        "/matching/placements/",
        "/register/",
    ],
    Role.UNIT_MANAGER: ["/", "/referrals/triage/", "/register/declarations/", "/reports/"],
    Role.ANALYST: ["/", "/register/", "/reports/"],
    Role.ADMIN: ["/", "/account/people/"],
}


def _overflow(page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_every_roles_main_pages_fit_320_pixels_without_sideways_scrolling(web) -> None:
    world = _world()
    sent = Offer.objects.get(status=OfferStatus.OPEN).referral_id
    complete = Referral.objects.get(status=Status.COMPLETE).pk
    page = web.page
    page.set_viewport_size(ZOOMED)
    too_wide = []
    for role, paths in MAIN_PAGES.items():
        page.context.clear_cookies()
        web.sign_in(world.people[role])
        for path in paths:
            url = path.format(sent=sent, complete=complete)
            response = page.goto(web.base_url + url)
            assert response is not None and response.status == 200, (role, url)
            width, viewport = _overflow(page)
            if SCREENSHOTS:
                name = re.sub(r"\W+", "-", f"{role}{url}").strip("-")
                page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)
            if width > viewport:
                too_wide.append(f"{role} {url}: {width}px wide in a {viewport}px window")
    assert not too_wide, "\n".join(too_wide)


def test_the_triage_queue_on_a_phone_shows_each_referrals_urgency_first(web) -> None:
    world = _world()
    page = web.page
    page.set_viewport_size(PHONE)
    web.sign_in(world.people[Role.COORDINATOR])
    web.open("/referrals/triage/")
    width, viewport = _overflow(page)
    assert width <= viewport
    card = page.locator("table.swc-cards tbody tr").first
    urgency = card.locator('td[data-label="Time remaining"]')
    reference = card.locator('td[data-label="Referral"]')
    expect(urgency).to_be_in_viewport()
    expect(urgency).to_have_text(re.compile(r"\S"))
    # Its column's name is shown above it (CSS generated from data-label).
    label = urgency.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Time remaining"'
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/triage-375.png", full_page=True)
    urgency_box, reference_box = urgency.bounding_box(), reference.bounding_box()
    assert urgency_box is not None and reference_box is not None
    # Wholly inside the phone's width, and above the rest of the card.
    assert urgency_box["x"] >= 0 and urgency_box["x"] + urgency_box["width"] <= PHONE["width"]
    assert urgency_box["y"] < reference_box["y"]
    web.assert_accessible()
