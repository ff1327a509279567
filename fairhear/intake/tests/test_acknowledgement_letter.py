"""The public form's acknowledgement carries a PDF letter (issue 8, "Done when": "an
acknowledgement e-mail with a PDF letter"): the case and its held e-mail commit with the form,
the worker prints the letter, keeps it on the case and sends it attached, once per case."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from fairhear.cases.models import Case
from fairhear.domain.lifecycle import Action
from fairhear.intake.letter import receipt_letters_overdue
from fairhear.intake.tasks import make_receipt_letter
from fairhear.intake.tests.test_public_form import (  # noqa: F401 - fixtures
    MYSELF,
    NOW,
    _no_one_has_sent_anything_yet,
    _today,
    answer,
    send,
    team,
)
from fairhear.letters.selectors import letter_pdf, letters_sent
from fairhear.notifications.worker import Worker
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.tests.conftest import smtp_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("worker_keeps_the_test_connection")]


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split()
    )


def sent_form(client, team) -> Case:  # noqa: F811
    answer(client, team.org, MYSELF)
    send(client, team.org)
    return Case.objects.get()


def test_the_e_mail_that_reaches_the_mail_server_carries_the_letter_with_the_reference(
    client,
    team,  # noqa: F811
    smtp_server,  # noqa: F811
):
    case = sent_form(client, team)
    # Committed with the case: the e-mail, held for its letter, and the task that prints it.
    message = OutboundMessage.objects.get(kind="intake_acknowledgement")
    assert message.status == OutboundMessage.Status.HELD
    assert DBTaskResult.objects.get().status == "READY"

    Worker(worker_id="w").run(once=True)

    [received] = [r for r in smtp_server.mailbox.received if r.recipients == ["grace@example.org"]]
    assert received.message["Subject"] == f"We have your message: {case.reference}"
    [attachment] = list(received.message.iter_attachments())
    assert attachment.get_filename() == f"{case.reference}-receipt.pdf"
    assert attachment.get_content_type() == "application/pdf"
    words = pdf_text(attachment.get_content())
    assert f"Your reference is {case.reference}" in words
    assert "Dear Grace Hopper" in words
    assert "We received your complaint on Wednesday 4 March 2026" in words
    assert "The lift in our block has been broken for three weeks." in words
    assert "Mend the lift and tell us when." in words
    # Pivotal App. 1: the stage 1 reply within 10 working days of receipt.
    assert "within 10 working days of receiving it" in words
    assert "attached as a PDF" in received.message.get_body(("plain",)).get_content()
    # Kept on the case as a letter sent, exactly the bytes the mail server received.
    [kept] = letters_sent(case=case)
    assert kept.actor_label == "Fairhear (automatic)"
    assert kept.data["letter_kind"] == "receipt"
    assert kept.data["delivery_words"] == "By e-mail to grace@example.org"
    assert kept.data["message_id"] == received.message["Message-ID"]
    assert letter_pdf(kept) == attachment.get_content()
    assert hashlib.sha256(attachment.get_content()).hexdigest() == kept.data["sha256"]


def test_the_letter_is_on_the_case_s_letters_page_like_one_a_colleague_sent(
    client,
    team,  # noqa: F811
):
    case = sent_form(client, team)
    make_receipt_letter.call(case.pk)

    client.force_login(team.lead)
    page = client.get(f"/letters/case/{case.reference}/").content.decode()
    assert "Acknowledgement of what was sent in" in page
    assert f"We have received your complaint ({case.reference})" in page
    timeline = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Fairhear (automatic)" in timeline


def test_a_repeated_form_and_a_repeated_task_give_one_letter(client, team):  # noqa: F811
    answer(client, team.org, MYSELF)
    check = client.get(reverse("intake:check", args=[team.org.slug])).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check).group(1)
    url = reverse("intake:check", args=[team.org.slug])
    client.post(url, {"idempotency_key": key})
    client.post(url, {"idempotency_key": key})  # the same form again (a double click)
    case = Case.objects.get()

    first = make_receipt_letter.call(case.pk)
    second = make_receipt_letter.call(case.pk)
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        swept = receipt_letters_overdue(team.org, NOW + timedelta(minutes=10))

    assert Case.objects.count() == 1
    assert first == f"{case.reference}: acknowledgement letter sent."
    assert second == f"{case.reference}: no acknowledgement is waiting for its letter."
    assert swept == {"made": [], "failed": []}
    assert case.events.filter(kind=Action.SEND_LETTER).count() == 1
    message = OutboundMessage.objects.get(kind="intake_acknowledgement")
    assert message.status == OutboundMessage.Status.QUEUED
    assert message.attachments.count() == 1
    assert len(default_storage.listdir(f"letters/{team.org.slug}/{case.reference}")[1]) == 1


def test_a_lost_task_is_done_by_the_sweep_after_two_minutes(client, team):  # noqa: F811
    case = sent_form(client, team)
    DBTaskResult.objects.all().delete()  # the queue lost it

    early = receipt_letters_overdue(team.org, NOW + timedelta(minutes=1))
    late = receipt_letters_overdue(team.org, NOW + timedelta(minutes=2))

    assert early == {"made": [], "failed": []}
    assert late == {"made": [case.reference], "failed": []}
    assert len(letters_sent(case=case)) == 1
    acknowledgement = OutboundMessage.objects.get(kind="intake_acknowledgement")
    assert acknowledgement.status == OutboundMessage.Status.QUEUED


def test_a_letter_that_cannot_be_printed_leaves_the_e_mail_waiting_with_the_reason(
    client,
    team,  # noqa: F811
    monkeypatch,
):
    case = sent_form(client, team)

    def broken(html: str) -> bytes:
        raise OSError("no fonts")

    monkeypatch.setattr("fairhear.letters.services.pdf_from_html", broken)
    with pytest.raises(OSError, match="no fonts"):
        make_receipt_letter.call(case.pk)

    message = OutboundMessage.objects.get(kind="intake_acknowledgement")
    assert message.status == OutboundMessage.Status.HELD
    assert message.last_error == (
        "Its letter could not be printed (OSError: no fonts); it is tried again later."
    )
    # The first wait of the outbox's backoff: 60 seconds.
    assert message.next_attempt_at == NOW + timedelta(seconds=60)
    assert letters_sent(case=case) == []
    # The lead sees it under "Waiting for its attachment" and may send it without the letter.
    client.force_login(team.lead)
    page = client.get("/outbox/?status=held").content.decode()
    assert "Its letter could not be printed (OSError: no fonts)" in page
    assert "Send without it" in page
