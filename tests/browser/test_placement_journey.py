"""The whole placement journey in a real browser, across the four people who take part.

A social worker drafts and submits a referral; the coordinator finds it in the
triage queue, matches it and sends it to a home; the home's manager reads it
(without the child's surname) and offers a bed; the social worker accepts the
offer; the coordinator records the admission. Each person has their own
browser context and signs in once, with password and TOTP. Every page visited
is checked with axe-core (WCAG 2.2 A/AA) and for console errors, CSP included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from swc.core import clock
from swc.homes.models import Vacancy, VacancyStatus
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, price_set, vacancy_make
from swc.matching.models import Offer, OfferStatus, Placement
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

# A surname that appears nowhere else on any page, so "not shown to the home" is a real check.
SURNAME = "Quillfeather"


@pytest.fixture
def person(browser: Browser, live_server: Any) -> Iterator[Callable[[Any], BrowserSession]]:
    """A signed-in browser session per person, each in its own context (own cookies)."""
    contexts = []

    def sign_in(user: Any) -> BrowserSession:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        session = BrowserSession(page=page, base_url=live_server.url)
        page.on(
            "console",
            lambda message: (
                session.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: session.console_errors.append(str(error)))
        session.sign_in(user)
        session.assert_accessible()
        return session

    yield sign_in
    for context in contexts:
        context.close()


def _status(page: Page) -> str:
    row = page.locator(".govuk-summary-list__row", has_text="Status").first
    return row.locator("dd").inner_text().strip()


def test_a_child_is_referred_matched_offered_a_bed_accepted_and_admitted(person) -> None:
    today = clock.today()
    lodge = SecureHomeFactory(name="Larkspur Lodge", latitude=51.1, longitude=-1.2)
    declaration_make(lodge, occupied_welfare=4)
    bed = vacancy_make(lodge)
    price_set(lodge, "7350.00")
    boys_only = SecureHomeFactory(name="Kestrel House", accepts="boys")
    declaration_make(boys_only)
    vacancy_make(boys_only)
    full = SecureHomeFactory(name="Heron Court")
    declaration_make(full, occupied_welfare=12)
    authority = LocalAuthorityFactory(name="Synthshire")
    referrer = user_with_role(Role.REFERRER, authority.organisation, full_name="Sam Referrer")
    coordinator = user_with_role(Role.COORDINATOR, full_name="Cam Coordinator")
    manager = user_with_role(Role.HOME_MANAGER, lodge.organisation, full_name="Hal Manager")

    # --- 1. The social worker drafts the referral through the question pages and submits it.
    la = person(referrer)
    page = la.page
    page.get_by_role("link", name="Refer a child for a secure welfare placement").click()
    la.assert_accessible()
    page.get_by_role("button", name="Start a referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Complete the referral")
    la.assert_accessible()

    referral_sections_fill(la, today=today, surname=SURNAME, identifier="SYN-42")

    page.get_by_role("link", name="Check answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator("main")).to_contain_text(SURNAME)
    la.assert_accessible()
    page.get_by_role("button", name="Submit the referral").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("submitted")
    assert _status(page) == "Complete"
    timeline = page.locator(".swc-timeline")
    expect(timeline).to_contain_text("Complete")
    la.assert_accessible()
    referral = Referral.objects.get()
    assert referral.status == Status.COMPLETE
    reference = referral.reference

    # --- 2. The coordinator finds it in the triage queue, matches it and sends it to a home.
    unit = person(coordinator)
    page = unit.page
    page.get_by_role("link", name="Triage queue").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage queue")
    row = page.locator("tbody tr", has_text=reference)
    expect(row).to_contain_text("Synthshire")
    expect(row).to_contain_text("Complete")
    unit.assert_accessible()
    row.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Testchild {SURNAME}")
    unit.assert_accessible()
    page.get_by_role("link", name="Potential placements and homes' answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Potential placements")
    unit.assert_accessible()
    page.get_by_role("button", name="Find potential placements").click()
    candidates = page.get_by_role("group", name="Choose the homes to send the referral to")
    expect(candidates).to_contain_text("1. Larkspur Lodge")
    expect(candidates).to_contain_text("Distance")  # every score part carries its reason
    # Excluded homes are grouped by reason, each group counted; opened, it names every home.
    registration = page.locator(
        "details", has_text="Not registered for a child of this sex: 1 home"
    )
    registration.locator("summary").click()
    expect(registration.locator("li", has_text="Kestrel House")).to_contain_text(
        "Registered for boys only"
    )
    no_bed = page.locator("details", has_text="No free welfare bed on the register: 1 home")
    no_bed.locator("summary").click()
    expect(no_bed).to_contain_text("Heron Court")
    expect(candidates).not_to_contain_text("Kestrel House")
    unit.assert_accessible()
    page.get_by_label("1. Larkspur Lodge", exact=False).check()
    page.get_by_role("button", name="Provide the list and send to the chosen homes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The list has been provided and the referral sent to the chosen homes"
    )
    expect(page.locator(".govuk-caption-l")).to_contain_text("With homes")
    expect(page.locator("main")).to_contain_text("List provided")
    unit.assert_accessible()
    referral.refresh_from_db()
    assert referral.status == Status.WITH_HOMES

    # --- 3. The home's manager reads the referral, without the surname, and offers the bed.
    home = person(manager)
    page = home.page
    page.get_by_role("link", name="Referrals sent to your home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals sent to your home")
    expect(page.locator("main")).not_to_contain_text(SURNAME)
    home.assert_accessible()
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Referral {reference}")
    main = page.locator("main")
    expect(main).not_to_contain_text(SURNAME)
    expect(main).not_to_contain_text("Testchild")
    expect(main).to_contain_text("Missing three times this month")
    assert _status(page) == "With homes"
    home.assert_accessible()
    page.get_by_role("link", name="Answer this referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answer this referral")
    home.assert_accessible()
    # The offer's fields are revealed only when "Offer a bed" is chosen.
    expect(page.get_by_label("Bed offered")).to_be_hidden()
    page.get_by_label("Decline the referral").check()
    expect(page.get_by_label("Staffing")).to_be_visible()
    expect(page.get_by_label("Bed offered")).to_be_hidden()
    page.get_by_label("Offer a bed").check()
    expect(page.get_by_label("Bed offered")).to_be_visible()
    expect(page.get_by_label("Staffing")).to_be_hidden()
    home.assert_accessible()
    page.get_by_label("Bed offered").select_option(str(bed.pk))
    available = page.get_by_role("group", name="Date the bed is available")
    available.get_by_label("Day").fill(str(today.day))
    available.get_by_label("Month").fill(str(today.month))
    available.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The answer has been recorded"
    )
    answers = page.locator("table", has_text="Answer")
    expect(answers.locator("tbody tr", has_text="Larkspur Lodge")).to_contain_text("Offered a bed")
    home.assert_accessible()
    assert Offer.objects.get().status == OfferStatus.OPEN

    # --- 4. The social worker sees the offer, with the home's price, and accepts it.
    page = la.page
    la.open("/")
    la.assert_accessible()
    page.get_by_role("link", name="Your authority's referrals").click()
    expect(page.locator("tbody tr", has_text=reference)).to_contain_text("With homes")
    la.assert_accessible()
    page.get_by_role("link", name=reference, exact=True).click()
    assert _status(page) == "With homes"
    expect(page.locator(".swc-timeline")).to_contain_text("With homes")
    la.assert_accessible()
    page.get_by_role("link", name="Offers of a bed from homes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offers")
    offer_card = page.locator(".govuk-summary-card", has_text="Larkspur Lodge")
    expect(offer_card).to_contain_text("£7,350.00")
    la.assert_accessible()
    # Never one click: accepting asks for confirmation on a page of its own.
    offer_card.get_by_role("button", name="Accept the offer from Larkspur Lodge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accept the offer from Larkspur Lodge"
    )
    expect(page.locator("main")).to_contain_text(
        f"You are accepting Larkspur Lodge at £7,350.00 a week from {today.day} {today:%B %Y}."
    )
    la.assert_accessible()
    assert Offer.objects.get().status == OfferStatus.OPEN
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have accepted the offer from Larkspur Lodge"
    )
    expect(page.locator(".govuk-caption-l")).to_contain_text("Offer accepted")
    la.assert_accessible()
    assert Vacancy.objects.get(pk=bed.pk).status == VacancyStatus.HELD

    # --- 5. The coordinator records the admission; the bed is no longer free on the board.
    page = unit.page
    unit.open("/")
    page.get_by_role("link", name="Placements and admissions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Placements")
    unit.assert_accessible()
    page.get_by_role("link", name=f"Record admission for {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the admission")
    unit.assert_accessible()
    # Midnight today is never in the future, whenever the test runs.
    page.get_by_label("Time the child arrived").fill("00:00")
    page.get_by_role("button", name="Record the admission").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The admission to Larkspur Lodge has been recorded"
    )
    placed = page.locator("table", has_text="Nights").locator("tbody tr", has_text=reference)
    expect(placed).to_contain_text("Larkspur Lodge")
    expect(placed).to_contain_text(f"{today.day} {today:%B %Y}")
    unit.assert_accessible()
    placement = Placement.objects.get()
    assert placement.admitted_on == today

    unit.open(f"/referrals/{referral.pk}/")
    assert _status(page).startswith("Placed")
    timeline_text = page.locator(".swc-timeline").inner_text()
    for entry in ["Submitted", "Complete", "With homes", "Offer accepted", "Placed"]:
        assert entry in timeline_text, f"{entry!r} missing from the timeline"
    unit.assert_accessible()

    unit.open("/register/")
    board_row = page.locator("tbody tr", has_text="Larkspur Lodge")
    expect(board_row.locator("td").nth(1)).to_have_text("0")
    expect(page.locator("tbody tr", has_text="Kestrel House").locator("td").nth(1)).to_have_text(
        "1"
    )
    unit.assert_accessible()
    assert Vacancy.objects.get(pk=bed.pk).status != VacancyStatus.FREE
