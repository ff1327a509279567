"""Staff journeys in Chromium: a Pivotal complaint through every stage, the my-work list, and a
refused action. Steps read as Given/When/Then; every page visited is checked with axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhear.accounts.models import User
from fairhear.cases import services as s
from fairhear.cases.models import Case
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"  # every colleague's password in the account factories


class Staff:
    """One colleague at a time working in the browser."""

    def __init__(
        self, page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]
    ) -> None:
        self.page = page
        self.a11y = a11y
        self._sign_in_as = sign_in_as
        self.reference = ""

    # Given

    def given_signed_in_as(self, user: User) -> None:
        self._sign_in_as(user)

    # When

    def when_they_go_to(self, path: str) -> None:
        self.page.goto(path)
        self.a11y.check()

    def when_they_open_the_case(self) -> None:
        self.when_they_go_to(f"/cases/{self.reference}/")

    def when_they_follow(self, link: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=link, exact=True).first.click()
        self.a11y.check()

    def when_they_choose(self, action: str) -> None:
        """Press one of the case page's action buttons (links styled as buttons)."""
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=action, exact=True).click()
        self.a11y.check()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(action)

    def when_they_fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def when_they_select(self, label: str, option: str) -> None:
        self.page.get_by_label(label, exact=True).select_option(label=option)

    def when_they_check(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()

    def when_they_press(self, button: str) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        self.a11y.check()

    def when_they_take(self, action: str, done: str, **answers: str) -> None:
        """Choose an action on the case page, answer its questions, submit, and see it done.

        Answers are keyed by label: "tick" ticks a radio or checkbox, "select:<option>" picks
        from a list, anything else is typed in."""
        self.when_they_choose(action)
        for label, value in answers.items():
            if value == "tick":
                self.when_they_check(label)
            elif value.startswith("select:"):
                self.when_they_select(label, value.removeprefix("select:"))
            else:
                self.when_they_fill(label, value)
        self.when_they_press(action)
        # What cannot be undone is checked first: say what will happen, then Confirm.
        if self.page.get_by_role("heading", name="What will happen").count():
            expect(self.page.get_by_test_id("what-will-happen")).to_contain_text(
                "This cannot be undone"
            )
            self.when_they_press("Confirm")
        self.then_they_are_told(done)

    # Then

    def then_they_are_told(self, message: str) -> None:
        banner = self.page.locator(".govuk-notification-banner--success")
        expect(banner).to_contain_text(message)

    def then_the_state_is(self, state: str) -> None:
        expect(self.page.get_by_test_id("state")).to_have_text(state)

    def then_the_error_summary_says(self, sentence: str) -> None:
        summary = self.page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_contain_text("There is a problem")
        expect(summary).to_contain_text(sentence)
        # GOV.UK Frontend moves focus to the summary, so screen readers announce it first.
        expect(summary).to_be_focused()
        expect(self.page).to_have_title(re.compile(r"^Error: "))


@pytest.fixture
def staff(page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]) -> Staff:
    return Staff(page, a11y, sign_in_as)


@pytest.fixture
def team() -> Team:
    return make_team("pivotal")


