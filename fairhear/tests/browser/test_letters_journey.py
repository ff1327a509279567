"""Letters in Chromium, every page checked with axe: a member of the public reads the published
policy without signing in (Pivotal §9 stage 1 step 4), and a Service Manager drafts the stage 1
response, is refused while a part the policy requires is missing (§9 stage 1 step 6), has it
approved by the Head of Services (§13) and sends it, kept on the case as sent."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from fairhear.cases.services import case_accept, case_acknowledge, case_allocate
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.lifecycle import Action

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")


@pytest.mark.django_db(transaction=True)
def test_anyone_reads_the_policy_and_its_easy_read_version_without_signing_in(page: Page, a11y):
    # Given an organisation on the Pivotal policy
    team = make_team("pivotal")
    # When someone who is not signed in opens its policy page
    page.goto(f"/policy/{team.org.slug}/")
    a11y.check()
    # Then they read how to complain, the stages and the ombudsman's contact details
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How to complain, and what happens next"
    )
    expect(page.get_by_role("heading", name="Stage 2 (appeal to the SLT)")).to_be_visible()
    expect(page.get_by_text("0300 111 3000")).to_be_visible()
    # And they can switch to the easy-read version
    page.get_by_role("link", name="Read the easy-read version").click()
    a11y.check()
    expect(page.get_by_text("We answer within 10 working days.").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_response_is_drafted_refused_approved_and_sent_as_a_kept_letter(
    page: Page, a11y, sign_in_as
):
    # Given a Pivotal complaint acknowledged by its Service Manager
    team = make_team("pivotal")
    received = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
    case = receive_complaint(team, received)
    case_accept(case=case, actor=team.allocator, occurred_at=received)
    case_allocate(case=case, actor=team.allocator, handler=team.investigator, occurred_at=received)
    case_acknowledge(
        case=case,
        actor=team.investigator,
        occurred_at=datetime(2026, 3, 3, 11, 0, tzinfo=LONDON),
        understanding="The boiler repair promised for February was not done.",
    )
    sign_in_as(team.investigator)
    # When the Service Manager writes the response without the policies relied on
    page.goto(f"/cases/{case.reference}/")
    a11y.check()
    page.get_by_role("link", name="Letters to the complainant").click()
    a11y.check()
    page.get_by_role("link", name="Write the stage response").click()
    a11y.check()
    page.get_by_label("Upheld", exact=True).check()
    page.get_by_label("Reasons for the decision").fill("The repair was missed twice.")
    page.get_by_label("Nothing is outstanding").check()
    page.get_by_role("button", name="Save the draft").click()
    a11y.check()
    # Then the page names the missing part before anything is sent
    expect(page.get_by_test_id("missing-parts")).to_contain_text(
        "references to the policies, procedures or law"
    )
    expect(page.get_by_test_id("approval")).to_contain_text("Head of Services")
    # When they add it, and the Head of Services approves the draft
    page.get_by_label("Policies, procedures, law or good practice relied on").fill(
        "Repairs Policy section 4."
    )
    page.get_by_role("button", name="Save the draft").click()
    a11y.check()
    expect(page.get_by_test_id("missing-parts")).to_have_count(0)
    sign_in_as(team.allocator)
    page.goto(f"/cases/{case.reference}/{Action.SIGN_OFF.value}/")
    a11y.check()
    page.get_by_label("the outcome of the response").check()
    page.get_by_role("button", name=Action.SIGN_OFF.label).click()
    a11y.check()
    # And the Service Manager sends it
    sign_in_as(team.investigator)
    page.goto(f"/letters/case/{case.reference}/response/")
    a11y.check()
    expect(page.get_by_test_id("approval")).to_contain_text("Approved by")
    page.get_by_role("button", name="Send the response").click()
    a11y.check()
    # Then the letter is kept on the case, and opens as the PDF sent
    expect(
        page.get_by_role("cell").filter(has_text="Our response to your complaint")
    ).to_be_visible()
    link = page.get_by_role("link", name="Open the PDF of the stage response letter")
    opened = page.request.get(link.get_attribute("href"))
    assert opened.headers["content-type"] == "application/pdf"
    assert opened.body().startswith(b"%PDF")
