"""Who decides, in Chromium: acting for the allocated handler with a recorded reason, closing
with only the reasons that apply, and the prompt that Pivotal §6.1 g may apply. Every page
visited is checked with axe."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fairhear.cases import services as s
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.tests.browser.test_staff_journeys import Staff, staff  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


def test_a_colleague_sends_the_response_for_the_allocated_handler_with_a_reason(
    staff: Staff,  # noqa: F811
    team: Team,
):
    # Given a complaint allocated to one Service Manager and acknowledged by them
    case = receive_complaint(team, timezone.now())
    s.case_accept(case=case, actor=team.allocator)
    s.case_allocate(case=case, actor=team.allocator, handler=team.investigator)
    s.case_acknowledge(case=case, actor=team.investigator)
    # Pivotal §13: the Head of Services has agreed the outcome.
    s.case_sign_off(case=case, actor=team.allocator, step="response")
    staff.reference = case.reference

    # When the lead officer (the one other colleague who may see it) sends the response,
    # saying why they act for the handler
    staff.given_signed_in_as(team.lead)
    staff.when_they_open_the_case()
    staff.when_they_take(
        "Send the response",
        "Response recorded.",
        **{
            "Upheld": "tick",
            "Reasons for the decision": "The repair was late.",
            "Letter": "tick",
            f"I am acting for the allocated handler, {team.investigator}, because": (
                "They are on leave and the response is due."
            ),
        },
    )

    # Then the timeline shows who acted, for whom, and why
    entry = staff.page.get_by_test_id("timeline").locator("li").first
    expect(entry).to_contain_text("Response sent (stage 1)")
    expect(entry).to_contain_text(f"by {team.lead}")
    expect(entry).to_contain_text(f"Acting for {team.investigator}")
    expect(entry).to_contain_text("They are on leave and the response is due.")

    # And the close form, for the handler, offers the reasons that apply after a response
    staff.given_signed_in_as(team.investigator)
    staff.when_they_open_the_case()
    staff.when_they_follow("Close")
    radios = staff.page.get_by_role("radio")
    expect(radios).to_have_count(6)
    expect(
        staff.page.get_by_label("The SLT member's appeal response is final", exact=False)
    ).to_have_count(0)


def test_accepting_a_complaint_about_a_colleague_warns_that_6_1g_may_apply(
    staff: Staff,  # noqa: F811
    team: Team,
):
    # Given a complaint naming a Service Manager
    case = receive_complaint(team, timezone.now(), about_colleagues=[team.investigator2])
    staff.reference = case.reference
    staff.given_signed_in_as(team.allocator)
    staff.when_they_open_the_case()

    # When the Head of Services opens "Accept the complaint"
    staff.when_they_choose("Accept the complaint")

    # Then they are warned that §6.1 g may apply
    expect(staff.page.get_by_test_id("form-warning")).to_contain_text(
        "About a Pivotal colleague: passed to their line manager (§6.1 g; §7.2) may apply"
    )


def test_the_colleague_records_telling_the_line_manager_and_the_clock_is_met(
    staff: Staff,  # noqa: F811
    team: Team,
):
    # Given a complaint just logged: "Log the complaint and tell …" is not met by logging alone
    case = receive_complaint(team, timezone.now())
    staff.reference = case.reference
    staff.given_signed_in_as(team.colleague)
    staff.when_they_open_the_case()
    tag = staff.page.locator('[data-clock="log_and_notify_due"] .govuk-tag')
    expect(tag).not_to_have_text(re.compile(r"^Met"))

    # When they record that they told their line manager and the Head of Services by e-mail
    staff.when_they_follow("Record who was told of the complaint")
    staff.when_they_fill("Who was told?", f"{team.lead} (line manager) and the Head of Services")
    staff.when_they_check("E-mail")
    staff.when_they_press("Record who was told of the complaint")
    staff.then_they_are_told("Recorded who was told.")

    # Then the clock is met, and the timeline says who was told and how
    expect(tag).to_have_text("Met")
    entry = staff.page.get_by_test_id("timeline").locator("li").first
    expect(entry).to_contain_text("Told of the complaint")
    expect(entry).to_contain_text(f"{team.lead} (line manager) and the Head of Services")
    expect(entry).to_contain_text("E-mail")