def test_a_newcomer_takes_a_pivotal_complaint_through_every_stage(staff: Staff, team: Team):
    page = staff.page
    newcomer = team.colleague

    # Given a newcomer who signs in through the sign-in form
    staff.when_they_go_to("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    staff.when_they_fill("Username", newcomer.username)
    staff.when_they_fill("Password", PASSWORD)
    staff.when_they_press("Sign in")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")

    # When they log a phone call about a late repair
    staff.when_they_follow("Log a case")
    staff.when_they_select("How did it reach us?", "Phone")
    staff.when_they_fill("What did they tell us?", "The boiler repair promised for Monday.")
    staff.when_they_fill("Their name", "Ada Lovelace")
    staff.when_they_fill("Phone number (optional)", "01632 960 001")
    staff.when_they_check("Repairs and maintenance")
    staff.when_they_press("Save the case")

    # Then the case has a reference of the year (readable, and no count of cases) and is
    # waiting to be accepted
    year = timezone.localdate().year
    heading = page.get_by_role("heading", level=1)
    code = "[0-9A-HJKMNP-TV-Z]{3}"
    expect(heading).to_have_text(re.compile(rf"^C-{year}-{code}-{code}$"))
    staff.reference = heading.inner_text()
    staff.then_they_are_told(f"Logged as {staff.reference}.")
    staff.then_the_state_is("Received")

    # When the Head of Services accepts it and allocates a Service Manager
    staff.given_signed_in_as(team.allocator)
    staff.when_they_open_the_case()
    staff.when_they_take("Accept the complaint", "Complaint accepted at stage 1.")
    staff.when_they_take(
        "Allocate", "Allocated.", **{"Who will handle it?": f"select:{team.investigator}"}
    )
    staff.then_the_state_is("Awaiting acknowledgement")

    # And the Service Manager acknowledges, agrees an extension and sends the stage 1 response
    staff.given_signed_in_as(team.investigator)
    staff.when_they_open_the_case()
    staff.when_they_take(
        "Acknowledge",
        "Acknowledgement recorded.",
        **{
            "Our understanding of the complaint (optional)": "The repair was missed.",
            "Telephone": "tick",
        },
    )
    due = page.locator('[data-clock="stage1_response_due"] [data-due]').get_attribute("data-due")
    new_due = date.fromisoformat(due) + timedelta(days=3)  # the policy allows 20 working days

    # And the extension is agreed with the Head of Services first (§9 stage 1 step 7)
    staff.given_signed_in_as(team.allocator)
    staff.when_they_open_the_case()
    staff.when_they_take(
        "Sign off a step",
        "Sign-off recorded. The step can now be taken.",
        **{"The extension and its new date (§9 stage 1 step 7)": "tick"},
    )
    staff.given_signed_in_as(team.investigator)
    staff.when_they_open_the_case()
    staff.when_they_take(
        "Agree an extension",
        "Extension recorded. The response date has moved.",
        **{
            "New response date": new_due.isoformat(),
            "Reason for the extension": "Waiting for the contractor's report.",
            "Date the complainant was told (optional)": timezone.localdate().isoformat(),
        },
    )
    # And the outcome is agreed with the Head of Services before it goes (§13)
    staff.given_signed_in_as(team.allocator)
    staff.when_they_open_the_case()
    staff.when_they_take(
        "Sign off a step",
        "Sign-off recorded. The step can now be taken.",
        **{
            "The outcome of the response (§13; §9 stage 1 step 3)": "tick",
            "What was agreed (optional)": "Partly upheld, with an apology.",
        },
    )
    staff.given_signed_in_as(team.investigator)
    staff.when_they_open_the_case()
    staff.when_they_take(
        "Send the response",
        "Response recorded.",
        **{
            "Partly upheld": "tick",
            "Reasons for the decision": "The repair was late; the contractor is warned.",
            "Letter": "tick",
        },
    )
    staff.then_the_state_is("Response sent")

    # And the complainant's appeal is recorded
    staff.when_they_take(
        "Record a request to escalate",
        "Escalation request recorded.",
        **{"Why they remain dissatisfied (optional)": "The heating is still unreliable."},
    )
    staff.then_the_state_is("Escalation requested")

    # When an SLT member accepts the appeal and allocates it to another SLT member
    staff.given_signed_in_as(team.reviewer)
    staff.when_they_open_the_case()
    staff.when_they_take("Accept the escalation", "Escalation accepted.")
    staff.when_they_take(
        "Allocate", "Allocated.", **{"Who will handle it?": f"select:{team.reviewer2}"}
    )

    # And that SLT member acknowledges it and sends the final response
    staff.given_signed_in_as(team.reviewer2)
    staff.when_they_open_the_case()
    staff.when_they_take("Acknowledge", "Acknowledgement recorded.", Email="tick")
    staff.when_they_take(
        "Send the response",
        "Response recorded.",
        **{
            "Not upheld": "tick",
            "Reasons for the decision": "The stage 1 remedy was fair.",
            "Email": "tick",
        },
    )

    # Then the case is closed with the final-response reason, and its history has every step
    staff.then_the_state_is("Closed")
    expect(page.locator(".govuk-summary-list__row", has_text="Closed because")).to_contain_text(
        "The SLT member's appeal response is final (§9 stage 2 point 6; App. 1 stage 2)"
    )
    expect(page.get_by_test_id("timeline").get_by_role("heading")).to_have_text(
        [
            "Response sent (stage 2)",
            "Acknowledged (stage 2)",
            "Allocated (stage 2)",
            "Escalation accepted",
            "Escalation requested",
            "Response sent (stage 1)",
            "Signed off",
            "Extension agreed",
            "Signed off",
            "Acknowledged (stage 1)",
            "Allocated (stage 1)",
            "Accepted",
            # Pivotal §9 stage 1 step 5: the line manager and the Head of Services are told of
            # the new complaint by priority e-mail as it is logged.
            "Told of the complaint",
            "Received",
        ]
    )
    expect(page.get_by_test_id("timeline")).to_contain_text(
        f"Agreed with the Head of Services (§13; §9 stage 1 step 3) {team.allocator}"
    )
    case = Case.objects.get(reference=staff.reference)
    assert case.logged_by == newcomer
    assert case.closure_reason == "final_response"


def _handled_by(team: Team, days_ago: int) -> Case:
    received = timezone.now() - timedelta(days=days_ago)
    case = receive_complaint(team, received)
    case = s.case_accept(case=case, actor=team.allocator, occurred_at=received)
    case = s.case_allocate(
        case=case, actor=team.allocator, handler=team.investigator, occurred_at=received
    )
    return s.case_acknowledge(case=case, actor=team.investigator, occurred_at=received)


def test_my_work_shows_an_overdue_case_first_with_an_overdue_tag(staff: Staff, team: Team):
    # Given a Service Manager with a new case and one whose response was due weeks ago
    recent = _handled_by(team, days_ago=0)
    overdue = _handled_by(team, days_ago=40)
    staff.given_signed_in_as(team.investigator)

    # When they look at their work
    staff.when_they_go_to("/cases/")

    # Then the overdue case comes first, tagged overdue
    rows = staff.page.get_by_test_id("my-work").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(overdue.reference)
    expect(rows.first.locator(".govuk-tag")).to_have_text(re.compile(r"^Overdue"))
    expect(rows.nth(1)).to_contain_text(recent.reference)
    expect(rows.nth(1).locator(".govuk-tag")).not_to_have_text(re.compile("Overdue"))


def test_a_refused_action_shows_the_error_summary_and_focuses_it(staff: Staff, team: Team):
    # Given a complaint about something that happened 8 months before it was received
    received = timezone.now()
    case = receive_complaint(
        team, received, incident_date=timezone.localdate(received) - timedelta(days=240)
    )
    staff.reference = case.reference
    staff.given_signed_in_as(team.allocator)
    staff.when_they_open_the_case()

    # When the Head of Services tries to accept it
    staff.when_they_choose("Accept the complaint")
    staff.when_they_fill("Note (optional)", "Accepting anyway.")
    staff.when_they_press("Accept the complaint")

    # Then the policy's refusal is explained at the top of the page, with focus on it
    staff.then_the_error_summary_says("Do not accept it: refuse it with the time-limit reason.")
    expect(staff.page.get_by_label("Note (optional)")).to_have_value("Accepting anyway.")
    case.refresh_from_db()
    assert case.state == "received"


def test_a_colleague_overtaken_by_another_is_told_what_happened_and_keeps_their_note(
    staff: Staff, team: Team
):
    # Given a complaint waiting to be accepted, open at the Head of Services' accept form
    case = receive_complaint(team, timezone.now())
    staff.reference = case.reference
    staff.given_signed_in_as(team.allocator)
    staff.when_they_open_the_case()
    staff.when_they_choose("Accept the complaint")
    staff.when_they_fill("Note (optional)", "In time, accepting.")

    # When the lead officer refuses it meanwhile, and then the Head of Services presses Accept
    s.case_refuse(case=case, actor=team.lead, reason_code="6.1b")
    staff.when_they_press("Accept the complaint")

    # Then they are told who did what first, their note is still there, and nothing was saved
    staff.then_the_error_summary_says("while you were on this page; nothing you entered was saved")
    expect(staff.page.locator(".govuk-error-summary")).to_contain_text(
        re.compile(
            rf"{re.escape(str(team.lead))} decided not to accept the complaint at \d\d:\d\d "
            "while you were on this page; nothing you entered was saved — check the case and "
            r"try again\."
        )
    )
    expect(staff.page.get_by_label("Note (optional)")).to_have_value("In time, accepting.")
    case.refresh_from_db()
    assert case.state == "refused"
