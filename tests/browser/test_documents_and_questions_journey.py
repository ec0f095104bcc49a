"""Documents and questions in a real browser, as the people who use them.

The social worker attaches a court order (after a program renamed .pdf is
refused on the form); a home the referral was sent to downloads it and asks the
authority a question; the unit passes the question on; the social worker
answers; the home reads the answer. Every page is checked with axe-core (WCAG
2.2 A/AA) and for console errors, the Content Security Policy included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, expect

from swc.documents.models import Document
from swc.documents.tests import samples
from swc.questions.models import Question, QuestionStatus
from swc.questions.tests.conftest import AT, world_make
from tests.browser.fixtures import BrowserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
        return session

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def world(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    with time_machine.travel(AT, tick=False):
        made = world_make()
    return made


def test_attach_a_document_then_ask_pass_on_and_answer_a_question(person, world):
    referral = world["referral"]

    # --- the social worker attaches the court order ---
    worker = person(world["referrer"])
    page = worker.open(f"/referrals/{referral.pk}/")
    page.get_by_role(
        "link", name="Documents: court order, care plan, risk assessment, chronology"
    ).click()
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_visible()
    worker.assert_accessible()

    page.get_by_label("Court order").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "court-order.pdf", "mimeType": "application/pdf", "buffer": samples.ELF}
    )
    page.get_by_role("button", name="Add the document").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("This file is a program, whatever its name says")
    worker.assert_accessible()
    assert not Document.objects.exists()
    # The summary's link takes the keyboard to the file input.
    summary.get_by_role("link").click()
    expect(page.get_by_label("Upload a file")).to_be_focused()

    page.get_by_label("Court order").check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "Court order 24-11.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}
    )
    page.get_by_role("button", name="Add the document").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Court order added: Court order 24-11.pdf"
    )
    expect(page.get_by_role("link", name="Court order 24-11.pdf")).to_be_visible()
    worker.assert_accessible()

    # --- a home the referral was sent to downloads it and asks a question ---
    home = person(world["home_manager"])
    page = home.open(f"/referrals/{referral.pk}/")
    home.assert_accessible()
    page.get_by_role(
        "link", name="Documents: court order, care plan, risk assessment, chronology"
    ).click()
    expect(page.get_by_role("button", name="Add the document")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Court order 24-11.pdf").click()
    assert download.value.suggested_filename == "Court order 24-11.pdf"
    with open(download.value.path(), "rb") as fetched:
        assert fetched.read() == samples.PDF
    home.assert_accessible()

    page = home.open(f"/referrals/{referral.pk}/")
    page.get_by_role("link", name="Questions about this referral").click()
    expect(page.get_by_text("There are no questions from your home yet.")).to_be_visible()
    home.assert_accessible()
    page.get_by_role("button", name="Send the question").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your question")
    home.assert_accessible()
    page.get_by_label("Your question").fill("Does she take any medication we should prepare for?")
    page.get_by_role("button", name="Send the question").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your question has been sent"
    )
    expect(page.locator(".govuk-summary-card")).to_contain_text("With the unit")
    home.assert_accessible()

    # --- the unit passes it on ---
    unit = person(world["coordinator"])
    page = unit.open(f"/questions/referral/{referral.pk}/")
    unit.assert_accessible()
    page.get_by_role("button", name="Pass on to the authority").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("passed on")
    unit.assert_accessible()

    # --- the social worker answers ---
    page = worker.open(f"/referrals/{referral.pk}/")
    page.get_by_role("link", name="Questions about this referral").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Does she take any medication")
    worker.assert_accessible()
    page.get_by_role("link", name="Answer this question").click()
    worker.assert_accessible()
    page.get_by_label("Your answer").fill("Melatonin at night; the prescription comes with her.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".govuk-summary-card")).to_contain_text("Answered")
    worker.assert_accessible()

    # --- the home reads the answer ---
    page = home.open(f"/questions/referral/{referral.pk}/")
    expect(page.locator(".govuk-summary-card")).to_contain_text(
        "Melatonin at night; the prescription comes with her."
    )
    home.assert_accessible()
    assert Question.objects.get().status == QuestionStatus.ANSWERED
