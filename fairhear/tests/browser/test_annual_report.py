"""The annual report to customers in Chromium: the lead's preview and the public page pass axe
and reflow on a 360 px phone and at 200% zoom (640 CSS px); every chart is an image with a
name, followed by its table; the public form's start page leads to the report."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from fairhear.reporting.customers import customer_report_publish, customer_texts_save
from fairhear.reporting.tests.data import pivotal_story
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser

CHARTS = 5  # received and resolved, categories, timeliness, outcomes, compliments


def test_the_report_reads_without_scrolling_and_the_public_form_leads_to_it(
    live_server, page: Page, a11y: AccessibilityChecker, sign_in_as
) -> None:
    story = pivotal_story()
    lead = story.team.lead
    customer_texts_save(
        organisation=story.team.org,
        actor=lead,
        year=2026,
        texts={"learned": "Repairs took too long to book.", "changed": "Same-day booking."},
    )
    sign_in_as(lead)
    page.set_viewport_size({"width": 640, "height": 900})
    page.goto(reverse("reporting:customers"))
    a11y.check()
    page.get_by_label("Financial year starting 1 April").fill("2026")
    page.get_by_role("button", name="Choose this year").click()
    a11y.check()
    expect(page.get_by_test_id("written")).to_have_text(
        "Written so far: What we learned from complaints, What we changed because of complaints."
    )
    page.get_by_test_id("preview-link").click()
    a11y.check()
    expect(page.get_by_text("We received 7 complaints.")).to_be_visible()
    page.goto(reverse("reporting:customers_publish") + "?period=2026")
    a11y.check()

    # Published as of 1 June 2027, when the financial year 2026-27 has ended.
    customer_report_publish(user=lead, year=2026, today=date(2027, 6, 1))
    page.context.clear_cookies()
    page.goto(reverse("intake:start", args=[story.team.org.slug]))
    a11y.check()
    page.get_by_role("link", name="our annual report to customers").click()
    for width in (360, 640):
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        a11y.check()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"the report is {wide} px wide in a {width} px window"
        expect(page.get_by_role("img")).to_have_count(CHARTS)
        expect(
            page.get_by_role("img", name="Complaints received and resolved, by month")
        ).to_be_visible()
    expect(page.get_by_text("We received 7 complaints.")).to_be_visible()
    expect(page.locator("table caption")).to_have_count(CHARTS + 1)
    expect(page.get_by_test_id("pdf")).to_have_attribute(
        "href", f"/annual-report/{story.team.org.slug}/2026/pdf/"
    )
