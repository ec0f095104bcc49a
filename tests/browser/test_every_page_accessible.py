"""Every page a person can reach by following links, checked in a real browser, for each role.

A small world is planted through the services (a draft, a referral awaiting its
list, and three sent to a home: one with an open offer, one accepted awaiting
admission, one placed), then each role signs in once and follows same-site
links from the start page: one page per URL shape (numbers replaced), GET only,
at most ``PAGES_PER_ROLE`` pages. Each page must answer 200 with HTML, pass
axe-core (WCAG 2.2 A/AA) with no console errors (CSP included) at desktop and
at phone width, and not scroll sideways at 320px (a small phone, or 400 % zoom on a
1280px screen: WCAG 1.4.10): a wide table may scroll inside its
``.swc-table-scroll`` wrapper, the page itself may not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from swc.core import clock
from swc.homes.tests.factories import SecureHomeFactory, declaration_make, price_set, vacancy_make
from swc.matching import services as matching
from swc.matching.models import ResponseKind
from swc.organisations.models import Role
from swc.organisations.tests.factories import LocalAuthorityFactory, user_with_role
from swc.referrals.tests.factories import ReferralFactory, complete_referral
from tests.browser.fixtures import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_PER_ROLE = 30
PHONE_WIDTH = 320
# Not pages to check: signing out ends the crawl, the API is not for browsers,
# and files (exports) are not HTML.
SKIP_PREFIXES = ("/sign-out/", "/api/", "/static/", "/healthz")
SKIP_SUFFIXES = (".csv", ".xlsx", ".json", ".svg", ".png", ".pdf")


@dataclass
class World:
    people: dict[str, Any] = field(default_factory=dict)


def _world() -> World:
    """Two homes with beds, an authority, and referrals in every state up to placed (services)."""
    today = clock.today()
    lodge = SecureHomeFactory(name="Larkspur Lodge", latitude=51.1, longitude=-1.2)
    declaration_make(lodge, occupied_welfare=3)
    beds = [vacancy_make(lodge) for _ in range(3)]
    price_set(lodge, "7350.00")
    other = SecureHomeFactory(name="Kestrel House", accepts="boys")
    declaration_make(other)
    vacancy_make(other)
    authority = LocalAuthorityFactory(name="Synthshire")
    world = World()
    people = world.people
    people[Role.REFERRER] = user_with_role(Role.REFERRER, authority.organisation)
    people[Role.HOME_MANAGER] = user_with_role(Role.HOME_MANAGER, lodge.organisation)
    people[Role.COORDINATOR] = coordinator = user_with_role(Role.COORDINATOR)
    unit = coordinator.memberships.get().organisation
    people[Role.UNIT_MANAGER] = user_with_role(Role.UNIT_MANAGER, unit)
    people[Role.ADMIN] = user_with_role(Role.ADMIN, unit)
    people[Role.ANALYST] = user_with_role(Role.ANALYST)

    # Oldest first: lists show the newest first, and the crawl visits one page per shape,
    # so the referral it opens is the one sent to a home, whose pages link to the most.
    ReferralFactory(local_authority=authority)  # a draft
    complete_referral(local_authority=authority, la_child_identifier="SYN-1")  # awaiting a list
    for n, (bed, outcome) in enumerate(zip(beds, ["placed", "accepted", "offered"], strict=True)):
        referral = complete_referral(local_authority=authority, la_child_identifier=f"SYN-{n + 2}")
        run = matching.match_run(referral=referral, by=coordinator)
        matching.shortlist_send(run=run, by=coordinator, home_ids=[lodge.pk])
        matching.home_response_record(
            referral=referral,
            home=lodge,
            kind=ResponseKind.ACCEPT,
            by=people[Role.HOME_MANAGER],
            vacancy=bed,
            available_from=today,
        )
        offer = referral.offers.get()
        if outcome in ("placed", "accepted"):
            matching.offer_accept(offer=offer, by=people[Role.REFERRER])
        if outcome == "placed":
            matching.placement_admit(offer=offer, admitted_on=today, by=coordinator)
    return world


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def _links(session: BrowserSession) -> list[str]:
    hrefs: list[str] = session.page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(link => link.href)"
    )
    out = []
    for href in hrefs:
        if not href.startswith(session.base_url + "/"):
            continue
        path = urlsplit(href).path
        if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
            continue
        out.append(href.split("#", 1)[0])
    return out


def _scrolls_sideways(session: BrowserSession) -> int | None:
    """The page's width at phone size when wider than the phone, else None."""
    page = session.page
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    try:
        width: int = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
    return width if width > PHONE_WIDTH else None


