"""Dates in Chromium: a case logged at a time the spring clock change skipped, accepted at a
time the autumn change repeated, and an allocation dated before the acceptance refused.

In 2026 the clocks go forward at 01:00 GMT on Sun 29 Mar and back at 02:00 BST on Sun 25 Oct
(docs/time.md); Sat 24 Oct 2026 is the day before the change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from fairhear.accounts.models import User
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import Team, make_team
from fairhear.domain.lifecycle import Action
from fairhear.tests.browser.conftest import AccessibilityChecker
from fairhear.tests.browser.test_staff_journeys import Staff

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]) -> Staff:
    return Staff(page, a11y, sign_in_as)


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


def when_they_type_when(staff: Staff, day: str, month: str, year: str, clock: str) -> None:
    for label, value in (("Day", day), ("Month", month), ("Year", year), ("Time", clock)):
        staff.when_they_fill(label, value)


def then_they_are_informed(staff: Staff, sentence: str) -> None:
    expect(staff.page.locator(".govuk-notification-banner").last).to_contain_text(sentence)


def test_clock_change_times_are_read_as_meant_and_steps_stay_in_order(staff: Staff, team: Team):
    # Given a colleague logging a call taken at 01:30 on the night the clocks went forward
    staff.given_signed_in_as(team.colleague)
    staff.when_they_go_to("/cases/log/")
    staff.when_they_select("How did it reach us?", "Phone")
    staff.when_they_fill("What did they tell us?", "Nobody answered the night alarm.")
    staff.when_they_fill("Their name", "Ada Lovelace")
    when_they_type_when(staff, "29", "3", "2026", "01:30")
    staff.when_they_press("Save the case")

    # Then it is saved as 02:30 BST, and the page says how the time was read
    staff.then_they_are_told("Logged as")
    then_they_are_informed(staff, "01:30 on Sun 29 Mar 2026 did not happen in London")
    then_they_are_informed(staff, "It was recorded as 02:30 BST, the same time an hour later.")
    case = Case.objects.get()
    staff.reference = case.reference
    assert case.received_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)

    # When the Head of Services records that it was accepted at 01:30 on the night the clocks
    # went back
    staff.given_signed_in_as(team.allocator)
    staff.when_they_open_the_case()
    staff.when_they_choose("Accept the complaint")
    when_they_type_when(staff, "25", "10", "2026", "01:30")
    staff.when_they_press("Accept the complaint")

    # Then the first 01:30 (BST) is taken, and the page says so
    staff.then_they_are_told("Complaint accepted at stage 1.")
    then_they_are_informed(staff, "It was recorded as the first 01:30, in BST (00:30 UTC).")
    accepted = case.events.get(kind=Action.ACCEPT)
    assert accepted.occurred_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)

    # When they then date the allocation the day before the acceptance
    staff.when_they_choose("Allocate")
    staff.when_they_select("Who will handle it?", str(team.investigator))
    when_they_type_when(staff, "24", "10", "2026", "16:00")
    staff.when_they_press("Allocate")

    # Then it is refused, saying which date to use, and what they typed is kept
    staff.then_the_error_summary_says(
        "The allocation cannot be dated Sat 24 Oct 2026: the complaint was accepted on "
        "Sun 25 Oct 2026. Use that date or later."
    )
    expect(staff.page.get_by_label("Day", exact=True)).to_have_value("24")
    assert not case.events.filter(kind=Action.ALLOCATE).exists()


def test_a_case_received_long_before_its_policy_asks_to_confirm_the_date(staff: Staff, team: Team):
    # Given a colleague logging a letter dated 1999 found in an old file (Pivotal 3.0 is in
    # force from Sun 1 Oct 2023; Fri 1 Jan 1999 is long before)
    staff.given_signed_in_as(team.colleague)
    staff.when_they_go_to("/cases/log/")
    staff.when_they_select("How did it reach us?", "Letter")
    staff.when_they_fill("What did they tell us?", "The lift has not worked for a month.")
    staff.when_they_fill("Their name", "Ada Lovelace")
    when_they_type_when(staff, "1", "1", "1999", "10:00")
    staff.when_they_press("Save the case")

    # Then they are asked to confirm, told which version the case will run under
    staff.then_the_error_summary_says(
        "It was received on Fri 1 Jan 1999, long before the policy it would run under came "
        "into force: Complaints and Compliments Policy and Procedure, version 3.0 (Pivotal), in "
        "force from Sun 1 Oct 2023."
    )
    assert not Case.objects.exists()

    # When they confirm the date and save again
    staff.when_they_check(
        "The date received is right: log it under Complaints and Compliments Policy and "
        "Procedure, version 3.0"
    )
    staff.when_they_press("Save the case")

    # Then the case is logged with the year it was received
    case = Case.objects.get()
    staff.then_they_are_told(f"Logged as {case.reference}.")
    assert case.reference.startswith("C-1999-")
    assert case.received_at == datetime(1999, 1, 1, 10, 0, tzinfo=UTC)
