"""A member of the public makes a complaint with the form at /feedback/ in Chromium, with
JavaScript on and with it off, and gets a reference and an acknowledgement e-mail with a PDF
letter; every page is checked with axe."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from fairhear.accounts.tests.factories import ServiceAreaFactory
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import make_team
from fairhear.domain.lifecycle import CaseState
from fairhear.notifications.worker import Worker
from fairhear.outbox.tests.conftest import smtp_server  # noqa: F401 - fixture
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser

# Set to a directory to keep a screenshot of each page (the README's come from here).
SHOTS = os.environ.get("FAIRHEAR_SCREENSHOTS", "")


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _continue(page: Page, a11y: AccessibilityChecker | _SameAsWithJavaScript) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    a11y.check()


def _make_a_complaint(page: Page, a11y: AccessibilityChecker, slug: str) -> str:
    page.goto("/feedback/")
    a11y.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("what you think")
    _shot(page, "public-start")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    a11y.check()

    page.get_by_label("Tell us about something that went wrong").check()
    _shot(page, "public-form")
    _continue(page, a11y)
    page.get_by_label("What happened?").fill("The lift in our block has been broken for weeks.")
    _continue(page, a11y)
    page.get_by_label("Day").fill("9")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    _continue(page, a11y)
    page.get_by_label("North scheme").check()
    page.get_by_label("Where did it happen?").fill("12 Acacia Road")
    _continue(page, a11y)
    page.get_by_label("Who was involved?").fill("The caretaker")
    _continue(page, a11y)
    page.get_by_label("What would you like to happen?").fill("Mend the lift.")
    _continue(page, a11y)
    page.get_by_label("Myself").check()
    _continue(page, a11y)
    page.get_by_label("Your full name").fill("Grace Hopper")
    page.get_by_label("Phone number").fill("01632 960 001")
    page.get_by_label("E-mail", exact=True).check()
    _continue(page, a11y)
    # The e-mail address was left out: the page says how to fix it.
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "You chose email: enter your e-mail address, or choose another way."
    )
    page.get_by_label("E-mail address").fill("grace@example.org")
    _continue(page, a11y)
    page.get_by_label("Do you have any communication needs?").fill("Large print")
    _continue(page, a11y)
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents and photos")
    _continue(page, a11y)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending")
    expect(page.get_by_test_id("answers")).to_contain_text("9 February 2026")
    _shot(page, "public-check")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").click()
    a11y.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have it")
    _shot(page, "public-done")
    return page.get_by_test_id("reference").inner_text()


def test_a_member_of_the_public_makes_a_complaint_and_gets_a_reference_and_a_letter(
    page: Page,
    a11y: AccessibilityChecker,
    smtp_server,  # noqa: F811
):
    # Given an organisation on Pivotal's policy with a service area
    cache.clear()
    team = make_team("pivotal")
    ServiceAreaFactory(organisation=team.org, name="North scheme")

    # When someone fills in the form and sends it
    reference = _make_a_complaint(page, a11y, team.org.slug)

    # Then there is one case with that reference, waiting for triage
    case = Case.objects.get()
    assert case.reference == reference
    assert case.state == CaseState.RECEIVED
    assert case.complainant.email == "grace@example.org"
    expect(page.locator("main")).to_contain_text("within 10 working days of receiving it")

    # And once the worker has run, the acknowledgement reaches the mail server with the letter
    Worker(worker_id="browser-test").run(once=True)
    [received] = [r for r in smtp_server.mailbox.received if r.recipients == ["grace@example.org"]]
    [letter] = list(received.message.iter_attachments())
    assert letter.get_filename() == f"{reference}-receipt.pdf"
    reader = PdfReader(io.BytesIO(letter.get_content()))
    words = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert f"Your reference is {reference}" in words
    assert "The lift in our block has been broken for weeks." in words


class _SameAsWithJavaScript:
    """axe needs JavaScript; the pages are the ones checked with it on, above."""

    def check(self) -> None:
        pass


def test_the_form_works_with_javascript_off(browser: Browser, live_server: object):
    # Given a browser with JavaScript switched off
    cache.clear()
    team = make_team("pivotal")
    ServiceAreaFactory(organisation=team.org, name="North scheme")
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()

    # When someone fills in the form and sends it
    reference = _make_a_complaint(page, _SameAsWithJavaScript(), team.org.slug)

    # Then the case is there with that reference
    assert Case.objects.get().reference == reference
    context.close()
