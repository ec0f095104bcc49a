"""Real-browser test fixtures (registered once, in the root conftest.py): Debian's Chromium driven by Playwright, pages checked with axe-core.

Every journey test signs in the way a person does (password, then a TOTP
code), runs with the production Content Security Policy, and fails on any
console error (a CSP violation included) or any WCAG 2.2 A/AA violation.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, sync_playwright

from swc.organisations.models import User
from swc.organisations.tests.factories import confirmed_device

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# from the test body are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SWC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/system-packages.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class BrowserSession:
    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def sign_in(self, user: User) -> None:
        """Sign in as a person would: email and password, then the authenticator's code."""
        device = confirmed_device(user)
        self.open("/sign-in/")
        self.page.get_by_label("Email address").fill(user.email)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="Continue").click()
        self.page.wait_for_url("**/sign-in/security-code/")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.page.get_by_label("Security code").fill(f"{totp.token():06d}")
        self.page.get_by_role("button", name="Continue").click()
        self.page.wait_for_url(lambda url: "/sign-in/" not in url)

    def assert_accessible(self) -> None:
        """No axe-core WCAG 2.2 A/AA violations and no console errors on the current page."""
        results = Axe().run(self.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = _known_exceptions_removed(results.response["violations"])
        summary = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])} element(s), e.g. {v['nodes'][0]['html'][:120]})"
            for v in violations
        ]
        assert not summary, f"Accessibility violations on {self.page.url}:\n" + "\n".join(summary)
        assert not self.console_errors, f"Console errors on {self.page.url}: {self.console_errors}"


def _is_conditional_reveal_state(node: dict[str, Any]) -> bool:
    """GOV.UK Frontend's aria-expanded on a radio that reveals fields: invalid ARIA, kept on purpose.

    The Design System keeps it because screen readers announce it (alphagov/govuk-frontend
    issues 979 and 1972, a documented known issue); axe reports it as aria-allowed-attr.
    Only that attribute on a GOV.UK radio or checkbox is let through.
    """
    failed = [
        attr
        for check in node.get("all", []) + node.get("any", [])
        for attr in check.get("data") or []
    ]
    return (
        ("govuk-radios__input" in node["html"] or "govuk-checkboxes__input" in node["html"])
        and bool(failed)
        and all(str(attr).startswith("aria-expanded=") for attr in failed)
    )


def _known_exceptions_removed(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept = []
    for violation in violations:
        if violation["id"] == "aria-allowed-attr":
            nodes = [n for n in violation["nodes"] if not _is_conditional_reveal_state(n)]
            if not nodes:
                continue
            violation = {**violation, "nodes": nodes}
        kept.append(violation)
    return kept


@pytest.fixture
def web(browser: Browser, live_server: Any) -> Iterator[BrowserSession]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    session = BrowserSession(page=page, base_url=live_server.url)
    page.on(
        "console",
        lambda message: (
            session.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: session.console_errors.append(str(error)))
    yield session
    context.close()


# A journey that types a date and later reads it back runs on a named working Tuesday,
# its clock moving on from 10:00 (London, in winter: UTC), so that it never straddles
# midnight or a weekend whenever the suite runs. The browser keeps cookies by Max-Age,
# so the server's clock being elsewhere does not end the session.
WORKING_TUESDAY = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def working_tuesday() -> Iterator[None]:
    with time_machine.travel(WORKING_TUESDAY, tick=True):
        yield
