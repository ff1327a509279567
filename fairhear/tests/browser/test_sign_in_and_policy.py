"""Signing in through the page in Chromium, and pages that work under the content security
policy: GOV.UK Frontend and htmx start, and the browser reports no blocked script or style."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from fairhear.cases.tests.factories import make_team

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # every colleague's password in the account factories


def watch_policy_violations(page: Page) -> list[str]:
    """Collect every content security policy violation the browser reports."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def sign_in(page: Page, a11y, username: str, password: str) -> None:
    page.goto("/sign-in/")
    a11y.check()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    a11y.check()


@pytest.mark.django_db(transaction=True)
def test_a_colleague_signs_in_and_the_pages_run_under_the_policy(page: Page, a11y):
    # Given a colleague, and a browser watching for blocked scripts and styles
    team = make_team()
    violations = watch_policy_violations(page)
    # When they sign in with the form and open the page for logging a case
    sign_in(page, a11y, team.colleague.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    page.goto("/cases/log/")
    a11y.check()
    # Then GOV.UK Frontend and htmx have started from Fairhear's own files, and nothing was
    # blocked
    body_classes = page.evaluate("document.body.className")
    assert "js-enabled" in body_classes
    assert "govuk-frontend-supported" in body_classes
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert violations == []


@pytest.mark.django_db(transaction=True)
def test_five_wrong_passwords_pause_signing_in_and_the_page_says_until_when(page: Page, a11y):
    # Given a colleague
    team = make_team()
    # When someone tries five wrong passwords for their username
    for _ in range(5):
        sign_in(page, a11y, team.colleague.username, "not the password")
    # Then the sign-in page says signing in is paused and when to try again
    expect(page.get_by_role("alert")).to_contain_text(
        "There have been too many wrong passwords for this username, so signing in is paused."
    )
    expect(page.get_by_role("alert")).to_contain_text("(UK time)")
    # And even the right password does not sign them in
    sign_in(page, a11y, team.colleague.username, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
