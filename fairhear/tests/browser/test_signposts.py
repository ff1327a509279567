"""In Chromium: the case page names the ombudsman a Pivotal complaint can go to, refusing
it gives the right to challenge with the Housing Ombudsman (Pivotal §6.2, §16), and an
anti-social behaviour complaint is routed out to the ASB process from its prompt (§17.1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhear.accounts.models import User
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.tests.browser.conftest import AccessibilityChecker
from fairhear.tests.browser.test_staff_journeys import Staff

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]) -> Staff:
    return Staff(page, a11y, sign_in_as)


def test_refusing_a_pivotal_complaint_gives_the_housing_ombudsman(staff: Staff):
    # Given a Pivotal complaint about a service charge calculation
    team = make_team("pivotal")
    case = receive_complaint(team, timezone.now())
    staff.reference = case.reference
    staff.given_signed_in_as(team.allocator)

    # When the Head of Services opens it
    staff.when_they_open_the_case()

    # Then the page names the Housing Ombudsman Service and how to reach it
    signposts = staff.page.get_by_test_id("signposts")
    expect(signposts).to_contain_text("Housing Ombudsman Service")
    expect(signposts).to_contain_text("PO Box 152, Liverpool L33 7WQ. Telephone 0300 111 3000.")

    # When they do not accept it under §6.1 d
    staff.when_they_take(
        "Do not accept the complaint",
        "Complaint not accepted.",
        **{"Dispute about a service charge calculation (§6.1 d)": "tick"},
    )

    # Then the letter wording in the timeline gives the right to challenge and the contact
    timeline = staff.page.get_by_test_id("timeline")
    expect(timeline).to_contain_text(
        "have the right to challenge our decision using the Housing Ombudsman Service "
        "(sections 6.2 and 16 of our policy). Housing Ombudsman Service: PO Box 152"
    )


def test_an_asb_complaint_is_routed_out_from_its_prompt(staff: Staff):
    # Given a Pivotal complaint flagged as anti-social behaviour (§17.1)
    team = make_team("pivotal")
    case = receive_complaint(team, timezone.now(), anti_social_behaviour=True)
    staff.reference = case.reference
    staff.given_signed_in_as(team.allocator)
    staff.when_they_open_the_case()

    # Then the page prompts routing it to the ASB process
    prompt = staff.page.get_by_test_id("route-prompt")
    expect(prompt).to_contain_text("This complaint is about anti-social behaviour")

    # When the Head of Services follows the prompt and routes it out
    staff.when_they_follow("Route it out of this procedure")
    staff.when_they_check("Anti-social behaviour: to the ASB process (§17.1)")
    staff.when_they_fill("Passed to (their name and role)", "Sam Patel, ASB officer")
    staff.when_they_fill("Why it is dealt with outside this procedure", "Noise every night.")
    staff.when_they_press("Route out of this procedure")

    # Then they are asked to check it first: what will happen, and their answers
    expect(staff.page.get_by_test_id("what-will-happen")).to_contain_text(
        "The matter will leave this procedure"
    )
    expect(staff.page.get_by_test_id("answers")).to_contain_text("Sam Patel, ASB officer")

    # When they confirm
    staff.when_they_press("Confirm")
    staff.then_they_are_told("Routed out of this procedure")

    # Then the case is closed and says where it went and to whom
    staff.then_the_state_is("Closed")
    expect(staff.page.get_by_test_id("routed-out")).to_contain_text(
        "Anti-social behaviour: to the ASB process. Passed to Sam Patel, ASB officer on"
    )
    expect(staff.page.get_by_test_id("route-prompt")).to_have_count(0)
