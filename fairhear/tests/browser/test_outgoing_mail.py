"""The lead officer sees in the browser that an e-mail could not be sent, why, and sends it
again (issue 8 item 7: failures stay visible on a staff page). Every page is checked with axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from fairhear.accounts.models import User
from fairhear.accounts.tests.factories import UserFactory
from fairhear.domain.policy.schema import Capability
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.services import outbox_enqueue
from fairhear.tests.browser.conftest import AccessibilityChecker

pytestmark = pytest.mark.browser


def test_the_lead_sees_why_an_email_failed_and_sends_it_again(
    page: Page, a11y: AccessibilityChecker, sign_in_as: Callable[[User], None]
):
    # Given an acknowledgement the mail server refused for good
    lead = UserFactory(capabilities=[Capability.LEAD.value])
    with transaction.atomic():
        message = outbox_enqueue(
            organisation_id=lead.organisation_id,
            to=["resident@example.org"],
            subject="Your complaint C-2026-7KX-M2Q",
            body_text="We have received your complaint.",
            kind="acknowledgement",
        )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.FAILED,
        attempts=1,
        last_error="The mail server refused the message (550 5.1.1 No such mailbox).",
    )

    # When the lead officer follows "Outgoing e-mail" in the header
    sign_in_as(lead)
    page.goto("/cases/")
    a11y.check()
    page.get_by_role("link", name="Outgoing e-mail").click()
    a11y.check()

    # Then the failed message is shown with the server's answer in words
    table = page.get_by_test_id("outbox")
    expect(table).to_contain_text("Your complaint C-2026-7KX-M2Q")
    expect(table).to_contain_text(
        "The mail server refused the message (550 5.1.1 No such mailbox)."
    )

    # And "Retry now" puts it back in the queue for the sender's next run
    page.get_by_role("button", name="Retry now").click()
    a11y.check()
    expect(page.get_by_text("will be sent at the next run")).to_be_visible()
    expect(page.get_by_test_id("outbox")).to_contain_text("Next try from")
    assert OutboundMessage.objects.get(pk=message.pk).status == OutboundMessage.Status.QUEUED
