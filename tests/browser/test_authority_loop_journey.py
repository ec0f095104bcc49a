"""The authority's side of the loop, in a real browser, with three homes.

The social worker submits; the coordinator provides the list (three homes, a
note); the social worker sees the list with each home's answer as it comes:
two homes offer, one declines. The social worker declines one offer with a
reason and accepts the other on its confirmation page; the chosen home sees
its offer accepted (never "Answer this referral") and records the admission
with a time; the social worker sees the admission. Every page is checked with
axe-core (WCAG 2.2 A/AA).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from swc.core import clock
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, price_set, vacancy_make
from swc.matching.models import Offer, OfferStatus, Placement
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.models import Referral
from swc.referrals.tests.factories import ReferralFactory, complete_values
from swc.referrals.workflow import Status
from tests.browser.fixtures import BrowserSession

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("working_tuesday"),
]


@pytest.fixture
def person(browser: Browser, live_server: Any) -> Iterator[Callable[[Any], BrowserSession]]:
    contexts = []

    def sign_in(user: Any) -> BrowserSession:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        session = BrowserSession(page=context.new_page(), base_url=live_server.url)
        session.sign_in(user)
        return session

    yield sign_in
    for context in contexts:
        context.close()


def _home(name: str, latitude: float, price: str) -> Any:
    home = SecureHomeFactory(name=name, latitude=latitude, longitude=-1.4)
    declaration_make(home, occupied_welfare=4)
    vacancy_make(home)
    price_set(home, price)
    return home


def _answer(session: BrowserSession, reference: str, kind: str, **fields: str) -> None:
    page = session.page
    session.open("/referrals/")
    page.get_by_role("link", name=reference, exact=True).click()
    page.get_by_role("link", name="Answer this referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Answer this referral")
    session.assert_accessible()
    page.get_by_label(kind).check()
    for label, value in fields.items():
        if label.startswith("Date "):  # a GOV.UK date input: "day month year"
            group = page.get_by_role("group", name=label)
            for part, number in zip(("Day", "Month", "Year"), value.split(), strict=True):
                group.get_by_label(part).fill(number)
            continue
        field = page.get_by_label(label)
        if label == "Bed offered":
            field.select_option(index=1)
        elif value == "check":
            field.check()
        else:
            field.fill(value)
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The answer has been recorded"
    )
    session.assert_accessible()


def test_the_authority_sees_the_list_decides_and_sees_the_admission(person) -> None:
    today = clock.today()
    on = f"{today.day} {today.month} {today.year}"
    authority = LocalAuthorityFactory(name="Synthshire", latitude=52.1, longitude=-1.4)
    ashdown = _home("Ashdown House", 52.2, "6900.00")
    birch = _home("Birch Lodge", 52.4, "7100.00")
    cedar = _home("Cedar Court", 52.6, "7300.00")
    referrer = user_with_role(Role.REFERRER, authority.organisation, full_name="Sam Referrer")
    coordinator = user_with_role(Role.COORDINATOR, full_name="Cam Coordinator")
    managers = {
        home.name: user_with_role(Role.HOME_MANAGER, home.organisation)
        for home in (ashdown, birch, cedar)
    }
    draft = ReferralFactory(local_authority=authority, **complete_values(clock.now()))
    reference = draft.reference

    # --- The social worker submits the referral from its check answers page.
    la = person(referrer)
    page = la.page
    la.open(f"/referrals/{draft.pk}/check/")
    la.assert_accessible()
    page.get_by_role("button", name="Submit the referral").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("submitted")
    # No list yet: the page says so in a sentence.
    la.open(f"/matching/referrals/{draft.pk}/list/")
    expect(page.locator("main")).to_contain_text("has not provided a list")
    la.assert_accessible()

    # --- The coordinator provides the list: three homes and a note.
    unit = person(coordinator)
    page = unit.page
    unit.open(f"/matching/referrals/{draft.pk}/")
    page.get_by_role("button", name="Find potential placements").click()
    for name in ("Ashdown House", "Birch Lodge", "Cedar Court"):
        page.get_by_label(name, exact=False).check()
    page.get_by_label("Note for the authority (optional)").fill(
        "Ashdown House knows the child's school"
    )
    page.get_by_role("button", name="Provide the list and send to the chosen homes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The list has been provided")
    unit.assert_accessible()

    # --- The social worker sees the list, every home still deciding.
    page = la.page
    page.clock.install()  # the page's timers run when the test says so
    la.open(f"/referrals/{draft.pk}/")
    page.get_by_role("link", name="Potential placements: the homes and their answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Potential placements")
    main = page.locator("main")
    expect(main).to_contain_text("Ashdown House knows the child's school")
    for name, miles in (("Ashdown House", "7 miles"), ("Birch Lodge", "21 miles")):
        card = page.locator(".govuk-summary-card", has_text=name)
        expect(card).to_contain_text(miles)
        expect(card).to_contain_text("Waiting for an answer")
    expect(main).not_to_contain_text("score")
    la.assert_accessible()

    # --- Three homes answer: Ashdown and Birch offer, Cedar declines.
    homes = {name: person(manager) for name, manager in managers.items()}
    for name in ("Ashdown House", "Birch Lodge"):
        _answer(
            homes[name],
            reference,
            "Offer a bed",
            **{
                "Bed offered": "",
                "Date the bed is available": on,
                "Message for the authority (optional)": f"{name} can collect the child from court",
            },
        )
    _answer(homes["Cedar Court"], reference, "Decline the referral", Staffing="check")
    assert Offer.objects.filter(status=OfferStatus.OPEN).count() == 2

    # --- The open list page shows the answers as they arrive, without reloading.
    page = la.page
    page.clock.fast_forward("01:05")
    expect(page.locator("#answers-status")).to_contain_text("New answers have arrived")
    expect(page.locator(".govuk-summary-card", has_text="Birch Lodge")).to_contain_text(
        "Offered a bed"
    )
    la.assert_accessible()
    # Without JavaScript, the link reads them again.
    page.get_by_role("link", name="Check for new answers").click()
    expect(page.locator(".govuk-summary-card", has_text="Ashdown House")).to_contain_text(
        "Offered a bed"
    )
    expect(page.locator(".govuk-summary-card", has_text="Cedar Court")).to_contain_text(
        "Declined: Staffing"
    )
    la.assert_accessible()

    # --- Decline Birch's offer with a reason; accept Ashdown's on its confirmation page.
    page.get_by_role("link", name="See the offers and decide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offers")
    birch_card = page.locator(".govuk-summary-card", has_text="Birch Lodge")
    expect(birch_card).to_contain_text("£7,100.00")
    expect(page.locator("main")).to_contain_text("Cedar Court: declined (staffing)")
    la.assert_accessible()
    birch_card.get_by_role("button", name="Decline the offer from Birch Lodge").click()
    la.assert_accessible()
    page.get_by_role("button", name="Decline the offer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    la.assert_accessible()
    page.get_by_label("Why are you declining the offer from Birch Lodge?").fill(
        "Too far from the child's family"
    )
    page.get_by_role("button", name="Decline the offer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have declined the offer from Birch Lodge"
    )
    ashdown_card = page.locator(".govuk-summary-card", has_text="Ashdown House")
    ashdown_card.get_by_role("button", name="Accept the offer from Ashdown House").click()
    expect(page.locator("main")).to_contain_text(
        f"You are accepting Ashdown House at £6,900.00 a week from {today.day} {today:%B %Y}."
    )
    la.assert_accessible()
    assert Offer.objects.get(home=ashdown).status == OfferStatus.OPEN
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have accepted the offer from Ashdown House"
    )
    expect(page.locator("main")).to_contain_text("What happens next")
    la.assert_accessible()

    # --- The chosen home sees its offer accepted and records the admission with a time.
    home = homes["Ashdown House"]
    page = home.page
    home.open(f"/referrals/{draft.pk}/")
    expect(page.locator("main")).not_to_contain_text("Answer this referral")
    page.get_by_role("link", name="Your offer was accepted", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your offer was accepted")
    expect(page.locator("main")).to_contain_text("Sam Worker")
    home.assert_accessible()
    page.get_by_role("button", name="Record the admission").click()
    home.assert_accessible()
    # Midnight today is never in the future, whenever the test runs.
    page.get_by_label("Time the child arrived").fill("00:00")
    page.get_by_role("button", name="Record the admission").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The child is placed with you")
    home.assert_accessible()
    assert Referral.objects.get().status == Status.PLACED
    assert Placement.objects.get().admitted_at is not None

    # --- The authority sees the admission on the referral.
    page = la.page
    la.open(f"/referrals/{draft.pk}/")
    expect(page.locator("main")).to_contain_text("Admitted to Ashdown House")
    expect(page.locator("main")).to_contain_text(f"{today.day} {today:%B %Y} 00:00")
    la.assert_accessible()
