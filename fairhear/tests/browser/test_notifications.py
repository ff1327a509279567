"""Notifications in Chromium: the count beside the signed-in name leads to the list, which
passes axe and opens a case (read, the count goes down); choosing the daily digest is GOV.UK
radios on a page that passes axe (its error summary is tested in test_inapp.py: the browser
always sends one of the radios)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.clock import LONDON
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser


def test_the_count_leads_to_the_list_and_the_digest_is_chosen_on_radios(
    live_server, page: Page, a11y: AccessibilityChecker, sign_in_as
) -> None:
    team = make_team("pivotal")
    case = receive_complaint(team, datetime.now(LONDON), notify=True)
    sign_in_as(team.allocator)

    page.goto(reverse("cases:my_work"))
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.get_by_role("link", name="Notifications 1 unread").click()
    a11y.check()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_test_id("notification")).to_have_count(1)
    page.get_by_role("link", name=f"New complaint {case.reference}").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('cases:detail', args=[case.reference])}")
    expect(page.get_by_test_id("unread-count")).to_have_text("0")

    page.get_by_role("link", name="Notifications 0 unread").click()
    page.get_by_role("link", name="Change how you are e-mailed").click()
    a11y.check()
    expect(page.get_by_label("E-mail me each one as it happens")).to_be_checked()
    page.get_by_label("One e-mail each working day at 7am").check()
    page.get_by_role("button", name="Save").click()
    a11y.check()
    expect(page.get_by_text("How you are e-mailed has been saved.")).to_be_visible()
    expect(page.get_by_label("One e-mail each working day at 7am")).to_be_checked()
