"""Files chosen in Chromium: a colleague attaches a photo to a note and a member of the public
adds one on the form's documents page; a web page named as a PDF is refused, by its content,
with an error summary that names the file and says what to do, and nothing is kept. Every
page, the error pages included, is checked with axe."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhear.accounts.tests.factories import ServiceAreaFactory
from fairhear.cases.models import CaseEvent
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.domain.lifecycle import Action
from fairhear.tests.browser.conftest import AccessibilityChecker
from fairhear.tests.browser.test_public_form_journey import _continue

pytestmark = pytest.mark.browser

# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
WEB_PAGE = b"<html><body><script>alert('hello')</script></body></html>"


def _file(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def test_a_colleague_attaches_a_photo_to_a_note_and_a_disguised_web_page_is_refused(
    page: Page, a11y: AccessibilityChecker, sign_in_as
):
    team = make_team("pivotal")
    case = receive_complaint(team, timezone.now())
    sign_in_as(team.lead)
    page.goto(reverse("cases:action", args=[case.reference, Action.ADD_NOTE.value]))
    a11y.check()

    # A web page saved as "letter.pdf": refused by what it is, not by its name.
    page.get_by_label("Note").fill("The tenant's letter, scanned.")
    page.get_by_label("Attach files").set_input_files(
        [_file("letter.pdf", WEB_PAGE, "application/pdf")]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Add a note").click()
    a11y.check()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("letter.pdf is a web page or markup")
    expect(summary).to_contain_text("Save it as a PDF or an image and choose it again")
    # The error summary's link takes the keyboard to the file input.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Attach files")).to_be_focused()
    assert not CaseEvent.objects.filter(case=case, kind=Action.ADD_NOTE).exists()

    # A photo: kept with the note, listed on the case page to download.
    page.get_by_label("Note").fill("The tenant's photo of the damp.")
    page.get_by_label("Attach files").set_input_files([_file("damp.png", PNG, "image/png")])
    with page.expect_navigation():
        page.get_by_role("button", name="Add a note").click()
    a11y.check()
    files = page.get_by_test_id("attachments")
    expect(files).to_contain_text("damp.png")
    expect(files.get_by_role("link", name="damp.png (download)")).to_have_attribute("download", "")


def test_someone_adds_a_photo_on_the_public_form_and_a_web_page_is_refused(
    page: Page, a11y: AccessibilityChecker
):
    cache.clear()
    team = make_team("pivotal")
    ServiceAreaFactory(organisation=team.org, name="North scheme")
    page.goto(f"/feedback/{team.org.slug}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Start now").click()
    a11y.check()
    page.get_by_label("Tell us about something that went wrong").check()
    _continue(page, a11y)
    page.get_by_label("What happened?").fill("Damp in the bedroom since October.")
    _continue(page, a11y)
    for label, value in (("Day", "9"), ("Month", "10"), ("Year", "2026")):
        page.get_by_label(label).fill(value)
    _continue(page, a11y)
    page.get_by_label("North scheme").check()
    _continue(page, a11y)
    _continue(page, a11y)  # who was involved: optional
    page.get_by_label("What would you like to happen?").fill("Fix the damp.")
    _continue(page, a11y)
    page.get_by_label("Myself").check()
    _continue(page, a11y)
    page.get_by_label("Your full name").fill("Ada Lovelace")
    page.get_by_label("E-mail address").fill("ada@example.org")
    page.get_by_label("E-mail", exact=True).check()
    _continue(page, a11y)
    _continue(page, a11y)  # communication needs: none
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents and photos")

    page.get_by_label("Add a document or photo").set_input_files(
        [_file("photo.jpg", WEB_PAGE, "image/jpeg")]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Add this file").click()
    a11y.check()
    expect(page.locator(".govuk-error-summary")).to_contain_text("photo.jpg is a web page")
    expect(page.get_by_role("heading", name="Added")).to_have_count(0)

    page.get_by_label("Add a document or photo").set_input_files(
        [_file("damp.png", PNG, "image/png")]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Add this file").click()
    a11y.check()
    expect(page.locator(".govuk-summary-list")).to_contain_text("damp.png")
    _continue(page, a11y)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending")
    expect(page.get_by_test_id("answers")).to_contain_text("damp.png")
