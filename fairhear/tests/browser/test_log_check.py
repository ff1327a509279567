"""The lead officer is told in the browser when the case log was changed outside Fairhear, and
everyone is stopped at a case whose policy version failed its check (issue 6 items 1 and 3).
Every page visited is checked with axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhear.accounts.models import User
from fairhear.cases import services as s
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser


def test_the_lead_follows_the_banner_to_the_cases_the_log_check_named(
    page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]
):
    # Given a case closed straight in the database, and the nightly check has run
    team = make_team("pivotal")
    case = receive_complaint(team, timezone.now() - timedelta(hours=1))
    s.case_accept(case=case, actor=team.allocator)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET state = 'closed' WHERE id = %s", [case.pk])
    with pytest.raises(CommandError):
        call_command("verify_log")

    # When the lead officer opens My work and follows the banner
    sign_in_as(team.lead)
    page.goto("/cases/")
    a11y.check()
    banner = page.get_by_test_id("integrity-banner")
    expect(banner).to_contain_text("The case log needs your attention")
    with page.expect_navigation():
        banner.get_by_role("link", name="See what it found").click()
    a11y.check()

    # Then the page names the case and what is wrong with it
    expect(page.get_by_role("heading", level=1)).to_have_text("Log check")
    problems = page.get_by_test_id("log-problems")
    expect(problems).to_contain_text(case.reference)
    expect(problems).to_contain_text(
        "It is stored as “Closed” but its events leave it “Awaiting allocation”."
    )


def test_a_case_whose_policy_text_was_altered_shows_only_the_alarm(
    page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]
):
    # Given the table owner edited the policy text with the trigger switched off
    team = make_team("pivotal")
    case = receive_complaint(team, timezone.now() - timedelta(hours=1))
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE policies_policyversion DISABLE TRIGGER policy_version_immutable"
        )
        try:
            cursor.execute(
                "UPDATE policies_policyversion SET source_toml = REPLACE(source_toml, "
                "'working_days = 10', 'working_days = 100')"
            )
        finally:
            cursor.execute(
                "ALTER TABLE policies_policyversion ENABLE TRIGGER policy_version_immutable"
            )

    # When a colleague opens the case
    sign_in_as(team.allocator)
    page.goto(f"/cases/{case.reference}/")
    a11y.check()

    # Then they see the alarm and no deadline
    expect(page.get_by_test_id("integrity-alarm")).to_contain_text(
        "This case's policy version failed its integrity check; the lead has been told."
    )
    expect(page.get_by_text("working days")).to_have_count(0)
