"""Queuing e-mail: it commits with the change that caused it or not at all, it keeps exactly
what was given, and bad input is refused in words."""

import re

import pytest
from django.db import transaction

from fairhear.accounts.tests.factories import OrganisationFactory
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.services import PRIORITY_HEADERS, OutboxInputError, outbox_enqueue

pytestmark = pytest.mark.django_db


def _queue(org, **kw):
    args = {
        "organisation_id": org.pk,
        "to": ["resident@example.org"],
        "subject": "Your complaint C-2026-7KX-M2Q",
        "body_text": "We have received your complaint.",
        "kind": "acknowledgement",
    }
    args.update(kw)
    return outbox_enqueue(**args)


def test_a_queued_message_keeps_what_was_given_and_gets_a_message_id():
    org = OrganisationFactory()
    pdf = b"%PDF-1.7 \x00\xff binary"
    message = _queue(
        org,
        body_html="<p>We have received your complaint.</p>",
        attachments=[("acknowledgement.pdf", pdf, "application/pdf")],
        reply_to="complaints@example.org",
    )
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.status == OutboundMessage.Status.QUEUED
    assert stored.to == ["resident@example.org"]
    assert stored.subject == "Your complaint C-2026-7KX-M2Q"
    assert stored.reply_to == "complaints@example.org"
    # <random@domain>, the domain being the from address's (complaints@fairhear.invalid)
    assert re.fullmatch(r"<[0-9a-f]{32}@fairhear\.invalid>", stored.message_id)
    [attachment] = stored.attachments.all()
    assert (attachment.filename, bytes(attachment.content), attachment.content_type) == (
        "acknowledgement.pdf",
        pdf,
        "application/pdf",
    )


def test_every_message_gets_its_own_message_id():
    org = OrganisationFactory()
    ids = {_queue(org).message_id for _ in range(20)}
    assert len(ids) == 20


def test_priority_email_carries_importance_and_x_priority():
    # Pivotal §9 step 5: the new complaint is notified "by priority e-mail".
    org = OrganisationFactory()
    message = _queue(org, headers=PRIORITY_HEADERS, kind="new_complaint")
    assert OutboundMessage.objects.get(pk=message.pk).headers == {
        "Importance": "high",
        "X-Priority": "1",
    }


@pytest.mark.django_db(transaction=True)
def test_a_message_queued_in_a_transaction_that_rolls_back_is_never_kept():
    org = OrganisationFactory()

    class Undo(Exception):
        pass

    def change_that_fails():
        with transaction.atomic():
            _queue(org)
            raise Undo

    with pytest.raises(Undo):
        change_that_fails()
    assert not OutboundMessage.objects.exists()
    with transaction.atomic():
        _queue(org)
    assert OutboundMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_queuing_outside_a_transaction_is_refused_in_words():
    org = OrganisationFactory()
    with pytest.raises(OutboxInputError, match="inside the transaction"):
        _queue(org)
    assert not OutboundMessage.objects.exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"to": []}, "at least one e-mail address"),
        ({"to": "resident@example.org"}, "as a list"),
        ({"to": ["not an address"]}, "'not an address' is not an e-mail address"),
        ({"to": ["a@example.org", "A@example.org"]}, "twice"),
        ({"subject": "  "}, "needs a subject"),
        ({"subject": "Hello\r\nBcc: everyone@example.org"}, "one line"),
        ({"body_text": ""}, "plain-text body"),
        ({"kind": ""}, "what kind of message"),
        ({"headers": {"Bcc": "x@example.org"}}, "sets Bcc itself"),
        ({"headers": {"X-Bad Name": "1"}}, "not a header name"),
        ({"headers": {"X-Note": "a\nb"}}, "one line"),
        ({"in_reply_to": "not-an-id"}, "not a Message-ID"),
        ({"reply_to": "nobody"}, "reply-to address"),
        ({"attachments": [("../letter.pdf", b"x", "application/pdf")]}, "plain file name"),
        ({"attachments": [("letter.pdf", b"x", "pdf")]}, "not a type"),
        ({"attachments": [("letter.pdf", "text", "application/pdf")]}, "must be bytes"),
        ({"attachments": [b"x"]}, "file name, bytes, content type"),
    ],
)
def test_bad_input_is_refused_saying_what_to_change(change, words):
    org = OrganisationFactory()
    with pytest.raises(OutboxInputError, match=words):
        _queue(org, **change)
    assert not OutboundMessage.objects.exists()


def test_attachments_over_the_limit_are_refused(settings):
    settings.FAIRHEAR_OUTBOX_MAX_ATTACHMENT_BYTES = 1000
    org = OrganisationFactory()
    with pytest.raises(OutboxInputError, match="1,001 bytes; a message can carry at most 1,000"):
        _queue(
            org,
            attachments=[
                ("a.bin", b"x" * 600, "application/octet-stream"),
                ("b.bin", b"x" * 401, "application/octet-stream"),
            ],
        )
    _queue(org, attachments=[("a.bin", b"x" * 1000, "application/octet-stream")])
