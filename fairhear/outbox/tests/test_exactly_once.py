"""Exactly once, as far as mail allows: two senders never send one message twice, and a
sender killed mid-send loses nothing. Killed after the server accepted a message but before
the outbox recorded it, the message is sent again with the same Message-ID, so the receiver
can recognise the copy (docs/adr/ADR-008-outbox-delivery.md)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import time_machine
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from fairhear.accounts.tests.factories import OrganisationFactory
from fairhear.outbox.models import OutboundMessage
from fairhear.outbox.sender import outbox_send_due
from fairhear.outbox.services import outbox_enqueue

ROOT = Path(settings.BASE_DIR)
Status = OutboundMessage.Status


def queue(n):
    org = OrganisationFactory()
    with transaction.atomic():
        return [
            outbox_enqueue(
                organisation_id=org.pk,
                to=[f"resident{i}@example.org"],
                subject=f"Update {i}",
                body_text="An update on your complaint.",
                kind="update",
            )
            for i in range(n)
        ]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def start_sender(port: int) -> subprocess.Popen:
    """`manage.py send_outbox` as its own process, on this test's database and server."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fairhear.settings.test",
        "DATABASE_URL": database_url(),
        "FAIRHEAR_SMTP_HOST": "127.0.0.1",
        "FAIRHEAR_SMTP_PORT": str(port),
    }
    return subprocess.Popen([sys.executable, "manage.py", "send_outbox"], cwd=ROOT, env=env)


class RowLock:
    """Another connection holding the message's row (on SQLite, the write lock), so that the
    sender cannot record what the server did until the test lets go."""

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self.held = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        try:
            with transaction.atomic():
                OutboundMessage.objects.select_for_update().get(pk=self.pk)
                self.held.set()
                self.release.wait(60)
        finally:
            connections.close_all()

    def __enter__(self) -> RowLock:
        self.thread.start()
        assert self.held.wait(30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(30)


def end_orphaned_statements() -> None:
    """A killed process's last statement can outlive it on a PostgreSQL server, waiting for the
    row lock; end it, as the server would on noticing the client had gone."""
    if connection.vendor != "postgresql":
        return  # SQLite runs inside the process: its statements died with it
    query = (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
        "current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        for _ in range(100):
            cursor.execute(query.replace("pg_terminate_backend(pid)", "count(*)"))
            if cursor.fetchone()[0] == 0:
                return
            threading.Event().wait(0.1)


def after_the_lease():
    later = timezone.now() + timedelta(seconds=settings.FAIRHEAR_OUTBOX_SENDING_LEASE_SECONDS + 1)
    return time_machine.travel(later, tick=False)


def test_two_senders_at_once_send_each_message_once(committed_db, smtp_server, settings):
    settings.FAIRHEAR_OUTBOX_BATCH = 3
    messages = queue(30)
    errors = []

    def sender():
        try:
            while outbox_send_due().sent:
                pass
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    ids = smtp_server.mailbox.message_ids()
    assert len(ids) == 30
    assert sorted(ids) == sorted(m.message_id for m in messages)
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.SENT}


def test_killed_after_the_server_accepted_it_is_sent_again_with_the_same_message_id(
    committed_db, smtp_server
):
    [message] = queue(1)
    locks: list[RowLock] = []
    accepted = threading.Event()

    def hold_the_row(received):
        # Before the server's "250 OK" goes back: the sender will be unable to mark it sent.
        locks.append(RowLock(message.pk).__enter__())
        accepted.set()

    smtp_server.mailbox.on_accept = hold_the_row
    sender = start_sender(smtp_server.port)
    try:
        assert accepted.wait(60), "the sender never reached the server"
        sender.send_signal(signal.SIGKILL)
        sender.wait(30)
        end_orphaned_statements()
    finally:
        for lock in locks:
            lock.__exit__()
    smtp_server.mailbox.on_accept = lambda received: None
    assert smtp_server.mailbox.message_ids() == [message.message_id]
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.SENDING
    outbox_send_due()  # within the lease: the message is left alone
    assert len(smtp_server.mailbox.received) == 1
    with after_the_lease():
        assert outbox_send_due().sent == [message.message_id]
        outbox_send_due()
    # At least once: a second copy, recognisable by its Message-ID.
    assert smtp_server.mailbox.message_ids() == [message.message_id, message.message_id]
    stored = OutboundMessage.objects.get(pk=message.pk)
    assert stored.status == Status.SENT
    assert stored.last_error.startswith("A sender stopped while sending this message")


def test_killed_before_the_server_accepted_it_is_delivered_once(committed_db, smtp_server):
    [message] = queue(1)
    in_data = threading.Event()
    go_on = threading.Event()

    def stall(recipients):
        in_data.set()
        go_on.wait(60)
        return "421 4.3.2 Shutting down"  # the server never accepted this copy

    smtp_server.mailbox.answer = stall
    sender = start_sender(smtp_server.port)
    try:
        assert in_data.wait(60), "the sender never reached the server"
        sender.send_signal(signal.SIGKILL)
        sender.wait(30)
    finally:
        go_on.set()
    smtp_server.mailbox.answer = lambda recipients: None
    assert smtp_server.mailbox.received == []
    with after_the_lease():
        assert outbox_send_due().sent == [message.message_id]
    assert smtp_server.mailbox.message_ids() == [message.message_id]
