"""An e-mail's attachments: kept in storage with the message's own record whatever becomes of
it; those Fairhear can offer for download become files of its case (new or threaded onto);
the rest, and any over the size kept as a file, are shown on the case with why. None is
dropped (issue: "large attachments are kept, never dropped")."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from fairhear.accounts.tests.factories import OrganisationFactory
from fairhear.cases.models import CaseAttachment
from fairhear.cases.tests.factories import make_team, receive_complaint
from fairhear.cases.tests.test_views import page_text
from fairhear.domain.clock import LONDON
from fairhear.domain.lifecycle import Action
from fairhear.mailin.models import InboundMessage
from fairhear.mailin.services import mailin_import
from fairhear.mailin.tests.mail import email_bytes

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
PDF = b"%PDF-1.5\n" + b"7" * 4000  # 4,009 bytes
PROGRAM = b"MZ\x90\x00" + b"\x00" * 200
PAGE = b"<html><body onload='alert(1)'>Invoice</body></html>"
Outcome = InboundMessage.Outcome


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team():
    return make_team("pivotal")


def stored(name: str) -> bytes:
    with default_storage.open(name) as file:
        return file.read()


def test_a_new_case_from_e_mail_has_its_attachments_and_says_which_it_does_not_offer(team):
    raw = email_bytes(
        attachments=[
            ("survey.pdf", PDF, "application/pdf"),
            ("invoice.exe", PROGRAM, "application/octet-stream"),
            ("invoice.html", PAGE, "text/html"),
        ]
    )

    record, _ = mailin_import(organisation=team.org, raw=raw, source="file new.eml")

    assert record.outcome == Outcome.NEW_CASE
    [file] = CaseAttachment.objects.filter(case=record.case)
    assert (file.name, file.content_type, file.size, file.source) == (
        "survey.pdf",
        "application/pdf",
        4009,
        "email",
    )
    assert file.event.kind == Action.RECEIVE
    # Every attachment's bytes are kept with the message's own record, the refused ones too.
    kept = {a["filename"]: a for a in record.attachments}
    assert stored(kept["survey.pdf"]["stored_as"]) == PDF
    assert kept["survey.pdf"]["stored_as"] == file.stored_as
    assert stored(kept["invoice.exe"]["stored_as"]) == PROGRAM
    assert stored(kept["invoice.html"]["stored_as"]) == PAGE

    client = Client()
    client.force_login(team.allocator)
    page = page_text(client.get(reverse("cases:detail", args=[record.case.reference])))
    assert "survey.pdf (download) PDF, 4 KB" in page
    assert (
        "File not kept invoice.exe: Fairhear does not offer it for download (a program); it is "
        "kept with the e-mail as received" in page
    )
    assert "File not kept invoice.html: Fairhear does not offer it for download (a web page" in (
        page
    )
    got = client.get(reverse("cases:attachment", args=[record.case.reference, file.pk]))
    assert b"".join(got.streaming_content) == PDF


def test_a_reply_s_attachments_are_files_of_the_communication_on_its_case(team):
    case = receive_complaint(team, datetime(2026, 3, 2, 9, tzinfo=LONDON))

    record, _ = mailin_import(
        organisation=team.org,
        raw=email_bytes(
            subject=f"Re: Your complaint {case.reference}",
            attachments=[("photo.jpg", b"\xff\xd8\xff\xe0" + b"j" * 300, "image/jpeg")],
        ),
        source="file reply.eml",
    )

    assert (record.outcome, record.case) == (Outcome.THREADED, case)
    [file] = CaseAttachment.objects.filter(case=case)
    assert file.event.kind == Action.RECORD_COMMUNICATION
    assert (file.name, file.content_type, file.size) == ("photo.jpg", "image/jpeg", 304)
    assert file.event.data["attachments"] == [
        {"name": "photo.jpg", "size": 304, "sha256": file.sha256}
    ]


def test_a_quarantined_message_keeps_its_attachments_with_its_own_record():
    # An organisation with no policy version yet cannot open a case: the message waits.
    organisation = OrganisationFactory()

    record, _ = mailin_import(
        organisation=organisation,
        raw=email_bytes(attachments=[("survey.pdf", PDF, "application/pdf")]),
        source="file waiting.eml",
    )

    assert record.outcome == Outcome.QUARANTINED
    assert not CaseAttachment.objects.exists()
    [about] = record.attachments
    assert (about["filename"], about["type"], about["size"]) == (
        "survey.pdf",
        "application/pdf",
        4009,
    )
    assert stored(about["stored_as"]) == PDF


def test_an_attachment_over_the_size_kept_as_a_file_is_said_on_the_case_and_kept_in_the_message(
    team, settings
):
    settings.FAIRHEAR_MAIL_ATTACHMENT_MAX_BYTES = 2 * 1024
    raw = email_bytes(attachments=[("survey.pdf", PDF, "application/pdf")])

    record, _ = mailin_import(organisation=team.org, raw=raw, source="file big.eml")

    assert not CaseAttachment.objects.exists()
    [about] = record.attachments
    assert about["not_kept"] == (
        "it is 4 KB, larger than the 2 KB Fairhear keeps as a file of a case; it is kept in "
        "the e-mail as received"
    )
    receipt = record.case.events.get(kind=Action.RECEIVE)
    assert receipt.data["attachments_withheld"] == [
        {"name": "survey.pdf", "reason": about["not_kept"]}
    ]
    assert stored(record.raw.name) == raw  # the attachment stays in the message as received
