"""A worker killed mid-send loses nothing (docs/adr/ADR-008-outbox-delivery.md): real
`manage.py worker` processes, a real SMTP server (aiosmtpd), SIGKILL at each of the two windows
of a send, and a count of what the server received.

(a) Killed while the message is being sent but before the server accepted it: the next worker
    sends it, and the server receives it exactly once.
(b) Killed after the server accepted it but before the outbox recorded that: the next worker
    sends it again, so the server receives it twice at most, both with the same Message-ID.

Each window is hit deterministically from the server's side: in (a) the server holds the DATA
command unanswered; in (b) it accepts the message and, before its "250 OK" goes back, the test
holds the message's row so that the worker cannot record it as sent. No pause point is needed
in Fairhear itself. Delivery that fails for good shows on the status page (/worker/).
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import pytest
from django.db import transaction
from django.urls import reverse

from fairhear.accounts.tests.factories import OrganisationFactory, UserFactory
from fairhear.domain.policy.schema import Capability
from fairhear.notifications.models import WorkerHeartbeat
from fairhear.notifications.tests.helpers import start_worker
from fairhear.notifications.worker import Worker
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.services import outbox_enqueue
from fairhear.outbox.tests.conftest import Mailbox, SmtpServer, free_port
from fairhear.outbox.tests.test_exactly_once import RowLock, end_orphaned_statements

Status = OutboundMessage.Status
LEASE = 3  # seconds a claimed message is left to the worker that claimed it


@pytest.fixture
def smtp(settings):
    """The real SMTP server of the outbox's tests, which the in-process sender uses too."""
    server = SmtpServer(port=free_port(), mailbox=Mailbox())
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.FAIRHEAR_SMTP_TIMEOUT = 10
    server.start()
    yield server
    server.stop()


def queue_one(organisation=None) -> OutboundMessage:
    organisation = organisation or OrganisationFactory()
    with transaction.atomic():
        return outbox_enqueue(
            organisation_id=organisation.pk,
            to=["resident@example.org"],
            subject="An update on your complaint",
            body_text="The engineer's report is due next week.",
            kind="update",
        )


def worker_env(port: int) -> dict[str, str]:
    return {
        "FAIRHEAR_SMTP_HOST": "127.0.0.1",
        "FAIRHEAR_SMTP_PORT": str(port),
        "FAIRHEAR_SMTP_TIMEOUT": "60",
        "FAIRHEAR_OUTBOX_SECONDS": "1",
        "FAIRHEAR_SWEEP_SECONDS": "3600",
        "FAIRHEAR_OUTBOX_SENDING_LEASE_SECONDS": str(LEASE),
    }


def kill(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGKILL)
    worker.wait(30)
    assert worker.returncode == -signal.SIGKILL


def stop(worker: subprocess.Popen) -> str:
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    return out


def wait_for(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def status_of(message: OutboundMessage) -> str:
    return OutboundMessage.objects.get(pk=message.pk).status


def test_killed_before_the_server_accepted_it_the_next_worker_sends_it_exactly_once(
    committed_db, smtp
):
    message = queue_one()
    in_data = threading.Event()
    go_on = threading.Event()

    def stall(recipients):
        in_data.set()
        go_on.wait(60)
        return "421 4.3.2 Shutting down"  # this copy was never accepted

    smtp.mailbox.answer = stall
    first = start_worker("killed-a", **worker_env(smtp.port))
    try:
        assert in_data.wait(90), "the worker never reached the server"
        assert status_of(message) == Status.SENDING
        kill(first)
    finally:
        go_on.set()
    smtp.mailbox.answer = lambda recipients: None
    assert smtp.mailbox.received == []
    # The dead worker's claim runs out after the lease; the next worker sends it.
    second = start_worker("next-a", **worker_env(smtp.port))
    try:
        wait_for(lambda: status_of(message) == Status.SENT, "the next worker did not send it")
        time.sleep(2)  # a round or two more: nothing is sent again
    finally:
        stop(second)
    assert smtp.mailbox.message_ids() == [message.message_id]
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.attempts == 2
    assert stored.last_error.startswith("A sender stopped while sending this message")


def test_killed_after_the_server_accepted_it_it_is_sent_twice_at_most_with_one_message_id(
    committed_db, smtp
):
    message = queue_one()
    locks: list[RowLock] = []
    accepted = threading.Event()

    def hold_the_row(received):
        # Before the server's "250 OK" goes back: the worker cannot mark it sent.
        locks.append(RowLock(message.pk).__enter__())
        accepted.set()

    smtp.mailbox.on_accept = hold_the_row
    first = start_worker("killed-b", **worker_env(smtp.port))
    try:
        assert accepted.wait(90), "the worker never reached the server"
        kill(first)
        end_orphaned_statements()
    finally:
        for lock in locks:
            lock.__exit__()
    smtp.mailbox.on_accept = lambda received: None
    assert smtp.mailbox.message_ids() == [message.message_id]
    assert status_of(message) == Status.SENDING  # the outbox never heard it was accepted
    second = start_worker("next-b", **worker_env(smtp.port))
    try:
        wait_for(lambda: status_of(message) == Status.SENT, "the next worker did not send it")
        time.sleep(2)
    finally:
        stop(second)
    # Twice, the most the one unclosable window allows, and recognisable as one message.
    assert smtp.mailbox.message_ids() == [message.message_id, message.message_id]
    first_copy, second_copy = smtp.mailbox.received
    assert first_copy.message.as_bytes() == second_copy.message.as_bytes()
    assert WorkerHeartbeat.objects.get(worker_id="killed-b").stopped_at is None  # it died


@pytest.mark.django_db
def test_mail_the_server_refuses_for_good_shows_on_the_status_page_with_its_reason(client, smtp):
    lead = UserFactory(capabilities=[Capability.LEAD.value])
    message = queue_one(lead.organisation)
    smtp.mailbox.answer = lambda recipients: "550 5.1.1 No such mailbox here"
    Worker(worker_id="day-shift").run(once=True)
    assert status_of(message) == Status.FAILED
    assert smtp.mailbox.received == []
    client.force_login(lead)
    page = client.get(reverse("notifications:status")).content.decode()
    assert "1 e-mail failed for good." in page
    assert "550 5.1.1 No such mailbox here" in page
    assert "An update on your complaint" in page
