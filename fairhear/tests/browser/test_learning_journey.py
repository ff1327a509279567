"""The lead officer's learning register in Chromium, without JavaScript shortcuts: a lesson
recorded from a case, a remedial action refused with an error summary then added and marked
done, an ombudsman finding with an order; every page passes axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhear.cases.tests.factories import make_team, receive_complaint

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_lead_keeps_the_learning_register(page: Page, a11y, sign_in_as):
    team = make_team()
    case = receive_complaint(team, timezone.now() - timedelta(days=10))
    today = timezone.localdate()
    sign_in_as(team.lead)

    page.goto("/")
    a11y.check()
    page.get_by_role("link", name="Learning", exact=True).click()
    a11y.check()
    expect(page.get_by_text("Nothing is overdue.")).to_be_visible()

    page.get_by_role("link", name="Record a lesson").click()
    a11y.check()
    page.get_by_label("What was learned").fill("Book repairs before ending the call.")
    page.get_by_role("button", name="Record the lesson").click()
    a11y.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Link the lesson to at least one case or a service area."
    )
    page.get_by_label("Cases it was learned from (optional)").fill(case.reference)
    page.get_by_role("button", name="Record the lesson").click()
    a11y.check()
    expect(page.get_by_role("link", name=case.reference)).to_be_visible()

    page.get_by_label("What is to be done").fill("Retrain the call handlers.")
    page.get_by_label("Owner").select_option(label=str(team.investigator))
    page.get_by_label("Due date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Add the action").click()
    a11y.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The due date must be today")
    page.get_by_label("Due date").fill(today.isoformat())
    page.get_by_role("button", name="Add the action").click()
    a11y.check()
    page.get_by_role("button", name="Mark as done").click()
    a11y.check()
    expect(page.get_by_text("The action is marked as done.")).to_be_visible()

    page.get_by_role("link", name="Learning register").click()
    a11y.check()
    page.get_by_role("link", name="Record an ombudsman finding").click()
    a11y.check()
    page.get_by_label("Case reference").fill(case.reference)
    page.get_by_label("Service failure").check()
    page.get_by_label("Date of the decision").fill(today.isoformat())
    page.get_by_role("button", name="Record the finding").click()
    a11y.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Ombudsman finding on {case.reference}"
    )
    page.get_by_label("What was ordered or recommended").fill("Pay £150.")
    page.get_by_label("Date to comply by").fill((today + timedelta(days=28)).isoformat())
    page.get_by_role("button", name="Add the order").click()
    a11y.check()
    expect(page.get_by_role("cell", name="Pay £150.", exact=True)).to_be_visible()
