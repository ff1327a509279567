"""Communications in Chromium: a call from the complainant after the stage 1 response is
recorded from the case page, shows in the history and stops Pivotal's auto-closure (§10.1 c:
the case closes itself only if "no further communications are received")."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhear.accounts.models import User
from fairhear.cases import services as s
from fairhear.cases.tests.factories import Team, make_team, receive_complaint, signed_off
from fairhear.tests.browser.conftest import AccessibilityChecker
from fairhear.tests.browser.test_staff_journeys import Staff

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]) -> Staff:
    return Staff(page, a11y, sign_in_as)


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


def test_a_call_from_the_complainant_is_recorded_and_stops_the_auto_closure(
    staff: Staff, team: Team
):
    # Given a Pivotal complaint answered at stage 1 today
    now = timezone.now()
    case = receive_complaint(team, now)
    s.case_accept(case=case, actor=team.allocator)
    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    s.case_acknowledge(case=case, actor=team.investigator, means="phone")
    signed_off(team, case, "response")  # §13: the outcome agreed with the Head of Services
    s.case_respond(
        case=case, actor=team.investigator, outcome="upheld", reasons="Late.", means="email"
    )
    assert case.clocks.get(name="auto_close_due").status == "running"
    staff.reference = case.reference

    # When the handler records that the complainant phoned with a question
    staff.given_signed_in_as(team.investigator)
    staff.when_they_open_the_case()
    staff.when_they_follow("Record a communication")
    staff.when_they_check("From the complainant")
    staff.when_they_check("Phone call")
    staff.when_they_fill("What was said", "Asked when the boiler service will be booked.")
    staff.when_they_press("Record a communication")

    # Then it is in the history, and the case will no longer close by itself
    staff.then_they_are_told("Communication recorded.")
    timeline = staff.page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Communication from the complainant")
    expect(timeline).to_contain_text("Asked when the boiler service will be booked.")
    assert case.clocks.get(name="auto_close_due").status == "stopped"
