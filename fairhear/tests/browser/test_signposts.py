"""In Chromium: the case page names the ombudsman a Pivotal complaint can go to, and refusing
it gives the right to challenge with the Housing Ombudsman (Pivotal §6.2, §16)."""

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
