"""The outgoing e-mail page: the lead officer and administrators see what is waiting, what
failed and why, and can send a message again; nobody else sees it, nor another
organisation's mail."""

import pytest
from django.db import transaction
from django.urls import reverse

from fairhear.accounts.tests.factories import OrganisationFactory, UserFactory
from fairhear.domain.policy.schema import Capability
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.services import outbox_enqueue

pytestmark = pytest.mark.django_db
Status = OutboundMessage.Status


def failed_message(org, error="The mail server refused the message (550 5.1.1 No such mailbox)."):
    with transaction.atomic():
        message = outbox_enqueue(
            organisation_id=org.pk,
            to=["resident@example.org"],
            subject="Your complaint C-2026-7KX-M2Q",
            body_text="Received.",
            kind="acknowledgement",
        )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.FAILED, attempts=1, last_error=error
    )
    return message


@pytest.fixture
def lead():
    return UserFactory(capabilities=[Capability.LEAD.value])


def test_the_lead_sees_a_failed_message_with_the_reason_in_words(client, lead):
    failed_message(lead.organisation)
    client.force_login(lead)
    page = client.get(reverse("outbox:list")).content.decode()
    assert "Failed (1)" in page
    assert "Your complaint C-2026-7KX-M2Q" in page
    assert "resident@example.org" in page
    assert "The mail server refused the message (550 5.1.1 No such mailbox)." in page
    assert "Retry now" in page


def test_retry_now_queues_the_message_for_the_next_run(client, lead):
    message = failed_message(lead.organisation)
    client.force_login(lead)
    response = client.post(reverse("outbox:retry", args=[message.key]), follow=True)
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.QUEUED
    page = response.content.decode()
    assert "will be sent at the next run" in page
    assert "Waiting to be sent (1)" in page


def test_an_administrator_sees_the_page_too(client):
    admin = UserFactory(capabilities=[Capability.ADMINISTER.value])
    client.force_login(admin)
    assert client.get(reverse("outbox:list")).status_code == 200


def test_other_colleagues_are_refused(client):
    colleague = UserFactory(capabilities=[Capability.LOG.value, Capability.INVESTIGATE.value])
    message = failed_message(colleague.organisation)
    client.force_login(colleague)
    assert client.get(reverse("outbox:list")).status_code == 403
    assert client.post(reverse("outbox:retry", args=[message.key])).status_code == 403
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.FAILED


def test_another_organisations_mail_is_neither_shown_nor_retried(client, lead):
    message = failed_message(OrganisationFactory())
    client.force_login(lead)
    page = client.get(reverse("outbox:list") + "?status=failed").content.decode()
    assert "Your complaint C-2026-7KX-M2Q" not in page
    assert client.post(reverse("outbox:retry", args=[message.key])).status_code == 404
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.FAILED


def test_the_header_links_to_outgoing_mail_for_the_lead_only(client, lead):
    client.force_login(lead)
    assert "Outgoing e-mail" in client.get(reverse("cases:my_work")).content.decode()
    client.force_login(UserFactory(capabilities=[Capability.LOG.value]))
    assert "Outgoing e-mail" not in client.get(reverse("cases:my_work")).content.decode()
