"""The sender against a real SMTP server on loopback: every message delivered exactly once,
through the server being down and coming back, with retries that back off and failures that
stay visible."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from fairhear.accounts.tests.factories import OrganisationFactory
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.sender import outbox_send_due
from fairhear.outbox.services import PRIORITY_HEADERS, outbox_enqueue, outbox_retry_now

pytestmark = pytest.mark.django_db
Status = OutboundMessage.Status


def queue(org, n=1, **kw):
    messages = []
    with transaction.atomic():
        for i in range(n):
            args = {
                "organisation_id": org.pk,
                "to": [f"resident{i}@example.org"],
                "subject": f"Your complaint {i}",
                "body_text": "We have received your complaint.",
                "kind": "acknowledgement",
            }
            args.update(kw)
            messages.append(outbox_enqueue(**args))
    return messages


def reload(message):
    return OutboundMessage.objects.get(pk=message.pk)


def test_each_message_is_delivered_once_as_queued(smtp_server):
    org = OrganisationFactory()
    pdf = b"%PDF-1.7\n\x00\xffletter"
    [first] = queue(
        org,
        body_html="<p>We have received your complaint.</p>",
        attachments=[("acknowledgement.pdf", pdf, "application/pdf")],
        headers=PRIORITY_HEADERS,
        reply_to="complaints@example.org",
        in_reply_to="<earlier@mail.example.org>",
    )
    others = queue(org, 2)
    report = outbox_send_due()
    assert len(report.sent) == 3
    outbox_send_due()  # a second run finds nothing due
    call_command("send_outbox")
    received = smtp_server.mailbox.received
    assert sorted(smtp_server.mailbox.message_ids()) == sorted(
        m.message_id for m in [first, *others]
    )
    mail = next(r for r in received if r.message["Message-ID"] == first.message_id)
    assert mail.recipients == ["resident0@example.org"]
    assert mail.envelope_from == "complaints@fairhear.invalid"
    assert mail.message["Subject"] == "Your complaint 0"
    assert mail.message["Importance"] == "high"
    assert mail.message["X-Priority"] == "1"
    assert mail.message["Reply-To"] == "complaints@example.org"
    assert mail.message["In-Reply-To"] == "<earlier@mail.example.org>"
    assert mail.message["References"] == "<earlier@mail.example.org>"
    assert mail.message.get_body(("plain",)).get_content().strip() == (
        "We have received your complaint."
    )
    assert "<p>" in mail.message.get_body(("html",)).get_content()
    [attachment] = list(mail.message.iter_attachments())
    assert attachment.get_filename() == "acknowledgement.pdf"
    assert attachment.get_content() == pdf
    for message in [first, *others]:
        stored = reload(message)
        assert stored.status == Status.SENT
        assert stored.sent_at is not None
        assert stored.attempts == 1


def test_server_down_then_back_delivers_once_after_backing_off(smtp_server):
    org = OrganisationFactory()
    [message] = queue(org)
    smtp_server.stop()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        report = outbox_send_due()
    assert report.deferred == [message.message_id]
    stored = reload(message)
    assert stored.status == Status.QUEUED
    assert stored.last_error == (
        f"The mail server at 127.0.0.1:{smtp_server.port} could not be reached "
        "(connection refused)."
    )
    # First retry after the base wait of 60 seconds.
    assert stored.next_attempt_at == start + timedelta(seconds=60)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert not outbox_send_due().deferred  # not due yet: nothing tried
    # Down again at the second try: the wait doubles to 120 seconds.
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        outbox_send_due()
    assert reload(message).next_attempt_at == start + timedelta(seconds=181)
    smtp_server.start()
    with time_machine.travel(start + timedelta(seconds=182), tick=False):
        assert outbox_send_due().sent == [message.message_id]
        outbox_send_due()
    assert smtp_server.mailbox.message_ids() == [message.message_id]
    stored = reload(message)
    assert stored.status == Status.SENT
    assert stored.attempts == 3


def test_an_outage_never_gives_a_message_up(smtp_server, settings):
    settings.FAIRHEAR_OUTBOX_MAX_ATTEMPTS = 2
    org = OrganisationFactory()
    [message] = queue(org)
    smtp_server.stop()
    start = timezone.now()
    for hour in range(8):
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            outbox_send_due()
    stored = reload(message)
    assert stored.status == Status.QUEUED
    assert stored.attempts == 8
    # After the 8th try the doubled wait would be 60 s × 2⁷ = 7,680 s; it stops at the cap of
    # one hour.
    assert stored.next_attempt_at == start + timedelta(hours=7) + timedelta(hours=1)


def test_a_message_the_server_refuses_for_good_fails_and_stays_visible(smtp_server):
    org = OrganisationFactory()
    bad, good = queue(org, 2)
    smtp_server.mailbox.answer = lambda recipients: (
        "550 5.1.1 No such mailbox" if "resident0@example.org" in recipients else None
    )
    report = outbox_send_due()
    assert report.failed == [bad.message_id]
    assert report.sent == [good.message_id]
    stored = reload(bad)
    assert stored.status == Status.FAILED
    assert stored.last_error == "The mail server refused the message (550 5.1.1 No such mailbox)."
    # Kept, not retried on its own; "retry now" queues it again.
    outbox_send_due()
    assert smtp_server.mailbox.message_ids() == [good.message_id]
    smtp_server.mailbox.answer = lambda recipients: None
    outbox_retry_now(organisation_id=org.pk, key=bad.key)
    outbox_send_due()
    assert sorted(smtp_server.mailbox.message_ids()) == sorted([good.message_id, bad.message_id])


def test_a_message_refused_for_the_moment_is_retried_then_given_up(smtp_server, settings):
    settings.FAIRHEAR_OUTBOX_MAX_ATTEMPTS = 3
    org = OrganisationFactory()
    [message] = queue(org)
    smtp_server.mailbox.answer = lambda recipients: "451 4.3.0 Try again later"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        outbox_send_due()
    assert reload(message).status == Status.QUEUED
    # 60 s after the first try, then 120 s after the second (worked out by hand).
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        outbox_send_due()
    with time_machine.travel(start + timedelta(seconds=180), tick=False):
        report = outbox_send_due()
    assert report.failed == [message.message_id]
    stored = reload(message)
    assert stored.status == Status.FAILED
    assert stored.last_error == (
        "The mail server refused the message (451 4.3.0 Try again later). Given up after 3 tries."
    )
    assert smtp_server.mailbox.received == []


def test_a_sent_message_cannot_be_retried(smtp_server):
    org = OrganisationFactory()
    [message] = queue(org)
    outbox_send_due()
    from fairhear.outbox.services import OutboxInputError

    with pytest.raises(OutboxInputError, match="already been sent"):
        outbox_retry_now(organisation_id=org.pk, key=message.key)
    assert smtp_server.mailbox.message_ids() == [message.message_id]
