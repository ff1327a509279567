"""The worker's status page: the lead officer and administrators see when each worker last
ran, what is queued or failing, and e-mail that could not be delivered; nobody else sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from fairhear.accounts.tests.factories import UserFactory
from fairhear.domain.policy.schema import Capability
from fairhear.notifications.tasks import sweep_now
from fairhear.notifications.tests.helpers import london
from fairhear.notifications.worker import Worker
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.services import outbox_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return UserFactory(capabilities=[Capability.LEAD.value])


def test_with_no_worker_running_the_lead_is_told_what_waits(client, lead):
    client.force_login(lead)
    page = client.get(reverse("notifications:status")).content.decode()
    assert "No worker is running." in page
    assert "No worker has run yet." in page


def test_the_lead_sees_the_worker_the_queue_and_the_failed_mail(client, lead):
    with time_machine.travel(london(2026, 12, 1, 9, 15), tick=False):
        Worker(worker_id="night-shift").run(once=True)
    sweep_now.enqueue()
    with transaction.atomic():
        message = outbox_enqueue(
            organisation_id=lead.organisation_id,
            to=["resident@example.org"],
            subject="Your complaint",
            body_text="Received.",
            kind="acknowledgement",
        )
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.FAILED, last_error="The mailbox does not exist (550)."
    )
    client.force_login(lead)
    with time_machine.travel(london(2026, 12, 1, 9, 16), tick=False):
        page = client.get(reverse("notifications:status")).content.decode()
    assert "night-shift" in page
    assert "Stopped" in page  # it ran once and stopped
    assert "1 Dec 2026 09:15" in page  # last seen and last sweep, London time
    assert "Your organisation was last swept at 1 Dec 2026 09:15" in page
    assert '<dd class="govuk-summary-list__value">1</dd>' in page  # one task waiting
    assert "1 e-mail failed for good." in page
    assert "The mailbox does not exist (550)." in page


def test_a_worker_not_heard_from_for_three_minutes_is_shown_as_such(client, lead):
    with time_machine.travel(london(2026, 12, 1, 9, 0), tick=False):
        worker = Worker(worker_id="gone")
        worker._beat(started=True)
    client.force_login(lead)
    with time_machine.travel(london(2026, 12, 1, 9, 0) + timedelta(minutes=4), tick=False):
        page = client.get(reverse("notifications:status")).content.decode()
    assert "Not heard from" in page
    assert "No worker is running." in page


def test_an_administrator_may_see_it_and_an_investigator_may_not(client):
    client.force_login(UserFactory(capabilities=[Capability.ADMINISTER.value]))
    assert client.get(reverse("notifications:status")).status_code == 200
    client.force_login(UserFactory(capabilities=[Capability.INVESTIGATE.value]))
    assert client.get(reverse("notifications:status")).status_code == 403
