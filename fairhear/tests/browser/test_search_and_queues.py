"""Search and the queues in Chromium: a colleague finds a case by a phrase from its text and by
its reference typed in the header's search box, follows a queue from its count, and reads a
list on a 375 px phone with nothing cut off. Every page is checked with axe."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fairhear.cases import services as s
from fairhear.cases.tests.factories import Team, make_team, receive_complaint
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser


@pytest.fixture
def team(live_server) -> Team:
    return make_team("pivotal")


def _search_from_the_header(page: Page, a11y: AccessibilityChecker, text: str) -> None:
    page.get_by_role("searchbox", name="Search cases").first.fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).first.click()
    a11y.check()


def test_a_colleague_finds_a_case_by_a_phrase_and_by_its_reference(
    page: Page, a11y: AccessibilityChecker, sign_in_as, team: Team
):
    # Given a complaint about a boiler, another about a fence, and a note on the first
    boiler = receive_complaint(
        team,
        timezone.now(),
        summary="The boiler at the flat broke in January and nobody came to mend it.",
        complainant=s.PersonDetails(name="Grace Hopper", phone="07700 900123"),
    )
    receive_complaint(team, timezone.now(), summary="The garden fence is down.")
    s.case_add_note(case=boiler, actor=team.allocator, text="Aquaheat booked for Friday.")
    sign_in_as(team.allocator)
    page.goto("/cases/")
    a11y.check()

    # When they search for a phrase from the complaint
    _search_from_the_header(page, a11y, '"nobody came"')

    # Then the one case is listed
    rows = page.get_by_test_id("search-results").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(boiler.reference)
    expect(page.get_by_test_id("list-summary")).to_contain_text("1 case")

    # And a word from its note and the phone number without a space find it too
    for words in ("aquaheat", "07700900123"):
        _search_from_the_header(page, a11y, words)
        expect(page.get_by_test_id("search-results")).to_contain_text(boiler.reference)

    # When they type its reference as heard on the phone (small letters, spaces, O for 0)
    heard = boiler.reference.lower().replace("-", " ").replace("0", "o")
    _search_from_the_header(page, a11y, heard)

    # Then they are on the case's page
    expect(page).to_have_url(f"{page.url.split('/cases/')[0]}/cases/{boiler.reference}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(boiler.reference)


def test_a_queue_is_reached_from_its_count_and_reads_on_a_phone(
    page: Page, a11y: AccessibilityChecker, sign_in_as, team: Team
):
    # Given two complaints waiting to be accepted
    first = receive_complaint(team, timezone.now())
    second = receive_complaint(team, timezone.now())
    sign_in_as(team.allocator)
    page.set_viewport_size({"width": 375, "height": 800})

    # When the Head of Services follows the queue's count from My work
    page.goto("/cases/")
    a11y.check()
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(str(team.allocator))
    expect(page.get_by_test_id("queue-count-to-allocate")).to_contain_text("2")
    with page.expect_navigation():
        page.get_by_role("link", name="To accept or allocate").click()
    a11y.check()

    # Then both are listed, and every column of a row can be read without scrolling sideways
    rows = page.get_by_test_id("queue").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("queue")).to_contain_text(first.reference)
    expect(page.get_by_test_id("queue")).to_contain_text(second.reference)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    deadline = rows.first.locator("[data-label='Next deadline']")
    expect(deadline).to_be_visible()
    box = deadline.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 375
