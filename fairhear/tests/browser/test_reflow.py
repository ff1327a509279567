"""Every main page reflows (WCAG 2.2 1.4.10): on a 360 px wide phone, and on a 1280 px screen
zoomed to 200% (640 CSS pixels), nothing needs scrolling sideways — the page itself is never
wider than the window; a wide table scrolls inside its own box or stacks its cells. Each page
is also checked with axe at that width."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from fairhear.cases import services as s
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.domain.lifecycle import Action
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser

# A phone, and a 1280 px laptop screen at 200% zoom.
WIDTHS = (360, 640)


@pytest.fixture
def team(live_server) -> Team:
    return make_team("pivotal")


def _case(team: Team):
    case = receive_complaint(
        team,
        timezone.now(),
        summary="The boiler at the flat broke in January and nobody came to mend it. " * 4,
        complainant=s.PersonDetails(
            name="Grace Hopper", email="grace.hopper@example.org", phone="07700 900123"
        ),
    )
    s.case_accept(case=case, actor=team.allocator)
    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    s.case_add_note(case=case, actor=team.allocator, text="Aquaheat booked for Friday. " * 6)
    return case


def _fits(page: Page, a11y: AccessibilityChecker, path: str, width: int) -> None:
    page.goto(path)
    a11y.check()
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{path} is {wide} px wide in a {width} px window"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_staff_pages_reflow(
    page: Page, a11y: AccessibilityChecker, sign_in_as, team: Team, width: int
):
    case = _case(team)
    sign_in_as(team.lead)
    page.set_viewport_size({"width": width, "height": 800})

    for path in (
        reverse("cases:my_work"),
        reverse("cases:queue", args=["due-soon"]),
        reverse("cases:detail", args=[case.reference]),
        reverse("cases:action", args=[case.reference, Action.ADD_NOTE.value]),
        reverse("cases:search") + "?q=boiler",
        reverse("cases:log"),
        reverse("cases:logged"),
        reverse("administration:index"),
        reverse("outbox:list"),
        # Reports and learning (the lead's; the dashboard has its own test).
        reverse("reporting:reports"),
        reverse("reporting:board"),
        reverse("reporting:cqc"),
        reverse("reporting:cqc_new"),
        reverse("reporting:customers"),
        reverse("reporting:self_assessment"),
        reverse("learning:register"),
        reverse("learning:debriefs"),
        reverse("learning:lesson_new"),
        reverse("learning:finding_new"),
    ):
        _fits(page, a11y, path, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_public_pages_reflow(page: Page, a11y: AccessibilityChecker, team: Team, width: int):
    page.set_viewport_size({"width": width, "height": 800})

    for path in (
        "/feedback/",
        f"/feedback/{team.org.slug}/",
        f"/track/{team.org.slug}/",
        f"/policy/{team.org.slug}/",
    ):
        _fits(page, a11y, path, width)
