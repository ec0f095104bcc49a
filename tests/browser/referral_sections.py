"""A social worker fills in every section of a new referral, as the browser journeys need.

One place for the questions' labels and a complete set of synthetic answers, so that the
journeys (with and without JavaScript) ask the same pages the same things.
"""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.browser.fixtures import BrowserSession


def date_fill(page: Page, legend: str, day: dt.date, time: str | None = None) -> None:
    """Type ``day`` (and ``time``, "HH:MM") into the GOV.UK date input named ``legend``."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
    if time is not None:
        hour, minute = time.split(":")
        group.get_by_label("Hour").fill(hour)
        group.get_by_label("Minute").fill(minute)


def referral_sections_fill(
    session: BrowserSession,
    *,
    today: dt.date,
    surname: str,
    identifier: str,
    check_accessible: bool = True,
) -> None:
    """From the task list, answer and save every section until every required item is there."""
    page = session.page

    def save(section: str) -> None:
        page.get_by_role("button", name="Save and return to the task list").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
            f"{section}: saved"
        )
        if check_accessible:
            session.assert_accessible()

    page.get_by_role("link", name="The child").click()
    if check_accessible:
        session.assert_accessible()
    page.get_by_label("First name").fill("Testchild")
    page.get_by_label("Last name").fill(surname)
    date_fill(page, "Date of birth", dt.date(today.year - 15, 1, 1))
    page.get_by_label("Female").check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("First language").fill("English")
    page.get_by_label("Your authority's identifier for the child").fill(identifier)
    page.get_by_label("No", exact=True).check()
    save("The child")

    page.get_by_role("link", name="Legal position").click()
    page.get_by_label("Application to court for a section 25 order").check()
    date_fill(page, "Date of the court hearing", today + dt.timedelta(days=3))
    save("Legal position")

    page.get_by_role("link", name="Needs and risks").click()
    page.get_by_label("Going missing", exact=True).check()
    # Revealed by the box with a script; without one it is on the page already.
    page.get_by_label("Describe: going missing").fill("Missing three times this month")
    save("Needs and risks")

    page.get_by_role("link", name="Current placement and home area").click()
    page.get_by_label("Where is the child living now?").fill("Residential children's home")
    page.get_by_label("Region of the child's home area").select_option("South East")
    page.get_by_label("Town or district of the child's home area").fill("Synthtown")
    save("Current placement and home area")

    page.get_by_role("link", name="When the bed is needed").click()
    date_fill(page, "Date and time the bed is needed", today + dt.timedelta(days=1), "10:00")
    save("When the bed is needed")

    page.get_by_role("link", name="Contacts").click()
    page.get_by_label("Social worker's name").fill("Sam Referrer")
    page.get_by_label("Social worker's phone number").fill("01234 567890")
    page.get_by_label("Social worker's email address").fill("sam.referrer@example.test")
    page.get_by_label("Name of the manager who sanctioned the referral").fill("Morgan Manager")
    save("Contacts")
    expect(page.locator("main")).to_contain_text("Every required item is present")
