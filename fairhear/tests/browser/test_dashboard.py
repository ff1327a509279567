"""The lead's dashboard in Chromium: every chart is an image with a name, followed by its
table; the page passes axe and reflows on a 360 px phone and at 200% zoom (640 CSS px); a
number in a table leads to the cases behind it."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from fairhear.cases.tests.factories import receive_complaint
from fairhear.reporting.tests.data import london, pivotal_story
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser

APRIL_MAY = "?start=2026-04-01&end=2026-05-31"
CHARTS = 7


def test_the_dashboard_reads_without_colour_or_scrolling_and_leads_to_the_cases(
    live_server, page: Page, a11y: AccessibilityChecker, sign_in_as
) -> None:
    story = pivotal_story()
    sign_in_as(story.team.lead)
    for width in (360, 640):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(reverse("reporting:dashboard") + APRIL_MAY)
        a11y.check()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"the dashboard is {wide} px wide in a {width} px window"
        charts = page.get_by_role("img")
        expect(charts).to_have_count(CHARTS)
        expect(
            page.get_by_role("img", name="Complaints received and resolved, by month")
        ).to_be_visible()
        # The chart's own text is at least 14 px high on the screen, even on the phone.
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('svg.fh-chart text')]"
            ".map(t => t.getBoundingClientRect().height))"
        )
        assert smallest >= 14, f"chart text {smallest:.1f} px high at {width} px"
    expect(page.locator("table caption")).to_have_count(CHARTS)
    # Form filters are GOV.UK fields with labels: choose Care and show the dashboard.
    page.get_by_label("Service area (optional)").select_option("Care")
    page.get_by_role("button", name="Show the dashboard").click()
    a11y.check()
    expect(page.get_by_test_id("dashboard-period")).to_have_text(
        "1 April 2026 to 31 May 2026, Care"
    )
    page.get_by_role(
        "link", name="Complaints received and resolved, by month, Whole period, Received"
    ).click()
    a11y.check()
    listed = page.get_by_test_id("figure-cases").locator("tbody tr")
    expect(listed).to_have_count(2)
    for name in ("C4", "C6"):
        expect(page.get_by_role("link", name=story.cases[name].reference)).to_be_visible()


@override_settings(FAIRHEAR_DASHBOARD_WAIT_MS=0, FAIRHEAR_DASHBOARD_RECOUNT_MINUTES=0)
def test_figures_kept_and_being_counted_say_so_in_plain_words(
    live_server, page: Page, a11y: AccessibilityChecker, sign_in_as
) -> None:
    """Where counting takes longer than the page waits (here: always), the page says when the
    figures it shows were counted, or that they are being counted (reporting/kept.py)."""
    story = pivotal_story()
    sign_in_as(story.team.lead)
    page.goto(reverse("reporting:dashboard") + APRIL_MAY)
    expect(page.get_by_role("img")).to_have_count(CHARTS)
    receive_complaint(story.team, london(2026, 5, 29))
    page.reload()
    a11y.check()
    expect(page.get_by_test_id("dashboard-counted-at")).to_contain_text(
        "Changes recorded since are being counted"
    )
    expect(page.get_by_role("img")).to_have_count(CHARTS)
    page.goto(reverse("reporting:dashboard") + "?start=2026-04-01&end=2026-04-30")
    a11y.check()
    expect(page.get_by_test_id("dashboard-counting")).to_contain_text(
        "The figures for 1 April 2026 to 30 April 2026 are being counted"
    )
    expect(page.get_by_role("img")).to_have_count(0)
