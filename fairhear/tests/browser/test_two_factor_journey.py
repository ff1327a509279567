"""A colleague sets up two-factor sign-in in Chromium and signs in with a code; each page
passes axe."""

from __future__ import annotations

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from fairhear.accounts.tests.factories import UserFactory
from fairhear.cases.tests.factories import make_team
from fairhear.tests.browser.test_sign_in_and_policy import PASSWORD, sign_in

pytestmark = pytest.mark.browser


def app_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@pytest.mark.django_db(transaction=True)
def test_a_colleague_sets_up_two_factor_sign_in_and_signs_in_with_a_recovery_code(page: Page, a11y):
    # Given a colleague signed in with their password
    team = make_team()
    UserFactory(organisation=team.org, username="sam", first_name="Sam", last_name="Patel")
    sign_in(page, a11y, "sam", PASSWORD)
    # When they set up an authenticator app from their account page
    page.get_by_role("link", name="Your account").click()
    a11y.check()
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    a11y.check()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    device = TOTPDevice.objects.get(user__username="sam", confirmed=False)
    page.get_by_label("Enter the 6-digit code the app shows").fill(app_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    # Then they see ten recovery codes, once
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    a11y.check()
    codes = page.get_by_test_id("recovery-codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept my codes safe").click()
    a11y.check()
    expect(page.get_by_text("10 unused recovery codes")).to_be_visible()
    # When they sign out and in again, a code is asked for after the password
    page.get_by_role("button", name="Sign out").click()
    a11y.check()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    a11y.check()
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    a11y.check()
