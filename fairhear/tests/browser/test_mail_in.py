"""The lead officer finds in the browser an e-mail Fairhear could not read, with the reason,
among the e-mail on no case (issue 8 item 3: quarantined messages shown to staff). Every page
is checked with axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from fairhear.accounts.models import User
from fairhear.cases.tests.factories import make_team
from fairhear.mailin.services import mailin_import
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser


def test_the_lead_finds_a_quarantined_email_and_why(
    page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]
):
    # Given an e-mail with no readable sender reached the mailbox
    team = make_team("pivotal")
    mailin_import(
        organisation=team.org,
        raw=b"From: the housing office\r\nSubject: Broken heating\r\n\r\nPlease help\r\n",
        source="file broken.eml",
    )

    # When the lead officer follows "E-mail on no case" in the header
    sign_in_as(team.lead)
    page.goto("/cases/")
    a11y.check()
    page.get_by_role("link", name="E-mail on no case").click()
    a11y.check()

    # Then the message is listed with the reason in words and a download of it as received
    table = page.get_by_test_id("mailin")
    expect(table).to_contain_text("Broken heating")
    expect(table).to_contain_text("It has no sender address that can be read")
    expect(
        page.get_by_role("link", name="Download the message “Broken heating” as received")
    ).to_be_visible()
