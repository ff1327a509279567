"""An administrator in Chromium: every administration page passes axe, and a new policy
version is uploaded, its changes and what-if read, and made active after confirming."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhear.accounts.tests.factories import ServiceAreaFactory, UserFactory
from fairhear.administration.tests.test_policy_versions import pivotal_3_1
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.policy.schema import Capability

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_every_administration_page_passes_axe(page: Page, a11y, sign_in_as):
    # Given an administrator of an organisation with a service area and colleagues
    team = make_team()
    ServiceAreaFactory(organisation=team.org, name="Leeds supported living")
    admin = UserFactory(organisation=team.org, username="ash", capabilities=["administer"])
    sign_in_as(admin)
    # When they open each administration page from the menu and the side navigation
    page.goto("/")
    a11y.check()
    page.get_by_role("link", name="Administration", exact=True).click()
    a11y.check()
    for link in (
        "Organisation settings",
        "Service areas",
        "Colleagues",
        "Categories",
        "Policy versions",
        "Change log",
    ):
        page.get_by_role("navigation", name="Administration").get_by_role("link", name=link).click()
        # Then each shows its heading and axe finds no serious problem
        expect(page.get_by_role("heading", level=1)).to_have_text(link)
        a11y.check()
    page.goto("/administration/colleagues/invite/")
    a11y.check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the colleague's e-mail address.")
    a11y.check()
    page.goto(f"/administration/colleagues/{team.investigator.username}/")
    a11y.check()
    page.goto("/administration/service-areas/")
    page.get_by_role("link", name="Leeds supported living").click()
    a11y.check()
    # And a brand colour white text cannot be read on is refused in words
    page.goto("/administration/organisation/")
    page.get_by_label("Brand colour").fill("#ffcc00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("alert")).to_contain_text("needs at least 4.5 to 1")
    a11y.check()


@pytest.mark.django_db(transaction=True)
def test_an_administrator_activates_a_new_policy_version(page: Page, a11y, sign_in_as):
    # Given an organisation on Pivotal 3.0 with an open complaint received yesterday
    team = make_team()
    receive_complaint(team, timezone.now() - timedelta(days=1))
    admin = UserFactory(
        organisation=team.org,
        username="ash",
        first_name="Ash",
        last_name="Administrator",
        capabilities=[Capability.ADMINISTER.value],
    )
    sign_in_as(admin)
    # When the administrator uploads Pivotal 3.1, with 15 working days for stage 1
    page.goto("/administration/policy/")
    a11y.check()
    page.get_by_label("Upload a policy pack").set_input_files(
        files=[
            {
                "name": "pivotal-3.1.toml",
                "mimeType": "application/toml",
                "buffer": pivotal_3_1().encode("utf-8"),
            }
        ]
    )
    page.get_by_role("button", name="Upload and check").click()
    # Then they see it is published but not active, and what changes, rule by rule
    expect(page.get_by_role("heading", level=1)).to_contain_text("version 3.1")
    a11y.check()
    expect(page.get_by_text("is published but not active yet")).to_be_visible()
    clocks = page.get_by_role("region", name="Changes to clocks")
    expect(clocks).to_contain_text("Send the stage 1 response (stage1_response_due)")
    expect(clocks).to_contain_text("10 working days")
    expect(clocks).to_contain_text("15 working days")
    # And the what-if says how the open complaint's deadlines would differ
    expect(page.get_by_test_id("what-if-summary")).to_contain_text("1 would")
    # When they make it active, the page first asks them to confirm
    page.get_by_role("link", name="Make this version active").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Make pivotal 3.1 the active version?"
    )
    a11y.check()
    page.get_by_role("button", name="Make it active").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick the box to confirm")
    a11y.check()
    page.get_by_label("I have read the changes and what they mean for open cases").check()
    page.get_by_role("button", name="Make it active").click()
    # Then 3.1 is the active version, and the change log says who did it
    expect(page.get_by_text("pivotal 3.1 is now the active policy version")).to_be_visible()
    a11y.check()
    page.get_by_role("link", name="Change log").click()
    a11y.check()
    expect(page.get_by_role("region", name="Change log")).to_contain_text(
        "Made pivotal 3.1 the active policy version"
    )
    team.org.refresh_from_db()
    assert team.org.active_policy_version.version == "3.1"