def _phone_problems(session: BrowserSession, shape: str) -> list[Problem]:
    """At phone width the page must not scroll sideways, and axe must still pass.

    Axe again because a table that fits a desktop may scroll inside its wrapper on a
    phone, and a scrolling region with nothing to focus is out of a keyboard's reach.
    """
    problems = []
    wide = _scrolls_sideways(session)
    if wide is not None:
        message = f"scrolls sideways at {PHONE_WIDTH}px (page is {wide}px)"
        problems.append(Problem(shape, "sideways", message))
    session.page.set_viewport_size({"width": PHONE_WIDTH, "height": 800})
    try:
        session.assert_accessible()
    except AssertionError as error:
        problems.append(Problem(shape, "phone-axe", str(error)))
    finally:
        session.page.set_viewport_size({"width": 1280, "height": 900})
    return problems


@dataclass(frozen=True)
class Problem:
    shape: str
    kind: str  # "http", "axe" (violations and console errors) or "sideways"
    message: str

    def __str__(self) -> str:
        return f"{self.shape}: {self.message}"


def crawl(session: BrowserSession) -> tuple[list[str], list[Problem]]:
    """Visit pages breadth first from the start page; return (shapes visited, problems)."""
    queue = [session.base_url + "/"]
    seen: set[str] = set()
    visited: list[str] = []
    problems: list[Problem] = []
    while queue and len(visited) < PAGES_PER_ROLE:
        url = queue.pop(0)
        shape = _shape(url)
        if shape in seen:
            continue
        seen.add(shape)
        session.console_errors.clear()
        try:
            response = session.page.goto(url)
        except PlaywrightError as error:  # a download, not a page
            if "Download is starting" in str(error):
                continue
            raise
        visited.append(shape)
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            problems.append(Problem(shape, "http", f"HTTP {status}"))
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        try:
            session.assert_accessible()
        except AssertionError as error:
            problems.append(Problem(shape, "axe", str(error)))
        problems.extend(_phone_problems(session, shape))
        queue.extend(link for link in _links(session) if _shape(link) not in seen)
    return visited, problems


# Pages every role must reach by links from the start page (so the crawl cannot pass by
# visiting nothing): a shape per role that its start page or navigation leads to.
EXPECTED = {
    Role.REFERRER: [
        "/referrals/",
        "/referrals/N/",
        "/referrals/N/sections/",
        "/matching/referrals/N/offers/",
        "/register/",
    ],
    Role.HOME_MANAGER: [
        "/register/our-home/",
        "/referrals/",
        "/referrals/N/",
        "/matching/referrals/N/respond/",
    ],
    Role.COORDINATOR: [
        "/referrals/triage/",
        "/referrals/N/",
        "/matching/referrals/N/",
        "/matching/placements/",
        "/matching/offers/N/admit/",
        "/referrals/N/withdraw/",
        "/register/",
    ],
    Role.UNIT_MANAGER: ["/referrals/triage/", "/register/declarations/", "/matching/allocation/"],
    Role.ANALYST: ["/register/"],
    Role.ADMIN: ["/", "/account/people/", "/account/organisations/N/people/"],
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_page_a_role_reaches_is_accessible_and_fits_a_phone(web, role: str) -> None:
    world = _world()
    web.sign_in(world.people[role])
    visited, problems = crawl(web)
    for shape in EXPECTED[role]:
        assert shape in visited, f"{role} could not reach {shape} by links; visited {visited}"
    assert not problems, f"{role}: {len(problems)} problem(s):\n" + "\n\n".join(map(str, problems))
